"""Stage 6b — the saved queries' answers, computed once per version of a KB.

The saved queries (``queries/*.rq``) take no parameters and a KB does not change while it is
served, so each one has a single answer per version of the KB (:func:`newskb.store.kb_version`).
:class:`AnswerCache` keeps those answers in every results format the server offers (W3C SPARQL
JSON, XML, CSV and TSV: the bytes :func:`newskb.store.run_select_serialized` gives for each) in
the KB folder's store, ``DIR/store/answers/<version>/``, with an entity tag per answer for HTTP
revalidation. Other things computed from the whole KB once (the site's statistics) are kept
beside them (:meth:`AnswerCache.get_json`, :meth:`AnswerCache.put_json`).

``newskb serve`` fills the cache in a background process when it starts on a KB version it has
not seen (and answers from the store until an answer is there); a later start on the same
version finds the answers ready. Folders of other versions are removed when a cache is filled.
Every other query goes to the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .kbfolder import ANSWERS_DIR, STORE_DIR
from .store import ResultFormat, kb_version, query_text, run_select_serialized, saved_queries, serialized_row_count

# the formats an answer is kept in, by the file extension (and format name) the server uses
FORMATS = {f.label: f for f in (ResultFormat.JSON, ResultFormat.XML, ResultFormat.CSV, ResultFormat.TSV)}
LAYOUT = 1  # bumped when the files of an answer change shape


@dataclass(frozen=True)
class CachedAnswer:
    """One saved query's answer in one format: the file holding its bytes, its entity tag (a
    quoted string, as HTTP writes it), its number of solutions and its media type."""

    path: Path
    etag: str
    rows: int
    media_type: str

    def read(self) -> bytes:
        return self.path.read_bytes()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AnswerCache:
    """The answers of the saved queries for one version of a KB folder (see the module doc).

    The saved queries are read once, when the cache is made: an answer is looked up by the
    query's name or its exact text."""

    def __init__(self, kb_dir: str | Path, *, version: str | None = None):
        self.kb_dir = Path(kb_dir)
        self.version = version or kb_version(self.kb_dir)
        self.root = self.kb_dir / STORE_DIR / ANSWERS_DIR
        self.dir = self.root / f"{self.version}-{LAYOUT}"
        self.texts = {name: query_text(name) for name in saved_queries()}
        self._by_text = {text: name for name, text in self.texts.items()}
        self._found: dict[tuple[str, str], CachedAnswer] = {}

    # ---- looking answers up ---------------------------------------------------------------------
    def saved_name(self, query: str) -> str | None:
        """The saved query ``query`` names or whose exact text it is; None for any other."""
        return query if query in self.texts else self._by_text.get(query)

    def etag(self, name: str, fmt: str) -> str:
        return f'"{self.version}-{_sha(self.texts[name])[:12]}-{fmt}"'

    def get(self, name: str, fmt: str) -> CachedAnswer | None:
        """The answer of the saved query ``name`` in ``fmt`` (a key of :data:`FORMATS`), or None
        while it has not been computed."""
        hit = self._found.get((name, fmt))
        if hit is not None:
            return hit
        if name not in self.texts or fmt not in FORMATS:
            return None
        meta = self._meta(name)
        if meta is None:
            return None
        hit = CachedAnswer(self.dir / f"{name}.{fmt}", self.etag(name, fmt), meta["rows"], FORMATS[fmt].media_type)
        self._found[(name, fmt)] = hit
        return hit

    def _meta(self, name: str) -> dict | None:
        try:
            meta = json.loads((self.dir / f"{name}.meta.json").read_bytes())
        except (OSError, ValueError):
            return None
        return meta if meta.get("query_sha256") == _sha(self.texts[name]) else None

    def complete(self) -> bool:
        """Whether every saved query has its answers."""
        return all(self._meta(name) is not None for name in self.texts)

    def get_json(self, key: str):
        """A value kept with :meth:`put_json` for this version, or None."""
        try:
            return json.loads((self.dir / f"{key}.value.json").read_bytes())
        except (OSError, ValueError):
            return None

    def put_json(self, key: str, value) -> None:
        self._write(f"{key}.value.json", json.dumps(value, sort_keys=True).encode())

    # ---- filling the cache ----------------------------------------------------------------------
    def fill(self, store: ox.Store | None = None) -> list[str]:
        """Compute the answers not yet in the cache, from ``store`` (default: the KB folder's
        store, opened read-only) and remove the folders of other versions. Returns the names of
        the queries answered."""
        self._prune()
        todo = [name for name in self.texts if self._meta(name) is None]
        if todo and store is None:
            store = ox.Store.read_only(str(self.kb_dir / STORE_DIR))
        for name in todo:
            answers = compute_answers(store, self.texts[name])
            for fmt, data in answers.items():
                self._write(f"{name}.{fmt}", data)
            rows = serialized_row_count(answers["tsv"], ResultFormat.TSV)
            self._write(f"{name}.meta.json", json.dumps({"query_sha256": _sha(self.texts[name]), "rows": rows}).encode())
        return todo

    def _write(self, fname: str, data: bytes) -> None:
        """A file of the cache, written whole or not at all (a reader never sees half of one)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / f".{fname}.{os.getpid()}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, self.dir / fname)

    def _prune(self) -> None:
        if not self.root.is_dir():
            return
        for d in self.root.iterdir():
            if d != self.dir:
                shutil.rmtree(d, ignore_errors=True)


def compute_answers(store: ox.Store, sparql: str) -> dict[str, bytes]:
    """A SELECT query's answer in every format of :data:`FORMATS`: the query runs once and its
    JSON is converted by pyoxigraph to the other formats (the same bytes as running it for each,
    checked by tests/test_answers.py)."""
    data = run_select_serialized(store, sparql, ResultFormat.JSON)
    out = {"json": data}
    for label, fmt in FORMATS.items():
        if fmt is not ResultFormat.JSON:
            solutions = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
            out[label] = solutions.serialize(format=getattr(ox.QueryResultsFormat, fmt.name))
    return out
