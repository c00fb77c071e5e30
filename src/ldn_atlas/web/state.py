"""What the web app holds for its lifetime: the store and the atlas view built from it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from ldn_atlas.report import AtlasView
from ldn_atlas.store import Store


@dataclass
class WebState:
    """The open store and a lazily built, cached atlas view (the store is read-only while serving)."""

    store: Store
    max_upload_bytes: int
    texts: dict[str, str] = field(default_factory=dict)
    _atlas: AtlasView | None = None
    _syntheses: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _plots: dict[str, bytes | None] = field(default_factory=dict)
    _plot_lock: threading.Lock = field(default_factory=threading.Lock)

    def atlas(self) -> AtlasView:
        if self._atlas is None:
            with self._lock:
                if self._atlas is None:
                    from ldn_atlas.services import atlas_from_store

                    self._atlas = atlas_from_store(self.store, texts=self.texts, syntheses=self.syntheses().syntheses)
        return self._atlas

    def syntheses(self) -> Any:
        """The synthesis report of the appraisal stage over the store's studies (cached)."""
        if self._syntheses is None:
            from ldn_atlas.services import syntheses_from_store

            self._syntheses = syntheses_from_store(self.store)
        return self._syntheses

    def forest_svg(self, synthesis: Any) -> bytes | None:
        """The forest plot of a synthesis as SVG (``None`` when it has nothing to draw), drawn once.

        Drawing goes through matplotlib, whose pyplot state is not thread-safe, and
        sync endpoints run in a thread pool: one lock serialises the drawing.
        """
        with self._plot_lock:
            if synthesis.id not in self._plots:
                from ldn_atlas.report.plots import synthesis_forest_svg

                self._plots[synthesis.id] = synthesis_forest_svg(synthesis)
            return self._plots[synthesis.id]
