"""The quote hot path's runner: cached work runs on the event loop's own thread, work that
would read the database runs (from the start) on the offload, and errors pass through."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

from ewtp.adapters.merchant.inline_when_cached import InlineWhenCached
from ewtp.adapters.ttl_cache import TtlCache

T = TypeVar("T")


class ToThread:
    """An offload onto another thread that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, work: Callable[[], T]) -> Awaitable[T]:
        self.calls += 1
        return asyncio.to_thread(work)


def test_cached_work_runs_inline_and_uncached_work_runs_once_on_the_offload() -> None:
    cache: TtlCache[str, str] = TtlCache(60.0)
    loads: list[str] = []

    def work() -> tuple[str, str]:
        def load() -> str:
            loads.append(threading.current_thread().name)
            return "rates"

        return cache.get("fx", load), threading.current_thread().name

    async def scenario() -> None:
        offload = ToThread()
        runner = InlineWhenCached(offload)
        here = threading.current_thread().name
        value, ran_on = await runner.run(work)  # not cached: the offload loads it
        assert (value, offload.calls) == ("rates", 1)
        assert ran_on != here
        assert loads == [ran_on]  # loaded once, on the offload, never inline
        value, ran_on = await runner.run(work)  # cached now: inline, no offload
        assert (value, ran_on, offload.calls, len(loads)) == ("rates", here, 1, 1)

    asyncio.run(scenario())


def test_an_error_of_the_work_itself_is_raised_without_trying_the_offload() -> None:
    def work() -> int:
        raise ValueError("bad request")

    async def scenario() -> None:
        offload = ToThread()
        with pytest.raises(ValueError, match="bad request"):
            await InlineWhenCached(offload).run(work)
        assert offload.calls == 0

    asyncio.run(scenario())
