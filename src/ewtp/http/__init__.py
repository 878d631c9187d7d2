"""What the two HTTP entry points, the API (`api/`) and the pages (`web/`), share.

FastAPI dependencies (settings, sessions, units of work, the bearer-auth chain) and the
public tracking view. Nothing here imports `api/` or `web/`.
"""
