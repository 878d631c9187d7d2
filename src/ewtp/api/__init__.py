"""HTTP entry point: a FastAPI app with one router per resource."""
