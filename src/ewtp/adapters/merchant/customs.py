"""The customs engine (`ewtp.services.customs.landed_cost`) behind the merchant platform's
customs port.

A merchant request becomes one `Consignment` in the items' currency; the transport
price (rate-card currency) is converted into it with the ECB rate of the day, and the
engine's taxes (EUR into the EU, CNY into China) are converted back into the price
currency, each amount rounded once to the cent (`domain.customs.money.convert`).
For CBEC (destination CN) the buyer is identified by the recipient's e-mail, else phone,
else name and postal code: the engine keeps each buyer's annual usage under that id.

Quotes read the rule book (shipped tables plus operator fees and loaded tariff lines) and
ECB rates through `TABLES_CACHE_SECONDS` caches: an operator's change reaches quotes
within that time. Bookings (which record CBEC usage) and declarations always read the
database. A buyer's CBEC usage is never cached.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.adapters.merchant.pricing_data import load_declarant
from ewtp.adapters.ttl_cache import TtlCache, ensure_io_allowed
from ewtp.domain.customs import Assessment, Battery, Consignment, Item
from ewtp.domain.customs.declarations import Address as CustomsAddress
from ewtp.domain.customs.declarations import Parties, Party
from ewtp.domain.customs.fx_rules import FxSources
from ewtp.domain.customs.money import EcbRate, convert
from ewtp.domain.customs.rules import Fee, RuleBook, TariffLine
from ewtp.domain.customs.screening import screen as screen_consignment
from ewtp.domain.errors import InvalidInput
from ewtp.domain.merchant.quotes import Notice, QuoteOption, Taxes
from ewtp.domain.merchant.shipments import Address, ShipmentRequest
from ewtp.domain.s10 import make_s10
from ewtp.services.customs.declarations import build_declarations
from ewtp.services.customs.landed_cost import assess_landed_cost, landed_cost_by_transport
from ewtp.services.customs.ports import (
    AbstractCbecUsageRepository,
    AbstractCustomsRulesRepository,
    AbstractFxRepository,
    AbstractManifestJobRepository,
    CustomsUnitOfWork,
    ManifestJob,
)
from ewtp.services.merchant.ports import AbstractCustomsEngine, BookingCustoms, CbecCharge

__all__ = ["LandedCostCustoms", "consignment_of"]

EUR = "EUR"
ZERO = Decimal("0")
TABLES_CACHE_SECONDS = 5.0
RULE_BOOK = "rule_book"
# Stands in for the number the booking allocates, to find an incomplete declaration early.
PROVISIONAL_TRACKING = make_s10("AA", 0, "BE")


class _CachedRules(AbstractCustomsRulesRepository):
    """The rule book through a cache; writes go straight to the session's repository."""

    def __init__(
        self,
        inner: Callable[[], AbstractCustomsRulesRepository],
        cache: TtlCache[str, RuleBook],
    ) -> None:
        self._inner = inner
        self._cache = cache

    def rule_book(self) -> RuleBook:
        return self._cache.get(RULE_BOOK, lambda: self._inner().rule_book())

    def add_fee(self, fee: Fee) -> int:
        return self._inner().add_fee(fee)

    def end_fee(self, fee_id: int, last_day: date) -> None:
        self._inner().end_fee(fee_id, last_day)

    def list_operator_fees(self) -> list[tuple[int, Fee]]:
        return self._inner().list_operator_fees()

    def add_tariff_lines(self, lines: list[TariffLine]) -> int:
        return self._inner().add_tariff_lines(lines)


class _CachedFx(AbstractFxRepository):
    """ECB rates by (currency, day) through a cache; the rest goes to the session's."""

    def __init__(
        self,
        inner: Callable[[], AbstractFxRepository],
        cache: TtlCache[tuple[str, date], EcbRate],
        sources: TtlCache[str, FxSources],
    ) -> None:
        self._inner = inner
        self._cache = cache
        self._sources = sources

    def rate(self, currency: str, on: date) -> EcbRate:
        return self._cache.get((currency, on), lambda: self._inner().rate(currency, on))

    def sources(self) -> FxSources:
        return self._sources.get("sources", lambda: self._inner().sources())

    def add_table_rates(
        self, table: str, rows: list[tuple[date, str, Decimal]], source: str
    ) -> int:
        return self._inner().add_table_rates(table, rows, source)

    def add_rates(self, rows: list[tuple[date, str, Decimal]], source: str) -> int:
        return self._inner().add_rates(rows, source)

    def table(self) -> Any:
        return self._inner().table()


