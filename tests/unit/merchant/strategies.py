"""Hypothesis strategies for merchant requests."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from ewtp.domain.merchant.shipments import Address, Incoterm, Item, Parcel, ShipmentRequest

__all__ = ["make_request", "parcels", "requests"]

# Within the rate card's parcel limits (30 kg; 150 cm a side, 300 cm length plus girth).
measures = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("60"), places=1)
weights = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("30"), places=1)


@st.composite
def parcels(draw: st.DrawFn) -> Parcel:
    item = Item("Cotton T-shirt", "610910", draw(st.integers(1, 5)), Decimal("12.50"), "EUR", "CN")
    return Parcel(draw(weights), draw(measures), draw(measures), draw(measures), (item,))


def address(country: str) -> Address:
    return Address("A Person", ("1 Main Street",), "Town", "75001", country)


@st.composite
def requests(draw: st.DrawFn) -> ShipmentRequest:
    return ShipmentRequest(
        sender=address("CN"),
        recipient=address(draw(st.sampled_from(["FR", "DE", "PL", "BE"]))),
        parcels=tuple(draw(st.lists(parcels(), min_size=1, max_size=3))),
        incoterm=draw(st.sampled_from(list(Incoterm))),
    )


def make_request(incoterm: Incoterm = Incoterm.DDP, weight: str = "1.0") -> ShipmentRequest:
    item = Item("Cotton T-shirt", "610910", 2, Decimal("12.50"), "EUR", "CN")
    return ShipmentRequest(
        sender=Address("Shop", ("88 Wensan Road",), "Hangzhou", "310000", "CN"),
        recipient=Address("Marie", ("12 rue de Rivoli",), "Paris", "75001", "FR"),
        parcels=(Parcel(Decimal(weight), Decimal(40), Decimal(30), Decimal(20), (item,)),),
        incoterm=incoterm,
    )
