"""Server-rendered pages, one subpackage each: router, templates and static files.

The modules here are what every page shares: layout (`templates/web/`), the auth pages,
i18n, formatting and the vendored assets (`static/`). `web/merchant/` is the merchant app.
"""
