"""Use cases of the merchant platform: quote, create, book, cancel and import shipments."""
