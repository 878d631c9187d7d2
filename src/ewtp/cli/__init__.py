"""Command-line entry point: the `ewtp` Typer app."""
