"""Page cursors: any (created_at, id) a page can end at comes back unchanged, and a cursor
that no page produced is refused on the `cursor` field with the caller's words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ewtp.domain.errors import InvalidInput
from ewtp.http.cursor import decode_cursor, encode_cursor

moments = st.datetimes(timezones=st.just(UTC))
ids = st.text(min_size=1, max_size=40)


@given(moments, ids)
def test_a_cursor_round_trips(at: datetime, shipment_id: str) -> None:
    cursor = encode_cursor((at, shipment_id))
    assert cursor is not None
    assert not set(cursor) & set("=/+")  # base64url without padding: safe in a query string
    assert decode_cursor(cursor, refusal="x") == (at, shipment_id)


def test_no_page_after_means_no_cursor() -> None:
    assert encode_cursor(None) is None
    assert decode_cursor(None, refusal="x") is None
    assert decode_cursor("", refusal="x") is None


@pytest.mark.parametrize(
    "cursor",
    ["not base64!", "bm8tc2VwYXJhdG9y", "MjAyNi0xMi0wMVQxMDowMDowMHxzaHBf"],
    ids=["garbage", "no separator", "naive time"],
)
def test_a_cursor_no_page_made_names_the_field(cursor: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(cursor, refusal="is not a page link this site made")
    assert refused.value.field == "cursor"
    assert "page link" in str(refused.value)
