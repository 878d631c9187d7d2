"""Language negotiation, the Chinese catalog, locale formats, and the quote form's fields."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ewtp.domain.errors import InvalidInput
from ewtp.domain.merchant.shipments import validate_request
from ewtp.web import i18n
from ewtp.web.formatting import money, when
from ewtp.web.merchant.quote_form import form_field, parse_form, read_form


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh_Hans"),
        ("en-GB,en;q=0.9,zh-CN;q=0.5", "en"),
        ("fr-FR, zh-Hans;q=0.7, en;q=0.3", "zh_Hans"),
        ("zh-TW", "en"),  # traditional script: not offered, fall back
        ("", "en"),
        (None, "en"),
    ],
)
def test_the_browser_language_is_negotiated(header: str | None, language: str) -> None:
    assert i18n.negotiate(header) == language


def test_the_chinese_catalog_translates_every_navigation_label() -> None:
    i18n.use("zh_Hans")
    assert i18n.gettext("Shipments") == "货件"
    assert i18n.gettext("Sign in") == "登录"
    i18n.use("en")
    assert i18n.gettext("Shipments") == "Shipments"


def test_money_and_times_follow_the_locale_and_name_the_zone() -> None:
    i18n.use("en", "Europe/Paris")
    assert money(Decimal("1234.5"), "EUR") == "€1,234.50"
    # 2026-12-01 08:00 UTC is 09:00 in Paris (CET, UTC+1 in winter).
    assert when(datetime(2026, 12, 1, 8, 0, tzinfo=UTC)) == "1 Dec 2026, 09:00:00 CET"
    i18n.use("zh_Hans", "Asia/Shanghai")
    assert money(Decimal("1234.5"), "CNY") == "¥1,234.50"
    assert when(datetime(2026, 12, 1, 8, 0, tzinfo=UTC)).endswith("16:00:00 CST")


FILLED = {
    "sender.name": "Li Wei", "sender.line1": "1 Wensan Rd", "sender.city": "Hangzhou",
    "sender.postal_code": "310000", "sender.country": "cn",
    "recipient.name": "Marie", "recipient.line1": "1 rue", "recipient.city": "Paris",
    "recipient.postal_code": "75001", "recipient.country": "FR",
    "parcels[0].weight_kg": "1,5", "parcels[0].length_cm": "30", "parcels[0].width_cm": "20",
    "parcels[0].height_cm": "10",
    "parcels[0].items[0].description": "Power bank", "parcels[0].items[0].hs_code": "8507.60",
    "parcels[0].items[0].quantity": "2", "parcels[0].items[0].unit_value": "19.90",
    "parcels[0].items[0].currency": "EUR", "parcels[0].items[0].origin_country": "CN",
    "parcels[0].items[0].battery": "UN3481", "parcels[0].items[0].watt_hours": "37",
    "incoterm": "DAP",
}  # fmt: skip


def test_a_filled_form_is_the_request_it_shows() -> None:
    request = validate_request(parse_form(read_form(FILLED)))
    assert request.sender.country == "CN"
    assert request.parcels[0].weight_kg == Decimal("1.5")
    item = request.items[0]
    assert (item.hs_code, item.quantity, item.unit_value) == ("850760", 2, Decimal("19.90"))
    assert item.battery is not None
    assert item.battery.watt_hours == Decimal(37)
    assert request.incoterm.value == "DAP"


def test_a_domain_error_names_the_input_it_belongs_to() -> None:
    bad = FILLED | {"parcels[0].items[0].hs_code": "85", "sender.line1": ""}
    with pytest.raises(InvalidInput) as caught:
        validate_request(parse_form(read_form(bad)))
    assert form_field(caught.value.field) == "sender.line1"
    with pytest.raises(InvalidInput) as caught:
        validate_request(parse_form(read_form(FILLED | {"parcels[0].items[0].hs_code": "85"})))
    assert form_field(caught.value.field) == "parcels[0].items[0].hs_code"
    form = read_form(FILLED | {"parcels[0].width_cm": "wide", "recipient.country": "CN"})
    with pytest.raises(InvalidInput):
        parse_form(form)
    assert form.errors == {  # every unreadable number, and the domain's first complaint
        "parcels[0].width_cm": "must be a number",
        "recipient.country": "must differ from the sender's country",
    }


def test_the_add_item_button_adds_a_row_to_that_parcel() -> None:
    form = read_form(FILLED | {"add_item": "0"})
    assert len(form.parcels[0]["items"]) == 2
    assert form.parcels[0]["items"][1]["currency"] == "EUR"


def test_every_message_of_the_chinese_catalog_is_translated_with_its_placeholders() -> None:
    import re as regex

    from babel.messages.pofile import read_po

    po = i18n.LOCALES / "zh_Hans" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    placeholder = regex.compile(r"%\(\w+\)s")
    messages = [m for m in catalog if m.id]
    assert len(messages) > 250
    for message in messages:
        assert message.string, f"untranslated: {message.id!r}"
        assert "fuzzy" not in message.flags, f"fuzzy: {message.id!r}"
        assert sorted(placeholder.findall(str(message.id))) == sorted(
            placeholder.findall(str(message.string))
        ), message.id
