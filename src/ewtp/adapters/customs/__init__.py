"""Customs reference data from files: the rule tables and ECB rates."""
