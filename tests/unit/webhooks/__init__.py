"""Unit tests of the webhooks use cases."""
