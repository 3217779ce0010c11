"""Stage 5 — reasoning: the ontology and the KB through an OWL 2 DL reasoner (HermiT, via owlready2).

``reason(kb_dir)`` does four things:

1. builds a *reasoning view* of the KB: the ontology's axioms plus the KB's class memberships,
   object property assertions and data property assertions. Literals whose datatype is not in
   the OWL 2 datatype map (``xsd:date``, ``xsd:gYearMonth``, ``xsd:gYear``) are converted to plain
   strings when their property has no declared range (their only consequence is the domain), and
   dropped otherwise. Labels and other annotations are left out; ``owl:sameAs`` links to outside
   IRIs (GeoNames) are replaced by direct ``owl:sameAs`` between KB individuals that share one;
2. runs HermiT (``owlready2.sync_reasoner``, the system Java) on the view: consistency and the
   direct types of every individual;
3. on an inconsistency, finds the culprits itself (owlready2 only says "inconsistent"): individuals
   typed with two disjoint classes (asserted, or through a domain, a range, a functional property
   or an ``owl:sameAs``), functional data properties with two values, literals outside a range;
   failing that, the article graphs that are inconsistent on their own;
4. when consistent, writes what the ontology entails and the KB does not assert into the named
   graph ``<base>graph/inferred``: class memberships (every superclass within ``nkb:``) and the
   consequences of the ontology's property axioms (sub-properties, inverses, symmetric and
   transitive properties: a town inside its region inside its country). The graph is published as
   ``DIR/inferred.ttl`` (deterministic, no blank nodes) and loaded into the KB store beside the
   asserted article graphs, never mixed with them.

Property consequences are computed by the OWL 2 RL rules prp-spo1, prp-inv1/2, prp-symp and
prp-trp over the ontology's own axioms (the tests check them against HermiT's answer), so
the reasoner run stays one consistency-and-realisation call.
"""

from __future__ import annotations

import gc
import io
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .kbfolder import (INFERRED_FILE, INFERRED_SOURCE_LINE, KBFolderError, article_graphs, graphs_digest, inferred_graph_iri,
                       inferred_is_current, kb_base)
from rdflib import namespace as ns

from .resources import ontology_dir
from .vocab import NKB_IRI, OWL_SAME_AS, RDF_TYPE, RDFS_LABEL, XSD_STRING, curie

REASONERS = ("hermit", "pellet")

# namespace IRIs as plain strings: this stage works with IRIs as strings throughout
RDF, RDFS, OWL, XSD = str(ns.RDF), str(ns.RDFS), str(ns.OWL), str(ns.XSD)
SAME_AS = OWL_SAME_AS

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4): what a DL reasoner accepts.
OWL2_DATATYPES = frozenset(
    [RDF + "PlainLiteral", RDF + "XMLLiteral", RDF + "langString", RDFS + "Literal",
     OWL + "real", OWL + "rational"]
    + [XSD + t for t in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger "
        "long int short byte unsignedLong unsignedInt unsignedShort unsignedByte double float "
        "string normalizedString token language Name NCName NMTOKEN boolean hexBinary "
        "base64Binary anyURI dateTime dateTimeStamp").split()])
_INTEGER_TYPES = {XSD + t for t in ("integer nonNegativeInteger nonPositiveInteger positiveInteger "
                                    "negativeInteger long int short byte unsignedLong unsignedInt "
                                    "unsignedShort unsignedByte").split()}
_STRING_TYPES = {XSD + t for t in "string normalizedString token language Name NCName NMTOKEN".split()}


class ReasonError(RuntimeError):
    """Reasoning cannot run: not a KB folder, no Java, the reasoner failed or is unknown."""


# ================================================================ report
@dataclass(frozen=True)
class Problem:
    """One cause of an inconsistency, in words, with the individuals and axioms involved."""

    kind: str  # disjoint-types | functional-data | datatype-range | article
    message: str
    individuals: tuple[str, ...] = ()
    axioms: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message


