"""Storage of simulation runs."""
