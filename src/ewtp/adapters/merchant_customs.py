"""The customs engine (`ewtp.services.landed_cost`, branch feat/customs) behind the
merchant platform's customs port.

A merchant request becomes one `Consignment` in the items' currency; the transport
price (rate-card currency) is converted into it with the ECB rate of the day, and the
engine's taxes (EUR into the EU, CNY into China) are converted back into the price
currency, each amount rounded once to the cent (`domain.customs.money.convert`).
For CBEC (destination CN) the buyer is identified by the recipient's e-mail, else phone,
else name and postal code: the engine keeps each buyer's annual usage under that id.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.customs_uow import SqlAlchemyCustomsUnitOfWork
from ewtp.adapters.pricing_data import load_declarant
from ewtp.domain.customs import Assessment, Battery, Consignment, Item
from ewtp.domain.customs.declarations import Address as CustomsAddress
from ewtp.domain.customs.declarations import Parties, Party
from ewtp.domain.customs.money import EcbRate, convert
from ewtp.domain.errors import InvalidInput
from ewtp.domain.quotes import QuoteOption, Taxes
from ewtp.domain.shipments import Address, ShipmentRequest
from ewtp.services.declarations import build_declarations
from ewtp.services.landed_cost import assess_landed_cost
from ewtp.services.merchant_ports import AbstractCustomsEngine

__all__ = ["LandedCostCustoms", "consignment_of"]

EUR = "EUR"
ZERO = Decimal("0")


def _buyer_id(request: ShipmentRequest) -> str:
    r = request.recipient
    return r.email or r.phone or f"{r.name}|{r.postal_code}|{r.country}"


def consignment_of(request: ShipmentRequest, transport: Decimal, on: date) -> Consignment:
    """The customs view of a request; `transport` is already in the items' currency."""
    items = []
    for parcel in request.parcels:
        share = parcel.weight_kg / len(parcel.items)
        for item in parcel.items:
            battery = item.battery
            items.append(
                Item(
                    description=item.description,
                    hs_code=item.hs_code,
                    quantity=item.quantity,
                    unit_value=item.unit_value,
                    origin_country=item.origin_country,
                    weight_kg=share,
                    battery=None
                    if battery is None
                    else Battery(battery.un_number, battery.watt_hours, battery.lithium_grams),
                )
            )
    cbec = request.recipient.country == "CN"
    return Consignment(
        date=on,
        origin_country=request.sender.country,
        destination_country=request.recipient.country,
        currency=request.currency,
        transport_cost=transport,
        insurance_cost=ZERO,
        items=tuple(items),
        seller_ioss=request.seller_ioss,
        buyer_id=_buyer_id(request) if cbec else None,
    )


_FIELDS = {
    "destination_country": "recipient.country",
    "origin_country": "sender.country",
    "seller_ioss": "seller_ioss",
}


class LandedCostCustoms(AbstractCustomsEngine):
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory

    def _rate(self, uow: SqlAlchemyCustomsUnitOfWork, currency: str, on: date) -> EcbRate:
        if currency == EUR:
            return EcbRate(EUR, Decimal(1), on)
        with uow:
            return uow.fx.rate(currency, on)

    def _assess(
        self, request: ShipmentRequest, transport: Decimal, currency: str, on: date, record: bool
    ) -> tuple[Assessment, EcbRate]:
        uow = SqlAlchemyCustomsUnitOfWork(self._factory)
        price_rate = self._rate(uow, currency, on)
        goods_rate = self._rate(uow, request.currency, on)
        consignment = consignment_of(request, convert(transport, price_rate, goods_rate), on)
        try:
            assessment = assess_landed_cost(uow, consignment, record_cbec_usage=record)
        except InvalidInput as exc:
            field = _FIELDS.get(exc.field or "", f"parcels.{exc.field}" if exc.field else None)
            raise InvalidInput(exc.message, field=field) from None
        if not assessment.allowed:
            reasons = "; ".join(e.message for e in assessment.errors) or "refused by customs"
            raise InvalidInput(f"these goods cannot be shipped: {reasons}", field="parcels")
        return assessment, price_rate

    def assess(
        self,
        request: ShipmentRequest,
        transport: Decimal,
        currency: str,
        on: date,
        *,
        record_usage: bool,
    ) -> Taxes:
        assessment, price_rate = self._assess(request, transport, currency, on, record_usage)
        tax_rate = self._rate(SqlAlchemyCustomsUnitOfWork(self._factory), assessment.currency, on)
        return Taxes(
            duty=convert(assessment.duty, tax_rate, price_rate),
            vat=convert(assessment.vat, tax_rate, price_rate),
            consumption_tax=convert(assessment.consumption_tax, tax_rate, price_rate),
            fees=convert(assessment.fees, tax_rate, price_rate),
        )

    def declarations(
        self,
        request: ShipmentRequest,
        option: QuoteOption,
        tracking_number: str,
        on: date,
    ) -> dict[str, Any]:
        uow = SqlAlchemyCustomsUnitOfWork(self._factory)
        price_rate = self._rate(uow, option.price.currency, on)
        goods_rate = self._rate(uow, request.currency, on)
        transport = convert(option.price.transport, price_rate, goods_rate)
        consignment = consignment_of(request, transport, on)
        assessment = assess_landed_cost(uow, consignment, record_cbec_usage=False)
        records: dict[str, Any] = {
            "declaration_type": assessment.declaration_type,
            "assessment": assessment.to_json(),
        }
        if request.recipient.country == "CN":
            # CBEC retail imports are declared on China's cross-border platform, not as
            # EU H7/H1 + ICS2; the assessment above is the record we keep.
            records["declarations"] = None
            return records
        parties = Parties(
            declarant=load_declarant(on),
            consignor=_party(request.sender),
            consignee=_party(request.recipient),
            house_awb=tracking_number,
            lrn=tracking_number,
        )
        built = build_declarations(consignment, parties, assessment)
        if built.errors:
            problems = "; ".join(f"{e.field}: {e.message}" for e in built.errors)
            raise InvalidInput(
                f"the customs declaration is incomplete: {problems}", field="parcels"
            )
        records["declarations"] = built.to_json()
        return records


def _party(address: Address) -> Party:
    return Party(
        name=address.name,
        address=CustomsAddress(
            street=", ".join(address.lines),
            city=address.city,
            postcode=address.postal_code,
            country=address.country,
        ),
    )
