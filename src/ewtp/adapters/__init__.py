"""Adapters: everything that talks to the outside world (DB, files, HTTP, PDF, Dask)."""
