"""The FastAPI application: server-rendered pages and the REST API over one store.

Pages are rendered with the report's own Jinja2 templates (the web package only
adds what a server needs: the audit form, the source-text panel), so the web
app and the static report cannot drift apart.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ldn_atlas import __version__
from ldn_atlas.web.security import BodySizeLimitMiddleware, HeadMiddleware, SecurityHeadersMiddleware

#: Largest accepted request body (pasted text or an uploaded file).
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def _swagger_assets() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def create_app(db: str | None = None, *, max_upload_bytes: int = MAX_UPLOAD_BYTES,
               load_if_empty: bool = True, warm: bool = False) -> FastAPI:
    """Build the app.

    Parameters
    ----------
    db
        SQLite path or SQLAlchemy URL of the store (default: ``LDN_ATLAS_DB`` or the
        default SQLite file).
    max_upload_bytes
        Request bodies over this size get ``413``.
    load_if_empty
        Load the embedded evidence base into an empty store at start-up.
    warm
        Build the atlas view, the syntheses and the audit evidence during start-up, so
        that the first visitor does not wait for them (``ldn-atlas serve`` does this).
    """
    from ldn_atlas.services import source_texts
    from ldn_atlas.store import ensure_loaded, open_store
    from ldn_atlas.web.routers import api, pages
    from ldn_atlas.web.state import WebState

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(db)
        try:
            if load_if_empty:
                ensure_loaded(store)
            state = WebState(store=store, max_upload_bytes=max_upload_bytes,
                             texts=source_texts(store.list_sources()))
            if warm:
                import anyio

                await anyio.to_thread.run_sync(lambda: (state.atlas(), state.evidence()))
            app.state.atlas = state
            yield
        finally:
            store.close()

    app = FastAPI(
        title="LDN Atlas",
        version=__version__,
        description="A computable evidence atlas for low-dose naltrexone: studies with provenance, "
        "syntheses with GRADE certainty, and claim audits.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.mount("/static", StaticFiles(packages=[("ldn_atlas.web", "static"), ("ldn_atlas.report", "static")]),
              name="static")
    app.mount("/docs-assets", StaticFiles(directory=_swagger_assets()), name="docs-assets")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=max_upload_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HeadMiddleware)
    return app


def app_factory() -> Any:
    """Uvicorn factory (``uvicorn --factory ldn_atlas.web.app:app_factory``); reads ``LDN_ATLAS_DB``."""
    import os

    return create_app(os.environ.get("LDN_ATLAS_DB"))


def static_dir() -> Path:
    return Path(str(resources.files("ldn_atlas.web").joinpath("static")))
