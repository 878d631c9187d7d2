"""The bulk customs engine: vectorized polars assessment, streaming files, Dask."""

from __future__ import annotations

from ewtp.adapters.polars.customs_manifest.frame import BulkContext, assess_frame

__all__ = ["BulkContext", "assess_frame"]
