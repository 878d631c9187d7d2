"""GET /v1/tracking/ingestion: how scan ingestion is going (operator key).

The JSON behind the console's tracking page: scans per arrival minute (stored and
refused), the latest refusals with their reasons, anomalies and parcels at risk.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.tracking.ingestion import SqlAlchemyIngestionReader
from ewtp.api.schemas.tracking_ingestion import IngestionPublic
from ewtp.http.deps import OperatorDep, SessionFactoryDep
from ewtp.services.tracking.ingestion_status import MAX_MINUTES, ingestion_status

__all__ = ["router"]

router = APIRouter(prefix="/v1/tracking", tags=["tracking"])


@router.get("/ingestion", response_model=IngestionPublic)
def get_ingestion(
    _operator: OperatorDep,
    factory: SessionFactoryDep,
    minutes: Annotated[int, Query(ge=1, le=MAX_MINUTES, description="Minutes back.")] = 60,
) -> Any:
    """Scans per minute (stored and refused) over the last `minutes`, refusals, anomalies."""
    return ingestion_status(SqlAlchemyIngestionReader(factory), utcnow(), minutes)
