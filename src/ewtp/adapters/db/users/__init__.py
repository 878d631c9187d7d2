"""SQLAlchemy storage of the users capability."""