class _UncachedUsage(AbstractCbecUsageRepository):
    """A buyer's CBEC usage is always read from the database (never inside `no_io`)."""

    def __init__(self, inner: Callable[[], AbstractCbecUsageRepository]) -> None:
        self._inner = inner

    def used(self, buyer_id: str, year: int, *, for_update: bool = False) -> Decimal:
        ensure_io_allowed()
        return self._inner().used(buyer_id, year, for_update=for_update)

    def add(self, buyer_id: str, year: int, amount: Decimal, at: datetime) -> None:
        ensure_io_allowed()
        self._inner().add(buyer_id, year, amount, at)

    def snapshot(self) -> dict[tuple[str, int], Decimal]:
        ensure_io_allowed()
        return self._inner().snapshot()


class _LaterJobs(AbstractManifestJobRepository):
    """Manifest jobs of the session opened on first use (quotes never need them)."""

    def __init__(self, inner: Callable[[], AbstractManifestJobRepository]) -> None:
        self._inner = inner

    def add(self, job: ManifestJob) -> None:
        self._inner().add(job)

    def get(self, job_id: str, account_id: str) -> ManifestJob | None:
        return self._inner().get(job_id, account_id)

    def update(self, job: ManifestJob) -> None:
        self._inner().update(job)

    def unfinished(self) -> list[ManifestJob]:
        return self._inner().unfinished()


