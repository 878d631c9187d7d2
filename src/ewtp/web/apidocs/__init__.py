"""The interactive API docs pages (/docs, /redoc) and their vendored assets."""
