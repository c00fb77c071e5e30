"""Server-rendered pages: the report's templates with web links, plus the audit form."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from ldn_atlas.errors import AtlasError
from ldn_atlas.report.audit_rules import rule_views
from ldn_atlas.report.html import Links, make_environment, render_page
from ldn_atlas.report.static_site import claim_segments, described_by, page_context
from ldn_atlas.report.view import slugify
from ldn_atlas.web.state import Rendered, WebState

router = APIRouter(include_in_schema=False)
LINKS = Links(root="/", suffix="")


@lru_cache(maxsize=1)
def environment() -> Environment:
    return make_environment("ldn_atlas.web")


def _state(request: Request) -> WebState:
    state: WebState = request.app.state.atlas
    return state


def _render(request: Request, template: str, status_code: int = 200, **context: Any) -> Rendered:
    atlas = _state(request).atlas()
    html = render_page(environment(), template, LINKS, **{**page_context(atlas), "web": True, **context})
    return Rendered(html.encode("utf-8"), "text/html", status_code)


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    return _render(request, template, status_code, **context).response()


def _not_found(request: Request, what: str) -> Rendered:
    return _render(request, "not_found.html", status_code=404, what=what)


async def _cached(request: Request, key: tuple[str, ...], render: Callable[[], Rendered]) -> Response:
    """A GET page from the snapshot's response cache (rendered in the thread pool on a miss)."""
    return await _state(request).cached(("page", *key), render)


@router.get("/", response_class=HTMLResponse)
async def overview(request: Request) -> Response:
    return await _cached(request, ("index",), lambda: _render(request, "index.html"))


@router.get("/index", response_class=HTMLResponse)
async def overview_alias(request: Request) -> Response:
    return await _cached(request, ("index",), lambda: _render(request, "index.html"))


@router.get("/methods", response_class=HTMLResponse)
async def methods(request: Request) -> Response:
    return await _cached(request, ("methods",), lambda: _render(request, "methods.html", audit_rules=rule_views()))


@router.get("/conditions/{slug}", response_class=HTMLResponse)
async def condition(request: Request, slug: str) -> Response:
    def render() -> Rendered:
        for view in _state(request).atlas().conditions:
            if view.slug == slug:
                return _render(request, "condition.html", c=view)
        return _not_found(request, f"condition {slug!r}")

    return await _cached(request, ("condition", slug), render)


@router.get("/studies/{slug}", response_class=HTMLResponse)
async def study(request: Request, slug: str) -> Response:
    def render() -> Rendered:
        state = _state(request)
        atlas = state.atlas()
        for view in atlas.studies:
            if view.slug == slug:
                source_id = view.study.source
                text = state.texts.get(source_id) if source_id else None
                return _render(request, "study_web.html", s=view, described_by=described_by(atlas).get(view.id, []),
                               source_text=text, source_id=source_id)
        return _not_found(request, f"study {slug!r}")

    return await _cached(request, ("study", slug), render)


@router.get("/syntheses/{slug}", response_class=HTMLResponse)
async def synthesis(request: Request, slug: str) -> Response:
    def render() -> Rendered:
        state = _state(request)
        for item in state.syntheses().syntheses:
            if slugify(item.id) == slug:
                plot_url = f"/plots/{slug}.svg" if state.forest_svg(item) is not None else None
                return _render(request, "synthesis.html", syn=item, plot_url=plot_url)
        return _not_found(request, f"synthesis {slug!r}")

    return await _cached(request, ("synthesis", slug), render)


@router.get("/plots/{slug}.svg")
async def forest_plot(request: Request, slug: str) -> Response:
    def render() -> Rendered:
        state = _state(request)
        for item in state.syntheses().syntheses:
            if slugify(item.id) == slug:
                svg = state.forest_svg(item)
                if svg is None:
                    break
                return Rendered(svg, "image/svg+xml")
        raise HTTPException(status_code=404, detail="no forest plot for this synthesis")

    return await _cached(request, ("plot", slug), render)


@router.get("/atlas.json")
async def atlas_json(request: Request) -> Response:
    def render() -> Rendered:
        return Rendered(bytes(JSONResponse(_state(request).atlas().to_dict()).body), "application/json")

    return await _cached(request, ("atlas.json",), render)


@router.get("/audit", response_class=HTMLResponse)
async def audit_form(request: Request) -> Response:
    limit_mb = _state(request).max_upload_bytes / 2**20
    return await _cached(request, ("audit",),
                         lambda: _render(request, "audit.html", result=None, error=None, limit_mb=limit_mb))


@router.post("/audit", response_class=HTMLResponse)
async def audit_submit(request: Request) -> Response:
    from ldn_atlas.services import audit_text, audit_upload

    state = _state(request)
    limit = state.max_upload_bytes
    limit_mb = limit / 2**20
    try:
        # Starlette caps a form field at 1 MB by default; the body limit (413) is the one limit users are told about.
        form = await request.form(max_part_size=limit)
        upload = form.get("file")
        data = await upload.read() if upload is not None and not isinstance(upload, str) and upload.filename else None
    except ClientDisconnect:
        return Response("the client went away before the end of the request", status_code=400)
    text = form.get("text")

    def error_page(message: str) -> Response:
        return _page(request, "audit.html", status_code=400, result=None, error=message, limit_mb=limit_mb)

    def audited(func: Any, *args: Any) -> Response:
        """Audit against the served store, and render, in a worker thread (seconds for a long text)."""
        try:
            result = func(*args, **state.evidence())
        except AtlasError as exc:
            return error_page(str(exc))
        return _page(request, "audit.html", result=result, error=None, limit_mb=limit_mb,
                     segments=claim_segments(result.source.text or "", result.claims))

    if data is not None and upload is not None and not isinstance(upload, str):
        return await state.run_audit(audited, audit_upload, upload.filename, data)
    if isinstance(text, str) and text.strip():
        return await state.run_audit(audited, audit_text, text)
    return await run_in_threadpool(error_page, "Paste some text or choose a .txt, .html or .xml file.")


@lru_cache(maxsize=1)
def _favicon() -> bytes:
    from importlib import resources

    return resources.files("ldn_atlas.web").joinpath("static", "favicon.svg").read_bytes()


@router.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico on their own; answer with the atlas icon rather than a logged 404."""
    return Response(_favicon(), media_type="image/svg+xml", headers={"cache-control": "public, max-age=86400"})


@router.get("/docs", response_class=HTMLResponse)
async def docs(request: Request) -> Response:
    """Swagger UI from local files (no CDN), initialised by a script file (no inline script)."""
    return await _cached(request, ("docs",), lambda: Rendered(
        environment().get_template("docs.html").render().encode("utf-8"), "text/html"))
