"""The recent API requests of each account, kept in memory by this process.

A ring buffer per account (the last `KEEP` requests): enough for the developers page to
show what an integration is sending and what it got back, at no cost to the database on
the API's hot path. Each server process keeps its own; a restart starts empty.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime

__all__ = ["ApiRequest", "RequestLog"]

KEEP = 100


@dataclass(frozen=True, slots=True)
class ApiRequest:
    at: datetime
    method: str
    path: str
    status: int
    millis: float
    key_id: str


class RequestLog:
    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._lock = threading.Lock()
        self._by_account: dict[str, deque[ApiRequest]] = {}

    def add(self, account_id: str, entry: ApiRequest) -> None:
        with self._lock:
            ring = self._by_account.get(account_id)
            if ring is None:
                ring = self._by_account[account_id] = deque(maxlen=self._keep)
            ring.append(entry)

    def recent(self, account_id: str) -> list[ApiRequest]:
        """Newest first."""
        with self._lock:
            return list(reversed(self._by_account.get(account_id, ())))
