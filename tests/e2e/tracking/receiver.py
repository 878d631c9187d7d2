"""A real webhook receiver on loopback, recording every request it gets."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    answers: list[int] = field(default_factory=lambda: [200])
    delay: float = 0.0
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    hold_at: int | None = None  # hold this request (0-based) until `release` is set
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    held_id: str | None = None
    seen: int = 0

    def next_answer(self) -> int:
        with self.lock:
            return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def wait_for(self, predicate: Any, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"receiver waited {timeout}s; got {len(self.requests)} requests"
                )
            time.sleep(0.05)

    def ids(self, ok_only: bool = True) -> list[str]:
        with self.lock:
            return [r.json["id"] for r in self.requests if not ok_only or r.answered == 200]


@contextmanager
def run_receiver(
    answers: list[int] | None = None, delay: float = 0.0, hold_at: int | None = None
) -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            receiver = state["r"]
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with receiver.lock:
                n, receiver.seen = receiver.seen, receiver.seen + 1
            if n == receiver.hold_at:
                # The sender is now provably mid-request: it has sent this body and waits.
                receiver.held_id = json.loads(body)["id"]
                receiver.holding.set()
                receiver.release.wait(30)
            if receiver.delay:
                time.sleep(receiver.delay)
            code = receiver.next_answer()
            with receiver.lock:
                receiver.requests.append(Received(dict(self.headers.items()), body, code))
            try:
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass  # the sender died waiting (the crash test kills it on purpose)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["r"] = Receiver(
        f"http://127.0.0.1:{server.server_port}/hook", answers or [200], delay, hold_at=hold_at
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["r"]
    finally:
        state["r"].release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
