"""The landed-cost calculator for EU and China destinations, with the rule sources."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.domain.customs.parse import parse_consignment
from ewtp.domain.errors import DomainError
from ewtp.services.customs.landed_cost import assess_landed_cost
from ewtp.services.merchant_web.rule_sources import rule_sources
from ewtp.web.i18n import gettext as _
from ewtp.web.merchant.common import customs_uow
from ewtp.web.pages import CsrfDep, MerchantPage, render

__all__ = ["router"]

router = APIRouter(prefix="/app/landed-cost", include_in_schema=False, dependencies=[CsrfDep])
ITEM_FIELDS = ("description", "hs_code", "quantity", "unit_value", "weight_kg", "origin_country")
ITEMS = 3


def _blank() -> dict[str, Any]:
    return {
        "date": utcnow().date().isoformat(),
        "origin_country": "CN",
        "destination_country": "FR",
        "currency": "EUR",
        "transport_cost": "8.00",
        "insurance_cost": "0",
        "seller_ioss": "",
        "items": [dict.fromkeys(ITEM_FIELDS, "") for _ in range(ITEMS)],
    }


@router.get("")
def calculator(request: Request, viewer: MerchantPage) -> Response:
    return render(
        request, "merchant/landed_cost.html", {"form": _blank(), "errors": {}, "result": None}
    )


@router.post("")
async def calculate(request: Request, viewer: MerchantPage) -> Response:
    data = {k: v.strip() for k, v in (await request.form()).items() if isinstance(v, str)}
    form = _blank() | {
        k: data.get(k, "")
        for k in (
            "date",
            "origin_country",
            "destination_country",
            "currency",
            "transport_cost",
            "insurance_cost",
            "seller_ioss",
        )
    }
    form["items"] = [
        {k: data.get(f"items[{i}].{k}", "") for k in ITEM_FIELDS} for i in range(ITEMS)
    ]
    filled = [(i, it) for i, it in enumerate(form["items"]) if any(it.values())]
    body: dict[str, Any] = {
        k: form[k] for k in ("date", "currency", "transport_cost", "insurance_cost")
    }
    body |= {k: form[k].upper() for k in ("origin_country", "destination_country")}
    if form["seller_ioss"]:
        body["seller_ioss"] = form["seller_ioss"]
    body["items"] = [
        {
            **it,
            "origin_country": (it["origin_country"] or form["origin_country"]).upper(),
            "weight_kg": it["weight_kg"] or "0",
        }
        for _i, it in filled
    ]
    positions = [i for i, _it in filled]
    try:
        consignment = parse_consignment(body)
        uow = customs_uow(request)
        assessment = assess_landed_cost(uow, consignment)
        sources = rule_sources(customs_uow(request), consignment)
    except DomainError as exc:
        field = exc.field or "form"
        if field.startswith("items[") and positions:  # map back to the form's row
            index = int(field[6 : field.index("]")])
            if index < len(positions):
                field = f"items[{positions[index]}]" + field[field.index("]") + 1 :]
        elif field == "items":
            field = "items[0].hs_code"
        return render(
            request,
            "merchant/landed_cost.html",
            {"form": form, "errors": {field: _(exc.message)}, "result": None},
            status_code=422,
        )
    context = {"form": form, "errors": {}, "result": assessment, "sources": sources}
    return render(request, "merchant/landed_cost.html", context)
