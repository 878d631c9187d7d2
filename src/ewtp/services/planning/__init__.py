"""Capacity planning use cases: build a forecast, plan a week's capacity, plan jobs."""
