"""SQL storage of the network."""
