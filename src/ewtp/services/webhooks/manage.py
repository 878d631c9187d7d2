"""Use cases of webhook endpoints: register, list, show, delete, list deliveries, retry.

Every lookup is scoped to the caller's account: another merchant's endpoint is NotFound.
"""

from __future__ import annotations

import abc
import secrets
import uuid
from dataclasses import replace
from datetime import datetime

from ewtp.domain.errors import Conflict, NotFound
from ewtp.domain.webhooks.model import DeliveryStatus, Endpoint, validate_event_types
from ewtp.services.webhooks.ports import Delivery, WebhooksUnitOfWork

__all__ = [
    "AbstractUrlGuard",
    "create_endpoint",
    "delete_endpoint",
    "get_endpoint",
    "list_deliveries",
    "list_endpoints",
    "retry_delivery",
]

SECRET_PREFIX = "whsec_"
MAX_LISTED = 100


class AbstractUrlGuard(abc.ABC):
    """Refuses URLs a webhook may not call (SSRF); raises InvalidInput(field='url')."""

    @abc.abstractmethod
    def check(self, url: str) -> None: ...


def create_endpoint(
    uow: WebhooksUnitOfWork,
    guard: AbstractUrlGuard,
    account_id: str,
    url: str,
    events: list[str],
    now: datetime,
) -> Endpoint:
    """Register an endpoint; the returned secret is shown to the caller once."""
    chosen = validate_event_types(events)
    guard.check(url)
    endpoint = Endpoint(
        id=str(uuid.uuid4()),
        account_id=account_id,
        url=url,
        events=chosen,
        secret=SECRET_PREFIX + secrets.token_urlsafe(32),
        created_at=now,
    )
    with uow:
        uow.webhooks.add_endpoint(endpoint)
        uow.commit()
    return endpoint


def list_endpoints(uow: WebhooksUnitOfWork, account_id: str) -> list[Endpoint]:
    with uow:
        return uow.webhooks.list_endpoints(account_id)


def get_endpoint(uow: WebhooksUnitOfWork, account_id: str, endpoint_id: str) -> Endpoint:
    with uow:
        return _owned(uow, account_id, endpoint_id)


def delete_endpoint(
    uow: WebhooksUnitOfWork, account_id: str, endpoint_id: str, now: datetime
) -> None:
    """Stop sending to an endpoint; its pending deliveries are abandoned."""
    with uow:
        _owned(uow, account_id, endpoint_id)
        uow.webhooks.delete_endpoint(endpoint_id, now)
        uow.commit()


def list_deliveries(
    uow: WebhooksUnitOfWork,
    account_id: str,
    endpoint_id: str,
    limit: int = MAX_LISTED,
    *,
    status: DeliveryStatus | None = None,
    starting_after: str | None = None,
) -> tuple[list[Delivery], bool]:
    """A page of an endpoint's deliveries, newest first, and whether more follow.

    `starting_after` is the id of the last delivery of the previous page.
    """
    limit = min(limit, MAX_LISTED)
    with uow:
        _owned(uow, account_id, endpoint_id)
        after = None
        if starting_after is not None:
            after = uow.webhooks.get_delivery(endpoint_id, starting_after)
            if after is None:
                raise NotFound("no such delivery for this endpoint", field="starting_after")
        found = uow.webhooks.list_deliveries(endpoint_id, limit + 1, status=status, after=after)
        return found[:limit], len(found) > limit


def retry_delivery(
    uow: WebhooksUnitOfWork, account_id: str, endpoint_id: str, delivery_id: str, now: datetime
) -> Delivery:
    """Queue a delivery to be sent again now, whatever its state; the event id stays the same."""
    with uow:
        _owned(uow, account_id, endpoint_id)
        delivery = uow.webhooks.get_delivery(endpoint_id, delivery_id)
        if delivery is None:
            raise NotFound("no such delivery for this endpoint", field="delivery_id")
        if delivery.status is DeliveryStatus.PENDING and delivery.attempts == 0:
            raise Conflict("the delivery has not been tried yet", field="delivery_id")
        uow.webhooks.record_attempt(
            delivery_id,
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            response_status=delivery.response_status,
            error=delivery.last_error,
            at=delivery.last_attempt_at or now,
        )
        uow.commit()
        return replace(delivery, status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now)


def _owned(uow: WebhooksUnitOfWork, account_id: str, endpoint_id: str) -> Endpoint:
    endpoint = uow.webhooks.get_endpoint(endpoint_id, account_id)
    if endpoint is None:
        raise NotFound("no such webhook endpoint", field="id")
    return endpoint
