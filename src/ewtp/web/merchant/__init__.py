"""The merchant web app: overview, quote and book, shipments, bulk upload, landed cost,
developers (keys, webhooks, request log) and settings. Each module has a `router`."""
