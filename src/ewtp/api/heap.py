"""The long-lived heap kept out of the cyclic garbage collector's reach (`gc.freeze`).

A loaded application holds a few hundred thousand long-lived objects (modules, routes,
schemas, the compiled timetable and customs tables once read). Each full (generation 2)
collection scanned them all again, stalling every request in flight for 100-300 ms
every few seconds under load; frozen, they are skipped, and later full collections scan
only what was made after the freeze.

The lifespan freezes once the application is built and thaws at shutdown, so a process
that builds many applications (the tests) does not keep every one of them for good.
"""

from __future__ import annotations

import gc
import threading

__all__ = ["freeze_heap", "freeze_long_lived_heap", "thaw_heap"]

_late_freeze = threading.Event()


def freeze_heap() -> None:
    """Collect what is garbage now, then freeze every object still alive."""
    gc.collect()
    gc.freeze()


def thaw_heap() -> None:
    """Hand the frozen objects back to the collector (their next full collection)."""
    gc.unfreeze()


def freeze_long_lived_heap() -> None:
    """Once per process, freeze again after a first request built long-lived tables
    that start-up cannot build (no database read happens before the first request)."""
    if not _late_freeze.is_set():
        _late_freeze.set()
        freeze_heap()
