"""RDF documents of the site: one resource's description, the ontology, and the VoID + DCAT
dataset record, in Turtle, N-Triples or JSON-LD (pyoxigraph's serializers, sorted triples)."""

from __future__ import annotations

import pyoxigraph as ox

from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from .. import __version__
from ..kbfolder import NQUADS, TRIG
from ..vocab import ONTOLOGY_IRI, PREFIXES
from .kbview import KBView

RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}

LICENSE = "https://www.apache.org/licenses/LICENSE-2.0"
DCT = DCTERMS

DOC_PREFIXES = {**PREFIXES, "void": str(VOID), "dcat": str(DCAT), "dcterms": str(DCT), "foaf": str(FOAF)}


def serialize(triples, ext: str, *, base: str | None = None) -> bytes:
    prefixes = dict(DOC_PREFIXES)
    if base:
        prefixes["kb"] = base
    fmt = RDF_FORMATS[ext]
    return ox.serialize(list(triples), format=fmt, prefixes=prefixes if fmt is ox.RdfFormat.TURTLE else None)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(v, dt: str | None = None) -> ox.Literal:
    if dt:
        return ox.Literal(str(v), datatype=_n(XSD + dt))
    return ox.Literal(str(v))


def void_triples(kb: KBView, *, examples_per_class: int = 1) -> list[ox.Triple]:
    """The VoID description and DCAT record of the KB, under ``{base}.well-known/void``."""
    base = kb.base
    doc = base + ".well-known/void"
    ds = _n(doc + "#dataset")
    st = kb.stats
    t: list[ox.Triple] = []

    def add(s, p, o):
        t.append(ox.Triple(s, _n(p), o))

    add(_n(doc), RDF + "type", _n(VOID + "DatasetDescription"))
    add(_n(doc), DCT + "title", _lit("VoID and DCAT description of the newskb knowledge base"))
    add(_n(doc), FOAF + "primaryTopic", ds)
    for ty in (VOID + "Dataset", DCAT + "Dataset"):
        add(ds, RDF + "type", _n(ty))
    add(ds, DCT + "title", _lit("newskb: facts from news articles"))
    add(ds, DCT + "description", _lit(
        "Who said what, which forces went where, which figures each side claims, places and events, "
        "extracted from news articles; every fact points to the article and the characters it came from. "
        "The articles' text is not republished."))
    add(ds, DCT + "license", _n(LICENSE))
    add(ds, DCT + "creator", _lit(f"newskb {__version__}"))
    add(ds, DCAT + "landingPage", _n(base))
    for kw in ("news", "knowledge graph", "provenance", "claims", "events"):
        add(ds, DCAT + "keyword", _lit(kw))
    add(ds, VOID + "uriSpace", _lit(base))
    add(ds, VOID + "sparqlEndpoint", _n(base + "sparql"))
    add(ds, VOID + "vocabulary", _n(ONTOLOGY_IRI))
    add(ds, VOID + "triples", _lit(st["triples"], "integer"))
    add(ds, VOID + "entities", _lit(st["entities"], "integer"))
    add(ds, VOID + "documents", _lit(st["articles"], "integer"))
    add(ds, VOID + "classes", _lit(len(st["classes"]), "integer"))
    for name, media in ((NQUADS, "application/n-quads"), (TRIG, "application/trig")):
        if not (kb.dir / name).is_file():  # built with --no-dumps
            continue
        url = _n(base + "data/" + name)
        add(ds, VOID + "dataDump", url)
        dist = _n(doc + "#dist-" + name.replace(".", "-"))
        add(ds, DCAT + "distribution", dist)
        add(dist, RDF + "type", _n(DCAT + "Distribution"))
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "mediaType", _lit(media))
        add(dist, DCT + "license", _n(LICENSE))
    for a in kb.articles:  # the sources: each article and its publisher
        add(ds, DCT + "source", _n(a["iri"]))
        if a["publisher"]:
            add(ds, DCT + "contributor", _n(a["publisher"]))
    for i, (cls, n) in enumerate(sorted(st["classes"].items())):
        part = _n(doc + f"#class-{i}")
        add(ds, VOID + "classPartition", part)
        add(part, VOID + "class", _n(cls))
        add(part, VOID + "entities", _lit(n, "integer"))
    seen = set()
    for cls in sorted(st["classes"]):
        for m in st["examples"][cls][:examples_per_class]:
            if m not in seen:
                seen.add(m)
                add(ds, VOID + "exampleResource", _n(m))
    return t
