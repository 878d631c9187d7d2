"""The quote hot path's runner: work whose tables are all cached runs inline, the rest on
a worker thread.

Most quotes read only cached tables (`adapters/ttl_cache.py`): pricing them on the event
loop saves the thread hop, which cost more than the pricing. Inside `no_io()` a lookup
that would have to read the database raises `NeedsIO` before any I/O, and the work is
then run again from the start by `offload` (the application's few worker threads), where
it may load what it needs. The work must therefore have no effect before its first
cached lookup: pricing a quote qualifies (it only computes).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from ewtp.adapters.ttl_cache import NeedsIO, no_io
from ewtp.services.merchant.ports import AbstractRunner

__all__ = ["InlineWhenCached"]

T = TypeVar("T")


class Offload(Protocol):
    """Runs blocking work elsewhere (the application's `run_limited`, in `http/deps.py`)."""

    def __call__(self, work: Callable[[], T], /) -> Awaitable[T]: ...


class InlineWhenCached(AbstractRunner):
    """`run(work)`: inline under `no_io()`, else `await offload(work)`."""

    __slots__ = ("_offload",)

    def __init__(self, offload: Offload) -> None:
        self._offload = offload

    async def run(self, work: Callable[[], T]) -> T:
        try:
            with no_io():
                return work()
        except NeedsIO:
            return await self._offload(work)
