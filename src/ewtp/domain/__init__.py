"""Pure domain core: no frameworks, no I/O. Time, rates and randomness come in as arguments."""
