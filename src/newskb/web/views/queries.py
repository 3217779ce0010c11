"""The saved queries: ``/queries/NAME.rq`` (the SPARQL text) and ``/queries/NAME.json``, ``.xml``,
``.csv``, ``.tsv`` (the answer, from the answer cache with an entity tag, or from the store while
the cache is being filled)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ...answers import FORMATS
from ...store import query_text, saved_queries
from ..http import RequestRefused, text
from ..sparql import RESULT_TYPES, render_answer
from . import ENGINE_HEADER, cached_response, context


async def saved(request: Request) -> Response:
    ctx = context(request)
    stem, _, ext = request.path_params["name"].rpartition(".")
    if stem not in saved_queries() or (ext != "rq" and ext not in FORMATS):
        return text("no such saved query", 404)
    if ext == "rq":
        return Response(query_text(stem), media_type="application/sparql-query")
    try:
        hit = ctx.cached(stem, ext)
        if hit is not None:
            return cached_response(request, hit)
        ans = await ctx.run(query_text(stem), ext)
    except RequestRefused as exc:
        return text(str(exc), exc.status)
    return Response(render_answer(ans, ext), media_type=RESULT_TYPES[ext], headers={ENGINE_HEADER: "store"})
