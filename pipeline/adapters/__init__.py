"""Everything that touches the disk, a subprocess or the network lives here."""
