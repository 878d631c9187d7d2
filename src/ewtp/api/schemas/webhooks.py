"""Request and response schemas of webhook endpoints and their deliveries."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ewtp.api.schemas.closed_sets import WebhookEventName
from ewtp.domain.webhooks.model import EVENT_TYPES

__all__ = [
    "DeliveriesPublic",
    "DeliveryPublic",
    "WebhookCreate",
    "WebhookCreatedPublic",
    "WebhookPublic",
    "WebhooksPublic",
]


class WebhookCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "url": "https://shop.example.com/hooks/ewtp",
                "events": ["tracking.updated", "shipment.delivered"],
            }
        }
    )

    url: str = Field(max_length=2000, description="Public http(s) URL that receives POSTs.")
    events: list[WebhookEventName] = Field(
        min_length=1, description=f"Any of: {', '.join(EVENT_TYPES)}."
    )


class WebhookPublic(BaseModel):
    id: str
    url: str
    events: list[WebhookEventName]
    failing: bool
    created_at: datetime


class WebhookCreatedPublic(WebhookPublic):
    secret: str = Field(description="Signing secret, shown only in this answer.")


class WebhooksPublic(BaseModel):
    data: list[WebhookPublic]
    count: int


class DeliveryPublic(BaseModel):
    id: str
    event_id: str
    event_type: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    response_status: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class DeliveriesPublic(BaseModel):
    data: list[DeliveryPublic]
    count: int
    has_more: bool = Field(
        description="More deliveries follow: ask again with starting_after = the last id."
    )
