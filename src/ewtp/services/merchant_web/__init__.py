"""Use cases only the merchant web app needs: the overview figures, HS code search and
the rule sources behind a landed cost. Everything else the pages do goes through the
same use cases as the API."""
