"""The merchant platform: shipment requests, the rate card, quotes, bookings, CSV import and idempotency keys."""
