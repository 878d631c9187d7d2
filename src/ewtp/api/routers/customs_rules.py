"""GET /v1/customs/rules: the customs rules in force on a day, with their sources."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from ewtp.adapters.customs.fx import national_currencies
from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.http.deps import SessionFactoryDep
from ewtp.services.customs.rules_in_force import rules_in_force

__all__ = ["router"]

router = APIRouter(prefix="/v1/customs", tags=["customs"])


def _uow(factory: SessionFactoryDep) -> SqlAlchemyCustomsUnitOfWork:
    return SqlAlchemyCustomsUnitOfWork(factory)


class RulePublic(BaseModel):
    kind: str
    country: str
    rule: str
    valid_from: str | None
    valid_to: str | None
    confirmed: bool
    source: str


class RulesPublic(BaseModel):
    data: list[RulePublic]
    count: int


@router.get("/rules", response_model=RulesPublic)
def list_rules(
    uow: Annotated[SqlAlchemyCustomsUnitOfWork, Depends(_uow)],
    on: Annotated[date, Query(description="The day (YYYY-MM-DD).")],
    country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
) -> Any:
    """List every customs rule in force on a day, with its source."""
    with uow:
        book = uow.customs_rules.rule_book()
    found = rules_in_force(book, on, country.upper() if country else None, national_currencies())
    return {"data": [r.to_json() for r in found], "count": len(found)}
