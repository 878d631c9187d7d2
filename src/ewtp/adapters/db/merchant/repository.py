"""SQLAlchemy repositories of the merchant platform. Every read filters by account."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, and_, delete, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ewtp.adapters.db.merchant.codec import (
    option_from_json,
    option_to_json,
    request_from_json,
    request_to_json,
)
from ewtp.adapters.db.tables.merchant import (
    IdempotencyKeyRow,
    QuoteOptionRow,
    QuoteRow,
    S10CounterRow,
    ShipmentDetailRow,
)
from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.domain.errors import NotFound
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.merchant.booking import Shipment
from ewtp.domain.merchant.idempotency import IdempotencyRecord
from ewtp.domain.merchant.quotes import Quote
from ewtp.services.merchant.ports import (
    AbstractIdempotencyStore,
    AbstractQuoteRepository,
    AbstractSerialAllocator,
    AbstractShipmentRepository,
)

__all__ = [
    "SqlAlchemyIdempotencyStore",
    "SqlAlchemyQuoteRepository",
    "SqlAlchemySerialAllocator",
    "SqlAlchemyShipmentRepository",
]


def _nothing() -> None:
    return None


class SqlAlchemyShipmentRepository(AbstractShipmentRepository):
    def __init__(self, session: Session, before_write: Callable[[], None] = _nothing) -> None:
        self._session = session
        self._before_write = before_write

    def add(self, shipment: Shipment) -> None:
        core = ShipmentRow(
            id=shipment.id,
            account_id=shipment.account_id,
            status=shipment.status.value,
            tracking_number=shipment.tracking_number,
            origin_hub=shipment.origin_hub,
            destination_country=shipment.destination_country,
            service_level=shipment.option.service_level.value if shipment.option else None,
            ready_at=shipment.ready_at,
            promised_by=shipment.option.delivered_by if shipment.option else None,
            created_at=shipment.created_at,
            updated_at=shipment.updated_at,
        )
        self._session.add(core)
        self._session.add(
            ShipmentDetailRow(
                shipment=core,
                request=request_to_json(shipment.request),
                reference=shipment.request.reference,
                quote_option_id=shipment.quote_option_id,
                option=option_to_json(shipment.option) if shipment.option else None,
            )
        )

    def _rows(
        self, account_id: str, shipment_id: str
    ) -> tuple[ShipmentRow, ShipmentDetailRow] | None:
        found = self._session.execute(
            select(ShipmentRow, ShipmentDetailRow)
            .join(ShipmentDetailRow, ShipmentDetailRow.shipment_id == ShipmentRow.id)
            .where(ShipmentRow.id == shipment_id, ShipmentRow.account_id == account_id)
        ).first()
        return (found[0], found[1]) if found else None

    def get(self, account_id: str, shipment_id: str) -> Shipment | None:
        rows = self._rows(account_id, shipment_id)
        return _shipment(*rows) if rows else None

    def update(self, shipment: Shipment, label_pdf: bytes | None = None) -> None:
        rows = self._rows(shipment.account_id, shipment.id)
        assert rows is not None, "update of a shipment that was never added"
        self._before_write()
        core, detail = rows
        core.status = shipment.status.value
        core.tracking_number = shipment.tracking_number
        core.origin_hub = shipment.origin_hub
        core.service_level = shipment.option.service_level.value if shipment.option else None
        core.promised_by = shipment.option.delivered_by if shipment.option else None
        core.ready_at = shipment.ready_at or core.ready_at
        core.updated_at = shipment.updated_at
        core.destination_country = shipment.destination_country
        detail.request = request_to_json(shipment.request)  # a draft may have been edited
        detail.reference = shipment.request.reference
        detail.quote_option_id = shipment.quote_option_id
        detail.option = option_to_json(shipment.option) if shipment.option else None
        detail.booked_at = shipment.booked_at
        detail.cancelled_at = shipment.cancelled_at
        detail.customs = shipment.customs
        if label_pdf is not None:
            detail.label_pdf = label_pdf
        self._session.flush()

    def claim(
        self,
        account_id: str,
        shipment_id: str,
        expected: ShipmentStatus,
        to: ShipmentStatus,
        now: datetime,
    ) -> ShipmentStatus | None:
        """`UPDATE ... WHERE status = expected`: PostgreSQL makes a concurrent claim wait on
        the row and then find the new status; SQLite runs one writer at a time."""
        self._before_write()
        mine = and_(ShipmentRow.id == shipment_id, ShipmentRow.account_id == account_id)
        result = self._session.execute(
            update(ShipmentRow)
            .where(mine, ShipmentRow.status == expected.value)
            .values(status=to.value, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult[Any], result).rowcount == 1:
            return None
        found = self._session.scalar(select(ShipmentRow.status).where(mine))
        if found is None:
            raise NotFound("no shipment with this id", field="shipment_id")
        return ShipmentStatus(found)

    def label(self, account_id: str, shipment_id: str) -> bytes | None:
        return self._session.scalar(
            select(ShipmentDetailRow.label_pdf)
            .join(ShipmentRow, ShipmentDetailRow.shipment_id == ShipmentRow.id)
            .where(ShipmentRow.id == shipment_id, ShipmentRow.account_id == account_id)
        )

    def list(
        self,
        account_id: str,
        *,
        status: ShipmentStatus | None,
        created_from: datetime | None,
        created_to: datetime | None,
        after: tuple[datetime, str] | None,
        limit: int,
        tracking_number: str | None = None,
        reference: str | None = None,
    ) -> list[Shipment]:
        query = (
            select(ShipmentRow, ShipmentDetailRow)
            .join(ShipmentDetailRow, ShipmentDetailRow.shipment_id == ShipmentRow.id)
            .where(ShipmentRow.account_id == account_id)
        )
        if status is not None:
            query = query.where(ShipmentRow.status == status.value)
        if tracking_number is not None:
            query = query.where(ShipmentRow.tracking_number == tracking_number)
        if reference is not None:
            query = query.where(ShipmentDetailRow.reference == reference)
        if created_from is not None:
            query = query.where(ShipmentRow.created_at >= created_from)
        if created_to is not None:
            query = query.where(ShipmentRow.created_at < created_to)
        if after is not None:
            at, last_id = after
            query = query.where(
                or_(
                    ShipmentRow.created_at < at,
                    and_(ShipmentRow.created_at == at, ShipmentRow.id < last_id),
                )
            )
        query = query.order_by(ShipmentRow.created_at.desc(), ShipmentRow.id.desc()).limit(limit)
        return [_shipment(core, detail) for core, detail in self._session.execute(query)]


def _shipment(core: ShipmentRow, detail: ShipmentDetailRow) -> Shipment:
    return Shipment(
        id=core.id,
        account_id=core.account_id,
        status=ShipmentStatus(core.status),
        request=request_from_json(detail.request),
        created_at=core.created_at,
        updated_at=core.updated_at,
        quote_option_id=detail.quote_option_id,
        option=option_from_json(detail.option) if detail.option else None,
        origin_hub=core.origin_hub,
        tracking_number=core.tracking_number,
        booked_at=detail.booked_at,
        cancelled_at=detail.cancelled_at,
        customs=detail.customs,
    )


# Built once: each execution then finds its compiled form in SQLAlchemy's statement cache,
# where a multi-row `.values([...])` was compiled afresh for every batch (its SQL text
# depends on the row count), which cost more than the rest of the write.
_INSERT_QUOTE = insert(cast(Table, QuoteRow.__table__))
_INSERT_OPTION = insert(cast(Table, QuoteOptionRow.__table__))


class SqlAlchemyQuoteRepository(AbstractQuoteRepository):
    """Quotes are written with one cached Core INSERT per table, executed for every row of a
    batch (`executemany`): the ORM unit of work cost more than the rest of a quote, and a
    quote is never updated."""

    def __init__(self, session: Session, before_write: Callable[[], None] = _nothing) -> None:
        self._session = session
        self._before_write = before_write

    def add(self, quote: Quote) -> None:
        self.add_all((quote,))

    def add_all(self, quotes: Sequence[Quote]) -> None:
        if not quotes:
            return
        quote_rows = [
            {
                "id": quote.id,
                "account_id": quote.account_id,
                "request": request_to_json(quote.request),
                "origin_hub": quote.origin_hub,
                "ready_at": quote.ready_at,
                "created_at": quote.created_at,
                "expires_at": quote.expires_at,
            }
            for quote in quotes
        ]
        option_rows = [
            {
                "id": option.id,
                "quote_id": quote.id,
                "account_id": quote.account_id,
                "position": position,
                "data": option_to_json(option),
            }
            for quote in quotes
            for position, option in enumerate(quote.options)
        ]
        self._before_write()
        connection = self._session.connection()
        connection.execute(_INSERT_QUOTE, quote_rows)
        if option_rows:
            connection.execute(_INSERT_OPTION, option_rows)

    def get(self, account_id: str, quote_id: str) -> Quote | None:
        row = self._session.scalars(
            select(QuoteRow).where(QuoteRow.id == quote_id, QuoteRow.account_id == account_id)
        ).first()
        if row is None:
            return None
        options = self._session.scalars(
            select(QuoteOptionRow)
            .where(QuoteOptionRow.quote_id == row.id)
            .order_by(QuoteOptionRow.position)
        )
        return Quote(
            id=row.id,
            account_id=row.account_id,
            request=request_from_json(row.request),
            origin_hub=row.origin_hub,
            ready_at=row.ready_at,
            created_at=row.created_at,
            expires_at=row.expires_at,
            options=tuple(option_from_json(o.data) for o in options),
        )

    def get_by_option(self, account_id: str, option_id: str) -> Quote | None:
        quote_id = self._session.scalar(
            select(QuoteOptionRow.quote_id).where(
                QuoteOptionRow.id == option_id, QuoteOptionRow.account_id == account_id
            )
        )
        return self.get(account_id, quote_id) if quote_id else None


class SqlAlchemySerialAllocator(AbstractSerialAllocator):
    """Serials from a counter row, taken with one upsert in the booking's own transaction.

    The upsert creates the counter on first use, so a booking never opens a second
    connection; its row lock serializes concurrent bookings on PostgreSQL.
    """

    def __init__(self, session: Session, before_write: Callable[[], None] = _nothing) -> None:
        self._session = session
        self._before_write = before_write

    def next_serial(self, indicator: str, country: str) -> int:
        self._before_write()
        dialect = self._session.get_bind().dialect.name
        upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        table = cast(Table, S10CounterRow.__table__)
        values = upsert(table).values(indicator=indicator, country=country, last_serial=1)
        stmt = values.on_conflict_do_update(
            index_elements=[table.c.indicator, table.c.country],
            set_={"last_serial": table.c.last_serial + 1},
        ).returning(table.c.last_serial)
        return int(self._session.execute(stmt).scalar_one())


class SqlAlchemyIdempotencyStore(AbstractIdempotencyStore):
    def __init__(self, session: Session, before_write: Callable[[], None] = _nothing) -> None:
        self._session = session
        self._before_write = before_write

    def get(self, account_id: str, key: str) -> IdempotencyRecord | None:
        row = self._session.get(IdempotencyKeyRow, (account_id, key), populate_existing=True)
        if row is None:
            return None
        return IdempotencyRecord(
            account_id=row.account_id,
            key=row.key,
            fingerprint=row.fingerprint,
            created_at=row.created_at,
            status_code=row.status_code,
            body=row.body,
            media_type=row.media_type,
        )

    def reserve(self, record: IdempotencyRecord) -> bool:
        self._before_write()
        try:
            self._session.execute(
                insert(IdempotencyKeyRow).values(
                    account_id=record.account_id,
                    key=record.key,
                    fingerprint=record.fingerprint,
                    created_at=record.created_at,
                )
            )
        except IntegrityError:
            self._session.rollback()
            return False
        return True

    def take_over(self, record: IdempotencyRecord, now: datetime) -> bool:
        self._before_write()
        # Compare-and-set: of concurrent retries only the first UPDATE still matches the
        # lease it read (PostgreSQL re-checks the WHERE after the row lock is released).
        taken = self._session.execute(
            update(IdempotencyKeyRow)
            .where(
                IdempotencyKeyRow.account_id == record.account_id,
                IdempotencyKeyRow.key == record.key,
                IdempotencyKeyRow.status_code.is_(None),
                IdempotencyKeyRow.created_at == record.created_at,
            )
            .values(created_at=now)
            .execution_options(synchronize_session=False)
        )
        return cast(CursorResult[Any], taken).rowcount == 1

    def complete(
        self,
        account_id: str,
        key: str,
        status_code: int,
        body: bytes,
        media_type: str,
        leased_at: datetime | None = None,
    ) -> None:
        self._before_write()
        self._session.execute(
            update(IdempotencyKeyRow)
            .where(*self._held(account_id, key, leased_at))
            .values(status_code=status_code, body=body, media_type=media_type)
            .execution_options(synchronize_session=False)
        )

    def delete(self, account_id: str, key: str, leased_at: datetime | None = None) -> None:
        self._before_write()
        self._session.execute(
            delete(IdempotencyKeyRow)
            .where(*self._held(account_id, key, leased_at))
            .execution_options(synchronize_session=False)
        )

    @staticmethod
    def _held(account_id: str, key: str, leased_at: datetime | None) -> list[Any]:
        """The key's row; with `leased_at`, only while that lease holds it."""
        where: list[Any] = [IdempotencyKeyRow.account_id == account_id]
        where.append(IdempotencyKeyRow.key == key)
        if leased_at is not None:
            where.append(IdempotencyKeyRow.created_at == leased_at)
        return where
