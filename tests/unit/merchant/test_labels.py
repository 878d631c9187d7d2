"""PDF labels: every script our senders and buyers write, the battery mark, a readable barcode.

Text is read back with pypdf and the barcode decoded with zxing-cpp from a pdfium raster,
both independent of reportlab.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources

import pypdfium2
import pytest
import zxingcpp
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from ewtp.adapters.merchant.labels import ReportlabLabelRenderer
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.merchant.booking import Shipment
from ewtp.domain.merchant.shipments import Address, Battery, Incoterm, Item, Parcel, ShipmentRequest

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
CHINESE = Address("王芳 (杭州云栖贸易有限公司)", ("西湖区文三路88号",), "杭州", "310000", "CN")
POLISH = Address("Łucja Żółtowska", ("ul. Świętokrzyska 12/4",), "Łódź", "90-001", "PL")
GREEK = Address("Γιώργος Παπαδόπουλος", ("Οδός Ερμού 25",), "Αθήνα", "105 63", "GR")
CZECH = Address("Jiří Dvořák", ("Náměstí Míru 8",), "Plzeň", "301 00", "CZ")
BULGARIAN = Address("Иван Петров", ("ул. Витоша 15",), "София", "1000", "BG")


def shipment(sender: Address, recipient: Address, *, battery: Battery | None = None) -> Shipment:
    item = Item("Bluetooth speaker", "851822", 1, Decimal("30"), "EUR", "CN", battery=battery)
    request = ShipmentRequest(
        sender=sender,
        recipient=recipient,
        parcels=(Parcel(Decimal("1"), Decimal(30), Decimal(20), Decimal(10), (item,)),),
        incoterm=Incoterm.DDP,
    )
    return Shipment(
        id="shp_1",
        account_id="acct",
        status=ShipmentStatus.BOOKED,
        request=request,
        created_at=NOW,
        updated_at=NOW,
        tracking_number="EW000000018CN",
        booked_at=NOW,
    )


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(
    ("sender", "recipient"),
    [(CHINESE, POLISH), (CHINESE, GREEK), (CHINESE, CZECH), (CHINESE, BULGARIAN)],
)
def test_label_prints_every_script_and_reads_back(sender: Address, recipient: Address) -> None:
    pdf = ReportlabLabelRenderer().render(shipment(sender, recipient), "LGG-PL-90")
    page = flat(text_of(pdf)[0])
    for value in (sender.name, *sender.lines, sender.city, recipient.name, *recipient.lines):
        assert flat(value) in page
    assert flat(recipient.city) in page
    assert "■" not in page


def test_label_embeds_font_subsets_and_no_base14_font() -> None:
    pdf = ReportlabLabelRenderer().render(shipment(CHINESE, GREEK), "LGG-GR-10")
    reader = PdfReader(io.BytesIO(pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [fonts[key].get_object()["/BaseFont"] for key in fonts]
    assert names
    assert all("Helvetica" not in name for name in names)
    for key in fonts:
        font = fonts[key].get_object()
        descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0]["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object()  # an embedded TrueType program
    # Subset per label: the whole CJK font is over 2 MB; this label is far smaller.
    assert len(pdf) < 150_000


def test_label_is_100_by_150_mm_and_its_code128_decodes() -> None:
    pdf = ReportlabLabelRenderer().render(shipment(CHINESE, POLISH), "LGG-PL-90")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(100 / 25.4 * 72, abs=0.1)
    assert float(page.mediabox.height) == pytest.approx(150 / 25.4 * 72, abs=0.1)
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=300 / 72).to_pil()
    document.close()
    found = zxingcpp.read_barcodes(image)
    codes = [(b.format, b.text) for b in found]
    assert (zxingcpp.BarcodeFormat.Code128, "EW000000018CN") in codes


def test_battery_label_shows_the_lithium_battery_mark_with_its_un_number() -> None:
    battery = Battery("UN3481", watt_hours=Decimal("10"))
    pdf = ReportlabLabelRenderer().render(shipment(CHINESE, POLISH, battery=battery), "X")
    pages = text_of(pdf)
    assert len(pages) == 2  # the label, then the full-size mark for the package
    for page in pages:
        assert "LITHIUM BATTERY" in page
        assert "UN3481" in page
    plain = ReportlabLabelRenderer().render(shipment(CHINESE, POLISH), "X")
    assert len(text_of(plain)) == 1
    assert "LITHIUM" not in text_of(plain)[0]


def test_battery_mark_lists_each_un_number_once() -> None:
    first = shipment(CHINESE, POLISH, battery=Battery("UN3481", watt_hours=Decimal("10")))
    metal = Item(
        "Watch", "910211", 1, Decimal("20"), "EUR", "CN", Battery("UN3091", None, Decimal("0.3"))
    )
    parcel = replace(first.request.parcels[0], items=(*first.request.parcels[0].items, metal))
    both = replace(first, request=replace(first.request, parcels=(parcel,)))
    page = text_of(ReportlabLabelRenderer().render(both, "X"))[0]
    assert "UN3081" not in page
    assert page.count("UN3091") == 1
    assert page.count("UN3481") == 1


def test_many_labels_make_one_pdf_in_order() -> None:
    one = shipment(CHINESE, POLISH)
    two = replace(shipment(CHINESE, GREEK), tracking_number="EW000000021CN")
    pdf = ReportlabLabelRenderer().render_many([(one, "A"), (two, "B")])
    pages = text_of(pdf)
    assert len(pages) == 2
    assert "EW000000018CN" in pages[0]
    assert "EW000000021CN" in pages[1]


def test_vendored_fonts_match_their_manifest_and_have_truetype_outlines() -> None:
    folder = resources.files("ewtp.data").joinpath("fonts")
    manifest = json.loads(folder.joinpath("MANIFEST.json").read_text())
    for entry in manifest["fonts"]:
        data = folder.joinpath(entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert "OFL" in folder.joinpath(entry["licence_file"]).read_text()
        font = TTFont(io.BytesIO(data))
        assert "glyf" in font
        assert "CFF " not in font
    cjk = TTFont(io.BytesIO(folder.joinpath("NotoSansSC-Regular.ttf").read_bytes())).getBestCmap()
    # The 100 commonest hanzi of a frequency list start 的一是不了人我在有他; all are there.
    assert all(ord(ch) in cjk for ch in "的一是不了人我在有他这中大来上国个到说们")
