"""The network from files: CSV network directories and IATA hub cities."""
