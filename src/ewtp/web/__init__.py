"""Server-rendered pages: Jinja templates with htmx, every main action usable without JS.

`web/` holds what all pages share (layout, auth pages, i18n, static assets);
`web/merchant/` the merchant app and `web/operator/` the operator console.
"""
