"""Exchange formats for CAT tools and translation memories: XLIFF 1.2 and 2.0, TMX 1.4b.

Pure: text in, text out (lxml builds and parses the XML); the commands
`pipeline.commands.export` and `pipeline.commands.import_` read and write the files.
"""
