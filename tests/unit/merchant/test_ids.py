"""Block-made ids are version 4 UUIDs, never repeat, and a forked child makes its own."""

from __future__ import annotations

import os
import threading
import uuid

import pytest

from ewtp.services.merchant import ids
from ewtp.services.merchant.ids import new_id


def test_every_id_is_the_text_of_a_version_4_rfc_4122_uuid() -> None:
    for made in (new_id() for _ in range(3 * ids.BLOCK)):
        parsed = uuid.UUID(made)
        assert str(parsed) == made
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122


def test_the_variant_digit_keeps_the_random_bits_it_does_not_fix() -> None:
    # 16 random hex digits in the variant position: the four variant digits all occur.
    texts = ids._uuid4_texts("".join(f"{'0' * 16}{d:x}{'0' * 15}" for d in range(16)))
    assert sorted({t[19] for t in texts}) == ["8", "9", "a", "b"]


def test_ids_made_on_many_threads_at_once_never_repeat() -> None:
    made: list[list[str]] = [[] for _ in range(8)]

    def work(i: int) -> None:
        made[i].extend(new_id() for _ in range(2000))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [i for chunk in made for i in chunk]
    assert len(set(every)) == len(every) == 16000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_does_not_hand_out_its_parents_next_ids() -> None:
    new_id()  # the parent now holds a partly used block
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read)
        os.write(write, "\n".join(new_id() for _ in range(5)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        child = pipe.read().split("\n")
    os.waitpid(pid, 0)
    parent = [new_id() for _ in range(5)]
    assert len(child) == 5
    assert not set(child) & set(parent)
