"""SQL read models of the merchant web app (the overview)."""
