"""Use cases on a draft or on many shipments at once: edit a draft, book a batch, print a
batch of labels as one PDF (the API and the merchant web app both call these).

A batch books shipment by shipment, each in its own transaction like a single booking, so
one refusal (a lane with no route, goods customs refuses) never undoes the others; each
answer says what happened to its id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ewtp.domain.errors import Conflict, DomainError, InvalidInput, NotFound, ShipmentCancelled
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.merchant.booking import Shipment, sort_code
from ewtp.domain.merchant.pricing import RateCard
from ewtp.domain.merchant.shipments import ServiceLevel, ShipmentRequest, validate_request
from ewtp.services.merchant.ports import (
    AbstractCustomsEngine,
    AbstractLabelRenderer,
    AbstractRoutePlanner,
    MerchantUnitOfWork,
)
from ewtp.services.merchant.shipments import BookCommand, book_shipment

__all__ = ["MAX_BATCH", "BatchItem", "book_shipments", "labels_pdf", "update_draft"]

MAX_BATCH = 100


def update_draft(
    uow: MerchantUnitOfWork,
    account_id: str,
    shipment_id: str,
    request: ShipmentRequest,
    now: datetime,
) -> Shipment:
    """Replace a draft's request. A quoted option no longer fits a changed request, so it is
    dropped and booking prices the shipment afresh."""
    checked = validate_request(request)
    with uow:
        current = uow.shipments.get(account_id, shipment_id)
        if current is None:
            raise NotFound("no shipment with this id", field="shipment_id")
        if current.status is not ShipmentStatus.DRAFT:
            raise Conflict(
                f"only a draft can be edited; this one is {current.status.value}", field="status"
            )
        same = checked == current.request
        updated = replace(
            current,
            request=checked,
            option=current.option if same else None,
            quote_option_id=current.quote_option_id if same else None,
            origin_hub=current.origin_hub if same else checked.origin_hub,
            updated_at=now,
        )
        uow.shipments.update(updated)
        uow.commit()
    return updated


def _ids(ids: Sequence[str]) -> list[str]:
    if not ids:
        raise InvalidInput("name at least one shipment id", field="ids")
    if len(ids) > MAX_BATCH:
        raise InvalidInput(f"at most {MAX_BATCH} ids at once", field="ids")
    seen: set[str] = set()
    for n, one in enumerate(ids):
        if one in seen:
            raise InvalidInput("is named twice", field=f"ids[{n}]")
        seen.add(one)
    return list(ids)


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One id of a batch: the booked shipment, or the error that refused it."""

    shipment_id: str
    shipment: Shipment | None = None
    error: DomainError | None = None


def book_shipments(
    uow: MerchantUnitOfWork,
    planner: AbstractRoutePlanner,
    customs: AbstractCustomsEngine,
    labels: AbstractLabelRenderer,
    card: RateCard,
    indicators: Mapping[ServiceLevel, str],
    account_id: str,
    ids: Sequence[str],
    now: datetime,
    service_level: ServiceLevel | None = None,
) -> list[BatchItem]:
    """Book each draft as `book_shipment` would (its level, else the default option)."""
    done: list[BatchItem] = []
    for one in _ids(ids):
        command = BookCommand(account_id, one, now, service_level=service_level)
        try:
            booked = book_shipment(uow, planner, customs, labels, card, indicators, command)
        except DomainError as exc:
            done.append(BatchItem(one, error=exc))
        else:
            done.append(BatchItem(one, shipment=booked))
    return done


def labels_pdf(
    uow: MerchantUnitOfWork, labels: AbstractLabelRenderer, account_id: str, ids: Sequence[str]
) -> bytes:
    """One PDF with the labels of booked shipments, in the order given.

    All or nothing: an id that is not ours, not booked yet, or cancelled is named by its
    position (`ids[2]`), so a printer never gets half a batch.
    """
    chosen = _ids(ids)
    found: list[tuple[Shipment, str]] = []
    with uow:
        for n, one in enumerate(chosen):
            shipment = uow.shipments.get(account_id, one)
            if shipment is None:
                raise NotFound("no shipment with this id", field=f"ids[{n}]")
            if shipment.status is ShipmentStatus.CANCELLED:
                raise ShipmentCancelled(
                    "the shipment was cancelled: its label is void", field=f"ids[{n}]"
                )
            if shipment.tracking_number is None:
                raise Conflict(
                    f"a {shipment.status.value} shipment has no label; book it first",
                    field=f"ids[{n}]",
                )
            found.append((shipment, sort_code(shipment)))
    return labels.render_many(found)
