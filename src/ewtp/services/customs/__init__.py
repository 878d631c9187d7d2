"""Customs use cases (exchange rates, rules in force, HS codes)."""
