"""Files of capacity planning: forecasts, candidates and scenarios on disk."""
