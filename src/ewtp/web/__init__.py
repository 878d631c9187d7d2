"""Server-rendered pages (tracking page, dashboard): Jinja templates and static files."""
