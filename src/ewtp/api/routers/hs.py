"""GET /v1/hs: search the HS 2022 nomenclature (the web app's HS picker calls it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from ewtp.adapters.customs.hs_nomenclature import hs2022
from ewtp.services.customs.hs_codes import search_hs_codes

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["customs"])


class HsCodePublic(BaseModel):
    code: str
    level: int
    description: str


class HsCodesPublic(BaseModel):
    data: list[HsCodePublic]
    count: int
    edition: str


@router.get("/hs", response_model=HsCodesPublic)
def search_hs(
    q: Annotated[str, Query(max_length=100, description="Words or a code prefix.")],
    limit: Annotated[int, Query()] = 20,
) -> Any:
    """Search HS 2022 chapters, headings and subheadings by description or code."""
    nomenclature = hs2022()
    found = search_hs_codes(nomenclature, q, limit)
    return {"data": [m.to_json() for m in found], "count": len(found),
            "edition": nomenclature.edition}  # fmt: skip
