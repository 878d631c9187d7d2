"""SQL storage of the merchant platform: quotes, shipments, idempotency keys, S10 serials."""
