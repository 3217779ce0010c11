"""Stage 8 — ``newskb serve``: the KB as a read-only linked-data site and SPARQL endpoint.

An ASGI app (Starlette, run by uvicorn). The KB's base IRI maps to the server root: the IRI
``{base}person/mark-rutte`` is served at ``/person/mark-rutte``. Every KB IRI answers with a
**303 See Other** to the document that suits the request's ``Accept`` header::

    /person/mark-rutte        303 -> /person/mark-rutte.html | .ttl | .jsonld | .nt
    /ontology                 303 -> /ontology.html | .ttl | .jsonld | .nt  (terms are hash IRIs)

Other routes: ``/sparql`` (SPARQL 1.1 Protocol, GET and POST), ``/.well-known/void`` (VoID +
DCAT), the pages ``/``, ``/entities``, ``/claims``, ``/timeline``, ``/map``, ``/query``, the dumps
``/data/kb.nq`` and ``/data/kb.trig``, saved queries ``/queries/NAME.rq`` and ``/static/*``.
What the server refuses is listed in docs/security.md.
"""

from __future__ import annotations

import contextlib
import sys
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .columnar import BackgroundReplica, ReplicaError, TooManyRows
from .export import CONTEXT_FILE, context_path
from .store import QueryError, Results, query_text, saved_queries
from .web import rdfdocs
from .web.kbview import DOC_TYPES, KBView
from .web.pages import Pages, page_for_path
from .web.sparql import (DEFAULT_MAX_RESULTS, DEFAULT_TIMEOUT, FORMAT_NAMES, GRAPH_TYPES, RESULT_TYPES,
                         SERIALIZED, Answer, QueryPool, QueryRefused, check_query, render_answer)

MAX_BODY = 64 * 1024          # bytes of a request body (a query or a form)
MAX_URL = 16 * 1024           # bytes of path + query string
ENGINE_HEADER = "X-Newskb-Engine"  # which engine answered a query: 'columnar' (the replica) or 'store'
STATIC_DIR = Path(__file__).parent / "web" / "static"

# (media type, document extension); the first offer of an extension is the type it is served as
RDF_OFFERS = [("text/html", "html"), ("application/xhtml+xml", "html"), ("text/turtle", "ttl"),
              ("application/ld+json", "jsonld"), ("application/n-triples", "nt"), ("application/rdf+xml", "rdf"),
              ("application/x-turtle", "ttl"), ("text/n3", "ttl"), ("application/json", "jsonld"),
              ("application/xml", "rdf"), ("text/plain", "nt")]
DATA_OFFERS = [o for o in RDF_OFFERS if o[1] != "html"]
RETRY_AFTER = "5"  # seconds a client should wait after a 503 (busy, or a query stopped at the time limit)
RESULT_OFFERS = [("application/sparql-results+json", "json"), ("application/json", "json"),
                 ("application/sparql-results+xml", "xml"), ("application/xml", "xml"), ("text/xml", "xml"),
                 ("text/csv", "csv"), ("text/tab-separated-values", "tsv"), ("text/plain", "tsv")]
GRAPH_OFFERS = [("text/turtle", "ttl"), ("application/n-triples", "nt"), ("application/ld+json", "jsonld"),
                ("application/rdf+xml", "rdfxml"), ("application/x-turtle", "ttl"), ("text/n3", "ttl"),
                ("application/json", "jsonld"), ("text/plain", "nt")]


def negotiate(accept: str | None, offers: list[tuple[str, str]], default: str) -> str | None:
    """The key of the best offer for an Accept header (q-values, ``type/*``, ``*/*``); the
    default when the header is absent; None when nothing offered is acceptable.

    ``q=0`` means "not acceptable" (RFC 9110, 12.4.2), also through an alias: a key whose served
    type (its first offer) the client refuses is not chosen by another of its media types
    (``application/ld+json;q=0, application/*`` gets no JSON-LD)."""
    if not accept or not accept.strip():
        return default
    ranges = []
    for part in accept.split(","):
        items = [x.strip() for x in part.split(";")]
        q = 1.0
        for it in items[1:]:
            name, _, value = it.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if items[0]:
            ranges.append((items[0].lower(), q))

    def quality(offer: str) -> tuple[int, float]:
        spec, q = -1, 0.0
        for mt, mq in ranges:  # the most specific matching range gives the offer's quality
            s = 2 if mt == offer else 1 if (mt.endswith("/*") and offer.startswith(mt[:-1])) else 0 if mt == "*/*" else -1
            if s > spec:
                spec, q = s, mq
        return spec, q

    refused = set()
    for key in dict.fromkeys(k for _, k in offers):
        served = next(o for o, k in offers if k == key)
        spec, q = quality(served)
        if spec >= 0 and q <= 0:
            refused.add(key)
    best, best_q = None, 0.0
    for offer, key in offers:  # earlier offers win ties
        spec, q = quality(offer)
        if spec >= 0 and q > best_q and key not in refused:
            best, best_q = key, q
    return best


