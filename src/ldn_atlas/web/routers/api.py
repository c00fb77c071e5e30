"""REST API under ``/api/v1``: routers call services and the store's repository API, never SQL."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from ldn_atlas.errors import AtlasError, InputError, NotFoundError
from ldn_atlas.model import Study
from ldn_atlas.web.state import WebState

router = APIRouter(prefix="/api/v1", tags=["api"])


class StudyPage(BaseModel):
    """A page of studies and the total number that match the filters."""

    items: list[Study]
    total: int = Field(ge=0)


class ConditionOut(BaseModel):
    label: str
    code: str | None
    studies: int


class AuditRequest(BaseModel):
    text: str = Field(min_length=1, description="The text to audit (up to the upload limit).")


class Problem(BaseModel):
    detail: str


def _state(request: Request) -> WebState:
    state: WebState = request.app.state.atlas
    return state


@router.get("/studies", response_model=StudyPage, responses={400: {"model": Problem}})
def list_studies(
    request: Request,
    condition: Annotated[str | None, Query(description="Label, synonym or ICD-10-CM code prefix.")] = None,
    design: Annotated[str | None, Query(description="A design tag, e.g. randomized.")] = None,
    species: Annotated[str | None, Query(description="human, animal or in-vitro.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> StudyPage:
    """Studies, filtered and paginated (an empty filter, as an HTML form sends it, means no filter)."""
    try:
        items, total = _state(request).store.list_studies(
            condition=(condition or "").strip() or None, design=(design or "").strip() or None,
            species=(species or "").strip() or None, limit=limit, offset=offset,
        )
    except InputError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    return StudyPage(items=items, total=total)


@router.get("/studies/{study_id}", response_model=Study, responses={404: {"model": Problem}})
def get_study(request: Request, study_id: str) -> Study:
    """One study with every field, its provenance and verification levels."""
    try:
        return _state(request).store.get_study(study_id)
    except NotFoundError:
        raise HTTPException(status_code=404, detail=f"no study with id {study_id!r}") from None


@router.get("/conditions", response_model=list[ConditionOut])
def list_conditions(request: Request) -> list[ConditionOut]:
    """Conditions of the stored studies with their study counts."""
    return [ConditionOut(label=c.label, code=c.code, studies=c.count) for c in _state(request).store.conditions()]


@router.get("/syntheses")
def list_syntheses(request: Request) -> dict[str, Any]:
    """Every synthesis (condition x outcome) with its pooled effect, GRADE certainty and SoF row."""
    report = _state(request).syntheses()
    return {"items": [s.to_dict() for s in report.syntheses], "total": len(report.syntheses),
            "assumptions": list(report.assumptions)}


@router.get("/syntheses/{synthesis_id}", responses={404: {"model": Problem}})
def get_synthesis(request: Request, synthesis_id: str) -> dict[str, Any]:
    """One synthesis."""
    try:
        result: dict[str, Any] = _state(request).syntheses().get(synthesis_id).to_dict()
    except KeyError:
        raise HTTPException(status_code=404, detail=f"no synthesis with id {synthesis_id!r}") from None
    return result


_AUDIT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": AuditRequest.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


@router.post("/audit", openapi_extra=_AUDIT_BODY, responses={400: {"model": Problem}, 413: {"model": Problem},
                                                            415: {"model": Problem}, 422: {"model": Problem}})
async def audit(request: Request) -> JSONResponse:
    """Audit a text (JSON ``{"text": ...}``) or an uploaded .txt/.html/.xml file (multipart ``file``).

    Returns ``{"source": ..., "claims": [...]}``. Nothing is stored.
    """
    from ldn_atlas.services import audit_text, audit_upload

    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if content_type == "application/json":
            try:
                payload = AuditRequest.model_validate(json.loads(await request.body()))
            except (ValueError, TypeError) as exc:
                raise HTTPException(status_code=422, detail=f"expected JSON {{\"text\": \"...\"}}: "
                                                            f"{str(exc).splitlines()[0]}") from None
            result = audit_text(payload.text)
        elif content_type == "multipart/form-data":
            form = await request.form(max_part_size=_state(request).max_upload_bytes)
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise HTTPException(status_code=422, detail="multipart body needs a file in the field 'file'")
            data = await upload.read()
            result = audit_upload(upload.filename or "upload.txt", data)
        else:
            raise HTTPException(status_code=415,
                                detail="send application/json {\"text\": ...} or multipart/form-data with 'file'")
    except AtlasError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    body = result.to_dict(with_links=True)
    body["source"].pop("text", None)
    return JSONResponse(body)


@router.get("/export/{fmt}", responses={404: {"model": Problem}})
def export(request: Request, fmt: str) -> Response:
    """The evidence base as ``csv`` (metafor/escalc-ready columns), ``json`` or ``fhir`` (FHIR R5 Evidence Bundle)."""
    from ldn_atlas.report.export import EXPORT_FORMATS, export_studies

    if fmt not in EXPORT_FORMATS:
        raise HTTPException(status_code=404, detail=f"unknown export format {fmt!r}; use one of "
                                                    f"{', '.join(EXPORT_FORMATS)}")
    studies = list(_state(request).store.iter_studies())
    text, media_type = export_studies(studies, fmt)
    filename = f"ldn-atlas.{'json' if fmt == 'fhir' else fmt}"
    return Response(content=text, media_type=media_type,
                    headers={"content-disposition": f'attachment; filename="{filename}"'})
