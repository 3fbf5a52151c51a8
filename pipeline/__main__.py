"""`python -m pipeline` is the same as the `bitext` command."""

from pipeline.cli import main

main()
