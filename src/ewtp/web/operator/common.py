"""What the console's pages share: the operator-only guard and the network unit of work."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response

from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.web.pages import SignInRequired, Viewer, factory_of, get_viewer

__all__ = ["OperatorOnly", "csv_response", "network_uow"]


def operator_only(request: Request) -> Viewer:
    """An operator user; nobody signed in goes to sign-in, a merchant user gets 403
    (the console is not theirs, and saying so beats a sign-in loop)."""
    viewer = get_viewer(request)
    if viewer.who is None:
        query = f"?{request.url.query}" if request.url.query else ""
        raise SignInRequired(request.url.path + query)
    if viewer.who.account.role is not Role.OPERATOR:
        raise HTTPException(403, "this page is for operator accounts")
    return viewer


OperatorOnly = Annotated[Viewer, Depends(operator_only)]


def network_uow(request: Request) -> SqlAlchemyNetworkUnitOfWork:
    return SqlAlchemyNetworkUnitOfWork(factory_of(request))


def csv_response(name: str, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> Response:
    """A chart's or table's data as a CSV download."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        out.getvalue(), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip
