"""Write a GTFS feed as the CSV files of the GTFS Schedule reference, UTF-8, comma-separated."""

from __future__ import annotations

import csv
from pathlib import Path

from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.gtfs import GTFS_COLUMNS, GtfsFeed

__all__ = ["write_gtfs"]


def write_gtfs(directory: Path, feed: GtfsFeed) -> list[Path]:
    """Write every file of `feed` into `directory` (created if missing); return the paths.

    Files are written next to their final names and renamed at the end, so a failure
    leaves no half-written feed behind.
    """
    if directory.exists() and not directory.is_dir():
        raise InvalidInput(f"not a directory: {directory}", field="directory")
    directory.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, columns in GTFS_COLUMNS.items():
            final = directory / name
            part = directory / f".{name}.part"
            with part.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(columns)
                writer.writerows(feed.tables[name])
            staged.append((part, final))
    except BaseException:
        for part, _ in staged:
            part.unlink(missing_ok=True)
        raise
    for part, final in staged:
        part.replace(final)
    return [final for _, final in staged]