class _QuoteCustomsUnitOfWork(CustomsUnitOfWork):
    """The customs unit of work of quotes: cached rule book and rates, and a database
    session opened only when something must be read (a cache miss, a buyer's usage).

    Opening and closing a session per quote cost more than the cached lookups it wrapped.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        rules: TtlCache[str, RuleBook],
        rates: TtlCache[tuple[str, date], EcbRate],
        sources: TtlCache[str, FxSources],
    ) -> None:
        self._database = SqlAlchemyCustomsUnitOfWork(session_factory)
        self._open = False
        self.customs_rules = _CachedRules(lambda: self._opened().customs_rules, rules)
        self.fx = _CachedFx(lambda: self._opened().fx, rates, sources)
        self.cbec_usage = _UncachedUsage(lambda: self._opened().cbec_usage)
        self.manifest_jobs = _LaterJobs(lambda: self._opened().manifest_jobs)

    def _opened(self) -> SqlAlchemyCustomsUnitOfWork:
        if not self._open:
            self._database.__enter__()
            self._open = True
        return self._database

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._open:
            self._open = False
            self._database.__exit__(exc_type, exc, tb)

    def commit(self) -> None:
        if self._open:
            self._database.commit()

    def rollback(self) -> None:
        if self._open:
            self._database.rollback()


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
                    net_quantity=item.net_quantity,
                    net_unit=item.net_unit,
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


ITEM_PATH = re.compile(r"^items\[(\d+)\](.*)$")
_FIELDS = {
    "destination_country": "recipient.country",
    "origin_country": "sender.country",
    "seller_ioss": "seller_ioss",
}


class LandedCostCustoms(AbstractCustomsEngine):
    def __init__(
        self, session_factory: sessionmaker[Session], cache_seconds: float = TABLES_CACHE_SECONDS
    ) -> None:
        self._factory = session_factory
        self._rules: TtlCache[str, RuleBook] = TtlCache(cache_seconds)
        self._rates: TtlCache[tuple[str, date], EcbRate] = TtlCache(cache_seconds)
        self._sources: TtlCache[str, FxSources] = TtlCache(cache_seconds, max_entries=1)

    def _uow(self, record: bool) -> CustomsUnitOfWork:
        """Bookings (`record`) read the database; quotes go through the table caches."""
        if record:
            return SqlAlchemyCustomsUnitOfWork(self._factory)
        return _QuoteCustomsUnitOfWork(self._factory, self._rules, self._rates, self._sources)

    def _rate(self, uow: CustomsUnitOfWork, currency: str, on: date) -> EcbRate:
        if currency == EUR:
            return EcbRate(EUR, Decimal(1), on)
        if isinstance(uow, _QuoteCustomsUnitOfWork):
            return self._rates.get((currency, on), partial(self._stored_rate, currency, on))
        return self._stored_rate(currency, on)

    def _stored_rate(self, currency: str, on: date) -> EcbRate:
        uow = SqlAlchemyCustomsUnitOfWork(self._factory)
        with uow:
            return uow.fx.rate(currency, on)

    def _assess(
        self, request: ShipmentRequest, transport: Decimal, currency: str, on: date, record: bool
    ) -> tuple[Assessment, EcbRate]:
        uow = self._uow(record)
        price_rate = self._rate(uow, currency, on)
        goods_rate = self._rate(uow, request.currency, on)
        consignment = consignment_of(request, convert(transport, price_rate, goods_rate), on)
        try:
            assessment = assess_landed_cost(uow, consignment, record_cbec_usage=record)
        except InvalidInput as exc:
            raise _merchant_error(exc, request) from None
        _refuse_unless_allowed(assessment, request)
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
        tax_rate = self._rate(self._uow(record_usage), assessment.currency, on)
        return _taxes(request, assessment, tax_rate, price_rate)

    def screen(self, request: ShipmentRequest, on: date) -> tuple[Notice, ...]:
        uow = self._uow(False)
        with uow:
            book = uow.customs_rules.rule_book()
        try:
            found = screen_consignment(consignment_of(request, Decimal(0), on), book)
        except InvalidInput as exc:
            raise _merchant_error(exc, request) from None
        paths = _item_paths(request)
        if found.errors:
            first = found.errors[0]
            where = paths[first.item] if first.item is not None else "parcels"
            raise InvalidInput(f"these goods cannot be shipped: {first.message}", field=where)
        return tuple(
            Notice(w.code, w.message, paths[w.item] if w.item is not None else None)
            for w in found.warnings
        )

    def quote_taxes(self, request: ShipmentRequest, on: date) -> Callable[[Decimal, str], Taxes]:
        uow = self._uow(False)
        return _QuoteTaxes(request, on, uow, partial(self._rate, uow))

    def prepare_booking(
        self, request: ShipmentRequest, option: QuoteOption, on: date
    ) -> BookingCustoms:
        """The records and the CBEC charge of a booking, from the database (no caches).

        Every read here runs in its own short session, closed before the booking opens its
        transaction; the buyer's usage is charged later, in that transaction.
        """
        uow = SqlAlchemyCustomsUnitOfWork(self._factory)
        price_rate = self._rate(uow, option.price.currency, on)
        goods_rate = self._rate(uow, request.currency, on)
        transport = convert(option.price.transport, price_rate, goods_rate)
        consignment = consignment_of(request, transport, on)
        try:
            assessment = assess_landed_cost(uow, consignment, record_cbec_usage=False)
        except InvalidInput as exc:
            raise _merchant_error(exc, request) from None
        _refuse_unless_allowed(assessment, request)
        records: dict[str, Any] = {
            "declaration_type": assessment.declaration_type,
            "assessment": assessment.to_json(),
        }
        if consignment.buyer_id is not None:
            # CBEC retail imports are declared on China's cross-border platform, not as
            # EU H7/H1 + ICS2; the assessment above is the record we keep.
            with uow:
                limits = uow.customs_rules.rule_book().cbec_limits_on(on)
            charge = CbecCharge(
                consignment.buyer_id, on.year, assessment.customs_value, limits.annual_limit_cny
            )
            cbec_records = {**records, "declarations": None}
            return BookingCustoms(records=lambda _tracking: cbec_records, cbec=charge)
        declarant = load_declarant(on)

        def declared(tracking_number: str) -> dict[str, Any]:
            parties = Parties(
                declarant=declarant,
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
            return {**records, "declarations": built.to_json()}

        declared(PROVISIONAL_TRACKING)  # an incomplete declaration is refused before booking
        return BookingCustoms(records=declared)


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


def _merchant_error(exc: InvalidInput, request: ShipmentRequest) -> InvalidInput:
    """The engine's error with its field named by its full path in the merchant request:
    the engine numbers item lines across parcels (`items[3].hs_code`), the merchant sees
    `parcels[1].items[0].hs_code`. The error keeps its class, so its code too
    (exchange_rate_stale, net_quantity_required, ...)."""
    field = exc.field
    if field in _FIELDS:
        return type(exc)(exc.message, field=_FIELDS[field])
    found = ITEM_PATH.match(field or "")
    if found is not None:
        paths = _item_paths(request)
        index = int(found.group(1))
        if index < len(paths):
            return type(exc)(exc.message, field=paths[index] + found.group(2))
    return type(exc)(exc.message, field=f"parcels.{field}" if field else "parcels")


def _refuse_unless_allowed(assessment: Assessment, request: ShipmentRequest) -> None:
    """Refused goods, named by the first refused item's path when there is one."""
    if not assessment.allowed:
        reasons = "; ".join(e.message for e in assessment.errors) or "refused by customs"
        paths = _item_paths(request)
        first = next((e.item for e in assessment.errors if e.item is not None), None)
        where = paths[first] if first is not None and first < len(paths) else "parcels"
        raise InvalidInput(f"these goods cannot be shipped: {reasons}", field=where)