@dataclass
class ReasonReport:
    """What a reasoning run found: consistency, problems, inferred triples by kind, timings."""

    kb: Path | None
    reasoner: str
    consistent: bool
    graph: str
    problems: list[Problem] = field(default_factory=list)
    inferred: dict[str, int] = field(default_factory=dict)
    view: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    output: Path | None = None
    loaded_into_store: bool = False

    @property
    def inferred_triples(self) -> int:
        return sum(self.inferred.values())

    def summary(self) -> str:
        where = str(self.kb) if self.kb else "graph"
        lines = [f"{where}: {'consistent' if self.consistent else 'INCONSISTENT'} ({self.reasoner})"]
        v = self.view
        if v:
            lines.append(f"  reasoning view: {v.get('triples', 0)} triples ({v.get('abox', 0)} from the KB, "
                         f"{v.get('converted', 0)} date literals as strings, {v.get('dropped_literals', 0)} dropped, "
                         f"{v.get('annotations', 0)} annotations left out)")
        for w in self.warnings:
            lines.append(f"  warning: {w}")
        if not self.consistent:
            lines.append(f"  {len(self.problems)} problem(s):")
            for p in self.problems:
                lines.append(f"  - {p.message}")
        else:
            lines.append(f"  inferred: {self.inferred_triples} triples in <{self.graph}>")
            for k, n in sorted(self.inferred.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"    {k:<28} {n}")
            if self.output:
                lines.append(f"  written to {self.output}" + (" and loaded into the store" if self.loaded_into_store else ""))
        lines.append("  timings: " + ", ".join(f"{k} {s:.2f}s" for k, s in self.timings.items())
                     + f"; total {sum(self.timings.values()):.2f}s")
        return "\n".join(lines)


class _Timer:
    def __init__(self, timings: dict[str, float]):
        self.timings = timings

    def __call__(self, name: str):
        timer = self

        class _Step:
            def __enter__(self):
                self.t0 = time.perf_counter()

            def __exit__(self, *exc):
                timer.timings[name] = timer.timings.get(name, 0.0) + time.perf_counter() - self.t0
                return False
        return _Step()


# ================================================================ the ontology as a model
Triple = tuple[str, str, object]  # subject IRI, predicate IRI, object IRI (str) or ox.Literal


def _term(t) -> object:
    if isinstance(t, ox.NamedNode):
        return t.value
    if isinstance(t, ox.Literal):
        return t
    raise ReasonError(f"blank node {t} in the KB or ontology: newskb data has none")


def read_ontology() -> list[Triple]:
    triples: list[Triple] = []
    for f in sorted(ontology_dir().glob("*.ttl")):
        for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE):
            triples.append((_term(t.subject), _term(t.predicate), _term(t.object)))
    return triples


