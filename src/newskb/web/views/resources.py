"""Every KB IRI and the ontology, dereferenceable: the IRI answers with a **303 See Other** to
the document that suits the request's ``Accept`` header (HTML, Turtle, JSON-LD, N-Triples,
RDF/XML)::

    /person/mark-rutte        303 -> /person/mark-rutte.html | .ttl | .jsonld | .nt | .rdf
    /ontology                 303 -> /ontology.html | .ttl | .jsonld | .nt | .rdf  (terms are hash IRIs)
    /ontology/0.1.0           200: the ontology's version IRI answers with that version's document
    /ontology/context.jsonld  the JSON-LD context every JSON-LD document refers to
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from ...export import CONTEXT_FILE, context_path
from .. import rdfdocs
from ..http import RDF_OFFERS, negotiate, text
from ..kbview import DOC_TYPES
from . import context, document

OFFERED = "text/html, text/turtle, application/ld+json, application/n-triples and application/rdf+xml"


async def ontology(request: Request) -> Response:
    ext = negotiate(request.headers.get("accept"), RDF_OFFERS, "html")
    if ext is None:
        return text(f"not acceptable: the ontology is available as {OFFERED}", 406)
    return RedirectResponse(f"/ontology.{ext}", status_code=303, headers={"Vary": "Accept"})


async def ontology_version(request: Request) -> Response:
    """The version IRI (``owl:versionIRI``): this version's ontology document, by ``Accept``."""
    ctx = context(request)
    ext = negotiate(request.headers.get("accept"), RDF_OFFERS, "html")
    if ext is None:
        return text(f"not acceptable: the ontology is available as {OFFERED}", 406)
    resp = document(await ctx.rendered_value(("ontology", ext), lambda: _ontology_doc(ctx, ext)), ext, vary=True)
    resp.headers["Content-Location"] = f"/ontology.{ext}"
    return resp


def jsonld_context() -> Response:
    return FileResponse(context_path(), media_type=DOC_TYPES["jsonld"], headers={"Access-Control-Allow-Origin": "*"})


async def resource(request: Request) -> Response:
    """Any other path: the ontology's documents, a KB IRI (303) or one of its documents."""
    ctx = context(request)
    kb = ctx.kb
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("latin-1").lstrip("/")
    if path == "ontology":
        return await ontology(request)
    stem, dot, ext = path.rpartition(".")
    if stem == "ontology" and ext in DOC_TYPES:
        return document(await ctx.rendered_value(("ontology", ext), lambda: _ontology_doc(ctx, ext)), ext)
    if path == "ontology/" + CONTEXT_FILE:
        return jsonld_context()
    if path == kb.ontology_version_path:
        return await ontology_version(request)
    iri = kb.iri_of(path)
    if kb.exists(iri):
        ext = negotiate(request.headers.get("accept"), RDF_OFFERS, "html")
        if ext is None:
            return text(f"not acceptable: resources are available as {OFFERED}", 406)
        return RedirectResponse(f"/{path}.{ext}", status_code=303, headers={"Vary": "Accept"})
    if dot and ext in DOC_TYPES and kb.exists(kb.iri_of(stem)):
        iri = kb.iri_of(stem)
        return document(await ctx.rendered_value(("doc", iri, ext), lambda: _resource_doc(ctx, iri, ext)), ext)
    return text(f"not found: no resource {iri} in this knowledge base", 404)


def _ontology_doc(ctx, ext: str) -> bytes:
    if ext == "html":
        return ctx.pages.ontology("/").encode("utf-8")
    return rdfdocs.serialize(ctx.kb.ontology_triples(), ext)


def _resource_doc(ctx, iri: str, ext: str) -> bytes:
    if ext == "html":
        return ctx.pages.resource(iri, "/").encode("utf-8")
    return rdfdocs.serialize(ctx.kb.description(iri), ext, base=ctx.kb.base)
