"""SQL storage of customs: rules, rates, CBEC usage, jobs."""
