"""The TTL cache behind the quote hot path: expiry, refresh ahead, and `no_io`."""

from __future__ import annotations

import pytest

from ewtp.adapters.ttl_cache import NeedsIO, TtlCache, ensure_io_allowed, no_io


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Loader:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


def test_a_value_is_loaded_once_then_reloaded_past_half_its_ttl() -> None:
    clock, load = Clock(), Loader()
    cache: TtlCache[str, int] = TtlCache(4.0, clock=clock)
    assert cache.get("k", load) == 1
    clock.now += 1.9
    assert cache.get("k", load) == 1
    clock.now += 0.2  # 2.1 s old: past half the TTL, a caller that may do I/O reloads
    assert cache.get("k", load) == 2
    assert load.calls == 2


def test_inside_no_io_a_miss_raises_and_an_expired_entry_is_never_served() -> None:
    clock, load = Clock(), Loader()
    cache: TtlCache[str, int] = TtlCache(4.0, clock=clock)
    with no_io(), pytest.raises(NeedsIO):
        cache.get("k", load)
    assert load.calls == 0
    cache.get("k", load)
    clock.now += 4.0
    with no_io():
        for _ in range(3):
            with pytest.raises(NeedsIO):
                cache.get("k", load)


def test_past_half_the_ttl_one_no_io_caller_is_sent_to_reload_the_rest_are_served() -> None:
    clock, load = Clock(), Loader()
    cache: TtlCache[str, int] = TtlCache(4.0, clock=clock)
    cache.get("k", load)
    clock.now += 3.0
    with no_io():
        with pytest.raises(NeedsIO):
            cache.get("k", load)
        assert cache.get("k", load) == 1  # the reload is under way elsewhere
    assert cache.get("k", load) == 2  # the reload (outside no_io)
    with no_io():
        assert cache.get("k", load) == 2
    assert load.calls == 2


def test_failed_loads_are_not_cached_and_a_zero_ttl_never_caches() -> None:
    clock = Clock()
    cache: TtlCache[str, int] = TtlCache(4.0, clock=clock)

    def fail() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        cache.get("k", fail)
    assert cache.get("k", lambda: 7) == 7
    off: TtlCache[str, int] = TtlCache(0.0, clock=clock)
    load = Loader()
    assert [off.get("k", load) for _ in range(3)] == [1, 2, 3]


def test_entries_beyond_the_size_limit_are_dropped_oldest_first() -> None:
    cache: TtlCache[int, int] = TtlCache(10.0, max_entries=2, clock=Clock())
    for k in range(3):
        cache.put(k, k)
    load = Loader()
    assert cache.get(0, load) == 1  # dropped, so reloaded
    assert cache.get(2, load) == 2


def test_ensure_io_allowed_only_refuses_inside_no_io() -> None:
    ensure_io_allowed()
    with no_io(), pytest.raises(NeedsIO):
        ensure_io_allowed()
    ensure_io_allowed()


def test_prefetch_loads_once_and_inside_no_io_sends_only_the_first_caller() -> None:
    clock, load = Clock(), Loader()
    cache: TtlCache[str, int] = TtlCache(4.0, clock=clock)
    with no_io():
        with pytest.raises(NeedsIO):
            cache.prefetch("next", load)
        cache.prefetch("next", load)  # claimed: the others go on
    cache.prefetch("next", load)  # the claimer, on a worker thread, loads it
    cache.prefetch("next", load)  # fresh now
    assert load.calls == 1
    with no_io():
        assert cache.get("next", load) == 1
        cache.prefetch("next", load)
    off: TtlCache[str, int] = TtlCache(0.0, clock=clock)
    off.prefetch("next", load)  # no cache, nothing to prefetch
    assert load.calls == 1