class _Limits:
    """ASGI middleware: refuse oversized URLs and bodies before a route sees them, and add
    security headers to every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if len(scope.get("raw_path", b"")) + len(scope.get("query_string", b"")) > MAX_URL:
            return await PlainTextResponse(f"request URL too long; the limit is {MAX_URL} bytes", 414)(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        cl = headers.get(b"content-length")
        if cl is not None:
            try:
                n = int(cl)
            except ValueError:
                return await PlainTextResponse("bad Content-Length", 400)(scope, receive, send)
            if n > MAX_BODY:
                return await PlainTextResponse(f"request body too large: {n} bytes; the limit is {MAX_BODY}", 413)(scope, receive, send)
        seen = 0

        async def limited_receive():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > MAX_BODY:
                    raise _TooLarge()
            return msg

        async def send_with_headers(msg):
            if msg["type"] == "http.response.start":
                h = list(msg.get("headers", []))
                h += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                      (b"x-frame-options", b"DENY"),
                      (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                                   b"script-src 'self'; connect-src 'self'; frame-ancestors 'none'")]
                msg = dict(msg, headers=h)
            await send(msg)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _TooLarge:
            await PlainTextResponse(f"request body too large; the limit is {MAX_BODY} bytes", 413)(scope, receive, send)


class _TooLarge(Exception):
    pass


def _text(msg: str, status: int) -> PlainTextResponse:
    headers = {"Retry-After": RETRY_AFTER} if status == 503 else None
    return PlainTextResponse(msg.rstrip() + "\n", status, headers=headers)


def _format_param(values: list[str]) -> str | None:
    """The result format a request names with ``format`` / ``output`` parameters: the first value
    given, an empty one skipped. SPARQLWrapper repeats the parameters, a short name then a media
    type, and sends an empty media type when its Accept header is ``*/*`` (``format=tsv&format=``):
    taking the last value read that as no format and answered JSON where TSV was asked."""
    return next((v.strip() for v in values if v.strip()), None)


CORS_PREFLIGHT = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                  "Access-Control-Allow-Headers": "Accept, Content-Type", "Access-Control-Max-Age": "86400"}


def _one(values: list[str], name: str) -> str | None:
    """The single value of a protocol parameter; more than one is a client error (SPARQL 1.1
    Protocol: a request carries exactly one query)."""
    if len(values) > 1:
        raise QueryRefused(f"{len(values)} '{name}' parameters: give exactly one (SPARQL 1.1 Protocol)", 400)
    return values[0] if values else None


async def _body(request: Request) -> bytes:
    chunks, n = [], 0
    async for chunk in request.stream():
        n += len(chunk)
        if n > MAX_BODY:
            raise QueryRefused(f"request body too large; the limit is {MAX_BODY} bytes", 413)
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(kb_dir: str | Path, *, base: str | None = None, query_timeout: float = DEFAULT_TIMEOUT,
               max_results: int = DEFAULT_MAX_RESULTS, workers: int = 2, columnar: bool = True) -> Starlette:
    """The ASGI app serving the KB folder ``kb_dir`` (built by ``newskb build``).

    ``base`` overrides the base IRI recorded in ``manifest.json``; ``query_timeout`` (seconds)
    and ``max_results`` (rows or triples) bound every SPARQL query; ``workers`` query processes.
    ``columnar``: build the columnar replica (:mod:`newskb.columnar`) in the background at start
    and answer the saved queries from it once it is ready (JSON, CSV and TSV; the same bytes).
    Raises ``FileNotFoundError`` when ``kb_dir`` is not a KB folder."""
    kb = KBView(kb_dir, base=base)
    pages = Pages(kb)
    pool = QueryPool(kb.dir / "store", workers=workers, timeout=query_timeout, max_results=max_results)
    replica = BackgroundReplica(kb.store, report=lambda line: print(f"newskb: {line}", file=sys.stderr)) \
        if columnar else None

    async def answer(query: str, serialize: str | None, default_graphs=(), named_graphs=()) -> tuple[Answer, str]:
        """Run a query: a saved one from the columnar replica when it is ready and the request
        names no dataset, else in the worker pool. Returns the answer and the engine's name."""
        ready = replica.replica if replica is not None else None
        if ready is not None and serialize in SERIALIZED and not default_graphs and not named_graphs:
            name = ready.saved_name(query)
            if name is not None:
                try:
                    data = await run_in_threadpool(ready.select_serialized, name, SERIALIZED[serialize],
                                                   max_rows=max_results, wait=query_timeout)
                except TooManyRows:
                    raise QueryRefused(f"the result has more than {max_results} rows, the limit of this endpoint; "
                                       "add a LIMIT or narrow the query", 400) from None
                except ReplicaError as exc:  # the store answers instead (busy: its workers, with their limits)
                    print(f"newskb: columnar replica: {exc}; answered by the store", file=sys.stderr)
                else:
                    return Answer("solutions", variables=ready.variables(name), data=data,
                                  data_format=serialize), "columnar"
        ans = await pool.arun(query, default_graphs=list(default_graphs), named_graphs=list(named_graphs),
                              serialize=serialize)
        return ans, "store"

    cache: dict[tuple, object] = {}  # the KB is read-only: rendered pages and documents never go stale

    def cached(key: tuple, make):
        """A cached value, computed in the thread pool the first time (pages hit the store)."""
        async def get():
            if key in cache:
                return cache[key]
            value = await run_in_threadpool(make)
            if len(cache) > 20000:
                cache.clear()
            cache[key] = value
            return value
        return get()

    def page(name: str):
        return cached(("page", name), lambda: getattr(pages, name)("/"))

    def resource_doc(iri: str, ext: str):
        def make() -> bytes:
            if ext == "html":
                return pages.resource(iri, "/").encode("utf-8")
            return rdfdocs.serialize(kb.description(iri), ext, base=kb.base)
        return cached(("doc", iri, ext), make)

    @lru_cache(maxsize=8)
    def ontology_doc(ext: str) -> bytes:
        if ext == "html":
            return pages.ontology("/").encode("utf-8")
        return rdfdocs.serialize(kb.ontology_triples(), ext)

    @lru_cache(maxsize=8)
    def void_doc(ext: str) -> bytes:
        return rdfdocs.serialize(rdfdocs.void_triples(kb), ext, base=kb.base)

    def doc_response(data: bytes, ext: str, *, vary: bool = False) -> Response:
        headers = {"Vary": "Accept"} if vary else {}
        if ext != "html":
            headers["Access-Control-Allow-Origin"] = "*"
        return Response(data, media_type=DOC_TYPES[ext], headers=headers)

    async def home(request: Request) -> Response:
        return Response(await page("index"), media_type=DOC_TYPES["html"])

    async def site_page(request: Request) -> Response:
        name = page_for_path(request.path_params["name"])
        if name is None or name in ("ontology",):
            return await resource(request)
        if name == "query":
            return await query_page(request)
        return Response(await page(name), media_type=DOC_TYPES["html"])

    async def query_page(request: Request) -> Response:
        if request.method == "GET" and "query" not in request.query_params:
            return Response(await page("query"), media_type=DOC_TYPES["html"])
        try:
            if request.method == "POST":
                form = parse_qs((await _body(request)).decode("utf-8", "replace"))
                sparql = (form.get("query") or [""])[0]
            else:
                sparql = request.query_params.get("query", "")
            result, error, status = None, "", 200
            try:
                if check_query(sparql) != "SELECT":
                    raise QueryRefused("the query page shows SELECT results; use /sparql for other forms", 400)
                ans = await pool.arun(sparql)
                result = Results(ans.variables, ans.rows)
            except QueryRefused as exc:
                error, status = str(exc), exc.status
        except QueryRefused as exc:
            return _text(str(exc), exc.status)
        html = await run_in_threadpool(pages.query, "/", sparql=sparql, result=result, error=error)
        return Response(html, status_code=status, media_type=DOC_TYPES["html"])

    async def ontology(request: Request) -> Response:
        ext = negotiate(request.headers.get("accept"), RDF_OFFERS, "html")
        if ext is None:
            return _text("not acceptable: the ontology is available as text/html, text/turtle, "
                         "application/ld+json and application/n-triples", 406)
        return RedirectResponse(f"/ontology.{ext}", status_code=303, headers={"Vary": "Accept"})

    async def void(request: Request) -> Response:
        ext = negotiate(request.headers.get("accept"), DATA_OFFERS, "ttl")
        if ext is None:
            return _text("not acceptable: VoID is available as text/turtle, application/ld+json and application/n-triples", 406)
        return doc_response(await run_in_threadpool(void_doc, ext), ext, vary=True)

    async def dump(request: Request) -> Response:
        name = request.path_params["name"]
        types = {"kb.nq": "application/n-quads", "kb.trig": "application/trig"}
        if name not in types or not (kb.dir / name).is_file():
            return _text("not found", 404)
        return FileResponse(kb.dir / name, media_type=types[name], headers={"Access-Control-Allow-Origin": "*"})

    async def saved(request: Request) -> Response:
        name = request.path_params["name"]
        stem, _, ext = name.rpartition(".")
        if stem not in saved_queries() or ext not in ("rq", "json"):
            return _text("no such saved query", 404)
        if ext == "rq":
            return Response(query_text(stem), media_type="application/sparql-query")
        try:
            ans, engine = await answer(query_text(stem), "json")
        except QueryRefused as exc:
            return _text(str(exc), exc.status)
        return Response(render_answer(ans, "json"), media_type=RESULT_TYPES["json"],
                        headers={ENGINE_HEADER: engine})

    async def resource(request: Request) -> Response:
        raw = request.scope.get("raw_path") or request.url.path.encode()
        path = raw.decode("latin-1").lstrip("/")
        if path in ("ontology",):
            return await ontology(request)
        stem, dot, ext = path.rpartition(".")
        if stem == "ontology" and ext in DOC_TYPES:
            return doc_response(await run_in_threadpool(ontology_doc, ext), ext)
        if path == "ontology/" + CONTEXT_FILE:  # the JSON-LD context every JSON-LD document refers to
            return FileResponse(context_path(), media_type=DOC_TYPES["jsonld"],
                                headers={"Access-Control-Allow-Origin": "*"})
        if path == kb.ontology_version_path:  # the version IRI: this version's ontology document
            ext = negotiate(request.headers.get("accept"), RDF_OFFERS, "html")
            if ext is None:
                return _text("not acceptable: the ontology is available as text/html, text/turtle, "
                             "application/ld+json, application/n-triples and application/rdf+xml", 406)
            resp = doc_response(await run_in_threadpool(ontology_doc, ext), ext, vary=True)
            resp.headers["Content-Location"] = f"/ontology.{ext}"
            return resp
        iri = kb.iri_of(path)
        if kb.exists(iri):
            ext = negotiate(request.headers.get("accept"), RDF_OFFERS, "html")
            if ext is None:
                return _text("not acceptable: resources are available as text/html, text/turtle, "
                             "application/ld+json, application/n-triples and application/rdf+xml", 406)
            return RedirectResponse(f"/{path}.{ext}", status_code=303, headers={"Vary": "Accept"})
        if dot and ext in DOC_TYPES and kb.exists(kb.iri_of(stem)):
            return doc_response(await resource_doc(kb.iri_of(stem), ext), ext)
        return _text(f"not found: no resource {iri} in this knowledge base", 404)

    async def sparql(request: Request) -> Response:
        try:
            params = request.query_params
            query = None
            default_graphs = params.getlist("default-graph-uri")
            named_graphs = params.getlist("named-graph-uri")
            fmt_param = _format_param(params.getlist("format") + params.getlist("output"))
            if "update" in params:
                raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only", 403)
            if request.method == "OPTIONS":  # a CORS preflight: what a browser may send from elsewhere
                return Response(status_code=204, headers=CORS_PREFLIGHT)
            if request.method == "GET":
                query = _one(params.getlist("query"), "query")
            else:
                ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
                body = await _body(request)
                if ctype == "application/x-www-form-urlencoded":
                    form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                    if "update" in form:
                        raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only", 403)
                    query = _one(form.get("query", []) + params.getlist("query"), "query")
                    default_graphs += form.get("default-graph-uri", [])
                    named_graphs += form.get("named-graph-uri", [])
                    fmt_param = fmt_param or _format_param(form.get("format", []) + form.get("output", []))
                elif ctype == "application/sparql-query":
                    query = body.decode("utf-8", "replace")
                elif ctype == "application/sparql-update":
                    raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only", 403)
                else:
                    raise QueryRefused("POST a query as application/x-www-form-urlencoded (query=...) "
                                       "or as application/sparql-query", 415)
            if not query:
                raise QueryRefused("missing the 'query' parameter (SPARQL 1.1 Protocol)", 400)
            serialize = None
            if check_query(query) == "SELECT":
                # the results format is known before the query runs: JSON, CSV and TSV are then
                # written by pyoxigraph in the worker (no Python object per row or term)
                fmt = (FORMAT_NAMES.get(fmt_param.lower()) if fmt_param
                       else negotiate(request.headers.get("accept"), RESULT_OFFERS, "json"))
                if fmt_param and fmt not in RESULT_TYPES:
                    fmt = "json"
                serialize = fmt if fmt in SERIALIZED else None
            ans, engine = await answer(query, serialize, default_graphs, named_graphs)
        except QueryRefused as exc:
            return _text(str(exc), exc.status)
        accept = request.headers.get("accept")
        if ans.kind == "graph":
            fmt = FORMAT_NAMES.get((fmt_param or "").lower()) if fmt_param else negotiate(accept, GRAPH_OFFERS, "ttl")
            types = GRAPH_TYPES
        else:
            fmt = FORMAT_NAMES.get((fmt_param or "").lower()) if fmt_param else negotiate(accept, RESULT_OFFERS, "json")
            types = RESULT_TYPES
        if fmt_param and fmt not in types:
            fmt = "ttl" if ans.kind == "graph" else "json"  # a format name of the other kind: use the default
        if fmt is None:
            return _text("not acceptable: results are available as " + ", ".join(v.split(";")[0] for v in types.values()), 406)
        data = await run_in_threadpool(render_answer, ans, fmt)
        return Response(data, media_type=types[fmt], headers={"Access-Control-Allow-Origin": "*", "Vary": "Accept",
                                                              ENGINE_HEADER: engine})

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await run_in_threadpool(pool.start)
        if replica is not None:
            replica.start()
        try:
            yield
        finally:
            await run_in_threadpool(pool.close)

    routes = [
        Route("/", home),
        Route("/sparql", sparql, methods=["GET", "POST", "OPTIONS"]),
        Route("/query", query_page, methods=["GET", "POST"]),
        Route("/query.html", query_page, methods=["GET", "POST"]),
        Route("/.well-known/void", void),
        Route("/void.ttl", lambda r: doc_response(void_doc("ttl"), "ttl")),
        Route("/data/{name}", dump),
        Route("/queries/{name}", saved),
        Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
        Route("/{name:str}", site_page),
        Route("/{path:path}", resource),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.kb = kb
    app.state.pool = pool
    app.state.replica = replica
    app.add_middleware(_Limits)
    return app


# ---- CLI ------------------------------------------------------------------------------------
def register(subparsers) -> None:
    s = subparsers.add_parser("serve", help="serve a KB as linked data, HTML pages and a SPARQL endpoint")
    s.add_argument("--kb", default="kb", help="the KB folder (default kb)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    s.add_argument("--base", help="base IRI served at the root (default: the KB's manifest base)")
    s.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help=f"SPARQL query time limit in seconds (default {DEFAULT_TIMEOUT:g})")
    s.add_argument("--max-results", type=int, default=DEFAULT_MAX_RESULTS, help=f"most rows or triples a query may return (default {DEFAULT_MAX_RESULTS})")
    s.add_argument("--workers", type=int, default=2, help="SPARQL worker processes (default 2)")
    s.add_argument("--no-columnar", dest="columnar", action="store_false",
                   help="answer the saved queries from the store only (default: from the columnar replica, "
                        "built in the background at start, once it is ready)")
    s.add_argument("--access-log", action="store_true", help="log every request")
    s.set_defaults(func=run)


def run(args) -> int:
    import uvicorn

    try:
        app = create_app(args.kb, base=args.base, query_timeout=args.timeout, max_results=args.max_results,
                         workers=args.workers, columnar=args.columnar)
    except (FileNotFoundError, QueryError, ValueError) as exc:
        print(f"newskb: {exc}", file=sys.stderr)
        return 2
    print(f"newskb: serving {args.kb} (base {app.state.kb.base}) at http://{args.host}:{args.port}/", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, access_log=args.access_log, log_level="warning",
                h11_max_incomplete_event_size=MAX_URL + 8192)
    return 0