def _item_paths(request: ShipmentRequest) -> list[str]:
    """The merchant path of each item line, in the consignment's flat order."""
    return [
        f"parcels[{p}].items[{i}]"
        for p, parcel in enumerate(request.parcels)
        for i in range(len(parcel.items))
    ]


def notices(request: ShipmentRequest, assessment: Assessment) -> tuple[Notice, ...]:
    """Customs warnings (screening flags, battery marks) as merchant notices."""
    paths = _item_paths(request)
    return tuple(
        Notice(
            w.code,
            w.message,
            paths[w.item] if w.item is not None and w.item < len(paths) else w.field,
        )
        for w in assessment.warnings
    )


def _taxes(
    request: ShipmentRequest, assessment: Assessment, tax_rate: EcbRate, price_rate: EcbRate
) -> Taxes:
    """The assessment's taxes converted into the price currency, each rounded once, and
    its warnings."""
    return Taxes(
        duty=convert(assessment.duty, tax_rate, price_rate),
        vat=convert(assessment.vat, tax_rate, price_rate),
        consumption_tax=convert(assessment.consumption_tax, tax_rate, price_rate),
        fees=convert(assessment.fees, tax_rate, price_rate),
        warnings=notices(request, assessment),
    )


class _QuoteTaxes:
    """`LandedCostCustoms.assess` for the options of one quote, which differ only in the
    transport price: the consignment, rules, rates and screening are prepared with the
    first option (so errors surface where `assess` raised them) and shared by the rest.
    """

    def __init__(
        self,
        request: ShipmentRequest,
        on: date,
        uow: CustomsUnitOfWork,
        rate: Callable[[str, date], EcbRate],
    ) -> None:
        self._request, self._on, self._uow, self._read_rate = request, on, uow, rate
        self._rates: dict[str, EcbRate] = {}
        self._by_transport: Callable[[Decimal], Assessment] | None = None

    def _rate(self, currency: str) -> EcbRate:
        rate = self._rates.get(currency)
        if rate is None:
            rate = self._rates[currency] = self._read_rate(currency, self._on)
        return rate

    def __call__(self, transport: Decimal, currency: str) -> Taxes:
        price_rate = self._rate(currency)
        in_goods = convert(transport, price_rate, self._rate(self._request.currency))
        try:
            if self._by_transport is None:
                consignment = consignment_of(self._request, in_goods, self._on)
                self._by_transport = landed_cost_by_transport(self._uow, consignment)
            assessment = self._by_transport(in_goods)
        except InvalidInput as exc:
            raise _merchant_error(exc, self._request) from None
        _refuse_unless_allowed(assessment, self._request)
        return _taxes(self._request, assessment, self._rate(assessment.currency), price_rate)
