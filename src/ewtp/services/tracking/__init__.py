"""Use cases of tracking: ingest scans, re-plan the live ETA, show one parcel's timeline."""