class TBox:
    """The ontology's axioms, indexed for the rules and the explanations."""

    def __init__(self, triples: list[Triple]):
        self.triples = triples
        self.classes: set[str] = set()
        self.object_props: set[str] = set()
        self.data_props: set[str] = set()
        self.annotation_props: set[str] = {RDFS_LABEL, RDFS + "comment", RDFS + "seeAlso", RDFS + "isDefinedBy",
                                           OWL + "versionInfo", OWL + "deprecated"}
        self.individuals: set[str] = set()
        self.super_classes: dict[str, set[str]] = defaultdict(set)
        self.super_props: dict[str, set[str]] = defaultdict(set)
        self.domains: dict[str, set[str]] = defaultdict(set)
        self.ranges: dict[str, set[str]] = defaultdict(set)
        self.inverse: dict[str, set[str]] = defaultdict(set)
        self.functional: set[str] = set()
        self.transitive: set[str] = set()
        self.symmetric: set[str] = set()
        self.disjoint: set[tuple[str, str]] = set()
        self.labels: dict[str, str] = {}
        for s, p, o in triples:
            if p == RDF_TYPE:
                if o == OWL + "Class":
                    self.classes.add(s)
                elif o == OWL + "ObjectProperty":
                    self.object_props.add(s)
                elif o == OWL + "DatatypeProperty":
                    self.data_props.add(s)
                elif o == OWL + "AnnotationProperty":
                    self.annotation_props.add(s)
                elif o == OWL + "NamedIndividual":
                    self.individuals.add(s)
                elif o == OWL + "FunctionalProperty":
                    self.functional.add(s)
                elif o == OWL + "TransitiveProperty":
                    self.transitive.add(s)
                elif o == OWL + "SymmetricProperty":
                    self.symmetric.add(s)
            elif p == RDFS + "subClassOf" and isinstance(o, str):
                self.super_classes[s].add(o)
            elif p == RDFS + "subPropertyOf":
                self.super_props[s].add(o)
            elif p == RDFS + "domain":
                self.domains[s].add(o)
            elif p == RDFS + "range" and isinstance(o, str):
                self.ranges[s].add(o)
            elif p == OWL + "inverseOf":
                self.inverse[s].add(o)
                self.inverse[o].add(s)
            elif p == OWL + "disjointWith":
                self.disjoint.add((s, o))
                self.disjoint.add((o, s))
            elif p == RDFS_LABEL and isinstance(o, ox.Literal):
                self.labels.setdefault(s, o.value)
        self._sup_c: dict[str, list[str]] = {}
        self._sup_p: dict[str, list[str]] = {}

    def supers(self, c: str) -> list[str]:
        """``c`` and all its superclasses, nearest first (deterministic)."""
        if c not in self._sup_c:
            self._sup_c[c] = closure(c, self.super_classes)
        return self._sup_c[c]

    def prop_supers(self, p: str) -> list[str]:
        if p not in self._sup_p:
            self._sup_p[p] = closure(p, self.super_props)
        return self._sup_p[p]

    def has_range(self, p: str) -> bool:
        return any(self.ranges.get(q) for q in self.prop_supers(p))


def closure(start, edges) -> list:
    """``start`` and every node reachable from it along ``edges`` (a mapping from a node to its
    successors), breadth first, successors in sorted order: deterministic, nearest first. The
    transitive closure of a relation, written once (the class and property hierarchies and the
    transitive properties use it)."""
    out, seen, frontier = [start], {start}, [start]
    while frontier:
        nxt = []
        for x in frontier:
            for y in sorted(edges.get(x, ())):
                if y not in seen:
                    seen.add(y)
                    out.append(y)
                    nxt.append(y)
        frontier = nxt
    return out


# ================================================================ names in messages
class _Names:
    def __init__(self, abox: list[Triple], tbox: TBox):
        self.labels: dict[str, str] = {}
        for s, p, o in abox:
            if p == RDFS_LABEL and isinstance(o, ox.Literal):
                self.labels.setdefault(s, o.value)
        self.tbox = tbox

    @staticmethod
    def term(iri: str) -> str:
        return curie(iri)

    def ind(self, iri: str) -> str:
        label = self.labels.get(iri)
        return f'"{label}" <{iri}>' if label else f"<{iri}>"

    def lit(self, lit: ox.Literal) -> str:
        if lit.language:
            return f'"{lit.value}"@{lit.language}'
        dt = lit.datatype.value if lit.datatype else XSD_STRING
        return f'"{lit.value}"' if dt == XSD_STRING else f'"{lit.value}"^^{self.term(dt)}'


# ================================================================ the reasoning view
@dataclass
class _View:
    ntriples: bytes
    counts: dict[str, int]
    warnings: list[str]
    asserted_types: dict[str, set[str]]
    object_assertions: set[tuple[str, str, str]]
    data_assertions: list[tuple[str, str, ox.Literal]]
    same_as: list[tuple[str, str, str]]  # (kb individual, kb individual, shared outside IRI)


