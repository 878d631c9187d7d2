"""Tracking scan files as polars columns: validation and transaction batches."""
