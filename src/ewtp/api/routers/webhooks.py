"""Webhook endpoints of the calling merchant: register, list, show, delete, deliveries, retry."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from ewtp.adapters.clock import utcnow
from ewtp.api.schemas.webhooks import (
    DeliveriesPublic,
    DeliveryPublic,
    WebhookCreate,
    WebhookCreatedPublic,
    WebhookPublic,
    WebhooksPublic,
)
from ewtp.domain.webhooks.model import DeliveryStatus, Endpoint
from ewtp.http.deps import MerchantDep
from ewtp.http.tracking import GuardDep, TrackingUowDep
from ewtp.services.webhooks import manage as svc
from ewtp.services.webhooks.ports import Delivery

__all__ = ["router"]

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])


def _public(e: Endpoint) -> WebhookPublic:
    return WebhookPublic(
        id=e.id, url=e.url, events=list(e.events), failing=e.failing, created_at=e.created_at
    )


def _delivery(d: Delivery) -> DeliveryPublic:
    return DeliveryPublic(
        id=d.id,
        event_id=d.event_id,
        event_type=d.event_type,
        status=d.status.value,
        attempts=d.attempts,
        next_attempt_at=d.next_attempt_at,
        last_attempt_at=d.last_attempt_at,
        response_status=d.response_status,
        last_error=d.last_error,
        created_at=d.created_at,
        delivered_at=d.delivered_at,
    )


@router.post("", response_model=WebhookCreatedPublic, status_code=201)
def create_webhook(
    body: WebhookCreate, merchant: MerchantDep, uow: TrackingUowDep, guard: GuardDep
) -> WebhookCreatedPublic:
    """Register an endpoint; the answer carries its signing secret, shown only once."""
    made = svc.create_endpoint(uow, guard, merchant.account_id, body.url, body.events, utcnow())
    return WebhookCreatedPublic(**_public(made).model_dump(), secret=made.secret)


@router.get("", response_model=WebhooksPublic)
def list_webhooks(merchant: MerchantDep, uow: TrackingUowDep) -> WebhooksPublic:
    """List your webhook endpoints."""
    found = [_public(e) for e in svc.list_endpoints(uow, merchant.account_id)]
    return WebhooksPublic(data=found, count=len(found))


@router.get("/{webhook_id}", response_model=WebhookPublic)
def get_webhook(webhook_id: str, merchant: MerchantDep, uow: TrackingUowDep) -> WebhookPublic:
    """Show one of your webhook endpoints (without its secret)."""
    return _public(svc.get_endpoint(uow, merchant.account_id, webhook_id))


@router.delete("/{webhook_id}", status_code=204)
def delete_webhook(webhook_id: str, merchant: MerchantDep, uow: TrackingUowDep) -> Response:
    """Delete an endpoint; nothing more is sent to it."""
    svc.delete_endpoint(uow, merchant.account_id, webhook_id, utcnow())
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", response_model=DeliveriesPublic)
def list_deliveries(
    webhook_id: str,
    merchant: MerchantDep,
    uow: TrackingUowDep,
    limit: int = Query(default=50, ge=1, le=svc.MAX_LISTED),
    status: DeliveryStatus | None = Query(
        default=None, description="Only deliveries in this state, e.g. failed ones to retry."
    ),
    starting_after: str | None = Query(
        default=None, max_length=36, description="The last delivery id of the previous page."
    ),
) -> DeliveriesPublic:
    """The deliveries to this endpoint, newest first, a page at a time."""
    found, more = svc.list_deliveries(
        uow, merchant.account_id, webhook_id, limit, status=status, starting_after=starting_after
    )
    data = [_delivery(d) for d in found]
    return DeliveriesPublic(data=data, count=len(data), has_more=more)


@router.post("/{webhook_id}/deliveries/{delivery_id}/retry", response_model=DeliveryPublic)
def retry_delivery(
    webhook_id: str, delivery_id: str, merchant: MerchantDep, uow: TrackingUowDep
) -> DeliveryPublic:
    """Send a delivery again now (same event id), e.g. after fixing your receiver."""
    done = svc.retry_delivery(uow, merchant.account_id, webhook_id, delivery_id, utcnow())
    return _delivery(done)
