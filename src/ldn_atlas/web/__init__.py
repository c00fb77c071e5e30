"""The web app: FastAPI pages and REST API over the atlas (``ldn-atlas serve``)."""

from ldn_atlas.web.app import MAX_UPLOAD_BYTES, create_app

__all__ = ["MAX_UPLOAD_BYTES", "create_app"]
