"""Customs in the console: manifest jobs (upload, progress, result), the national fee rows
(list, add, end, with the audit of who did what) and the rules in force on a date.

Everything goes through the customs use cases the API uses (`services/customs`), so the
overlap refusal, the audit entry and the rules listed are the same as `POST
/v1/customs/fees`, `PATCH /v1/customs/fees/{id}` and `GET /v1/customs/rules`. A running
job's row is a fragment htmx polls every second until the job is done or failed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import FileResponse, Response
from starlette.datastructures import UploadFile

from ewtp.adapters.clock import utcnow
from ewtp.adapters.customs.fx import national_currencies
from ewtp.adapters.customs.uploads import store_upload
from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.adapters.polars.customs_manifest.frame import BulkContext
from ewtp.adapters.polars.customs_manifest.runner import PolarsManifestEngine
from ewtp.domain.customs.parse import parse_amount
from ewtp.domain.customs.rules import Fee
from ewtp.domain.errors import DomainError, InvalidInput
from ewtp.services.customs.admin import FEE_BASES, add_fee, end_fee, fee_audit, list_fees
from ewtp.services.customs.jobs import create_job, get_job, recent_jobs, run_job
from ewtp.services.customs.ports import FeeActor
from ewtp.services.customs.rules_in_force import rules_in_force
from ewtp.web.i18n import gettext as _
from ewtp.web.known_messages import N_
from ewtp.web.operator.common import OperatorOnly
from ewtp.web.pages import (
    CsrfDep,
    Viewer,
    factory_of,
    field_errors,
    not_found,
    redirect,
    render,
    settings_of,
)

__all__ = ["FEE_FIELDS", "router"]

router = APIRouter(prefix="/console/customs", include_in_schema=False, dependencies=[CsrfDep])
FEE_FIELDS = ("country", "amount", "currency", "per", "valid_from", "valid_to", "source")


def _uow(request: Request) -> SqlAlchemyCustomsUnitOfWork:
    return SqlAlchemyCustomsUnitOfWork(factory_of(request))


def _actor(viewer: Viewer) -> FeeActor:
    """The signed-in operator user, by e-mail address, for the audit log."""
    assert viewer.who is not None
    return FeeActor(viewer.account_id, viewer.who.user.email)


def _day(value: str, field: str, *, required: bool = True) -> date | None:
    if not value.strip():
        if required:
            raise InvalidInput(N_("a date is required (YYYY-MM-DD)"), field=field)
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date (YYYY-MM-DD)", field=field) from None


# Manifest jobs


@router.get("")
def manifests_page(request: Request, viewer: OperatorOnly) -> Response:
    return _manifests(request, viewer)


def _manifests(request: Request, viewer: Viewer, status: int = 200, **extra: Any) -> Response:
    jobs = recent_jobs(_uow(request), viewer.account_id)
    context = {"jobs": jobs, "errors": {}} | extra
    return render(request, "operator/customs_manifests.html", context, status_code=status)


@router.get("/manifests")
def manifests_rows(request: Request, viewer: OperatorOnly) -> Response:
    """The polled rows of the jobs list (the page itself is `/console/customs`)."""
    jobs = recent_jobs(_uow(request), viewer.account_id)
    return render(request, "operator/customs_jobs_rows.html", {"jobs": jobs})


@router.post("/manifests")
async def upload_manifest(
    request: Request, tasks: BackgroundTasks, viewer: OperatorOnly
) -> Response:
    """Store the upload, queue the job, and show its page (which polls its progress)."""
    form = await request.form()
    try:
        upload = form.get("file")
        name = (upload.filename or "") if isinstance(upload, UploadFile) else ""
        kind = next((k for k in ("csv", "parquet") if name.lower().endswith(f".{k}")), None)
        if not isinstance(upload, UploadFile) or kind is None:
            errors = {"file": _("upload a .csv or .parquet file")}
            return _manifests(request, viewer, 422, errors=errors)
        folder = settings_of(request).var_dir / "customs" / "manifests"
        folder.mkdir(parents=True, exist_ok=True)
        job = create_job(_uow(request), viewer.account_id, folder, kind, utcnow())
        store_upload(upload.file, Path(job.input_path))
    finally:
        await form.close()  # the spooled upload; FastAPI closes only forms it parsed itself
    factory = factory_of(request)
    tasks.add_task(
        run_job, lambda: SqlAlchemyCustomsUnitOfWork(factory), PolarsManifestEngine(), job,
        context_factory=BulkContext, clock=utcnow, source_name=name,
    )  # fmt: skip
    return redirect(f"/console/customs/manifests/{job.id}", request)


def _job_or_none(request: Request, viewer: Viewer, job_id: str) -> Any:
    try:
        return get_job(_uow(request), job_id, viewer.account_id)
    except DomainError:
        return None


@router.get("/manifests/{job_id}")
def manifest_page(request: Request, job_id: str, viewer: OperatorOnly) -> Response:
    job = _job_or_none(request, viewer, job_id)
    if job is None:
        return not_found(request)
    return render(request, "operator/customs_job_page.html", {"job": job})


@router.get("/manifests/{job_id}/status")
def manifest_status(request: Request, job_id: str, viewer: OperatorOnly) -> Response:
    """The polled fragment: it stops polling itself once the job is done or failed."""
    job = _job_or_none(request, viewer, job_id)
    if job is None:
        return not_found(request)
    return render(request, "operator/customs_job.html", {"job": job})


@router.get("/manifests/{job_id}/result")
def manifest_result(request: Request, job_id: str, viewer: OperatorOnly) -> Response:
    job = _job_or_none(request, viewer, job_id)
    if job is None or job.status != "done":
        return not_found(request)
    suffix = job.result_path.rsplit(".", 1)[-1]
    media = "text/csv" if suffix == "csv" else "application/vnd.apache.parquet"
    return FileResponse(job.result_path, media_type=media, filename=f"{job.id}-result.{suffix}")


# National fee rows


@router.get("/fees")
def fees_page(request: Request, viewer: OperatorOnly) -> Response:
    return _fees(request, saved=request.query_params.get("saved"))


def _fees(request: Request, status: int = 200, **extra: Any) -> Response:
    context: dict[str, Any] = {
        "fees": list_fees(_uow(request)), "audit": fee_audit(_uow(request), 100),
        "bases": FEE_BASES, "errors": {}, "form": dict.fromkeys(FEE_FIELDS, ""),
        "end_errors": {}, "saved": None,
    }  # fmt: skip
    context["form"] |= {"currency": "EUR", "per": "parcel", "lvc_only": True}
    return render(request, "operator/customs_fees.html", context | extra, status_code=status)


@router.post("/fees")
async def add_fee_row(request: Request, viewer: OperatorOnly) -> Response:
    form = await request.form()
    values: dict[str, Any] = {k: str(form.get(k) or "").strip() for k in FEE_FIELDS}
    values["lvc_only"] = form.get("lvc_only") == "on"
    try:
        amount = parse_amount(values["amount"], "amount", positive=True)
        assert amount is not None
        start = _day(values["valid_from"], "valid_from")
        assert start is not None
        fee = Fee(values["country"].upper(), amount, values["currency"].upper(), values["per"],
                  values["lvc_only"], start, _day(values["valid_to"], "valid_to", required=False),
                  values["source"])  # fmt: skip
        if len(fee.country) != 2:
            raise InvalidInput(N_("must be a two-letter country code"), field="country")
        if len(fee.currency) != 3:
            raise InvalidInput(N_("must be a three-letter currency code"), field="currency")
        fee_id = add_fee(_uow(request), fee, actor=_actor(viewer), now=utcnow())
    except DomainError as exc:
        return _fees(request, 422, errors=field_errors(exc), form=values)
    return redirect(f"/console/customs/fees?saved=added-{fee_id}", request)


@router.post("/fees/{fee_id}/end")
async def end_fee_row(request: Request, fee_id: int, viewer: OperatorOnly) -> Response:
    form = await request.form()
    try:
        last = _day(str(form.get("valid_to") or ""), "valid_to")
        assert last is not None
        end_fee(_uow(request), fee_id, last, actor=_actor(viewer), now=utcnow())
    except DomainError as exc:
        return _fees(request, 422, end_errors={fee_id: field_errors(exc)})
    return redirect(f"/console/customs/fees?saved=ended-{fee_id}", request)


# Rules in force


@router.get("/rules")
def rules_page(request: Request, viewer: OperatorOnly) -> Response:
    """The rules in force on a day (default today), as `GET /v1/customs/rules` lists them."""
    raw_on = request.query_params.get("on") or utcnow().date().isoformat()
    raw_country = (request.query_params.get("country") or "").strip().upper()
    context: dict[str, Any] = {"on": raw_on, "country": raw_country, "rules": [], "errors": {}}
    try:
        on = _day(raw_on, "on")
        assert on is not None
        if raw_country and (len(raw_country) != 2 or not raw_country.isalpha()):
            raise InvalidInput(N_("must be a two-letter country code"), field="country")
        with _uow(request) as uow:
            book = uow.customs_rules.rule_book()
        found = rules_in_force(book, on, raw_country or None, national_currencies())
        context["rules"] = [r.to_json() for r in found]
    except DomainError as exc:
        context["errors"] = field_errors(exc)
        return render(request, "operator/customs_rules.html", context, status_code=422)
    return render(request, "operator/customs_rules.html", context)
