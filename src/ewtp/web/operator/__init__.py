"""The operator console's pages (issue 20): routers defined here are mounted by
`web/app.py`; templates go in `web/operator/templates/operator/` and extend
`web/base.html` (its `nav` block is the console's navigation)."""
