"""The dataset itself: its VoID and DCAT description (``/.well-known/void``, ``/void.ttl``) and
its dumps (``/data/kb.nq``, ``/data/kb.trig``, when the KB was built with them)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from ...kbfolder import NQUADS, TRIG
from .. import rdfdocs
from ..http import DATA_OFFERS, negotiate, text
from . import context, document

DUMP_TYPES = {NQUADS: "application/n-quads", TRIG: "application/trig"}


async def void(request: Request) -> Response:
    ext = negotiate(request.headers.get("accept"), DATA_OFFERS, "ttl")
    if ext is None:
        return text("not acceptable: VoID is available as text/turtle, application/ld+json, application/n-triples "
                    "and application/rdf+xml", 406)
    return document(await _void_doc(request, ext), ext, vary=True)


async def void_turtle(request: Request) -> Response:
    return document(await _void_doc(request, "ttl"), "ttl")


async def _void_doc(request: Request, ext: str) -> bytes:
    ctx = context(request)
    return await ctx.rendered_value(("void", ext), lambda: rdfdocs.serialize(rdfdocs.void_triples(ctx.kb), ext,
                                                                             base=ctx.kb.base))


async def dump(request: Request) -> Response:
    name = request.path_params["name"]
    kb = context(request).kb
    if name not in DUMP_TYPES or not (kb.dir / name).is_file():
        return text("not found", 404)
    return FileResponse(kb.dir / name, media_type=DUMP_TYPES[name], headers={"Access-Control-Allow-Origin": "*"})