def build_view(tbox: TBox, abox: list[Triple], *, base: str) -> _View:
    """The ontology's axioms plus what of the KB a DL reasoner needs, as N-Triples."""
    out: list[ox.Triple] = []
    counts = defaultdict(int)
    for s, p, o in tbox.triples:
        if p in tbox.annotation_props:
            counts["annotations"] += 1
            continue
        out.append(_ox_triple(s, p, o))
    n_tbox = len(out)
    asserted_types: dict[str, set[str]] = defaultdict(set)
    objs: set[tuple[str, str, str]] = set()
    datas: list[tuple[str, str, ox.Literal]] = []
    outside_same: dict[str, set[str]] = defaultdict(set)
    same: set[tuple[str, str, str]] = set()
    undeclared: set[str] = set()
    for s, p, o in abox:
        if p == RDF_TYPE:
            asserted_types[s].add(o)
            out.append(_ox_triple(s, p, o))
        elif p == SAME_AS:
            if isinstance(o, str) and o.startswith(base):
                same.add((s, o, ""))
            elif isinstance(o, str):
                outside_same[o].add(s)
        elif p in tbox.object_props:
            if not isinstance(o, str):
                raise ReasonError(f"<{s}> {p}: object property with a literal value {o}")
            objs.add((s, p, o))
            out.append(_ox_triple(s, p, o))
        elif p in tbox.data_props:
            if not isinstance(o, ox.Literal):
                raise ReasonError(f"<{s}> <{p}> <{o}>: data property with an IRI value")
            datas.append((s, p, o))
            dt = o.datatype.value if o.datatype else XSD_STRING
            if dt in OWL2_DATATYPES:
                out.append(_ox_triple(s, p, o))
            elif tbox.has_range(p):
                counts["dropped_literals"] += 1
            else:  # the value's only consequence is the property's domain: a string keeps it
                counts["converted"] += 1
                out.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.Literal(o.value)))
        elif p in tbox.annotation_props:
            counts["annotations"] += 1
        else:
            undeclared.add(p)
    for target, members in sorted(outside_same.items()):
        ms = sorted(members)
        for a, b in zip(ms, ms[1:]):
            same.add((a, b, target))
    for a, b, _ in sorted(same):
        out.append(_ox_triple(a, SAME_AS, b))
    warnings = [f"predicate <{p}> is not declared in the ontology; left out of reasoning" for p in sorted(undeclared)]
    counts["triples"] = len(out)
    counts["abox"] = len(out) - n_tbox
    data = ox.serialize(out, format=ox.RdfFormat.N_TRIPLES)
    return _View(data, dict(counts), warnings, asserted_types, objs, datas, sorted(same))


def _ox_triple(s: str, p: str, o: object) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o) if isinstance(o, str) else o)


# ================================================================ the reasoner
def run_reasoner(view: bytes, *, reasoner: str = "hermit") -> tuple[bool, dict[str, set[str]]]:
    """Run the DL reasoner on an N-Triples view: (consistent, new direct types per individual)."""
    if reasoner not in REASONERS:
        raise ReasonError(f"unknown reasoner {reasoner!r}; choose one of {', '.join(REASONERS)}")
    import owlready2 as o2

    from .adapters.owlready2 import inferred_types

    world = o2.World()
    try:
        world.get_ontology("https://w3id.org/newskb/reasoning-view").load(fileobj=io.BytesIO(view), format="ntriples")
        try:
            if reasoner == "hermit":
                o2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            else:
                o2.sync_reasoner_pellet(world, infer_property_values=False, debug=0)
        except o2.OwlReadyInconsistentOntologyError:
            return False, {}
        except o2.OwlReadyJavaError as exc:
            first = str(exc).strip().splitlines()
            hint = " (Pellet needs a newer Java than 17; see docs/reasoning.md)" if reasoner == "pellet" else ""
            raise ReasonError(f"{reasoner} failed{hint}: {' '.join(first[:3])[:400]}") from None
        except FileNotFoundError:
            raise ReasonError(f"cannot run Java ({o2.JAVA_EXE!r}); install a Java runtime (17 or later)") from None
        return True, inferred_types(world)
    finally:
        world.close()


