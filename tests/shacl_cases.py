"""Broken graphs for the differential SHACL tests: each made from an article graph of kb/ by one
edit that breaks one constraint of the project's shapes, found by walking the shapes graph (so a
new constraint gets its broken graphs without a new test). Used by tests/test_shacl_engines.py
and bench/bench.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD

from newskb.resources import shapes_graph
from newskb.validate import class_hierarchy

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = sorted((ROOT / "kb" / "articles").glob("*.ttl"))
UNTYPED = URIRef("urn:newskb-test:untyped-node")
NEW_FOCUS = URIRef("urn:newskb-test:new-focus")
TARGETS = (SH.targetClass, SH.targetSubjectsOf)


@lru_cache(maxsize=None)
def parsed(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def copy(g: Graph) -> Graph:
    out = Graph()
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    for t in g:
        out.add(t)
    return out


def smallest_article() -> Graph:
    return copy(min((parsed(p) for p in ARTICLES), key=len))


@dataclass(frozen=True)
class Shape:
    """A shape of the shapes graph: its node, path (None for a node shape) and parameters."""

    node: object
    path: URIRef | None
    params: dict

    @property
    def name(self) -> str:
        return str(self.node).rsplit("#", 1)[-1] if isinstance(self.node, URIRef) else "[]"


def _shape(sg: Graph, node) -> Shape:
    params: dict = {}
    for p, o in sg.predicate_objects(node):
        if p in (SH["or"], SH["and"], SH.xone, SH["in"], SH.languageIn):
            o = list(Collection(sg, o))
        params.setdefault(p, []).append(o)
    path = sg.value(node, SH.path)
    return Shape(node, path, params)


def subclasses(c) -> set:
    return set(class_hierarchy().transitive_subjects(RDFS.subClassOf, c))


@dataclass(frozen=True)
class Case:
    """One broken graph: ``label`` names the shape, path and edit; ``edit(g, focus)`` breaks it."""

    label: str
    classes: tuple
    subjects_of: tuple
    path: URIRef | None
    edit: Callable[[Graph, object], None]

    def graph(self) -> tuple[Graph, object]:
        """A copy of the article graph the edit applies to, edited, and its focus node."""
        base, focus = pick(self.classes, self.subjects_of, self.path)
        g = copy(base)
        self.edit(g, focus)
        return g, focus


def _focus_nodes(g: Graph, classes, subjects_of) -> list:
    out = []
    for tc in classes:
        for c in subclasses(tc):
            out.extend(g.subjects(RDF.type, c))
    for p in subjects_of:
        out.extend(g.subjects(p, None))
    return sorted(set(out), key=str)


def pick(classes, subjects_of, want_path=None):
    """(graph, focus): the smallest article graph with a focus node of the shape (preferring one
    that has a value for ``want_path``), or a new focus node typed into the smallest graph."""
    by_size = sorted(ARTICLES, key=lambda p: len(parsed(p)))
    fallback = None
    for path in by_size:
        g = parsed(path)
        nodes = _focus_nodes(g, classes, subjects_of)
        if not nodes:
            continue
        if want_path is None:
            return g, nodes[0]
        for f in nodes:
            if (f, want_path, None) in g:
                return g, f
        fallback = fallback or (g, nodes[0])
    if fallback:
        return fallback
    g = copy(parsed(by_size[0]))
    for c in classes:
        g.add((NEW_FOCUS, RDF.type, c))
    for p in subjects_of:
        g.add((NEW_FOCUS, p, Literal("1", datatype=XSD.integer)))
    return g, NEW_FOCUS


def _wrong_datatype(dt) -> list:
    out = [Literal("5", datatype=XSD.integer) if dt != XSD.integer else Literal("5", datatype=XSD.string),
           UNTYPED]
    if dt == XSD.string:
        out.append(Literal("text", lang="en"))
    elif dt not in (XSD.anyURI, RDF.langString, RDFS.Literal):
        # ill-typed; kept as written (rdflib would otherwise rewrite "abc"^^xsd:boolean as "false")
        out.append(Literal("abc", datatype=dt, normalize=False))
    return out


def set_values(g: Graph, f, p, values) -> None:
    g.remove((f, p, None))
    for v in values:
        g.add((f, p, v))


def mutations(shape: Shape) -> list[tuple[str, Callable]]:
    """(label, edit(g, f)) pairs, each making focus f violate one constraint of ``shape``."""
    P, path = shape.params, shape.path
    muts = []
    if SH.minCount in P and int(P[SH.minCount][0]) >= 1:
        muts.append(("remove required", lambda g, f: g.remove((f, path, None))))
    if SH.maxCount in P:
        n = int(P[SH.maxCount][0])

        def too_many(g, f, n=n):
            vals = list(g.objects(f, path))
            base = vals[0] if vals else Literal("1.5", datatype=XSD.decimal)
            extra = [base] + [(Literal(f"extra value {i}") if isinstance(base, Literal)
                               else URIRef(f"{base}-other-{i}")) for i in range(n + 1)]
            for v in extra:
                g.add((f, path, v))
        muts.append((f"more than {n}", too_many))
    if SH.datatype in P:
        for i, wrong in enumerate(_wrong_datatype(P[SH.datatype][0])):
            muts.append((f"datatype #{i}", lambda g, f, w=wrong: set_values(g, f, path, [w])))
    if SH["class"] in P:
        muts.append(("class: untyped node", lambda g, f: set_values(g, f, path, [UNTYPED])))
        muts.append(("class: literal", lambda g, f: set_values(g, f, path, [Literal("a literal")])))

        def wrong_class(g, f):
            # another node of the graph that is not of the class
            others = [s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)
                      and not any(c2 in subclasses(c) for c in P[SH["class"]] for c2 in g.objects(s, RDF.type))]
            set_values(g, f, path, sorted(set(others), key=str)[:1] or [UNTYPED])
        muts.append(("class: wrong class", wrong_class))
    if SH.pattern in P:
        def mismatch(g, f):
            vals = list(g.objects(f, path))
            dt = vals[0].datatype if vals and isinstance(vals[0], Literal) else None
            set_values(g, f, path, [Literal("ftp:// no match ZZ", datatype=dt)])
        muts.append(("pattern", mismatch))
    if SH.minLength in P:
        muts.append(("too short", lambda g, f: set_values(g, f, path, [Literal("")])))
    for rng, delta in ((SH.minInclusive, -1), (SH.maxInclusive, 1), (SH.minExclusive, 0), (SH.maxExclusive, 0)):
        if rng in P:
            m = P[rng][0]
            dt = P[SH.datatype][0] if SH.datatype in P else m.datatype
            bad = Literal(str(m.value + delta), datatype=dt)
            muts.append((f"out of range {rng.fragment}", lambda g, f, b=bad: set_values(g, f, path, [b])))
            muts.append((f"range on a string {rng.fragment}", lambda g, f: set_values(g, f, path, [Literal("x")])))
    if SH.lessThanOrEquals in P:
        other = P[SH.lessThanOrEquals][0]

        def greater(g, f):
            cmp = list(g.objects(f, other))
            base = cmp[0] if cmp else Literal(3, datatype=XSD.integer)
            set_values(g, f, path, [Literal(base.value + 5, datatype=base.datatype)])
        muts.append(("begin > end", greater))
        muts.append(("incomparable", lambda g, f: set_values(g, f, path, [Literal("abc")])))
    if SH["or"] in P:
        muts.append(("or: plain string", lambda g, f: set_values(g, f, path, [Literal("soon")])))
        muts.append(("or: ill-typed date", lambda g, f: set_values(
            g, f, path, [Literal("2016-02-30", datatype=XSD.date, normalize=False)])))
    if SH["not"] in P:
        for n in P[SH["not"]]:
            classes = list(shapes_graph().objects(n, SH["class"]))

            def add_type(g, f, classes=classes):
                for c in classes:
                    g.add(((f if path is None else next(iter(g.objects(f, path)), f)), RDF.type, c))
            muts.append(("not: also typed", add_type))
    return muts


# constraint parameters that are not constraints of their own, or that no edit of one value breaks
NOT_MUTATED = {SH.path, SH.message, SH.property, SH.severity, SH.name, SH.description, RDF.type,
               SH.targetClass, SH.targetSubjectsOf}


def targeted_shapes(sg: Graph | None = None) -> list[tuple[Shape, tuple, tuple, list[Shape]]]:
    """Every node shape with a target: (shape, target classes, target predicates, its property shapes)."""
    sg = shapes_graph() if sg is None else sg
    out = []
    nodes = sorted({s for t in TARGETS for s in sg.subjects(t, None)}, key=str)
    for node in nodes:
        shape = _shape(sg, node)
        props = [_shape(sg, p) for p in sorted(sg.objects(node, SH.property), key=lambda n: (str(sg.value(n, SH.path)), n.n3()))]
        out.append((shape, tuple(shape.params.get(SH.targetClass, ())),
                    tuple(shape.params.get(SH.targetSubjectsOf, ())), props))
    return out


def cases() -> list[Case]:
    """One broken graph per constraint (and per way of breaking it) of the project's shapes."""
    out = []
    seen: dict[str, int] = {}
    for shape, classes, subjects_of, props in targeted_shapes():
        for s in [shape] + props:
            for label, edit in mutations(s):
                name = f"{shape.name} {label}" if s is shape else \
                    f"{shape.name} {s.path.split('#')[-1].split('/')[-1]}: {label}"
                seen[name] = seen.get(name, 0) + 1
                if seen[name] > 1:
                    name += f" ({seen[name]})"
                out.append(Case(name, classes, subjects_of, s.path, edit))
    return out
