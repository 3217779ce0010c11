"""Where the project's ontology, shapes and saved queries live.

In a source checkout they are the top-level ``ontology/``, ``shapes/`` and ``queries/`` folders;
``NEWSKB_HOME`` may point elsewhere.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from rdflib import Graph


def project_root() -> Path:
    env = os.environ.get("NEWSKB_HOME")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "ontology").is_dir() and (parent / "queries").is_dir():
            return parent
    raise FileNotFoundError("cannot find the newskb project folder (ontology/, shapes/, queries/); set NEWSKB_HOME")


_CORPUS_FOLDERS = {"train": ("NEWSKB_CORPUS", "corpus"), "dev": ("NEWSKB_CORPUS_DEV", "corpus-dev")}


def default_corpus(split: str = "train") -> Path:
    """The articles of a split: ``train`` is ``../shared/corpus`` beside the project folder (or
    ``NEWSKB_CORPUS``), ``dev`` is ``../shared/corpus-dev`` (or ``NEWSKB_CORPUS_DEV``)."""
    if split not in _CORPUS_FOLDERS:
        raise ValueError(f"unknown split {split!r}: use one of {', '.join(_CORPUS_FOLDERS)}")
    var, folder = _CORPUS_FOLDERS[split]
    env = os.environ.get(var)
    return Path(env) if env else project_root().parent / "shared" / folder


def annotations_dir() -> Path:
    """``tests/annotations`` of the project: one folder per split (docs/annotations.md)."""
    return project_root() / "tests" / "annotations"


def ontology_dir() -> Path:
    return project_root() / "ontology"


def shapes_dir() -> Path:
    return project_root() / "shapes"


def queries_dir() -> Path:
    return project_root() / "queries"


def _turtle_folder(folder: Path, *, bind_namespaces: str = "rdflib") -> Graph:
    """Every ``*.ttl`` directly in ``folder``, parsed into one graph."""
    g = Graph(bind_namespaces=bind_namespaces)
    for f in sorted(folder.glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return _turtle_folder(ontology_dir())


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The shapes of ``shapes/*.ttl``, with only the prefixes their files declare (a SHACL
    report graph binds every prefix of the shapes graph, at a cost per prefix)."""
    return _turtle_folder(shapes_dir(), bind_namespaces="none")


def read_table(name: str, *, sourced: bool = True) -> list[dict[str, str]]:
    """Rows of a package data table ``newskb/data/NAME``: tab-separated with a header line, blank
    and ``#`` lines skipped. With ``sourced``, every row must cite its source (``source`` column)."""
    import csv
    from importlib import resources as _res

    text = (_res.files("newskb") / "data" / name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    if sourced:
        for n, row in enumerate(rows, 2):
            if not (row.get("source") or "").strip():
                raise ValueError(f"newskb/data/{name}: row {n} has no source")
    return rows
