"""Random ids for stored objects (quotes, quote options): UUID version 4 text, made in blocks.

`str(uuid.uuid4())` asks the kernel for 16 bytes and builds a `UUID` object per id, which
showed up on the quote hot path; here one `os.urandom` call covers `BLOCK` ids and each id
is cut from its hex text. The ids are the same kind as before (122 random bits, version 4,
RFC 4122 variant), so stored ids and clients that parse them see no difference.

Fork-safe: a child process drops the block it inherited (`os.register_at_fork`), else
parent and child would hand out the same ids.
"""

from __future__ import annotations

import os
import threading

__all__ = ["BLOCK", "new_id"]

BLOCK = 256
_VARIANT = "89ab"  # the RFC 4122 variant keeps the top two bits of this digit at 10


def _uuid4_texts(random_hex: str) -> list[str]:
    """Each 32 hex digits of `random_hex` as a version 4 UUID's text."""
    ids = []
    for i in range(0, len(random_hex) - 31, 32):
        h = random_hex[i : i + 32]
        variant = _VARIANT[int(h[16], 16) & 3]
        ids.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}")
    return ids


class _Ids:
    """Hands out the ids of the current block, drawing a new block when it runs out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready: list[str] = []

    def next(self) -> str:
        with self._lock:
            if not self._ready:
                self._ready = _uuid4_texts(os.urandom(16 * BLOCK).hex())
            return self._ready.pop()

    def forget(self) -> None:
        """Called in a forked child: the inherited ids are the parent's."""
        self._lock = threading.Lock()  # it may have been held by another thread at fork
        self._ready = []


_ids = _Ids()
os.register_at_fork(after_in_child=_ids.forget)


def new_id() -> str:
    """A new random id (UUID version 4 text), thread-safe."""
    return _ids.next()
