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


def default_corpus() -> Path:
    """``../shared/corpus`` beside the project folder (or ``NEWSKB_CORPUS``)."""
    env = os.environ.get("NEWSKB_CORPUS")
    return Path(env) if env else project_root().parent / "shared" / "corpus"


def ontology_dir() -> Path:
    return project_root() / "ontology"


def shapes_dir() -> Path:
    return project_root() / "shapes"


def queries_dir() -> Path:
    return project_root() / "queries"


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    g = Graph()
    for f in sorted(ontology_dir().glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    for f in sorted(shapes_dir().glob("*.ttl")):
        g.parse(f, format="turtle")
    return g
