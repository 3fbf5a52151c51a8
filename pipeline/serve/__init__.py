"""The web app of `bitext serve`: routes (`app`), the editor page (`page`, `script`), the
request checks (`security`). It is I/O (a server); the editor's work on the publication
is `pipeline.commands.serve.Desk`, which the app calls and never goes around.
"""
