"""Webhooks: event types, the signature, the retry schedule and the SSRF address check."""
