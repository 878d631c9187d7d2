"""The SimPy engine, the hub's day as a model, replication runners and the report."""
