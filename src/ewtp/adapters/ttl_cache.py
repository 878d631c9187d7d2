"""A small thread-safe cache whose entries are trusted a fixed number of seconds.

The quote hot path reads tables that change rarely (API keys, customs rules, ECB rates).
Reading them once per request cost more than the quote itself; holding them a few
seconds makes a change reach running servers within that time, which each user of this
cache documents. A TTL of zero turns caching off (every call loads).

Two things keep a busy server from stalling when entries age:
- refresh ahead: past half its TTL an entry is reloaded by the next caller that may do
  I/O, while the others keep using it (never past the TTL);
- `no_io()`: inside it, a lookup that would have to load raises `NeedsIO` instead, so
  the event loop can serve cached work inline and hand only the rest to a worker thread.
  Past half the TTL, exactly one such lookup raises (to trigger the reload); the others
  are served from the entry until the reload lands or the TTL runs out;
- `prefetch`: load a key before anyone needs it (one caller, claimed like a reload).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

__all__ = ["NeedsIO", "TtlCache", "ensure_io_allowed", "no_io"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_io_forbidden: ContextVar[bool] = ContextVar("ewtp_io_forbidden", default=False)


class NeedsIO(Exception):
    """Raised inside `no_io()` by work that would have to read the database."""


@contextmanager
def no_io() -> Iterator[None]:
    token = _io_forbidden.set(True)
    try:
        yield
    finally:
        _io_forbidden.reset(token)


def ensure_io_allowed() -> None:
    """Call before any I/O that a `no_io()` caller must not do inline."""
    if _io_forbidden.get():
        raise NeedsIO


class TtlCache(Generic[K, V]):
    """`get(key, load)` answers a value loaded less than `ttl` seconds ago, else loads it.

    Loads run outside the lock (two threads may load the same key at once; both get a
    correct value). At most `max_entries` are kept, least recently stored first out.
    Exceptions from `load` propagate and nothing is stored.
    """

    def __init__(
        self,
        ttl: float,
        max_entries: int = 4096,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._claimed: set[K] = set()

    def get(self, key: K, load: Callable[[], V]) -> V:
        loaded_at = self._clock()
        with self._lock:
            hit = self._items.get(key) if self.ttl > 0 else None
            if hit is not None:
                age = loaded_at - hit[0]
                if age < self.ttl / 2:
                    return hit[1]
                if _io_forbidden.get():
                    if age < self.ttl and key in self._claimed:
                        return hit[1]  # another caller is reloading it
                    self._claimed.add(key)
                    raise NeedsIO
            elif _io_forbidden.get():
                raise NeedsIO
        try:
            value = load()
        finally:
            with self._lock:
                self._claimed.discard(key)
        self.put(key, value, loaded_at)
        return value

    def prefetch(self, key: K, load: Callable[[], V]) -> None:
        """Make sure `key` will be cached soon, at most one caller loading it.

        Fresh or already being loaded: nothing to do. Inside `no_io()` the first caller
        claims the load and gets NeedsIO (it reloads on a worker thread); others go on.
        """
        forbidden = _io_forbidden.get()
        with self._lock:
            hit = self._items.get(key) if self.ttl > 0 else None
            if self.ttl <= 0 or (hit is not None and self._clock() - hit[0] < self.ttl / 2):
                return
            if forbidden and key in self._claimed:
                return
            self._claimed.add(key)
        if forbidden:
            raise NeedsIO
        loaded_at = self._clock()
        try:
            value = load()
        finally:
            with self._lock:
                self._claimed.discard(key)
        self.put(key, value, loaded_at)

    def put(self, key: K, value: V, loaded_at: float | None = None) -> None:
        """Store `value`, loaded at `loaded_at` (clock seconds; default now)."""
        if self.ttl <= 0:
            return
        stored_at = self._clock() if loaded_at is None else loaded_at
        with self._lock:
            self._items[key] = (stored_at, value)
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._claimed.clear()
