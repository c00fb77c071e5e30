"""REST API under ``/api/v1``: routers call services and the store's repository API, never SQL."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.requests import ClientDisconnect

from ldn_atlas.errors import AtlasError, InputError, NotFoundError
from ldn_atlas.model import Study
from ldn_atlas.web.state import Rendered, WebState

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


def _json(content: Any) -> Rendered:
    """JSON exactly as Starlette's JSONResponse writes it."""
    return Rendered(bytes(JSONResponse(content).body), "application/json")


def _model_json(model: BaseModel) -> Rendered:
    return Rendered(model.model_dump_json().encode(), "application/json")


@router.get("/studies", response_model=StudyPage, responses={400: {"model": Problem}})
async def list_studies(
    request: Request,
    condition: Annotated[str | None, Query(description="Label, synonym or ICD-10-CM code prefix.")] = None,
    design: Annotated[str | None, Query(description="A design tag, e.g. randomized.")] = None,
    species: Annotated[str | None, Query(description="human, animal or in-vitro.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    """Studies, filtered and paginated (an empty filter, as an HTML form sends it, means no filter)."""
    state = _state(request)
    filters = ((condition or "").strip() or None, (design or "").strip() or None, (species or "").strip() or None)

    def render() -> Rendered:
        try:
            items, total = state.store.list_studies(
                condition=filters[0], design=filters[1], species=filters[2], limit=limit, offset=offset
            )
        except InputError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from None
        return _model_json(StudyPage(items=items, total=total))

    return await state.cached(("api-studies", *filters, limit, offset), render)


@router.get("/studies/{study_id}", response_model=Study, responses={404: {"model": Problem}})
async def get_study(request: Request, study_id: str) -> Response:
    """One study with every field, its provenance and verification levels."""
    state = _state(request)

    def render() -> Rendered:
        try:
            return _model_json(state.store.get_study(study_id))
        except NotFoundError:
            raise HTTPException(status_code=404, detail=f"no study with id {study_id!r}") from None

    return await state.cached(("api-study", study_id), render)


@router.get("/conditions", response_model=list[ConditionOut])
async def list_conditions(request: Request) -> Response:
    """Conditions of the stored studies with their study counts."""
    state = _state(request)

    def render() -> Rendered:
        return _json([ConditionOut(label=c.label, code=c.code, studies=c.count).model_dump()
                      for c in state.store.conditions()])

    return await state.cached(("api-conditions",), render)


@router.get("/syntheses")
async def list_syntheses(request: Request) -> Response:
    """Every synthesis (condition x outcome) with its pooled effect, GRADE certainty and SoF row."""
    state = _state(request)

    def render() -> Rendered:
        report = state.syntheses()
        return _json({"items": [s.to_dict() for s in report.syntheses], "total": len(report.syntheses),
                      "assumptions": list(report.assumptions)})

    return await state.cached(("api-syntheses",), render)


@router.get("/syntheses/{synthesis_id}", responses={404: {"model": Problem}})
async def get_synthesis(request: Request, synthesis_id: str) -> Response:
    """One synthesis."""
    state = _state(request)

    def render() -> Rendered:
        try:
            return _json(state.syntheses().get(synthesis_id).to_dict())
        except KeyError:
            raise HTTPException(status_code=404, detail=f"no synthesis with id {synthesis_id!r}") from None

    return await state.cached(("api-synthesis", synthesis_id), render)


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
async def audit(request: Request) -> Response:
    """Audit a text (JSON ``{"text": ...}``) or an uploaded .txt/.html/.xml file (multipart ``file``).

    Returns ``{"source": ..., "claims": [...]}``. Nothing is stored.
    """
    from ldn_atlas.services import audit_text, audit_upload

    state = _state(request)

    def answer(func: Any, *args: Any) -> Rendered:
        """Audit against the served store, and serialise, in a worker thread (a long text takes seconds)."""
        body = func(*args, **state.evidence()).to_dict(with_links=True)
        body["source"].pop("text", None)
        return _json(body)

    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if content_type == "application/json":
            try:
                payload = AuditRequest.model_validate(json.loads(await request.body()))
            except (ValueError, TypeError) as exc:
                raise HTTPException(status_code=422, detail=f"expected JSON {{\"text\": \"...\"}}: "
                                                            f"{str(exc).splitlines()[0]}") from None
            rendered = await state.run_audit(answer, audit_text, payload.text)
        elif content_type == "multipart/form-data":
            form = await request.form(max_part_size=state.max_upload_bytes)
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise HTTPException(status_code=422, detail="multipart body needs a file in the field 'file'")
            data = await upload.read()
            rendered = await state.run_audit(answer, audit_upload, upload.filename or "upload.txt", data)
        else:
            raise HTTPException(status_code=415,
                                detail="send application/json {\"text\": ...} or multipart/form-data with 'file'")
    except AtlasError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    except ClientDisconnect:
        raise HTTPException(status_code=400, detail="the client went away before the end of the request") from None
    return rendered.response()


@router.get("/export/{fmt}", responses={404: {"model": Problem}})
async def export(request: Request, fmt: str) -> Response:
    """The evidence base as ``csv`` (metafor/escalc-ready columns), ``json`` or ``fhir`` (FHIR R5 Evidence Bundle)."""
    from ldn_atlas.report.export import EXPORT_FORMATS, export_studies

    if fmt not in EXPORT_FORMATS:
        raise HTTPException(status_code=404, detail=f"unknown export format {fmt!r}; use one of "
                                                    f"{', '.join(EXPORT_FORMATS)}")
    state = _state(request)

    def render() -> Rendered:
        text, media_type = export_studies(list(state.store.iter_studies()), fmt)
        filename = f"ldn-atlas.{'json' if fmt == 'fhir' else fmt}"
        rendered = Response(content=text, media_type=media_type)  # the charset Starlette adds to text types
        return Rendered(bytes(rendered.body), rendered.media_type or media_type,
                        headers=(("content-disposition", f'attachment; filename="{filename}"'),))

    return await state.cached(("api-export", fmt), render)
