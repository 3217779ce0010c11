"""Read access to a built KB folder for the site: which IRIs exist, their labels, types and
descriptions, the facts files' spans (for short context windows), and the paths that IRIs map to.

The KB's base IRI (``manifest.json`` ``base``) maps to the site root: ``{base}person/x`` is
served at ``/person/x``. Ontology terms (``…/ontology#Term``) are hash IRIs documented at
``/ontology``.

A view opens in the time it takes to open the store and read the labels: whether an IRI exists
and what its types are are looked up in the store when asked; what takes the whole KB (the
statistics, every IRI, every type of every IRI) is computed the first time it is wanted, and the
statistics are kept in the KB's answer cache (:mod:`newskb.answers`) when the view has one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox
from rdflib.namespace import OWL

from ..answers import AnswerCache
from ..kbfolder import FACTS, FACTS_SUFFIX, inferred_graph_iri, read_manifest
from ..store import open_kb, run_select
from ..vocab import (GEO_LAT, GEO_LONG, KB_BASE, NKB_IRI, ONTOLOGY_IRI, OWL_SAME_AS, RDF_TYPE, RDFS_LABEL, curie,
                     sparql_prefixes)

ONTOLOGY_GRAPH = ox.NamedNode(ONTOLOGY_IRI)
DEFAULT_GRAPH = ox.DefaultGraph()
_RDF_TYPE, _RDFS_LABEL = ox.NamedNode(RDF_TYPE), ox.NamedNode(RDFS_LABEL)
INVERSE_LABEL = NKB_IRI + "inverseLabel"
STATS_KEY = "kb-stats-3"  # the statistics in the answer cache (bumped when they change shape)

# document extensions of every IRI: the same names in the server and the static site
DOC_TYPES = {"html": "text/html; charset=utf-8", "ttl": "text/turtle; charset=utf-8",
             "jsonld": "application/ld+json", "nt": "application/n-triples", "rdf": "application/rdf+xml"}
RDF_EXTENSIONS = ("ttl", "jsonld", "nt", "rdf")  # every RDF document of an IRI, in the order pages list them

EXAMPLES = 3          # members of each class the statistics name (VoID's example resources)
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
            before.append(self.chars[i])
            i -= 1
        after = []
        i = end
        while i in self.chars and len(after) < CONTEXT_CHARS:
            after.append(self.chars[i])
            i += 1
        b = "".join(reversed(before)).replace("\n", " ")
        a = "".join(after).replace("\n", " ")
        return Context(("…" + b) if b else "", exact.replace("\n", " "), (a + "…") if a else "", start, end)


def term_str(t) -> str:
    return t.value if t is not None else ""


class KBView:
    """A read-only view of a KB folder (see the module doc). ``answers``: the KB's answer cache,
    where the statistics are kept once computed."""

    def __init__(self, kb_dir: str | Path, *, base: str | None = None, answers: AnswerCache | None = None):
        self.dir = Path(kb_dir)
        self.store = open_kb(self.dir)
        self.manifest = read_manifest(self.dir)
        self.base = base or self.manifest.get("base") or KB_BASE
        if not self.base.endswith(("/", "#")):
            self.base += "/"
        self.answers = answers

    def _values(self, predicate: str) -> dict[str, list[str]]:
        """Every IRI's literal values of ``predicate`` (in the merged default graph)."""
        out: dict[str, list[str]] = defaultdict(list)
        for q in self.store.quads_for_pattern(None, ox.NamedNode(predicate), None, DEFAULT_GRAPH):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal):
                out[q.subject.value].append(q.object.value)
        return out

    @cached_property
    def labels(self) -> dict[str, str]:
        """Every IRI's label: the first in code point order; an article is known by its headline
        (or the one derived from its first sentence), an article's graph by its article. Read from
        the store when first needed (seconds at a million triples: the server's first answer does
        not wait for it)."""
        labels = {s: min(ls) for s, ls in self._values(RDFS_LABEL).items()}
        for p in ("derivedHeadline", "headline"):  # a title wins over a derived headline
            labels.update((s, min(hs)) for s, hs in self._values(NKB_IRI + p).items())
        for a in sorted(self.manifest.get("articles", {}).values(), key=lambda a: a.get("graph", "")):
            graph = a.get("graph")
            if graph and graph not in labels and self.store.contains_named_graph(ox.NamedNode(graph)):
                art = self.base + "article/" + graph.rsplit("/", 1)[-1]
                labels[graph] = f"Graph of “{labels.get(art, art)}”"
        inferred = inferred_graph_iri(self.base)
        if inferred not in labels and self.store.contains_named_graph(ox.NamedNode(inferred)):
            labels[inferred] = "Graph of the triples 'newskb reason' inferred"
        return labels

    @cached_property
    def coords(self) -> dict[str, tuple[float, float]]:
        """Every place's (lat, long), read when first needed."""
        lats, longs = self._values(GEO_LAT), self._values(GEO_LONG)
        coords = {}
        for s in sorted(set(lats) & set(longs)):
            try:
                coords[s] = (float(lats[s][0]), float(longs[s][0]))
            except ValueError:
                pass
        return coords

    def is_local(self, iri: str) -> bool:
        """An IRI of the KB (under the base), not of the ontology."""
        return iri.startswith(self.base) and not iri.startswith(ONTOLOGY_IRI)

    def is_resource(self, iri: str) -> bool:
        """A KB IRI with a document of its own: a local IRI, not a hash IRI (``<place>#geo`` is
        described in its place's document)."""
        return self.is_local(iri) and "#" not in iri[len(self.base):]

    def exists(self, iri: str) -> bool:
        """Whether a KB IRI names something in the article graphs: a subject, an object or a graph
        (a hash IRI is part of its document's resource, not one of its own)."""
        if not self.is_resource(iri):
            return False
        node = ox.NamedNode(iri)
        return (next(self.store.quads_for_pattern(node, None, None, DEFAULT_GRAPH), None) is not None
                or next(self.store.quads_for_pattern(None, None, node, DEFAULT_GRAPH), None) is not None
                or self.store.contains_named_graph(node))

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
        short = curie(iri)
        return iri if short.startswith("<") else short

    @cached_property
    def _inverse(self) -> tuple[dict[str, str], dict[str, str], set[str]]:
        """The ontology's inverse labels, inverse properties and symmetric properties."""
        labels, inverse_of, symmetric = {}, {}, {OWL_SAME_AS}
        for q in self.store.quads_for_pattern(None, ox.NamedNode(INVERSE_LABEL), None, ONTOLOGY_GRAPH):
            labels[q.subject.value] = q.object.value
        for q in self.store.quads_for_pattern(None, ox.NamedNode(str(OWL.inverseOf)), None, ONTOLOGY_GRAPH):
            inverse_of[q.subject.value] = q.object.value
            inverse_of[q.object.value] = q.subject.value
        for q in self.store.quads_for_pattern(None, _RDF_TYPE, ox.NamedNode(str(OWL.SymmetricProperty)), ONTOLOGY_GRAPH):
            symmetric.add(q.subject.value)
        return labels, inverse_of, symmetric

    def inverse_label(self, prop: str) -> str:
        """How a property reads from its object back to its subject, for lists of what points at a
        resource: the ontology's ``nkb:inverseLabel``, else the label of its ``owl:inverseOf``, else
        its own label for a symmetric property, else "is LABEL of"."""
        labels, inverse_of, symmetric = self._inverse
        if prop in labels:
            return labels[prop]
        if prop in inverse_of:
            return self.label(inverse_of[prop])
        if prop in symmetric:
            return self.label(prop)
        return f"is {self.label(prop)} of"

    def types_of(self, iri: str) -> list[str]:
        """The IRI's classes in the KB, asserted and inferred, sorted (an ontology term's own
        types, ``owl:Class`` and the like, are the ontology's, not the KB's)."""
        node = ox.NamedNode(iri)
        if self.is_local(iri):  # the merged default graph: one lookup
            quads = self.store.quads_for_pattern(node, _RDF_TYPE, None, DEFAULT_GRAPH)
        else:
            quads = (q for q in self.store.quads_for_pattern(node, _RDF_TYPE, None, None) if _article_graph(q))
        return sorted({q.object.value for q in quads if isinstance(q.object, ox.NamedNode)})

    def is_a(self, iri: str, local: str) -> bool:
        return NKB_IRI + local in self.types_of(iri)

    def members(self, cls: str) -> list[str]:
        """The KB IRIs of a class (asserted or inferred), sorted."""
        return sorted({q.subject.value for q in self.store.quads_for_pattern(None, _RDF_TYPE, ox.NamedNode(cls), DEFAULT_GRAPH)
                       if isinstance(q.subject, ox.NamedNode) and self.is_resource(q.subject.value)})

    # ---- the whole KB: computed when first wanted ------------------------------------------
    @cached_property
    def iris(self) -> set[str]:
        """Every KB IRI of the article graphs (subjects, objects and graph names) but hash IRIs."""
        out = {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode) and self.is_resource(g.value)}
        for row in self.store.query("SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x FILTER (isIRI(?x)) } }"):
            x = row[0]
            if isinstance(x, ox.NamedNode) and self.is_resource(x.value):
                out.add(x.value)
        return out

    @cached_property
    def types(self) -> dict[str, list[str]]:
        """Every KB IRI's classes (sorted): the whole KB at once, for the static site and tests."""
        types: dict[str, set[str]] = defaultdict(set)
        for q in self.store.quads_for_pattern(None, _RDF_TYPE, None, DEFAULT_GRAPH):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode) and self.is_resource(q.subject.value):
                types[q.subject.value].add(q.object.value)
        return {k: sorted(v) for k, v in sorted(types.items())}

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
            have = set(graph)
            return graph + [t for t in self.about(_ontology_terms(graph), types=False) if t not in have]
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
            for p in (_RDF_TYPE, _RDFS_LABEL) if types else (_RDFS_LABEL,):
                for q in self.store.quads_for_pattern(node, p, None, ONTOLOGY_GRAPH if onto else None):
                    if onto or _article_graph(q):
                        out.add(q.triple)
        return sorted(out, key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))

    @cached_property
    def ontology_version_path(self) -> str | None:
        """The site path of the ontology's version IRI (``owl:versionIRI``, e.g. ``ontology/0.1.0``),
        which the server answers with this version's document."""
        root = ONTOLOGY_IRI.rsplit("/", 1)[0] + "/"  # the ontology's IRIs sit under the default base
        for q in self.store.quads_for_pattern(ONTOLOGY_GRAPH, ox.NamedNode(str(OWL.versionIRI)), None, ONTOLOGY_GRAPH):
            if q.object.value.startswith(root):
                return q.object.value[len(root):]
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
                        "headline": term_str(r["headline"]) or self.label(iri), "derived": r["headline"] is None,
                        "publisher": term_str(r["pub"]),
                        "publisherLabel": term_str(r["pubLabel"]), "file": term_str(r["file"]),
                        "graph": m.get("graph", self.base + "graph/" + aid),
                        "triples": m.get("triples"), "statements": m.get("statements"),
                        "claims": m.get("claims"), "events": m.get("events")})
        return out

    def article_by_iri(self, iri: str) -> dict | None:
        return next((a for a in self.articles if a["iri"] == iri), None)

    def facts(self, article_id: str) -> dict:
        """The facts document of an article (the file the graph was mapped from), or {}."""
        f = self.dir / FACTS / f"{article_id}{FACTS_SUFFIX}"
        if not f.is_file() or f.resolve().parent != (self.dir / FACTS).resolve():
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
        """Counts of the whole KB, which the pages and the VoID/DCAT record both show: ``triples``
        is what the SPARQL endpoint's default graph holds (every graph's triples, each once),
        ``parts`` the distinct triples of the article graphs, the ontology and the inferred graph;
        KB IRIs (``entities``), articles, KB IRIs per class (asserted or inferred, ``classes``)
        and the first few of each class in code point order (``examples``). Kept in the answer
        cache once computed."""
        if self.answers is not None:
            kept = self.answers.get_json(STATS_KEY)
            if kept is not None:
                return kept
        stats = self._count()
        if self.answers is not None:
            self.answers.put_json(STATS_KEY, stats)
        return stats

    def stats_ready(self) -> bool:
        """Whether :attr:`stats` is at hand (computed, or in the answer cache)."""
        return "stats" in self.__dict__ or (self.answers is not None and self.answers.get_json(STATS_KEY) is not None)

    def _count(self) -> dict:
        def count(sparql: str) -> int:
            return int(next(iter(self.store.query(sparql)))[0].value)

        def distinct(where: str) -> int:
            return count(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                         f"FILTER ({where}) }} }}")

        inferred = inferred_graph_iri(self.base)
        parts = {"articles": distinct(f"?g != <{ONTOLOGY_IRI}> && ?g != <{inferred}>"),
                 "ontology": distinct(f"?g = <{ONTOLOGY_IRI}>"), "inferred": distinct(f"?g = <{inferred}>")}
        members: dict[str, list[str]] = defaultdict(list)
        for q in self.store.quads_for_pattern(None, _RDF_TYPE, None, DEFAULT_GRAPH):
            if isinstance(q.subject, ox.NamedNode) and self.is_resource(q.subject.value):
                members[q.object.value].append(q.subject.value)
        # the endpoint's default graph is the merge of every graph, the ontology's too
        return {"triples": count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), "parts": parts,
                "entities": len(self.iris), "articles": len(self.articles),
                "classes": {c: len(ms) for c, ms in sorted(members.items())},
                "examples": {c: sorted(ms)[:EXAMPLES] for c, ms in sorted(members.items())}}


def _article_graph(q: ox.Quad) -> bool:
    return isinstance(q.graph_name, ox.NamedNode) and q.graph_name != ONTOLOGY_GRAPH


def _ontology_terms(triples: list[ox.Triple]) -> list[str]:
    """The ontology's terms the triples name (as subject or object), sorted."""
    return sorted({n.value for t in triples for n in (t.subject, t.object)
                   if isinstance(n, ox.NamedNode) and n.value.startswith(ONTOLOGY_IRI)})


_SPAN_CACHE: dict[tuple[int, str], SpanText] = {}


def _span_text_cached(view: KBView, article_id: str) -> SpanText:
    key = (id(view), article_id)
    if key not in _SPAN_CACHE:
        if len(_SPAN_CACHE) > 256:
            _SPAN_CACHE.clear()
        _SPAN_CACHE[key] = SpanText(view.facts(article_id))
    return _SPAN_CACHE[key]


PREFIXES = sparql_prefixes("nkb", "rdfs", "geo", "owl", "skos")
