"""The layout of a built KB folder, read by every stage after the build.

A KB folder is defined by its manifest (``manifest.json``): each article's named graph IRI and
the digest of its Turtle file (``articles/<id>.ttl``). The whole-KB dumps (``kb.nq``, ``kb.trig``)
are optional (``newskb build --no-dumps``): nothing after the build needs them, so that adding
one article to a large KB does not rewrite gigabytes of dumps.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"
ARTICLES = "articles"
NQUADS = "kb.nq"
TRIG = "kb.trig"


class KBFolderError(FileNotFoundError):
    """Not a built KB folder, or its manifest is damaged."""


@dataclass(frozen=True)
class ArticleGraph:
    """One article's named graph: its IRI, Turtle file, the file's sha256 and triple count."""

    graph: str
    path: Path
    sha256: str
    triples: int


def read_manifest(kb_dir: str | Path) -> dict:
    kb_dir = Path(kb_dir)
    mpath = kb_dir / MANIFEST
    if not mpath.is_file():
        raise KBFolderError(f"{kb_dir}: not a newskb KB folder (no {MANIFEST}); build one with 'newskb build --out {kb_dir}'")
    try:
        manifest = json.loads(mpath.read_bytes())
        if not isinstance(manifest.get("articles"), dict):
            raise KeyError("articles")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KBFolderError(f"{mpath}: not a valid manifest ({exc}); rebuild the KB") from None
    return manifest


def manifest_bytes(manifest: dict) -> bytes:
    """The manifest as it is written: sorted keys, one line per article (readable, diffable and
    written by the C JSON encoder, which an indented dump would not use: at 10,000 articles the
    indented form cost more than a no-op rebuild's links)."""
    enc = json.JSONEncoder(sort_keys=True, separators=(", ", ": ")).encode
    lines = ["{"]
    keys = sorted(manifest)
    for n, key in enumerate(keys):
        comma = "," if n < len(keys) - 1 else ""
        if key == "articles" and isinstance(manifest[key], dict) and manifest[key]:
            arts = manifest[key]
            lines.append(f' {enc(key)}: {{')
            ids = sorted(arts)
            lines += [f'  {enc(aid)}: {enc(arts[aid])}' + ("," if i < len(ids) - 1 else "") for i, aid in enumerate(ids)]
            lines.append(" }" + comma)
        else:
            lines.append(f" {enc(key)}: {enc(manifest[key])}{comma}")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode()


def article_graphs(kb_dir: str | Path, manifest: dict | None = None) -> list[ArticleGraph]:
    """The article graphs of a KB folder, in graph IRI order (the order of the dumps)."""
    kb_dir = Path(kb_dir)
    manifest = read_manifest(kb_dir) if manifest is None else manifest
    out = []
    adir = kb_dir / ARTICLES
    try:
        for aid, e in manifest["articles"].items():
            out.append(ArticleGraph(e["graph"], adir / f"{aid}.ttl", e["turtle_sha256"], int(e["triples"])))
    except (KeyError, TypeError, ValueError) as exc:
        raise KBFolderError(f"{kb_dir / MANIFEST}: not a valid manifest ({exc!r} missing); rebuild the KB") from None
    out.sort(key=lambda a: a.graph)
    return out


def graphs_digest(graphs: list[ArticleGraph]) -> str:
    """A digest of exactly which article graphs, with which content, make up a KB."""
    h = hashlib.sha256()
    for a in graphs:
        h.update(f"{a.graph} {a.sha256}\n".encode())
    return h.hexdigest()


def kb_digest(kb_dir: str | Path) -> str:
    """:func:`graphs_digest` of a KB folder (what ``inferred.ttl`` records as its source)."""
    return graphs_digest(article_graphs(kb_dir))
