"""Edition assembly: pandoc JSON ASTs for single-language and bilingual editions.

Pipeline, for one document: `source` (each language's Markdown with segment
markers) -> pandoc parse (`pipeline.adapters.pandoc`) -> `document.prepare`
(sanitize, segment tags, language marks, footnotes) -> `editions` (the AST
each format's writer gets: `html`, `pdf`) -> `formats.finish` -> pandoc
writers and typst (`run` schedules the `jobs`, which run them). Only `run`,
`jobs` and `assets` touch the adapters; one `settings.BuildSettings` carries the
build's choices (draft or release, languages, options, dates) down.
"""
