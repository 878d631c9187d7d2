"""Pydantic request and response schemas, one module per resource, and their mapping to the domain."""
