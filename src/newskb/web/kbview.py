"""Read access to a built KB folder for the site: which IRIs exist, their labels, types and
descriptions, the facts files' spans (for short context windows), and the paths that IRIs map to.

The KB's base IRI (``manifest.json`` ``base``) maps to the site root: ``{base}person/x`` is
served at ``/person/x``. Ontology terms (``…/ontology#Term``) are hash IRIs documented at
``/ontology``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox

from ..reason import inferred_graph_iri
from ..store import open_kb, run_select
from ..vocab import NKB_IRI, ONTOLOGY_IRI, PREFIXES as VOCAB_PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
OWL_VERSION_IRI = "http://www.w3.org/2002/07/owl#versionIRI"
OWL_INVERSE_OF = "http://www.w3.org/2002/07/owl#inverseOf"
OWL_SYMMETRIC = "http://www.w3.org/2002/07/owl#SymmetricProperty"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
INVERSE_LABEL = NKB_IRI + "inverseLabel"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
GEO_LAT = "http://www.w3.org/2003/01/geo/wgs84_pos#lat"
GEO_LONG = "http://www.w3.org/2003/01/geo/wgs84_pos#long"
ONTOLOGY_GRAPH = ox.NamedNode(ONTOLOGY_IRI)
RDF_TYPE_NODE, RDFS_LABEL_NODE = ox.NamedNode(RDF_TYPE), ox.NamedNode(RDFS_LABEL)

# document extensions of every IRI: the same names in the server and the static site
DOC_TYPES = {"html": "text/html; charset=utf-8", "ttl": "text/turtle; charset=utf-8",
             "jsonld": "application/ld+json", "nt": "application/n-triples", "rdf": "application/rdf+xml"}
RDF_EXTENSIONS = ("ttl", "jsonld", "nt", "rdf")  # every RDF document of an IRI, in the order pages list them

CONTEXT_CHARS = 20     # characters of known context shown on each side of a span (at most)
SPAN_CHARS = 70        # a longer span is shown shortened in the middle


@dataclass(frozen=True)
class Context:
    """A quoted span with at most CONTEXT_CHARS known characters on each side."""

    before: str
    exact: str
    after: str
    start: int
    end: int


class SpanText:
    """The characters the spans of one facts file cover (offsets into the article body).
    Only what the facts file already quotes is known: the article text is never read."""

    def __init__(self, facts: dict):
        self.chars: dict[int, str] = {}
        self._collect(facts)

    def _collect(self, node) -> None:
        if isinstance(node, dict):
            s, e, t = node.get("start"), node.get("end"), node.get("text")
            if isinstance(s, int) and isinstance(e, int) and isinstance(t, str) and len(t) == e - s:
                for i, ch in enumerate(t):
                    self.chars.setdefault(s + i, ch)
            for v in node.values():
                self._collect(v)
        elif isinstance(node, list):
            for v in node:
                self._collect(v)

    def context(self, start: int, end: int, exact: str | None = None) -> Context:
        if exact is None:
            exact = "".join(self.chars.get(i, "…") for i in range(start, end))
        if len(exact) > SPAN_CHARS:
            exact = exact[:40].rstrip() + " … " + exact[-25:].lstrip()
        before = []
        i = start - 1
        while i in self.chars and len(before) < CONTEXT_CHARS:
            before.append(self.chars[i]); i -= 1
        after = []
        i = end
        while i in self.chars and len(after) < CONTEXT_CHARS:
            after.append(self.chars[i]); i += 1
        b = "".join(reversed(before)).replace("\n", " ")
        a = "".join(after).replace("\n", " ")
        return Context(("…" + b) if b else "", exact.replace("\n", " "), (a + "…") if a else "", start, end)


def term_str(t) -> str:
    return t.value if t is not None else ""


class KBView:
    """A read-only view of a KB folder. Cheap lookups are precomputed once at start."""

    def __init__(self, kb_dir: str | Path, *, base: str | None = None):
        self.dir = Path(kb_dir)
        self.store = open_kb(self.dir)
        mf = self.dir / "manifest.json"
        self.manifest = json.loads(mf.read_text(encoding="utf-8")) if mf.is_file() else {"articles": {}}
        self.base = base or self.manifest.get("base") or "https://w3id.org/newskb/"
        if not self.base.endswith(("/", "#")):
            self.base += "/"
        self._index()

    # ---- index ---------------------------------------------------------------------------
    def _index(self) -> None:
        iris: set[str] = set()
        labels: dict[str, list[str]] = defaultdict(list)
        types: dict[str, set[str]] = defaultdict(set)
        coords: dict[str, list[float]] = {}
        headlines: dict[str, str] = {}
        inverse: dict[str, str] = {}
        inverse_of: dict[str, str] = {}
        symmetric: set[str] = {OWL_SAME_AS}
        for q in self.store.quads_for_pattern(None, None, None, None):
            g = q.graph_name
            if not isinstance(g, ox.NamedNode):
                continue  # the default graph only repeats the named graphs' triples (their merge)
            in_onto = g.value == ONTOLOGY_IRI
            s, p, o = q.subject, q.predicate.value, q.object
            if not in_onto:
                for t in (s, o, g):
                    if isinstance(t, ox.NamedNode) and self.is_local(t.value) and "#" not in t.value:
                        iris.add(t.value)  # a hash IRI (<place>#geo) is described by its document's IRI
            if in_onto and p in (INVERSE_LABEL, OWL_INVERSE_OF, RDF_TYPE) and isinstance(s, ox.NamedNode):
                if p == INVERSE_LABEL:
                    inverse[s.value] = o.value
                elif p == OWL_INVERSE_OF:
                    inverse_of[s.value] = o.value
                    inverse_of[o.value] = s.value
                elif o.value == OWL_SYMMETRIC:
                    symmetric.add(s.value)
            if p in (NKB_IRI + "headline", NKB_IRI + "derivedHeadline") and isinstance(o, ox.Literal) \
                    and isinstance(s, ox.NamedNode):
                headlines[s.value] = o.value
            elif p == RDFS_LABEL and isinstance(o, ox.Literal) and isinstance(s, ox.NamedNode):
                if o.value not in labels[s.value]:
                    labels[s.value].append(o.value)
            elif p == RDF_TYPE and isinstance(o, ox.NamedNode) and not in_onto:
                types[s.value].add(o.value)
            elif p in (GEO_LAT, GEO_LONG) and isinstance(s, ox.NamedNode):
                try:
                    coords.setdefault(s.value, [None, None])[0 if p == GEO_LAT else 1] = float(o.value)
                except ValueError:
                    pass
        self.iris = iris
        self._inverse = (inverse, inverse_of, symmetric)
        self.labels = {k: sorted(v)[0] for k, v in labels.items()}
        self.labels.update(headlines)  # an article is known by its headline
        self.types = {k: sorted(v) for k, v in types.items()}
        self.coords = {k: (v[0], v[1]) for k, v in coords.items() if None not in v}
        for g in sorted(self.manifest.get("articles", {}).values(), key=lambda a: a.get("graph", "")):
            if g.get("graph") in iris and g["graph"] not in self.labels:  # an article's graph: by its article
                art = self.base + "article/" + g["graph"].rsplit("/", 1)[-1]
                self.labels[g["graph"]] = f"Graph of “{self.labels.get(art, art)}”"
        inferred = inferred_graph_iri(self.base)
        if inferred in iris and inferred not in self.labels:
            self.labels[inferred] = "Graph of the triples 'newskb reason' inferred"
        # what the SPARQL endpoint's default graph holds: every graph's triples, each once
        self.default_triples = int(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value)
        self.triples = self.default_triples

    def is_local(self, iri: str) -> bool:
        """An IRI of the KB (under the base), not of the ontology."""
        return iri.startswith(self.base) and not iri.startswith(ONTOLOGY_IRI)

    def exists(self, iri: str) -> bool:
        return iri in self.iris

    # ---- paths ---------------------------------------------------------------------------
    def path_of(self, iri: str) -> str | None:
        """The site path (no leading slash, still percent-encoded) of a KB IRI."""
        if self.is_local(iri):
            return iri[len(self.base):]
        return None

    def iri_of(self, path: str) -> str:
        return self.base + path

    @staticmethod
    def file_of(path: str, ext: str) -> str:
        """The file name a static host maps the URL ``path.ext`` to (percent-decoded)."""
        return unquote(path) + "." + ext

    # ---- labels --------------------------------------------------------------------------
    def label(self, iri: str) -> str:
        if iri in self.labels:
            return self.labels[iri]
        if iri.startswith(NKB_IRI):
            return iri[len(NKB_IRI):]
        if self.is_local(iri):
            return unquote(iri[len(self.base):])
        for prefix, ns in sorted(VOCAB_PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def inverse_label(self, prop: str) -> str:
        """How a property reads from its object back to its subject, for lists of what points at a
        resource: the ontology's ``nkb:inverseLabel``, else the label of its ``owl:inverseOf``, else
        its own label for a symmetric property, else "is LABEL of"."""
        inverse, inverse_of, symmetric = self._inverse
        if prop in inverse:
            return inverse[prop]
        if prop in inverse_of:
            return self.label(inverse_of[prop])
        if prop in symmetric:
            return self.label(prop)
        return f"is {self.label(prop)} of"

    def types_of(self, iri: str) -> list[str]:
        return self.types.get(iri, [])

    def is_a(self, iri: str, local: str) -> bool:
        return NKB_IRI + local in self.types.get(iri, ())

    # ---- descriptions --------------------------------------------------------------------
    def outgoing(self, iri: str) -> list[ox.Triple]:
        """Every triple with the IRI as subject (all article graphs, duplicates removed)."""
        node = ox.NamedNode(iri)
        seen = {q.triple for q in self.store.quads_for_pattern(node, None, None, None) if _article_graph(q)}
        return sorted(seen, key=lambda t: (t.predicate.value != RDF_TYPE, t.predicate.value, str(t.object)))

    def incoming(self, iri: str, limit: int | None = None) -> list[ox.Triple]:
        node = ox.NamedNode(iri)
        seen = set()
        for q in self.store.quads_for_pattern(None, None, node, None):
            if _article_graph(q):
                seen.add(q.triple)
        out = sorted(seen, key=lambda t: (t.predicate.value, str(t.subject)))
        return out[:limit] if limit else out

    def graph_triples(self, iri: str) -> list[ox.Triple]:
        """The triples of a named graph (an article's graph IRI)."""
        return sorted({q.triple for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(iri))},
                      key=lambda t: (str(t.subject), t.predicate.value != RDF_TYPE, t.predicate.value, str(t.object)))

    def is_graph(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return any(True for _ in self.store.quads_for_pattern(None, None, None, node))

    def description(self, iri: str) -> list[ox.Triple]:
        """What the IRI's documents contain: its own triples and the triples that point at it
        (a symmetric concise bounded description; there are no blank nodes), then the types and
        labels of every resource they link to, so that a reader of the document alone can name
        them. A graph IRI gives the whole graph (which holds the labels of what it names) and the
        labels of the ontology terms it uses."""
        if self.is_graph(iri) and not self.outgoing(iri):
            graph = self.graph_triples(iri)
            terms = sorted({n.value for t in graph for n in (t.subject, t.object)
                            if isinstance(n, ox.NamedNode) and n.value.startswith(ONTOLOGY_IRI)})
            have = set(graph)
            return graph + [t for t in self.about(terms, types=False) if t not in have]
        out = self.outgoing(iri)
        for t in list(out):  # a hash IRI (<place>#geo) is part of its document's description
            if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(iri + "#"):
                out += self.outgoing(t.object.value)
        seen = set(out)
        desc = out + [t for t in self.incoming(iri) if t not in seen]
        seen.update(desc)
        linked = sorted({n.value for t in desc for n in (t.subject, t.object)
                         if isinstance(n, ox.NamedNode) and n.value != iri and not n.value.startswith(iri + "#")})
        about = [t for t in self.about(linked) if t not in seen]
        seen.update(about)
        classes = sorted({t.object.value for t in about if t.predicate.value == RDF_TYPE} - set(linked))
        return desc + about + [t for t in self.about(classes, types=False) if t not in seen]

    def about(self, iris: list[str], *, types: bool = True) -> list[ox.Triple]:
        """The rdf:type (with ``types``) and rdfs:label triples of ``iris``: from the article graphs
        for the KB's resources, from the ontology for its terms (sorted, each once)."""
        out: set[ox.Triple] = set()
        for iri in iris:
            node = ox.NamedNode(iri)
            onto = iri.startswith(ONTOLOGY_IRI)
            for p in (RDF_TYPE_NODE, RDFS_LABEL_NODE) if types else (RDFS_LABEL_NODE,):
                for q in self.store.quads_for_pattern(node, p, None, ONTOLOGY_GRAPH if onto else None):
                    if onto or _article_graph(q):
                        out.add(q.triple)
        return sorted(out, key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))

    @cached_property
    def ontology_version_path(self) -> str | None:
        """The site path of the ontology's version IRI (``owl:versionIRI``, e.g. ``ontology/0.1.0``),
        which the server answers with this version's document."""
        q = self.store.quads_for_pattern(ox.NamedNode(ONTOLOGY_IRI), ox.NamedNode(OWL_VERSION_IRI), None, ONTOLOGY_GRAPH)
        for quad in q:
            v = quad.object.value
            root = ONTOLOGY_IRI.rsplit("/", 1)[0] + "/"  # the ontology's IRIs sit under the default base
            if v.startswith(root):
                return v[len(root):]
        return None

    def ontology_triples(self) -> list[ox.Triple]:
        return sorted((q.triple for q in self.store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH)),
                      key=lambda t: (str(t.subject), t.predicate.value != RDF_TYPE, t.predicate.value, str(t.object)))

    def select(self, sparql: str, **bindings) -> list[dict[str, object]]:
        """A SELECT as a list of {variable: term} dicts (None for unbound)."""
        subst = {k: (ox.NamedNode(v) if isinstance(v, str) else v) for k, v in bindings.items()}
        res = run_select(self.store, sparql, bindings=subst or None)
        return [dict(zip(res.variables, row)) for row in res.rows]

    # ---- articles and facts --------------------------------------------------------------
    @cached_property
    def articles(self) -> list[dict]:
        """One dict per article: id, iri, graph, headline, date, publisher, and counts."""
        rows = self.select(PREFIXES + """
            SELECT ?a ?date ?headline ?pub ?pubLabel ?file WHERE {
              ?a a nkb:Article .
              OPTIONAL { ?a nkb:datePublished ?date }
              OPTIONAL { ?a nkb:headline ?headline }
              OPTIONAL { ?a nkb:publisher ?pub OPTIONAL { ?pub rdfs:label ?pubLabel } }
              OPTIONAL { ?a nkb:sourceFile ?file }
            } ORDER BY ?date ?a""")
        out, seen = [], set()
        for r in rows:
            iri = r["a"].value
            if iri in seen:
                continue
            seen.add(iri)
            aid = iri.rsplit("/", 1)[-1]
            m = self.manifest.get("articles", {}).get(unquote(aid), {})
            out.append({"iri": iri, "id": unquote(aid), "date": term_str(r["date"]),
                        "headline": term_str(r["headline"]) or self.label(iri), "derived": r["headline"] is None, "publisher": term_str(r["pub"]),
                        "publisherLabel": term_str(r["pubLabel"]), "file": term_str(r["file"]),
                        "graph": m.get("graph", self.base + "graph/" + aid),
                        "triples": m.get("triples"), "statements": m.get("statements"),
                        "claims": m.get("claims"), "events": m.get("events")})
        return out

    def article_by_iri(self, iri: str) -> dict | None:
        return next((a for a in self.articles if a["iri"] == iri), None)

    def facts(self, article_id: str) -> dict:
        """The facts document of an article (the file the graph was mapped from), or {}."""
        f = self.dir / "facts" / f"{article_id}.facts.json"
        if not f.is_file() or f.resolve().parent != (self.dir / "facts").resolve():
            return {}
        try:
            return json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def span_text(self, article_id: str) -> SpanText:
        return _span_text_cached(self, article_id)

    def span_context(self, span_iri: str) -> tuple[Context, str] | None:
        """The context window of a text span IRI and its article IRI."""
        rows = self.select(PREFIXES + """
            SELECT ?s ?b ?e ?exact ?a WHERE { ?s nkb:beginIndex ?b ; nkb:endIndex ?e ; nkb:inArticle ?a .
              OPTIONAL { ?s nkb:exact ?exact } } LIMIT 1""", s=span_iri)
        if not rows:
            return None
        r = rows[0]
        aid = unquote(r["a"].value.rsplit("/", 1)[-1])
        ctx = self.span_text(aid).context(int(r["b"].value), int(r["e"].value), term_str(r["exact"]) or None)
        return ctx, r["a"].value

    # ---- statistics ----------------------------------------------------------------------
    @cached_property
    def stats(self) -> dict:
        """The counts the pages and the VoID/DCAT record both show: ``triples`` is what the SPARQL
        endpoint's default graph holds (every graph's triples, each once), ``parts`` the distinct
        triples of the article graphs, the ontology and the inferred graph, ``classes`` the
        resources of each class (asserted or inferred)."""
        cls = defaultdict(int)
        for iri, ts in self.types.items():
            if self.exists(iri):
                for t in ts:
                    cls[t] += 1
        return {"triples": self.triples, "entities": len(self.iris), "articles": len(self.articles),
                "classes": dict(sorted(cls.items())), "parts": self.parts}

    @cached_property
    def parts(self) -> dict[str, int]:
        """Distinct triples of the article graphs (their merge), the ontology and the inferred graph."""
        inferred = inferred_graph_iri(self.base)
        count = "SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {} }} }}"
        def n(where: str) -> int:
            return int(self.select(count.format(where))[0]["n"].value)
        return {"articles": n(f"FILTER (?g != <{ONTOLOGY_IRI}> && ?g != <{inferred}>)"),
                "ontology": n(f"FILTER (?g = <{ONTOLOGY_IRI}>)"), "inferred": n(f"FILTER (?g = <{inferred}>)")}


def _article_graph(q: ox.Quad) -> bool:
    return isinstance(q.graph_name, ox.NamedNode) and q.graph_name != ONTOLOGY_GRAPH


_SPAN_CACHE: dict[tuple[int, str], SpanText] = {}


def _span_text_cached(view: KBView, article_id: str) -> SpanText:
    key = (id(view), article_id)
    if key not in _SPAN_CACHE:
        if len(_SPAN_CACHE) > 256:
            _SPAN_CACHE.clear()
        _SPAN_CACHE[key] = SpanText(view.facts(article_id))
    return _SPAN_CACHE[key]


PREFIXES = """PREFIX nkb: <https://w3id.org/newskb/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
