"""Use cases of webhooks: manage endpoints, fan the outbox out, deliver and prune."""
