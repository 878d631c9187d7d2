"""The pure side of the peak-day simulation: scenarios, their validation, and statistics."""
