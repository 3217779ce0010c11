"""The SPARQL 1.1 Protocol endpoint, ``/sparql`` (GET and POST, and the CORS preflight by
OPTIONS; read-only, no federation, bounded time and size: docs/security.md). A saved query sent as it is (its exact text, no
dataset named) is answered from the answer cache; every other query runs on the store."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..http import GRAPH_OFFERS, RESULT_OFFERS, RequestRefused, negotiate, read_body, text
from ..sparql import FORMAT_NAMES, GRAPH_TYPES, RESULT_TYPES, check_query, render_answer
from . import ENGINE_HEADER, cached_response, context

UPDATE_REFUSED = "SPARQL Update is not allowed: this endpoint is read-only"
CORS_PREFLIGHT = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                  "Access-Control-Allow-Headers": "Accept, Content-Type", "Access-Control-Max-Age": "86400"}


def _format_param(values: list[str]) -> str | None:
    """The result format a request names with ``format`` / ``output`` parameters: the first value
    given, an empty one skipped. SPARQLWrapper repeats the parameters, a short name then a media
    type, and sends an empty media type when its Accept header is ``*/*`` (``format=tsv&format=``):
    taking the last value read that as no format and answered JSON where TSV was asked."""
    return next((v.strip() for v in values if v.strip()), None)


def _one(values: list[str], name: str) -> str | None:
    """The single value of a protocol parameter; more than one is a client error (SPARQL 1.1
    Protocol: a request carries exactly one query)."""
    if len(values) > 1:
        raise RequestRefused(f"{len(values)} '{name}' parameters: give exactly one (SPARQL 1.1 Protocol)", 400)
    return values[0] if values else None


async def _request(request: Request) -> tuple[str, str | None, list[str], list[str]]:
    """The query, the format parameter and the dataset of a protocol request."""
    params = request.query_params
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    fmt_param = _format_param(params.getlist("format") + params.getlist("output"))
    if "update" in params:
        raise RequestRefused(UPDATE_REFUSED, 403)
    query = None
    if request.method == "GET":
        query = _one(params.getlist("query"), "query")
    else:
        ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        body = await read_body(request)
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                raise RequestRefused(UPDATE_REFUSED, 403)
            query = _one(form.get("query", []) + params.getlist("query"), "query")
            default_graphs += form.get("default-graph-uri", [])
            named_graphs += form.get("named-graph-uri", [])
            fmt_param = fmt_param or _format_param(form.get("format", []) + form.get("output", []))
        elif ctype == "application/sparql-query":
            query = body.decode("utf-8", "replace")
        elif ctype == "application/sparql-update":
            raise RequestRefused(UPDATE_REFUSED, 403)
        else:
            raise RequestRefused("POST a query as application/x-www-form-urlencoded (query=...) "
                                 "or as application/sparql-query", 415)
    if not query:
        raise RequestRefused("missing the 'query' parameter (SPARQL 1.1 Protocol)", 400)
    return query, fmt_param, default_graphs, named_graphs


def _format(fmt_param: str | None, accept: str | None, offers, types: dict, default: str) -> str | None:
    """The results format a request asks for: its format parameter (a name of the other kind of
    results gives the default), else its Accept header; None when nothing offered is acceptable."""
    if fmt_param:
        fmt = FORMAT_NAMES.get(fmt_param.lower())
        return fmt if fmt in types else default
    return negotiate(accept, offers, default)


async def sparql(request: Request) -> Response:
    if request.method == "OPTIONS":  # a CORS preflight: what a browser may send from elsewhere
        return Response(status_code=204, headers=CORS_PREFLIGHT)
    ctx = context(request)
    accept = request.headers.get("accept")
    headers = {"Access-Control-Allow-Origin": "*", "Vary": "Accept"}
    try:
        query, fmt_param, default_graphs, named_graphs = await _request(request)
        serialize = None
        if check_query(query) == "SELECT":
            # the results format is known before the query runs: an answer from the cache, or
            # written by pyoxigraph in the worker (no Python object per row or term)
            serialize = _format(fmt_param, accept, RESULT_OFFERS, RESULT_TYPES, "json")
            hit = None if default_graphs or named_graphs else ctx.cached(query, serialize)
            if hit is not None:
                return cached_response(request, hit, **headers)
        ans = await ctx.run(query, serialize, default_graphs, named_graphs)
    except RequestRefused as exc:
        return text(str(exc), exc.status)
    if ans.kind == "graph":
        fmt, types = _format(fmt_param, accept, GRAPH_OFFERS, GRAPH_TYPES, "ttl"), GRAPH_TYPES
    else:
        fmt, types = _format(fmt_param, accept, RESULT_OFFERS, RESULT_TYPES, "json"), RESULT_TYPES
    if fmt is None:
        return text("not acceptable: results are available as " + ", ".join(v.split(";")[0] for v in types.values()), 406)
    data = await run_in_threadpool(render_answer, ans, fmt)
    return Response(data, media_type=types[fmt], headers={**headers, ENGINE_HEADER: "store"})
