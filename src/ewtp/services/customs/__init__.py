"""Use cases of customs: landed cost, declarations, manifest assessment and its jobs, the operator's tables, exchange rates, rules in force, HS codes."""
