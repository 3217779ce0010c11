"""Stage 4 — validation: SHACL shapes (``shapes/``) checked with pySHACL.

Each article graph is validated on its own (with the ontology as ``ont_graph`` so that shapes on a
class apply to its subclasses). A :class:`Report` lists each violation with the focus node and its
label, the path, the message and the shape, so a person can find and fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


def validate_graph(data: Graph, *, name: str = "graph", consume: bool = False) -> Report:
    """Validate one graph against the project's shapes; never raises on non-conformance.
    ``consume``: the caller no longer needs ``data``, which then gets the class hierarchy added
    in place instead of into a copy (about a fifth faster)."""
    size = len(data)
    if consume:
        for t in class_hierarchy():
            data.add(t)
    conforms, results, _ = _shacl(
        data, shacl_graph=shapes_graph(), ont_graph=None if consume else class_hierarchy(), inference="none",
        abort_on_first=False, allow_warnings=True, advanced=False,  # core SHACL only: 1.6x faster
        inplace=consume,
    )
    violations: list[Violation] = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        label = data.value(focus, RDFS.label) if focus is not None else None
        path = results.value(r, SH.resultPath)
        msg = results.value(r, SH.resultMessage)
        shape = results.value(r, SH.sourceShape)
        sev = results.value(r, SH.resultSeverity)
        violations.append(Violation(
            focus=str(focus), focus_label=str(label) if label else None,
            path=_short(path, data) if isinstance(path, URIRef) else None,
            value=_short(results.value(r, SH.value), data),
            message=str(msg) if msg else "violates the shape",
            shape=_short(shape, shapes_graph()) if isinstance(shape, URIRef) else (_shape_name(shape) or "anonymous shape"),
            severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation",
        ))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return Report(graph=name, conforms=bool(conforms), violations=violations, triples=size)


def _shape_name(node: Node | None) -> str | None:
    """The named node shape that holds an anonymous property shape."""
    if node is None:
        return None
    sg = shapes_graph()
    for parent in sg.subjects(SH.property, node):
        if isinstance(parent, URIRef):
            return _short(parent, sg)
    return None
