"""The merchant's overview: shipments by status, the 30-day on-time share, shipments
at risk or held by customs, and recent exceptions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.merchant_web.overview import SqlAlchemyOverviewUnitOfWork
from ewtp.services.merchant_web.overview import merchant_overview
from ewtp.web.pages import CsrfDep, MerchantPage, factory_of, render

__all__ = ["router"]

router = APIRouter(prefix="/app", include_in_schema=False, dependencies=[CsrfDep])


@router.get("")
def overview(request: Request, viewer: MerchantPage) -> Response:
    figures = merchant_overview(
        SqlAlchemyOverviewUnitOfWork(factory_of(request)), viewer.account_id, utcnow()
    )
    return render(request, "merchant/overview.html", {"o": figures})