# ================================================================ entailments (OWL 2 RL property rules)
def property_closure(tbox: TBox, asserted: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """All object property assertions entailed by sub-properties, inverses, symmetric and
    transitive properties (rules prp-spo1, prp-inv1/2, prp-symp, prp-trp) — a fixpoint."""
    facts = set(asserted)
    while True:
        new: set[tuple[str, str, str]] = set()
        for s, p, o in facts:
            for q in tbox.prop_supers(p)[1:]:
                new.add((s, q, o))
            for q in tbox.inverse.get(p, ()):
                new.add((o, q, s))
            if p in tbox.symmetric:
                new.add((o, p, s))
        for p in tbox.transitive:
            succ: dict[str, set[str]] = defaultdict(set)
            for s, q, o in facts:
                if q == p:
                    succ[s].add(o)
            for s in list(succ):
                reached = closure(s, succ)[1:]
                new.update((s, p, x) for x in reached)
                if s in succ[s] or any(s in succ.get(x, ()) for x in reached):  # on a cycle: it reaches itself
                    new.add((s, p, s))
        new -= facts
        if not new:
            return facts
        facts |= new


def class_memberships(tbox: TBox, view: _View, props: set[tuple[str, str, str]],
                      reasoner_types: dict[str, set[str]]) -> dict[str, set[str]]:
    """Every class of every individual: asserted, from the reasoner, from domains and ranges,
    each closed under rdfs:subClassOf."""
    direct: dict[str, set[str]] = defaultdict(set)
    for s, cs in view.asserted_types.items():
        direct[s] |= cs
    for s, cs in reasoner_types.items():
        direct[s] |= cs
    for s, p, o in props:
        for q in tbox.prop_supers(p):
            direct[s] |= tbox.domains.get(q, set())
            direct[o] |= tbox.ranges.get(q, set())
    for s, p, _ in view.data_assertions:
        for q in tbox.prop_supers(p):
            direct[s] |= tbox.domains.get(q, set())
    return {s: {c for d in cs for c in tbox.supers(d)} for s, cs in direct.items()}


# ================================================================ explanations
class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}
        self.why: list[str] = []

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str, why: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
            self.why.append(why)


