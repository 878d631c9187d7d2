"""What the two HTTP entry points share, the API (`api/`) and the pages (`web/`): FastAPI dependencies for settings, sessions, units of work and the bearer-auth chain."""
