"""SQL storage of scans and tracking state, set-based for hub scale."""