def explain(tbox: TBox, view: _View, abox: list[Triple]) -> list[Problem]:
    """Culprits of an inconsistency, in words: individuals in two disjoint classes (with the
    assertion, domain, range, functional property or sameAs that put them there), functional
    data properties with two values, literals outside a declared datatype range."""
    names = _Names(abox, tbox)
    reasons: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)  # ind -> class -> (why, axiom)

    def note(ind: str, cls: str, why: str, axiom: str) -> None:
        for i, c in enumerate(tbox.supers(cls)):
            kind = "" if i == 0 else f", a kind of {names.term(c)}"
            reasons[ind].setdefault(c, (why + kind, axiom))

    for s in sorted(view.asserted_types):
        for c in sorted(view.asserted_types[s]):
            note(s, c, f"it is typed {names.term(c)}", f"{names.ind(s)} rdf:type {names.term(c)}")
    for s, p, o in sorted(view.object_assertions):
        for q in tbox.prop_supers(p):
            via = "" if q == p else f" (a sub-property of {names.term(q)})"
            for d in sorted(tbox.domains.get(q, ())):
                note(s, d, f"it has {names.term(p)} {names.ind(o)}{via}, and the domain of {names.term(q)} is {names.term(d)}",
                     f"{names.term(q)} rdfs:domain {names.term(d)}")
            for r in sorted(tbox.ranges.get(q, ())):
                note(o, r, f"it is the {names.term(p)} of {names.ind(s)}{via}, and the range of {names.term(q)} is {names.term(r)}",
                     f"{names.term(q)} rdfs:range {names.term(r)}")
    for s, p, lit in sorted(view.data_assertions, key=lambda t: (t[0], t[1], str(t[2]))):
        for q in tbox.prop_supers(p):
            for d in sorted(tbox.domains.get(q, ())):
                note(s, d, f"it has {names.term(p)} {names.lit(lit)}, and the domain of {names.term(q)} is {names.term(d)}",
                     f"{names.term(q)} rdfs:domain {names.term(d)}")

    uf = _UnionFind()
    merged_why: dict[str, list[str]] = defaultdict(list)
    for a, b, target in view.same_as:
        why = (f"{names.ind(a)} and {names.ind(b)} are the same individual (both owl:sameAs <{target}>)" if target
               else f"{names.ind(a)} owl:sameAs {names.ind(b)}")
        uf.union(a, b, why)
        merged_why[a].append(why)
        merged_why[b].append(why)
    values: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s, p, o in view.object_assertions:
        for q in tbox.prop_supers(p):
            if q in tbox.functional:
                values[(s, q)].add(o)
    for (s, q), vs in sorted(values.items()):
        vs_sorted = sorted(vs)
        for a, b in zip(vs_sorted, vs_sorted[1:]):
            why = (f"{names.ind(a)} and {names.ind(b)} must be the same individual: both are the {names.term(q)} of "
                   f"{names.ind(s)}, and {names.term(q)} is functional (one value at most)")
            uf.union(a, b, why)
            merged_why[a].append(why)
            merged_why[b].append(why)

    groups: dict[str, list[str]] = defaultdict(list)
    for ind in reasons:
        groups[uf.find(ind)].append(ind)
    problems: list[Problem] = []
    for root in sorted(groups):
        members = sorted(groups[root])
        classes: dict[str, tuple[str, str, str]] = {}
        for m in members:
            for c, (why, ax) in sorted(reasons[m].items()):
                classes.setdefault(c, (m, why, ax))
        reported: set[frozenset] = set()
        for a, b in sorted(tbox.disjoint):
            key = frozenset((a, b))
            if a in classes and b in classes and key not in reported:
                reported.add(key)
                ma, why_a, ax_a = classes[a]
                mb, why_b, ax_b = classes[b]
                who = names.ind(ma) if ma == mb else f"{names.ind(ma)} (merged with {names.ind(mb)})"
                merge = "" if ma == mb else " " + "; ".join(sorted(set(merged_why[ma]) | set(merged_why[mb]))) + "."
                msg = (f"{who} is typed both {_local(a)} and {_local(b)}, which are disjoint: "
                       f"{_local(a)} because {why_a}; {_local(b)} because {why_b}.{merge}")
                problems.append(Problem("disjoint-types", msg, tuple(sorted({ma, mb})),
                                        (f"{names.term(a)} owl:disjointWith {names.term(b)}", ax_a, ax_b)))
    # functional data properties with two different values
    dvals: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for s, p, lit in view.data_assertions:
        for q in tbox.prop_supers(p):
            if q in tbox.functional:
                dvals[(uf.find(s), q)].add(_value_key(lit))
    for (s, q), vs in sorted(dvals.items()):
        if len(vs) > 1:
            shown = ", ".join(sorted(v for _, v in vs))
            problems.append(Problem(
                "functional-data",
                f"{names.ind(s)} has {len(vs)} different values for {names.term(q)} ({shown}), but "
                f"{names.term(q)} is functional: at most one value.",
                (s,), (f"{names.term(q)} rdf:type owl:FunctionalProperty",)))
    # literals outside a declared datatype range
    for s, p, lit in sorted(view.data_assertions, key=lambda t: (t[0], t[1], str(t[2]))):
        dt = lit.datatype.value if lit.datatype else XSD_STRING
        for q in tbox.prop_supers(p):
            for r in sorted(tbox.ranges.get(q, ())):
                if r.startswith(XSD) and not _compatible(dt, r):
                    problems.append(Problem(
                        "datatype-range",
                        f"{names.ind(s)} has {names.term(p)} {names.lit(lit)}, a {names.term(dt)}, but the range of "
                        f"{names.term(q)} is {names.term(r)}.",
                        (s,), (f"{names.term(q)} rdfs:range {names.term(r)}",)))
    return problems


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _value_key(lit: ox.Literal) -> tuple[str, str]:
    from rdflib import Literal, URIRef

    dt = lit.datatype.value if lit.datatype else None
    v = Literal(lit.value, datatype=URIRef(dt) if dt else None, lang=lit.language)
    try:
        return (repr(v.toPython()), str(lit))
    except Exception:  # pragma: no cover - unparsable lexical forms are compared as text
        return (lit.value, str(lit))


