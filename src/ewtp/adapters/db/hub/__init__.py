"""SQLAlchemy storage of hub operations: parcels as the hub sees them, the decision log,
hub scans, inbound legs and loaded hub models."""
