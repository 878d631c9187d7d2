"""Webhook HTTP delivery and the loop that runs it."""
