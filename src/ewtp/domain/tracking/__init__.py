"""Tracking: scan codes, scan events and the timeline fold that derives a parcel's status."""
