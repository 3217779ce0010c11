"""RDF documents of the site: one resource's description, the ontology, and the VoID + DCAT
dataset record, in Turtle, N-Triples, RDF/XML (pyoxigraph's serializers, sorted triples) or
compact JSON-LD (:func:`compact_jsonld`: the published context ``ontology/context.jsonld`` by
reference, one node object per subject)."""

from __future__ import annotations

import json

import pyoxigraph as ox
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from .. import __version__
from ..export import CONTEXT_FILE, jsonld_context
from ..kbfolder import NQUADS, TRIG
from ..vocab import DATASET_PREFIXES, KB_BASE, ONTOLOGY_IRI, PREFIXES, RDF_TYPE, XSD_STRING
from .kbview import KBView

RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
}

LICENSE = "https://www.apache.org/licenses/LICENSE-2.0"
DCT = DCTERMS

DOC_PREFIXES = {**PREFIXES, **DATASET_PREFIXES}

# the parts of the dataset VoID counts as subsets (KBView.stats ``parts``): title, what they hold
SUBSETS = {"articles": ("The article graphs", "one named graph per article, merged"),
           "ontology": ("The newskb ontology", "the ontology's own graph"),
           "inferred": ("Inferred triples", "class memberships and inverse and transitive properties "
                                            "inferred by 'newskb reason'")}


def context_iri(base: str | None = None) -> str:
    """Where the JSON-LD context is published: ``ontology/context.jsonld`` under the KB's base IRI
    (the server and the static site serve it at that path)."""
    return (base or KB_BASE) + "ontology/" + CONTEXT_FILE


def serialize(triples, ext: str, *, base: str | None = None) -> bytes:
    if ext == "jsonld":
        return compact_jsonld(triples, base=base)
    prefixes = dict(DOC_PREFIXES)
    if base:
        prefixes["kb"] = base
    fmt = RDF_FORMATS[ext]
    return ox.serialize(list(triples), format=fmt,
                        prefixes=prefixes if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None)


def compact_jsonld(triples, *, base: str | None = None) -> bytes:
    """Triples (no blank nodes) as compact JSON-LD 1.1 with the published context by reference:
    ``{"@context": ".../ontology/context.jsonld", "@graph": [{"@id": "kb:person/x", ...}]}``.
    IRIs become compact IRIs ``prefix:rest`` with the context's longest matching prefix; a literal
    keeps its datatype (``{"@value": "12", "@type": "xsd:integer"}``) and a plain string stays a
    string, so expanding the document gives back the same triples (tests check this with pyld).
    A KB under another base than the context's adds its ``kb`` in a second, local context."""
    terms = {k: v for k, v in jsonld_context()["@context"].items() if not k.startswith("@")}
    local = {"kb": base} if base and base != terms.get("kb") else {}
    terms.update(local)
    compact = _Compactor(terms)
    nodes: dict[str, dict[str, list]] = {}
    for t in triples:
        if not isinstance(t.subject, ox.NamedNode):
            raise ValueError(f"a blank node has no place in a newskb document: {t}")
        props = nodes.setdefault(t.subject.value, {})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            props.setdefault("@type", []).append(compact.iri(t.object.value))
        else:
            props.setdefault(compact.iri(t.predicate.value), []).append(compact.value(t.object))
    graph = []
    for s in sorted(nodes):
        node: dict[str, object] = {"@id": compact.iri(s)}
        for key in sorted(nodes[s], key=lambda k: (k != "@type", k)):
            values = sorted(nodes[s][key], key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
            node[key] = values[0] if len(values) == 1 else values
        graph.append(node)
    ctx = context_iri(base if local else None)
    doc = {"@context": [ctx, local] if local else ctx, "@graph": graph}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


class _Compactor:
    """Terms as JSON-LD compact IRIs and values, by a context's prefixes."""

    def __init__(self, terms: dict[str, str]):
        self.by_length = sorted(terms.items(), key=lambda kv: -len(kv[1]))

    def iri(self, value: str) -> str:
        for prefix, ns in self.by_length:
            if value.startswith(ns) and len(value) > len(ns) and not value[len(ns):].startswith("//"):
                return f"{prefix}:{value[len(ns):]}"
        return value

    def value(self, t) -> object:
        if isinstance(t, ox.NamedNode):
            return {"@id": self.iri(t.value)}
        if not isinstance(t, ox.Literal):
            raise ValueError(f"a blank node has no place in a newskb document: {t}")
        if t.language:
            return {"@value": t.value, "@language": t.language}
        if t.datatype.value == XSD_STRING:
            return t.value
        return {"@value": t.value, "@type": self.iri(t.datatype.value)}


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
    # the counts are the pages' (KBView.stats): the triples are those of the endpoint's default graph
    add(ds, VOID + "triples", _lit(st["triples"], "integer"))
    add(ds, VOID + "entities", _lit(st["entities"], "integer"))
    add(ds, VOID + "documents", _lit(st["articles"], "integer"))
    add(ds, VOID + "classes", _lit(len(st["classes"]), "integer"))
    service, dist = _n(doc + "#sparql"), _n(doc + "#dist-sparql")
    add(ds, DCAT + "distribution", dist)
    add(dist, RDF + "type", _n(DCAT + "Distribution"))
    add(dist, DCAT + "accessService", service)
    add(dist, DCAT + "accessURL", _n(base + "sparql"))
    add(service, RDF + "type", _n(DCAT + "DataService"))
    add(service, DCAT + "endpointURL", _n(base + "sparql"))
    add(service, DCT + "conformsTo", _n("https://www.w3.org/TR/sparql11-protocol/"))
    add(service, DCAT + "servesDataset", ds)
    for key, (title, what) in SUBSETS.items():
        n = st["parts"].get(key, 0)
        if not n:
            continue
        sub = _n(doc + "#" + key)
        add(ds, VOID + "subset", sub)
        add(sub, RDF + "type", _n(VOID + "Dataset"))
        add(sub, DCT + "title", _lit(title))
        add(sub, DCT + "description", _lit(f"{title}: {what}; distinct triples."))
        add(sub, VOID + "triples", _lit(n, "integer"))
    for name, media in ((NQUADS, "application/n-quads"), (TRIG, "application/trig")):
        if not (kb.dir / name).is_file():  # built with --no-dumps
            continue
        url = _n(base + "data/" + name)
        add(_n(doc + "#articles"), VOID + "dataDump", url)
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
