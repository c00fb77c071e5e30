"""What the web app holds for its lifetime: the store, the atlas view built from it, and rendered responses.

The server serves a snapshot of the store: the atlas view, the syntheses, the
forest plots and every rendered GET response are computed once from the store
and kept until the store changes.  Before it answers, the server compares the
store's :meth:`~ldn_atlas.store.Store.content_revision` (at most once every
``revision_interval`` seconds) and drops the snapshot when another process (an
``ldn-atlas db load`` or ``override``) has written; :meth:`WebState.refresh` does
the same at once.  Rendered responses sit in a bounded LRU cache, so arbitrary
query strings cannot grow memory without limit.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ldn_atlas.report import AtlasView
from ldn_atlas.store import Store

#: Rendered responses kept per snapshot (pages, API pages, exports); least recently used go first.
RESPONSE_CACHE_ENTRIES = 4096
#: ... and at most this many bytes of bodies in all.
RESPONSE_CACHE_BYTES = 64 * 1024 * 1024
#: Audits that may run at the same time (the others wait).
AUDIT_SLOTS = 2
#: Seconds between two checks of the store's revision (a check is one small aggregate query).
REVISION_INTERVAL = 1.0

T = TypeVar("T")


@dataclass(frozen=True)
class Rendered:
    """A rendered response body, ready to be sent again."""

    body: bytes
    media_type: str
    status_code: int = 200
    headers: tuple[tuple[str, str], ...] = ()

    def response(self) -> Response:
        return Response(self.body, status_code=self.status_code, media_type=self.media_type,
                        headers=dict(self.headers))


class ResponseCache:
    """A thread-safe LRU map from a request key to its :class:`Rendered` response, bounded in entries and bytes."""

    def __init__(self, max_entries: int = RESPONSE_CACHE_ENTRIES, max_bytes: int = RESPONSE_CACHE_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Rendered | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item

    def put(self, key: Hashable, value: Rendered) -> None:
        if len(value.body) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self._items[key] = value
            self.size += len(value.body)
            while len(self._items) > self.max_entries or self.size > self.max_bytes:
                _, evicted = self._items.popitem(last=False)
                self.size -= len(evicted.body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class WebState:
    """The open store and a lazily built atlas view, recomputed when the store's revision changes."""

    store: Store
    max_upload_bytes: int
    texts: dict[str, str] = field(default_factory=dict)
    _atlas: AtlasView | None = None
    _syntheses: Any = None
    _lock: Any = field(default_factory=threading.RLock)
    _plots: dict[str, bytes | None] = field(default_factory=dict)
    _plot_lock: threading.Lock = field(default_factory=threading.Lock)
    responses: ResponseCache = field(default_factory=ResponseCache)

    audit_slots: int = AUDIT_SLOTS
    _audit_limiter: Any = None

    _evidence: Any = None

    revision_interval: float = REVISION_INTERVAL
    _revision: str | None = None
    _checked_at: float = -math.inf
    _generation: int = 0

    def _check_due(self) -> bool:
        return time.monotonic() - self._checked_at >= self.revision_interval

    def sync(self) -> bool:
        """Drop the snapshot if the store changed since it was taken; True when it was dropped.

        The revision is read at most once every ``revision_interval`` seconds; the first read only
        records it.
        """
        if not self._check_due():
            return False
        with self._lock:
            if not self._check_due():
                return False
            revision = self.store.content_revision()
            self._checked_at = time.monotonic()
            if revision == self._revision:
                return False
            first = self._revision is None
            self._revision = revision
            if not first:
                self.refresh()
            return not first

    def evidence(self) -> dict[str, Any]:
        """The store's studies and sources, loaded once: what audits check claims against (as keyword arguments)."""
        self.sync()
        if self._evidence is None:
            with self._lock:
                if self._evidence is None:
                    self._evidence = {"studies": list(self.store.iter_studies()),
                                      "sources": self.store.list_sources()}
        evidence: dict[str, Any] = self._evidence
        return evidence

    async def run_audit(self, func: Callable[..., T], *args: Any) -> T:
        """Run an audit (CPU-bound, seconds for a long text) in a worker thread, at most ``audit_slots`` at once.

        Audits beyond that wait their turn, so a burst of large uploads cannot
        take every core (and, through the GIL, the event loop) from the cheap
        requests the server answers meanwhile.
        """
        import anyio

        if self._audit_limiter is None:
            self._audit_limiter = anyio.CapacityLimiter(self.audit_slots)
        return await anyio.to_thread.run_sync(lambda: func(*args), limiter=self._audit_limiter)

    async def cached(self, key: Hashable, render: Callable[[], Rendered]) -> Response:
        """The response for ``key``: from the cache, or rendered in the thread pool (it may query the store).

        Only successful renders are kept; ``render`` raising (an HTTP error) is not cached.
        """
        if self._check_due():
            await run_in_threadpool(self.sync)
        hit = self.responses.get(key)
        if hit is None:
            generation = self._generation
            hit = await run_in_threadpool(render)
            if hit.status_code == 200 and generation == self._generation:  # not rendered from a dropped snapshot
                self.responses.put(key, hit)
        return hit.response()

    def refresh(self) -> None:
        """Forget everything computed from the store (after the store changed)."""
        with self._lock, self._plot_lock:
            self._generation += 1
            self._atlas = None
            self._syntheses = None
            self._plots.clear()
            self._evidence = None
            self.responses.clear()

    def atlas(self) -> AtlasView:
        """The atlas view of the store's studies (built once per snapshot)."""
        self.sync()
        if self._atlas is None:
            with self._lock:
                if self._atlas is None:
                    from ldn_atlas.services import atlas_from_store

                    self._atlas = atlas_from_store(self.store, texts=self.texts, syntheses=self.syntheses().syntheses)
        return self._atlas

    def syntheses(self) -> Any:
        """The synthesis report of the appraisal stage over the store's studies (built once per snapshot)."""
        self.sync()
        if self._syntheses is None:
            with self._lock:
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
