"""SQL storage of webhook endpoints, deliveries and the outbox."""