def _compatible(dt: str, rng: str) -> bool:
    if dt == rng or rng == RDFS + "Literal":
        return True
    if rng == XSD + "decimal":
        return dt in _INTEGER_TYPES
    if rng == XSD + "integer":
        return dt in _INTEGER_TYPES
    if rng == XSD_STRING:
        return dt in _STRING_TYPES
    return False


# ================================================================ the whole run
@dataclass
class Result:
    report: ReasonReport
    inferred: list[tuple[str, str, str]]  # sorted (s, p, o), all IRIs


def reason_triples(abox: Iterable[Triple], *, base: str, reasoner: str = "hermit",
                   article_graphs: dict[str, list[Triple]] | None = None,
                   timings: dict[str, float] | None = None) -> Result:
    """Reason over KB triples (subject, predicate, object as IRI strings or ox.Literal).

    ``article_graphs`` (graph IRI -> triples) lets an inconsistency that no simple check explains
    be narrowed to the articles inconsistent on their own. Raises :class:`ReasonError`."""
    timings = {} if timings is None else timings
    step = _Timer(timings)
    abox = list(abox)
    with step("ontology"):
        tbox = TBox(read_ontology())
    with step("reasoning view"):
        view = build_view(tbox, abox, base=base)
    with step(reasoner):
        consistent, new_types = run_reasoner(view.ntriples, reasoner=reasoner)
    report = ReasonReport(kb=None, reasoner=reasoner, consistent=consistent, graph=inferred_graph_iri(base),
                          view=view.counts, warnings=view.warnings, timings=timings)
    if not consistent:
        with step("explain"):
            report.problems = explain(tbox, view, abox)
            if not report.problems and article_graphs:
                report.problems = _explain_by_article(tbox, article_graphs, base=base, reasoner=reasoner)
            if not report.problems:
                report.problems = [Problem("unexplained", f"{reasoner} finds the KB inconsistent, but neither the "
                                           "disjointness, functional-property and datatype checks nor any single "
                                           "article explain it: the combination of articles is inconsistent.")]
        return Result(report, [])
    with step("entailments"):
        props = property_closure(tbox, view.object_assertions)
        types = class_memberships(tbox, view, props, new_types)
        inferred: set[tuple[str, str, str]] = set()
        counts: dict[str, int] = defaultdict(int)
        for s in types:
            if not s.startswith(base):
                continue
            for c in types[s]:
                if c.startswith(NKB_IRI) and c not in view.asserted_types.get(s, ()):
                    inferred.add((s, RDF_TYPE, c))
                    counts["class memberships"] += 1
        for s, p, o in props - view.object_assertions:
            if s.startswith(base) and p.startswith(NKB_IRI):
                inferred.add((s, p, o))
                counts["nkb:" + p[len(NKB_IRI):]] += 1
        report.inferred = dict(counts)
    return Result(report, sorted(inferred))


def _explain_by_article(tbox: TBox, graphs: dict[str, list[Triple]], *, base: str, reasoner: str) -> list[Problem]:
    out = []
    for g in sorted(graphs):
        view = build_view(tbox, graphs[g], base=base)
        ok, _ = run_reasoner(view.ntriples, reasoner=reasoner)
        if not ok:
            out.append(Problem("article", f"the article graph <{g}> is inconsistent with the ontology on its own "
                               "(no disjointness, functional-property or datatype conflict found by the simple checks)",
                               (g,)))
    return out


