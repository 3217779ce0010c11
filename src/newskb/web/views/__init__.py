"""The server's views, one module per kind of resource (the routes are wired in
:mod:`newskb.server`):

- :mod:`.pages`: the HTML pages (home, entities, claims, timeline, map, query);
- :mod:`.resources`: every KB IRI and the ontology, by content negotiation;
- :mod:`.dataset`: the dataset's description (VoID and DCAT) and its dumps;
- :mod:`.queries`: the saved queries and their answers;
- :mod:`.sparql`: the SPARQL 1.1 Protocol endpoint.

Each view is an async function of the request; what the views share (the KB, the page
renderer, the query workers, the answer cache and the server's limits) is the
:class:`ServerContext` the app keeps, :func:`context` of a request.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from ...answers import AnswerCache, CachedAnswer
from ...kbfolder import STORE_DIR
from ..http import etag_matches, not_modified
from ..kbview import DOC_TYPES, KBView
from ..pages import Pages
from ..sparql import RESULT_TYPES, SERIALIZED, Answer, QueryPool, QueryRefused

ENGINE_HEADER = "X-Newskb-Engine"  # which engine answered a query: 'cache' or 'store'
RENDERED_MAX = 20_000  # rendered pages and documents kept (the KB is read-only: they never go stale)


@dataclass
class ServerContext:
    """What the views of one app share."""

    kb: KBView
    pages: Pages
    pool: QueryPool
    answers: AnswerCache | None
    max_results: int
    query_timeout: float
    rendered: dict = field(default_factory=dict)
    filler: mp.process.BaseProcess | None = None

    @classmethod
    def open(cls, kb_dir: str | Path, *, base: str | None, query_timeout: float, max_results: int, workers: int,
             cached_answers: bool) -> ServerContext:
        answers = AnswerCache(kb_dir) if cached_answers else None
        kb = KBView(kb_dir, base=base, answers=answers)
        pool = QueryPool(kb.dir / STORE_DIR, workers=workers, timeout=query_timeout, max_results=max_results)
        return cls(kb, Pages(kb), pool, answers, max_results, query_timeout)

    # ---- the app's life ---------------------------------------------------------------------
    def start(self) -> None:
        """Start the query workers and, when the answer cache lacks something, a process that
        computes it (the store answers meanwhile)."""
        self.pool.start()
        if self.answers is not None and not (self.answers.complete() and self.kb.stats_ready()):
            from .. import warmup

            self.filler = mp.get_context("spawn").Process(
                target=warmup.fill, args=(str(self.kb.dir), self.answers.version), name="newskb-answers", daemon=True)
            self.filler.start()

    def stop(self) -> None:
        if self.filler is not None and self.filler.is_alive():
            self.filler.terminate()
            self.filler.join(timeout=5)
        self.pool.close()

    # ---- rendered pages and documents ---------------------------------------------------------
    async def rendered_value(self, key: tuple, make: Callable[[], object]):
        """A rendered page or document, made in the thread pool the first time (it reads the store)."""
        if key in self.rendered:
            return self.rendered[key]
        value = await run_in_threadpool(make)
        if len(self.rendered) > RENDERED_MAX:
            self.rendered.clear()
        self.rendered[key] = value
        return value

    async def page(self, name: str) -> bytes:
        return await self.rendered_value(("page", name), lambda: getattr(self.pages, name)("/").encode("utf-8"))

    # ---- queries ------------------------------------------------------------------------------
    def cached(self, query: str, fmt: str | None) -> CachedAnswer | None:
        """The cached answer of a saved query (its name or exact text) in ``fmt``, when there is
        one. Raises :class:`QueryRefused` when it has more rows than the endpoint allows."""
        if self.answers is None or fmt is None:
            return None
        name = self.answers.saved_name(query)
        hit = self.answers.get(name, fmt) if name is not None else None
        if hit is not None and hit.rows > self.max_results:
            raise QueryRefused(f"the result has more than {self.max_results} rows, the limit of this endpoint; "
                               "add a LIMIT or narrow the query", 400)
        return hit

    async def run(self, query: str, serialize: str | None, default_graphs=(), named_graphs=()) -> Answer:
        """Run a query in the worker pool (with its time and size limits)."""
        return await self.pool.arun(query, default_graphs=list(default_graphs), named_graphs=list(named_graphs),
                                    serialize=serialize if serialize in SERIALIZED else None)


def context(request: Request) -> ServerContext:
    return request.app.state.newskb


def cached_response(request: Request, hit: CachedAnswer, **headers: str) -> Response:
    """A cached answer, or 304 Not Modified when the request names its entity tag."""
    head = {"Cache-Control": "no-cache", ENGINE_HEADER: "cache", **headers}
    if etag_matches(request.headers.get("if-none-match"), hit.etag):
        return not_modified(hit.etag, head)
    media = next((t for t in RESULT_TYPES.values() if t.split(";")[0] == hit.media_type), hit.media_type)
    return FileResponse(hit.path, media_type=media, headers={**head, "ETag": hit.etag})


def document(data: bytes, ext: str, *, vary: bool = False) -> Response:
    """A document of the site in one of :data:`DOC_TYPES`."""
    headers = {"Vary": "Accept"} if vary else {}
    if ext != "html":
        headers["Access-Control-Allow-Origin"] = "*"
    return Response(data, media_type=DOC_TYPES[ext], headers=headers)


def report(line: str) -> None:
    print(f"newskb: {line}", file=sys.stderr, flush=True)
