"""The layout of a built KB folder: every name in it, and what its files say about it.

A KB folder is defined by its manifest (``manifest.json``): each article's named graph IRI and
the digest of its Turtle file (``articles/<id>.ttl``). The whole-KB dumps (``kb.nq``, ``kb.trig``)
are optional (``newskb build --no-dumps``): nothing after the build needs them, so that adding
one article to a large KB does not rewrite gigabytes of dumps::

    DIR/manifest.json           the articles, their graphs and digests, the base IRI
    DIR/articles/<id>.ttl       one named graph per article
    DIR/facts/<id>.facts.json   the facts document each graph was mapped from
    DIR/kb.nq, DIR/kb.trig      the dumps (optional)
    DIR/inferred.ttl            what 'newskb reason' inferred (graph <base>graph/inferred)
    DIR/store/                  the embedded pyoxigraph store: a cache, never published
    DIR/store/STATE.json        which graphs, with which digests, the store holds
    DIR/store/DUMPS.json        where each graph's chunk lies in the dumps
    DIR/store/INPUTS.json       each input's size, time, inode and digest at the last build
    DIR/store/answers/          the saved queries' answers, per KB version (newskb.answers)

This module is where those names live; every other stage uses them from here.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import NamedTuple

from .vocab import KB_BASE

MANIFEST = "manifest.json"
ARTICLES = "articles"
FACTS = "facts"
FACTS_SUFFIX = ".facts.json"
NQUADS = "kb.nq"
TRIG = "kb.trig"
INFERRED_FILE = "inferred.ttl"
STORE_DIR = "store"
STORE_STATE = "STATE.json"
DUMPS_INDEX = "DUMPS.json"
INPUTS_INDEX = "INPUTS.json"
ANSWERS_DIR = "answers"
# the header line of inferred.ttl that names the article graphs it was computed from
INFERRED_SOURCE_LINE = "# source graphs sha256 "


class KBFolderError(FileNotFoundError):
    """Not a built KB folder, or its manifest is damaged."""


class ArticleGraph(NamedTuple):
    """One article's named graph: its IRI, Turtle file, the file's sha256 and triple count
    (a named tuple: a KB folder lists tens of thousands, on every build and store update)."""

    graph: str
    file: str
    sha256: str
    triples: int

    @property
    def path(self) -> Path:
        return Path(self.file)


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


_ENC = json.JSONEncoder(sort_keys=True, separators=(", ", ": ")).encode


def article_lines(raw: str, articles: dict) -> dict[str, tuple[dict, str]]:
    """Each article's entry and its line in ``raw``, a manifest written by :func:`manifest_bytes`
    (so that an unchanged entry is not encoded again); empty for any other layout. A line keeps
    its trailing comma, if it has one."""
    lines = raw.split("\n")
    try:
        i = lines.index(' "articles": {') + 1
    except ValueError:
        return {}
    ids = sorted(articles)
    body = lines[i:i + len(ids)]
    if len(body) != len(ids) or lines[i + len(ids):i + len(ids) + 1] not in ([" }"], [" },"]):
        return {}
    # every line must start with its article's key; ids that JSON writes as they are (the usual
    # case) are checked all at once, in C, instead of encoding each on its own
    if _ENC(ids) == '["' + '", "'.join(ids) + '"]':
        keys = [f'  "{aid}": {{' for aid in ids]
    else:
        keys = [f"  {_ENC(aid)}: {{" for aid in ids]
    if not all(map(str.startswith, body, keys)):
        return {}
    return dict(zip(ids, zip(map(articles.__getitem__, ids), body)))


def manifest_bytes(manifest: dict, previous: dict[str, tuple[dict, str]] | None = None) -> bytes:
    """The manifest as it is written: sorted keys, one line per article (readable, diffable and
    written by the C JSON encoder, which an indented dump would not use: at 10,000 articles the
    indented form cost more than a no-op rebuild's links). ``previous``: :func:`article_lines` of
    the last manifest, whose line an article keeps when its entry is equal."""
    enc = _ENC
    previous = previous or {}
    lines = ["{"]
    keys = sorted(manifest)
    for n, key in enumerate(keys):
        comma = "," if n < len(keys) - 1 else ""
        if key == "articles" and isinstance(manifest[key], dict) and manifest[key]:
            arts = manifest[key]
            lines.append(f' {enc(key)}: {{')
            get = previous.get
            for aid in sorted(arts):
                e = arts[aid]
                old = get(aid)
                if old is not None and (old[0] is e or old[0] == e):
                    line = old[1]  # it may end with a comma already (all but the last line did)
                    lines.append(line if line[-1] == "," else line + ",")
                else:
                    lines.append(f"  {enc(aid)}: {enc(e)},")
            lines[-1] = lines[-1][:-1]  # the last article's line: no comma
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
    adir = os.fspath(kb_dir / ARTICLES)
    try:
        for aid, e in manifest["articles"].items():
            out.append(ArticleGraph(e["graph"], f"{adir}/{aid}.ttl", e["turtle_sha256"], int(e["triples"])))
    except (KeyError, TypeError, ValueError) as exc:
        raise KBFolderError(f"{kb_dir / MANIFEST}: not a valid manifest ({exc!r} missing); rebuild the KB") from None
    out.sort(key=lambda a: a.graph)
    return out


def graphs_digest(graphs: list[ArticleGraph]) -> str:
    """A digest of exactly which article graphs, with which content, make up a KB."""
    return hashlib.sha256("".join([f"{a.graph} {a.sha256}\n" for a in graphs]).encode()).hexdigest()


def kb_digest(kb_dir: str | Path) -> str:
    """:func:`graphs_digest` of a KB folder (what ``inferred.ttl`` records as its source)."""
    return graphs_digest(article_graphs(kb_dir))


# ---- the base IRI and the inferred graph ---------------------------------------------------------
def manifest_base(manifest: dict) -> str:
    """The base IRI a KB folder's manifest (already read) records, or the default base."""
    return manifest.get("base") or KB_BASE


def kb_base(kb_dir: str | Path) -> str:
    """The base IRI a KB folder was built with (``manifest.json``), or the default base when
    it has no manifest. Raises :class:`KBFolderError` for a damaged manifest."""
    if not (Path(kb_dir) / MANIFEST).is_file():
        return manifest_base({})
    return manifest_base(read_manifest(kb_dir))


def inferred_graph_iri(base: str) -> str:
    """The named graph of inferred triples: ``<base>graph/inferred``."""
    return f"{base}graph/inferred"


def inferred_source(kb_dir: str | Path) -> str | None:
    """The digest of the article graphs (:func:`graphs_digest`) ``inferred.ttl`` was computed
    from (None without the file)."""
    f = Path(kb_dir) / INFERRED_FILE
    if not f.is_file():
        return None
    with open(f, encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            if line.startswith(INFERRED_SOURCE_LINE):
                return line.split()[-1]
    return None


def inferred_is_current(kb_dir: str | Path) -> bool:
    """True when ``DIR/inferred.ttl`` exists and was computed from the present article graphs."""
    src = inferred_source(kb_dir)
    try:
        return src is not None and src == kb_digest(kb_dir)
    except KBFolderError:
        return False