def read_kb(kb_dir: Path) -> tuple[list[Triple], dict[str, list[Triple]], str]:
    """The union of a KB folder's article graphs, the graphs one by one, and the digest of
    which graphs these are (:func:`newskb.kbfolder.graphs_digest`)."""
    try:
        sources = article_graphs(kb_dir)
    except KBFolderError as exc:
        raise ReasonError(str(exc)) from None
    graphs: dict[str, list[Triple]] = {}
    seen: set[Triple] = set()
    union: list[Triple] = []
    for a in sources:
        try:
            parsed = list(ox.parse(path=str(a.path), format=ox.RdfFormat.TURTLE))
        except (OSError, SyntaxError) as exc:
            raise ReasonError(f"{a.path}: cannot read the article graph ({exc}); rebuild the KB") from None
        triples = graphs[a.graph] = [(_term(t.subject), _term(t.predicate), _term(t.object)) for t in parsed]
        for t in triples:
            if t not in seen:
                seen.add(t)
                union.append(t)
    return union, graphs, graphs_digest(sources)


def serialize_inferred(triples: list[tuple[str, str, str]], *, graph: str, source_digest: str) -> bytes:
    """The inferred graph as deterministic Turtle with a header naming its graph and source."""
    from rdflib import URIRef

    from .serialize import Format, serialize_graph

    head = (f"# newskb inferred graph <{graph}>: written by 'newskb reason'; do not edit.\n"
            f"# What the ontology entails and the article graphs do not assert (class memberships,\n"
            f"# sub-property, inverse and transitive consequences). Never mixed with the asserted graphs.\n"
            f"{INFERRED_SOURCE_LINE}{source_digest}\n")
    body = serialize_graph([(URIRef(s), URIRef(p), URIRef(o)) for s, p, o in triples], Format.TURTLE)
    return head.encode("utf-8") + body


def load_inferred_into_kb_store(kb_dir: str | Path) -> bool:
    """Bring ``DIR/store`` up to date (``store.open_kb``: the inferred graph is loaded when
    current) and tell whether it holds the inferred graph."""
    from .store import open_kb

    kb = Path(kb_dir)
    store = open_kb(kb)
    try:
        return inferred_is_current(kb) and store.contains_named_graph(ox.NamedNode(inferred_graph_iri(kb_base(kb))))
    finally:
        del store
        gc.collect()


def reason(kb_dir: str | Path, *, reasoner: str = "hermit", write: bool = True, load_store: bool = True) -> ReasonReport:
    """Reason over a KB folder; see the module doc.

    Writes ``DIR/inferred.ttl`` and loads it into ``DIR/store`` (graph ``<base>graph/inferred``)
    when the KB is consistent and ``write``/``load_store`` are set; an inconsistent KB leaves any
    previous ``inferred.ttl`` removed (it would be stale). Raises :class:`ReasonError` for a
    missing or malformed KB folder, an unknown reasoner, or a reasoner that cannot run."""
    kb = Path(kb_dir)
    timings: dict[str, float] = {}
    step = _Timer(timings)
    with step("read KB"):
        try:
            base = kb_base(kb)
        except KBFolderError as exc:
            raise ReasonError(str(exc)) from None
        union, graphs, digest = read_kb(kb)
    result = reason_triples(union, base=base, reasoner=reasoner, article_graphs=graphs, timings=timings)
    report = result.report
    report.kb = kb
    out = kb / INFERRED_FILE
    if write:
        with step("write inferred.ttl"):
            if report.consistent:
                from .serialize import write_atomic

                write_atomic(out, serialize_inferred(result.inferred, graph=report.graph,
                                                     source_digest=digest))
                report.output = out
            elif out.exists():
                out.unlink()
    if write and load_store:
        with step("load into store"):
            report.loaded_into_store = load_inferred_into_kb_store(kb) and report.consistent
    return report
