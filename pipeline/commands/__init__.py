"""One module per command, each exposing its namesake function (``update.update``)."""
