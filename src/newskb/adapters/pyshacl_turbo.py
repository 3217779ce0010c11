"""pyshacl-turbo's private parts: the input record its compiled validator reads, and the format
name under which it takes N-Quads text straight into its engine. Given a pyoxigraph Store, the
validator dumps it to that text first (``pyshacl_turbo.rdf.input_graph``); the build has the
N-Triples of each graph already (N-Triples is N-Quads without graph names), so it hands them
over as they are, without filling a Store to be dumped again."""

from __future__ import annotations

from pyshacl_turbo.rdf import Input

NQUADS_FORMAT = "oxigraph-nquads"  # what input_graph names a dumped pyoxigraph Store


def ntriples_input(nt: bytes) -> Input:
    """The validator's input for a document of N-Triples (UTF-8), blank node ids kept."""
    return Input(nt.decode("utf-8"), NQUADS_FORMAT, None, {}, preserve_ids=True)
