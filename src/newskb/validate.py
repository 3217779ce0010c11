"""Stage 4 — validation: the SHACL shapes of ``shapes/`` checked by a maintained SHACL engine.

Each article graph is validated on its own, with the ontology's class hierarchy beside it so
that a shape on a class applies to its subclasses. A :class:`Report` lists each violation with
the focus node and its label, the path, the value, the message and the shape, so that a person
can find and fix it. Every shape of ``shapes/`` has an ``sh:message``, so the reports do not
depend on how an engine words its generic messages.

Two engines (decision D13 in docs/decisions.md):

- ``turbo`` (the default): pyshacl-turbo, SHACL Core in Rust, the shapes compiled once;
- ``pyshacl``: pySHACL, the reference implementation, kept as the test oracle
  (``tests/test_shacl_engines.py`` checks that both give the same report on every article
  graph of ``kb/`` and on graphs broken one constraint at a time).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from .adapters.pyshacl_turbo import ntriples_input
from .resources import ontology_graph, shapes_graph
from .vocab import curie

ENGINES = ("turbo", "pyshacl")
DEFAULT_ENGINE = "turbo"


@dataclass(frozen=True)
class Violation:
    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    shape: str
    severity: str

    def __str__(self) -> str:
        label = f' "{self.focus_label}"' if self.focus_label else ""
        path = f" path {self.path}" if self.path else ""
        value = f" value {self.value}" if self.value else ""
        return f"{self.severity}: <{self.focus}>{label}{path}{value}: {self.message} [shape {self.shape}]"


@dataclass
class Report:
    graph: str
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0

    def text(self) -> str:
        head = f"{self.graph}: {'conforms' if self.conforms else 'DOES NOT CONFORM'} ({self.triples} triples"
        head += f", {len(self.violations)} violations)" if self.violations else ")"
        return "\n".join([head] + ["  " + str(v) for v in self.violations])


@lru_cache(maxsize=1)
def class_hierarchy() -> Graph:
    """What SHACL needs from the ontology: rdfs:subClassOf axioms (targets and sh:class follow
    subclasses) and the types of its named individuals (units, qualifiers, precisions), several
    times smaller than the whole ontology that would be mixed into every data graph."""
    ont = ontology_graph()
    g = Graph()
    for t in ont.triples((None, RDFS.subClassOf, None)):
        g.add(t)
    for ind in ont.subjects(RDF.type, OWL.NamedIndividual):
        for t in ont.triples((ind, RDF.type, None)):
            g.add(t)
    return g


@lru_cache(maxsize=1)
def _class_hierarchy_ntriples() -> bytes:
    return ox.serialize([ox.Triple(*map(_ox_term, t)) for t in class_hierarchy()], format=ox.RdfFormat.N_TRIPLES)


def validate_graph(data: Graph | Iterable | bytes, *, name: str = "graph", engine: str = DEFAULT_ENGINE,
                   shapes: Graph | None = None) -> Report:
    """Validate one graph against the project's shapes (or ``shapes``); never raises on
    non-conformance. ``data``: an rdflib Graph, an iterable of (s, p, o) rdflib terms, or an
    N-Triples document (bytes). ``engine``: one of :data:`ENGINES`. Raises ``ValueError`` for an
    unknown engine."""
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r} (one of {', '.join(ENGINES)})")
    sg = shapes_graph() if shapes is None else shapes
    if engine == "turbo":
        return _validate_turbo(data, sg, name)
    return _validate_pyshacl(data, sg, name)


# ---- pyshacl-turbo ------------------------------------------------------------------------------
_compiled: dict[int, tuple[Graph, object]] = {}


def _turbo_shapes(sg: Graph):
    """The shapes compiled by pyshacl-turbo, once per shapes graph."""
    hit = _compiled.get(id(sg))
    if hit is None or hit[0] is not sg:
        from pyshacl_turbo import compile_shapes

        if len(_compiled) > 8:
            _compiled.clear()
        hit = _compiled[id(sg)] = (sg, compile_shapes(sg))
    return hit[1]


def _ntriples_count(nt: bytes) -> int:
    """The distinct triples of an N-Triples document: its distinct lines, less blank and comment
    lines (a triple's line starts with its subject, an IRI or a blank node)."""
    lines = set(nt.splitlines())
    odd = [ln for ln in lines if ln[:1] not in (b"<", b"_")]
    return len(lines) - len(odd) + sum(1 for ln in odd if ln.strip() and not ln.lstrip().startswith(b"#"))


def _validate_turbo(data, sg: Graph, name: str) -> Report:
    if isinstance(data, (bytes, bytearray)):
        # N-Triples as the build writes them (one triple per line): read by the engine as they
        # are; a Store only when a violation needs its focus node's label
        nt = bytes(data)
        size = _ntriples_count(nt)
        conforms, results, _text = _turbo_shapes(sg).validate(
            ntriples_input(nt + b"\n" + _class_hierarchy_ntriples()), allow_warnings=True)
        store = None
        if (None, RDF.type, SH.ValidationResult) in results:  # warnings too, when the graph conforms
            store = ox.Store()
            store.load(nt, format=ox.RdfFormat.N_TRIPLES)
    else:
        store = ox.Store()
        store.extend(ox.Quad(*map(_ox_term, t)) for t in data)
        size = len(store)
        store.load(_class_hierarchy_ntriples(), format=ox.RdfFormat.N_TRIPLES)
        conforms, results, _text = _turbo_shapes(sg).validate(store, allow_warnings=True)

    def label(node):
        if store is None or not isinstance(node, (URIRef, BNode)):
            return None
        return min((q.object.value for q in store.quads_for_pattern(_ox_term(node), _RDFS_LABEL, None)), default=None)

    return _report(name, bool(conforms), _violations(results, sg, label), size)


# ---- pySHACL ------------------------------------------------------------------------------------
def _validate_pyshacl(data, sg: Graph, name: str) -> Report:
    from pyshacl import validate

    if isinstance(data, (bytes, bytearray)):
        data = Graph().parse(data=bytes(data), format="nt")
    elif not isinstance(data, Graph):
        g = Graph()
        for t in data:
            g.add(t)
        data = g
    conforms, results, _text = validate(
        data, shacl_graph=sg, ont_graph=class_hierarchy(), inference="none",
        abort_on_first=False, allow_warnings=True, advanced=False)  # SHACL Core only

    def label(node):
        return min((str(o) for o in data.objects(node, RDFS.label)), default=None)

    return _report(name, bool(conforms), _violations(results, sg, label), len(data))


# ---- reports ------------------------------------------------------------------------------------
_RDFS_LABEL = ox.NamedNode(str(RDFS.label))


def _ox_term(t: Node):
    if isinstance(t, URIRef):
        return ox.NamedNode(t)
    if isinstance(t, BNode):
        return ox.BlankNode(t)
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(t, language=t.language)
        return ox.Literal(t, datatype=ox.NamedNode(t.datatype)) if t.datatype else ox.Literal(t)
    raise TypeError(f"not an RDF term: {t!r}")


def _violations(results: Graph, sg: Graph, label) -> list[Violation]:
    """The results of a W3C SHACL validation report graph."""
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        path, value = results.value(r, SH.resultPath), results.value(r, SH.value)
        msg, shape = results.value(r, SH.resultMessage), results.value(r, SH.sourceShape)
        sev = results.value(r, SH.resultSeverity)
        out.append(Violation(
            focus=str(focus), focus_label=label(focus),  # the first label in code point order
            path=curie(path) if isinstance(path, URIRef) else None,
            value=None if value is None else curie(value) if isinstance(value, URIRef) else str(value),
            message=str(msg) if msg else "violates the shape",
            shape=_shape_name(shape, sg),
            severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation"))
    return out


def _report(name: str, conforms: bool, violations: list[Violation], size: int) -> Report:
    # a total order, so that both engines list equal violations in the same order
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message, v.value or "", v.shape, v.severity,
                                   v.focus_label or ""))
    return Report(graph=name, conforms=conforms, violations=violations, triples=size)


def _shape_name(node: Node | None, sg: Graph) -> str:
    """A named shape by its prefixed name; an anonymous property shape by the named node shape
    that holds it."""
    if isinstance(node, URIRef):
        return sg.namespace_manager.normalizeUri(node)
    parent = next((p for p in sg.subjects(SH.property, node) if isinstance(p, URIRef)), None) if node else None
    return sg.namespace_manager.normalizeUri(parent) if parent is not None else "anonymous shape"
