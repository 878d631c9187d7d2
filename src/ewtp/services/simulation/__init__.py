"""Peak-day simulation use cases: run a scenario's replications, compare two runs."""
