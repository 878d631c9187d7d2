"""Vectorized engines over polars frames: customs manifests and tracking scan files."""
