"""Markdown in, segments out, and back: the parser behind every command.

`pipeline.markdown.blocks` finds the block structure (markdown-it-py line
maps); `pipeline.markdown.segments` cuts a document into skeleton and
`Segment`\\ s and puts translations back into the skeleton. Pure: the caller
reads the file.
"""

from pipeline.markdown.segments import Document, Segment, footnote_refs, parse_document

__all__ = ["Document", "Segment", "footnote_refs", "parse_document"]
