"""Stage 8 — ``newskb serve``: the KB as a read-only linked-data site and SPARQL endpoint.

An ASGI app (Starlette, run by uvicorn). The KB's base IRI maps to the server root: the IRI
``{base}person/mark-rutte`` is served at ``/person/mark-rutte``. The routes, and the view
module (:mod:`newskb.web.views`) that answers each:

==================================================  ==========================================
``/``, ``/entities``, ``/claims``, ``/timeline``,   :mod:`~newskb.web.views.pages`
``/map``, ``/query``
every KB IRI, ``/ontology`` (303 by ``Accept``),    :mod:`~newskb.web.views.resources`
its version IRI, ``/ontology/context.jsonld``
``/.well-known/void``, ``/void.ttl``, ``/data/*``   :mod:`~newskb.web.views.dataset`
``/queries/NAME.rq``, ``.json``, ``.xml``, ...      :mod:`~newskb.web.views.queries`
``/sparql`` (SPARQL 1.1 Protocol, CORS preflight)   :mod:`~newskb.web.views.sparql`
``/static/*``                                       the style sheet and the query page's script
==================================================  ==========================================

This module only wires them. What the server refuses is listed in docs/security.md.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .web.http import Limits
from .web.sparql import DEFAULT_MAX_RESULTS, DEFAULT_TIMEOUT
from .web.views import ServerContext, dataset, pages, queries, resources, sparql

STATIC_DIR = Path(__file__).parent / "web" / "static"
BOTH = ["GET", "POST"]


def create_app(kb_dir: str | Path, *, base: str | None = None, query_timeout: float = DEFAULT_TIMEOUT,
               max_results: int = DEFAULT_MAX_RESULTS, workers: int = 2, cached_answers: bool = True) -> Starlette:
    """The ASGI app serving the KB folder ``kb_dir`` (built by ``newskb build``).

    ``base`` overrides the base IRI recorded in ``manifest.json``; ``query_timeout`` (seconds)
    and ``max_results`` (rows or triples) bound every SPARQL query; ``workers`` query processes.
    ``cached_answers``: answer the saved queries from the KB's answer cache
    (:mod:`newskb.answers`), filled in the background at start when needed.
    Raises ``FileNotFoundError`` when ``kb_dir`` is not a KB folder."""
    ctx = ServerContext.open(kb_dir, base=base, query_timeout=query_timeout, max_results=max_results,
                             workers=workers, cached_answers=cached_answers)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await run_in_threadpool(ctx.start)
        try:
            yield
        finally:
            await run_in_threadpool(ctx.stop)

    routes = [
        Route("/", pages.home),
        Route("/sparql", sparql.sparql, methods=[*BOTH, "OPTIONS"]),
        Route("/query", pages.query_page, methods=BOTH),
        Route("/query.html", pages.query_page, methods=BOTH),
        Route("/.well-known/void", dataset.void),
        Route("/void.ttl", dataset.void_turtle),
        Route("/data/{name}", dataset.dump),
        Route("/queries/{name}", queries.saved),
        Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
        Route("/{name:str}", pages.site_page),
        Route("/{path:path}", resources.resource),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.newskb = ctx
    app.state.kb = ctx.kb
    app.state.pool = ctx.pool
    app.add_middleware(Limits)
    return app
