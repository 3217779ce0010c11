"""Deterministic RDF output: the same triples always give byte-identical files.

Triples are converted to pyoxigraph terms, sorted (graph, subject, predicate, object, with
``rdf:type`` first for each subject) and written by pyoxigraph's serializers with fixed prefixes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .vocab import PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class Format(enum.Enum):
    """Output formats, each knowing its file extension and media type."""

    TURTLE = ("ttl", "text/turtle", ox.RdfFormat.TURTLE)
    TRIG = ("trig", "application/trig", ox.RdfFormat.TRIG)
    N_QUADS = ("nq", "application/n-quads", ox.RdfFormat.N_QUADS)
    N_TRIPLES = ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES)
    JSON_LD = ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD)

    def __init__(self, extension: str, media_type: str, ox_format: ox.RdfFormat):
        self.extension = extension
        self.media_type = media_type
        self.ox_format = ox_format

    @property
    def is_dataset(self) -> bool:
        return self in (Format.TRIG, Format.N_QUADS)


def to_ox(term: Node):
    """An rdflib term as a pyoxigraph term. Blank nodes are refused: published data has none."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        raise ValueError("blank node in published data")
    raise TypeError(f"cannot serialize {term!r}")


def _term_key(t) -> tuple:
    return (type(t).__name__ != "NamedNode", str(t))


def _triple_key(t: ox.Triple) -> tuple:
    return (str(t.subject), t.predicate.value != RDF_TYPE, str(t.predicate), _term_key(t.object))


def sorted_triples(graph: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    iris: dict[str, ox.NamedNode] = {}  # an article repeats its IRIs many times: convert each once

    def conv(t):
        if type(t) is URIRef:
            n = iris.get(t)
            if n is None:
                n = iris[t] = ox.NamedNode(t)
            return n
        return to_ox(t)

    return sorted((ox.Triple(conv(s), conv(p), conv(o)) for s, p, o in graph), key=_triple_key)


def serialize_graph(graph: Graph | Iterable, fmt: Format = Format.TURTLE) -> bytes:
    """One graph as Turtle / N-Triples / JSON-LD bytes, deterministically ordered."""
    return serialize_sorted(sorted_triples(graph), fmt)


def serialize_sorted(triples: list[ox.Triple], fmt: Format = Format.TURTLE) -> bytes:
    """Triples already in :func:`sorted_triples` order, serialised as they are."""
    return ox.serialize(triples, format=fmt.ox_format, prefixes=PREFIXES if fmt is Format.TURTLE else None)


def serialize_dataset(graphs: Iterable[tuple[str, list[ox.Triple]]], fmt: Format) -> bytes:
    """Named graphs (already sorted triples) as TriG or N-Quads bytes, graphs in IRI order."""
    quads = []
    for name, triples in sorted(graphs, key=lambda g: g[0]):
        g = ox.NamedNode(name)
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in triples)
    return ox.serialize(quads, format=fmt.ox_format, prefixes=PREFIXES if fmt is Format.TRIG else None)


def parse_triples(data: bytes, fmt: Format = Format.TURTLE) -> list[ox.Triple]:
    return [q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(data, format=fmt.ox_format)]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def dataset_header(fmt: Format) -> bytes:
    """What :func:`serialize_dataset` writes before the first graph (the TriG ``@prefix`` lines),
    given at least one quad; N-Quads has none."""
    if fmt is not Format.TRIG:
        return b""
    g = ox.NamedNode("urn:x:g")
    data = ox.serialize([ox.Quad(g, g, g, g)], format=fmt.ox_format, prefixes=PREFIXES)
    return data[:data.index(b"\n<") + 1]


def graph_chunk(name: str, triples: Iterable[ox.Triple], fmt: Format, header: bytes = b"") -> bytes:
    """One named graph's part of :func:`serialize_dataset` output (without the dataset header):
    the dataset is the header followed by its graphs' chunks in IRI order (nothing when empty)."""
    g = ox.NamedNode(name)
    data = ox.serialize([ox.Quad(t.subject, t.predicate, t.object, g) for t in triples],
                        format=fmt.ox_format, prefixes=PREFIXES if fmt is Format.TRIG else None)
    if not data:
        return b""
    if not data.startswith(header):  # pragma: no cover - a pyoxigraph change
        raise ValueError("unexpected TriG header")
    return data[len(header):]
