"""The merchant platform's engines: routes, customs, labels and the rate card behind its ports."""
