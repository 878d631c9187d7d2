"""Customs endpoints: landed cost, declarations, bulk manifests.

Every endpoint needs an API key (`Authorization: Bearer <key>`): merchant or operator, except
the national-fee rows, which only operators may add, end or audit. Manifest jobs are visible only to the
account that uploaded them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, UploadFile
from fastapi.responses import FileResponse

from ewtp.adapters.clock import utcnow
from ewtp.adapters.customs.uploads import store_upload
from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.adapters.polars.customs_manifest.frame import BulkContext
from ewtp.adapters.polars.customs_manifest.runner import PolarsManifestEngine
from ewtp.api.openapi import binary_response
from ewtp.api.schemas.customs import (
    DeclarationCreate,
    DeclarationPublic,
    FeeAuditPublic,
    FeeAuditsPublic,
    FeeCreate,
    FeeEnd,
    FeePublic,
    FeesPublic,
    LandedCostCreate,
    LandedCostPublic,
    ManifestJobPublic,
)
from ewtp.domain.accounts import Principal
from ewtp.domain.customs import parse_consignment
from ewtp.domain.customs.parse import parse_amount
from ewtp.domain.customs.rules import Fee
from ewtp.domain.errors import Conflict, InvalidInput
from ewtp.http.deps import OperatorDep, PrincipalDep, SessionFactoryDep, SettingsDep
from ewtp.services.customs.admin import add_fee, end_fee, fee_audit, list_fees
from ewtp.services.customs.declarations import build_declarations, parse_parties
from ewtp.services.customs.jobs import create_job, get_job, run_job
from ewtp.services.customs.landed_cost import assess_landed_cost
from ewtp.services.customs.ports import FeeActor

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["customs"])


def get_customs_uow(factory: SessionFactoryDep) -> SqlAlchemyCustomsUnitOfWork:
    return SqlAlchemyCustomsUnitOfWork(factory)


CustomsUowDep = Annotated[SqlAlchemyCustomsUnitOfWork, Depends(get_customs_uow)]


@router.post("/landed-cost", response_model=LandedCostPublic, name="compute_landed_cost")
def landed_cost(body: LandedCostCreate, uow: CustomsUowDep, _: PrincipalDep) -> Any:
    """Duties, taxes, fees and the landed cost of one consignment (a quote: nothing is stored)."""
    consignment = parse_consignment(body.model_dump())
    return assess_landed_cost(uow, consignment).to_json()


@router.post("/customs/declarations", response_model=DeclarationPublic, name="create_declaration")
def declarations(body: DeclarationCreate, uow: CustomsUowDep, _: PrincipalDep) -> Any:
    """The H7 record (or H1 with the reasons) and the ICS2 PLACI 7+1 record."""
    consignment = parse_consignment(body.consignment.model_dump())
    parties = parse_parties(body.parties)
    assessment = assess_landed_cost(uow, consignment)
    return build_declarations(consignment, parties, assessment).to_json()


def _public(job: Any) -> ManifestJobPublic:
    url = f"/v1/customs/manifests/{job.id}/result" if job.status == "done" else None
    return ManifestJobPublic(id=job.id, status=job.status, consignments=job.consignments,
                             rejected=job.rejected, message=job.message, result_url=url,
                             rows_done=job.rows_done, rows_total=job.rows_total)  # fmt: skip


@router.post("/customs/manifests", response_model=ManifestJobPublic, status_code=202)
def upload_manifest(
    file: UploadFile, tasks: BackgroundTasks, uow: CustomsUowDep, principal: PrincipalDep,
    settings: SettingsDep, factory: SessionFactoryDep,
) -> Any:  # fmt: skip
    """Upload a manifest (.csv or .parquet, one row per item line); returns a job to poll."""
    name = (file.filename or "").lower()
    kind = "parquet" if name.endswith(".parquet") else "csv" if name.endswith(".csv") else None
    if kind is None:
        raise InvalidInput("upload a .csv or .parquet file", field="file")
    folder = settings.var_dir / "customs" / "manifests"
    folder.mkdir(parents=True, exist_ok=True)
    job = create_job(uow, principal.account_id, folder, kind, utcnow())
    store_upload(file.file, Path(job.input_path))
    tasks.add_task(
        run_job, lambda: SqlAlchemyCustomsUnitOfWork(factory), PolarsManifestEngine(), job,
        context_factory=BulkContext, clock=utcnow, source_name=file.filename,
    )  # fmt: skip
    return _public(job)


@router.get("/customs/manifests/{job_id}", response_model=ManifestJobPublic, name="get_manifest")
def manifest_status(job_id: str, uow: CustomsUowDep, principal: PrincipalDep) -> Any:
    """The state of a manifest job: queued, running, done (with counts) or failed (with why)."""
    return _public(get_job(uow, job_id, principal.account_id))


@router.get(
    "/customs/manifests/{job_id}/result",
    response_class=FileResponse,
    name="get_manifest_result",
    responses=binary_response(
        "The cleared manifest.", "text/csv", "application/vnd.apache.parquet"
    ),
)
def manifest_result(job_id: str, uow: CustomsUowDep, principal: PrincipalDep) -> Any:
    """Download the result file: one row per consignment."""
    job = get_job(uow, job_id, principal.account_id)
    if job.status != "done":
        raise Conflict(f"the job is {job.status}", field="job_id")
    media = "text/csv" if job.result_path.endswith(".csv") else "application/vnd.apache.parquet"
    suffix = job.result_path.rsplit(".", 1)[-1]
    return FileResponse(job.result_path, media_type=media, filename=f"{job.id}-result.{suffix}")


def _fee_public(fee_id: int | None, fee: Fee) -> FeePublic:
    return FeePublic(id=fee_id, country=fee.country, amount=str(fee.amount), currency=fee.currency,
                     per=fee.per, lvc_only=fee.lvc_only, valid_from=fee.valid_from,
                     valid_to=fee.valid_to, source=fee.source)  # fmt: skip


@router.get("/customs/fees", response_model=FeesPublic, name="list_fees")
def fees(uow: CustomsUowDep, _: PrincipalDep) -> Any:
    """The national fee rows: shipped (id null) and operator-added."""
    rows = [_fee_public(fee_id, fee) for fee_id, fee in list_fees(uow)]
    return FeesPublic(data=rows, count=len(rows))


def _actor(principal: Principal) -> FeeActor:
    return FeeActor(principal.account_id, f"API key {principal.key_id}")


@router.post("/customs/fees", response_model=FeePublic, status_code=201)
def create_fee(body: FeeCreate, uow: CustomsUowDep, operator: OperatorDep) -> Any:
    """Add a dated national fee row (operators only); the audit log names the key."""
    amount = parse_amount(body.amount, "amount", positive=True)
    assert amount is not None
    fee = Fee(body.country.upper(), amount, body.currency.upper(), body.per, body.lvc_only,
              body.valid_from, body.valid_to, body.source)  # fmt: skip
    return _fee_public(add_fee(uow, fee, actor=_actor(operator), now=utcnow()), fee)


@router.patch("/customs/fees/{fee_id}", response_model=FeePublic)
def end_fee_row(fee_id: int, body: FeeEnd, uow: CustomsUowDep, operator: OperatorDep) -> Any:
    """End an operator fee row on `valid_to` (operators only; rows are never deleted)."""
    end_fee(uow, fee_id, body.valid_to, actor=_actor(operator), now=utcnow())
    row = next(fee for found, fee in list_fees(uow) if found == fee_id)
    return _fee_public(fee_id, row)


@router.get("/customs/fees/audit", response_model=FeeAuditsPublic)
def fee_audit_log(uow: CustomsUowDep, _: OperatorDep) -> Any:
    """Who added or ended each operator fee row and when, newest first (operators only)."""
    rows = [FeeAuditPublic(at=e.at, actor=e.actor, account_id=e.account_id, action=e.action,
                           fee_id=e.fee_id, detail=e.detail) for e in fee_audit(uow)]  # fmt: skip
    return FeeAuditsPublic(data=rows, count=len(rows))
