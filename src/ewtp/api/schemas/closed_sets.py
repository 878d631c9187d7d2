"""Closed sets of values as schema enums, built from the domain's own tables.

Built from the tables (not retyped) so the document cannot drift from what the server
accepts and answers. Values stay plain strings in Python: the domain validates them and
answers its own errors; the enum tells a generated client which values exist.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ewtp.domain.tracking.timeline import SCAN_CODES
from ewtp.domain.webhooks.model import EVENT_TYPES

__all__ = ["ScanCodeName", "WebhookEventName"]

WebhookEventName = Annotated[str, Field(json_schema_extra={"enum": list(EVENT_TYPES)})]
ScanCodeName = Annotated[
    str, Field(max_length=40, json_schema_extra={"enum": [c.code for c in SCAN_CODES]})
]
