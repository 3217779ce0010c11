"""Stage 8 — export: a built KB folder in one file of any RDF format.

``export(kb_dir, out, fmt)`` writes the KB's article graphs (``articles/*.ttl``) as Turtle, TriG, N-Quads,
N-Triples or JSON-LD. TriG, N-Quads and JSON-LD keep each article's named graph; Turtle and
N-Triples hold their RDF merge (each triple once). Output is deterministic (sorted).

JSON-LD is compacted with the published context ``ontology/context.jsonld``
(``https://w3id.org/newskb/ontology/context.jsonld``): the KB's prefixes as JSON-LD terms. The
exported document embeds a copy of the context, so it reads offline; ``jsonld_context()`` is the
one source of both.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from .resources import ontology_dir
from .serialize import Format, write_atomic
from .kbfolder import KBFolderError, article_graphs
from .vocab import DATASET_PREFIXES, KB_BASE, PREFIXES

CONTEXT_FILE = "context.jsonld"
CONTEXT_IRI = "https://w3id.org/newskb/ontology/context.jsonld"


class ExportError(ValueError):
    """The KB folder cannot be exported."""


def jsonld_context() -> dict:
    """The JSON-LD context of newskb data: one term per prefix of the KB's Turtle files and of the
    VoID/DCAT record, and ``kb`` for the default base IRI (a KB under another base adds its own
    ``kb`` in a second, local context)."""
    terms = {**PREFIXES, **DATASET_PREFIXES, "kb": KB_BASE}
    return {"@context": {**dict(sorted(terms.items())), "@version": 1.1}}


def context_path() -> Path:
    """The published context file (``ontology/context.jsonld``)."""
    return ontology_dir() / CONTEXT_FILE


def _quads(kb_dir: Path) -> list[ox.Quad]:
    try:
        graphs = article_graphs(kb_dir)
    except KBFolderError as exc:
        raise ExportError(str(exc)) from None
    quads: list[ox.Quad] = []
    for a in graphs:
        g = ox.NamedNode(a.graph)
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, g)
                     for t in ox.parse(path=str(a.path), format=ox.RdfFormat.TURTLE))
    return quads


def export_bytes(kb_dir: str | Path, fmt: Format) -> bytes:
    """The KB's article graphs in ``fmt``."""
    quads = _quads(Path(kb_dir))
    if fmt is Format.JSON_LD:
        return _jsonld(quads)
    if fmt.is_dataset:
        quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
        return ox.serialize(quads, format=fmt.ox_format, prefixes=PREFIXES if fmt is Format.TRIG else None)
    triples = sorted({q.triple for q in quads}, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=fmt.ox_format, prefixes=PREFIXES if fmt is Format.TURTLE else None)


def _jsonld(quads: list[ox.Quad]) -> bytes:
    from rdflib import Dataset

    ds = Dataset()
    nq = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    ds.parse(data=nq.decode("utf-8"), format="nquads")
    text = ds.serialize(format="json-ld", context=jsonld_context()["@context"], auto_compact=True, sort_keys=True,
                        indent=1)
    return text.encode("utf-8") if isinstance(text, str) else text


def export(kb_dir: str | Path, out: str | Path, fmt: Format | None = None) -> Path:
    """Write the KB to ``out`` in ``fmt`` (default: from the file extension)."""
    out = Path(out)
    fmt = fmt or format_for(out)
    write_atomic(out, export_bytes(kb_dir, fmt))
    return out


def format_for(path: Path) -> Format:
    ext = path.suffix.lstrip(".").lower()
    for f in Format:
        if f.extension == ext:
            return f
    names = ", ".join(f".{f.extension}" for f in Format)
    raise ExportError(f"{path}: cannot tell the format from the extension; use one of {names} or --format")


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(jsonld_context(), indent=1, sort_keys=True))
