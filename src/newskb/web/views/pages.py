"""The HTML pages: the home page, the site's pages (``/entities``, ``/claims``, ``/timeline``,
``/map``) and the query page, which runs a SELECT query without JavaScript."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ...store import Results
from ..http import RequestRefused, read_body, text
from ..kbview import DOC_TYPES
from ..pages import page_for_path
from ..sparql import check_query
from . import context
from .resources import resource


async def home(request: Request) -> Response:
    return Response(await context(request).page("index"), media_type=DOC_TYPES["html"])


async def site_page(request: Request) -> Response:
    """``/NAME``: a page of the site, or else a KB IRI one segment long."""
    name = page_for_path(request.path_params["name"])
    if name is None or name == "ontology":
        return await resource(request)
    if name == "query":
        return await query_page(request)
    return Response(await context(request).page(name), media_type=DOC_TYPES["html"])


async def query_page(request: Request) -> Response:
    ctx = context(request)
    if request.method == "GET" and "query" not in request.query_params:
        return Response(await ctx.page("query"), media_type=DOC_TYPES["html"])
    try:
        if request.method == "POST":
            form = parse_qs((await read_body(request)).decode("utf-8", "replace"))
            sparql = (form.get("query") or [""])[0]
        else:
            sparql = request.query_params.get("query", "")
    except RequestRefused as exc:
        return text(str(exc), exc.status)
    result, error, status = None, "", 200
    try:
        if check_query(sparql) != "SELECT":
            raise RequestRefused("the query page shows SELECT results; use /sparql for other forms", 400)
        ans = await ctx.run(sparql, None)
        result = Results(ans.variables, ans.rows)
    except RequestRefused as exc:
        error, status = str(exc), exc.status
    html = await run_in_threadpool(ctx.pages.query, "/", sparql=sparql, result=result, error=error)
    return Response(html, status_code=status, media_type=DOC_TYPES["html"])
