"""Server-rendered pages, one subpackage each: router, templates and static files."""
