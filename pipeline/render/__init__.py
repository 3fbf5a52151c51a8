"""Edition assembly: pandoc JSON ASTs for single-language and bilingual editions.

Pipeline, for one document: `source` (each language's Markdown with segment
markers) -> pandoc parse (`pipeline.adapters.pandoc`) -> `document.prepare`
(sanitize, segment tags, language marks, footnotes) -> `editions` (the AST
each format's writer gets: `html`, `pdf`) -> `formats.finish` -> pandoc
writers and typst (`run`). Only `run` touches the adapters.
"""
