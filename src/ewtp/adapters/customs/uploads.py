"""Manifest upload files: written whole or not at all, and removed with a dead job.

An upload is copied to `<name>.partial` and renamed into place once complete and synced,
so a server killed mid-copy never leaves a half file under the job's input name; at the
next start the job's leftovers (`.partial` files, the input) are deleted.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import BinaryIO

from ewtp.services.customs.ports import ManifestJob

__all__ = ["discard_job_files", "store_upload"]

PARTIAL = ".partial"


def store_upload(source: BinaryIO, target: Path) -> None:
    """Copy `source` to `target` atomically (same-folder rename after fsync)."""
    partial = target.with_name(target.name + PARTIAL)
    try:
        with partial.open("wb") as handle:
            shutil.copyfileobj(source, handle)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def discard_job_files(job: ManifestJob) -> None:
    """Delete an interrupted job's input and any partial input or result."""
    for name in (job.input_path, job.result_path):
        path = Path(name)
        path.with_name(path.name + PARTIAL).unlink(missing_ok=True)
    Path(job.input_path).unlink(missing_ok=True)
