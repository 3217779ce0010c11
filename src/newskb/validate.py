"""Stage 4 — validation: SHACL shapes (``shapes/``) checked with pySHACL semantics.

Each article graph is validated on its own (with the ontology's class hierarchy as ``ont_graph`` so
that shapes on a class apply to its subclasses). A :class:`Report` lists each violation with the
focus node and its label, the path, the message and the shape, so a person can find and fix it.

Two engines give the same reports: "fast" (default), the shapes compiled once into Python checks
by :mod:`newskb.shaclcore` (a few ms per article), and "pyshacl", pySHACL itself (about 90 ms).
When the shapes use a feature the compiler does not support, the fast engine falls back to pySHACL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Iterable

from pyshacl import validate as _shacl
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.term import Node

from functools import lru_cache

from .resources import ontology_graph, shapes_graph

SH = Namespace("http://www.w3.org/ns/shacl#")


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


def _short(node: Node | None, g: Graph) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return g.namespace_manager.normalizeUri(node)
        except Exception:  # pragma: no cover - rdflib edge cases
            return str(node)
    return str(node)


@lru_cache(maxsize=1)
def class_hierarchy() -> Graph:
    """What SHACL needs from the ontology: rdfs:subClassOf axioms (targets and sh:class follow
    subclasses) and the types of its named individuals (units, qualifiers, precisions), several
    times smaller than the whole ontology that would be mixed into every data graph."""
    from rdflib import OWL

    ont = ontology_graph()
    g = Graph()
    for t in ont.triples((None, RDFS.subClassOf, None)):
        g.add(t)
    for ind in ont.subjects(RDF.type, OWL.NamedIndividual):
        for t in ont.triples((ind, RDF.type, None)):
            g.add(t)
    return g


ENGINES = ("fast", "pyshacl")
_log = logging.getLogger(__name__)
_compiled: dict[int, tuple[Graph, object]] = {}


def compiled_shapes(shapes: Graph | None = None):
    """The shapes (default: the project's) compiled by :mod:`newskb.shaclcore`, cached per shapes
    graph; the :class:`~newskb.shaclcore.UnsupportedShapes` error when they cannot be compiled."""
    from .shaclcore import UnsupportedShapes, compile_shapes

    sg = shapes_graph() if shapes is None else shapes
    hit = _compiled.get(id(sg))
    if hit is None or hit[0] is not sg:
        try:
            value: object = compile_shapes(sg, class_hierarchy())
        except UnsupportedShapes as exc:
            value = exc
        if len(_compiled) > 8:
            _compiled.clear()
        hit = _compiled[id(sg)] = (sg, value)
    return hit[1]


def validate_graph(data: Graph | Iterable, *, name: str = "graph", consume: bool = False,
                   engine: str = "fast", shapes: Graph | None = None) -> Report:
    """Validate one graph against the project's shapes (or ``shapes``); never raises on
    non-conformance. ``data``: an rdflib Graph, or (fast engine) an iterable of (s, p, o) rdflib
    terms. ``engine``: "fast" (the shapes compiled by :mod:`newskb.shaclcore`; falls back to
    pySHACL when they use a feature it does not support) or "pyshacl"; both give the same report.
    ``consume``: the caller no longer needs ``data``; pySHACL then gets the class hierarchy added
    in place instead of into a copy (about a fifth faster); the fast engine never changes ``data``."""
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r} (one of {', '.join(ENGINES)})")
    sg = shapes_graph() if shapes is None else shapes
    if engine == "fast":
        compiled = compiled_shapes(sg)
        if isinstance(compiled, Exception):
            _warn_fallback(str(compiled))
        else:
            return _validate_fast(compiled, data, name=name, consume=consume, sg=sg)
    if not isinstance(data, Graph):
        data = _graph_of(data)
    size = len(data)
    if consume:
        for t in class_hierarchy():
            data.add(t)
    conforms, results, _ = _shacl(
        data, shacl_graph=sg, ont_graph=None if consume else class_hierarchy(), inference="none",
        abort_on_first=False, allow_warnings=True, advanced=False,  # core SHACL only: 1.6x faster
        inplace=consume,
    )
    violations: list[Violation] = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        label = data.value(focus, RDFS.label) if focus is not None else None
        msg = results.value(r, SH.resultMessage)
        violations.append(_violation(
            data, sg, focus, label, results.value(r, SH.resultPath), results.value(r, SH.value),
            str(msg) if msg else None, results.value(r, SH.sourceShape), results.value(r, SH.resultSeverity)))
    return _report(name, bool(conforms), violations, size)


def _graph_of(triples: Iterable) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


@lru_cache(maxsize=8)
def _warn_fallback(reason: str) -> None:
    _log.warning("newskb: the fast SHACL engine cannot run these shapes (%s); validating with pySHACL", reason)


def _validate_fast(compiled, data, *, name: str, consume: bool, sg: Graph) -> Report:
    from pyshacl.rdfutil import stringify_node

    is_graph = isinstance(data, Graph)
    if not is_graph and not isinstance(data, (list, tuple, set, frozenset)):
        data = list(data)  # iterated twice at most (index, then a blank node's generic message)
    stringify = None
    if consume and is_graph:
        # pySHACL works in place: generic messages show data nodes with the data graph's prefixes
        def stringify(node: Node) -> str:
            try:
                return stringify_node(data, node)
            except (LookupError, ValueError):
                return str(node)
    conforms, results, index = compiled.validate(data, stringify=stringify)
    violations: list[Violation] = []
    if results:
        ns = data if is_graph else Graph()  # the prefixes pySHACL's engine would see
        for r in results:
            if is_graph:
                label = data.value(r.focus, RDFS.label)
            else:
                labels = index.spo.get(r.focus, {}).get(RDFS.label)
                label = next(iter(labels)) if labels else None
            violations.append(_violation(ns, sg, r.focus, label, r.path, r.value, r.message or None,
                                         r.shape, r.severity))
    size = len(data) if is_graph else index.size()
    return _report(name, conforms, violations, size)


def _violation(data: Graph, sg: Graph, focus, label, path, value, msg: str | None, shape, sev) -> Violation:
    return Violation(
        focus=str(focus), focus_label=str(label) if label else None,
        path=_short(path, data) if isinstance(path, URIRef) else None,
        value=_short(value, data),
        message=msg if msg else "violates the shape",
        shape=_short(shape, sg) if isinstance(shape, URIRef) else (_shape_name(shape, sg) or "anonymous shape"),
        severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation",
    )


def _report(name: str, conforms: bool, violations: list[Violation], size: int) -> Report:
    # a total order, so that both engines list equal violations in the same order
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message, v.value or "", v.shape, v.severity,
                                   v.focus_label or ""))
    return Report(graph=name, conforms=conforms, violations=violations, triples=size)


def _shape_name(node: Node | None, sg: Graph | None = None) -> str | None:
    """The named node shape that holds an anonymous property shape."""
    if node is None:
        return None
    sg = shapes_graph() if sg is None else sg
    for parent in sg.subjects(SH.property, node):
        if isinstance(parent, URIRef):
            return _short(parent, sg)
    return None
