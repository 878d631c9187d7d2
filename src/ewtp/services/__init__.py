"""Use cases: each takes a command and a unit of work, returns a domain result or raises."""
