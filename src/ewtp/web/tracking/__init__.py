"""The public tracking pages: their router, Jinja templates and static files."""
