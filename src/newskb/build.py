"""Stage 7 — build and publish: inputs → facts → per-article graphs → validated KB folder.

``build(inputs, out)`` reads articles (text, Markdown, HTML) and facts files (``*.facts.json``),
extracts facts, maps each article to its named graph, validates each graph with SHACL, and writes
the KB folder::

    OUT/articles/<id>.ttl     one Turtle file per article (its named graph)
    OUT/facts/<id>.facts.json the facts document each graph was mapped from
    OUT/kb.trig, OUT/kb.nq    the whole KB (all article graphs)
    OUT/manifest.json         per-article digests and counts (deterministic)
    OUT/store/                the embedded pyoxigraph store (a cache; not published)

A graph that does not conform is refused (not written) and reported. The folder is written next
to OUT and swapped in at the end, so a failed or killed build leaves the previous KB intact; a
lock file stops two builds on one folder at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .article import HTML_SUFFIXES, TEXT_SUFFIXES, Article, ArticleError, read_article
from .facts import FactsDocument
from .mapping import DEFAULT_BASE, MappingError, map_facts
from .serialize import Format, parse_triples, serialize_dataset, serialize_sorted, sorted_triples
from .store import NQUADS, STORE_DIR, create_store
from .validate import Report, validate_graph

FACTS_SUFFIX = ".facts.json"


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
            f"  statements:  {sum(a.statements for a in self.published)}",
            f"  claims:      {sum(a.claims for a in self.published)}",
            f"  events:      {sum(a.events for a in self.published)}",
            f"  places:      {sum(a.places for a in self.published)} (per-article, before merging)",
            f"  SHACL:       {'every published graph conforms' if n else 'nothing published'}",
        ]
        for a in self.refused:
            lines.append(f"  REFUSED {a.source}: does not conform to the shapes")
            lines.extend("    " + line for line in a.report.text().splitlines()[1:6])
        for _name, msg in self.failed:
            lines.append(f"  FAILED {msg}")
        return "\n".join(lines)


def collect_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named, and the article and facts files inside folders named (sorted, recursive)."""
    found: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not f.name.startswith(".") and _accepted(f):
                    found.append(f)
        elif p.exists():
            found.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return found


def _accepted(f: Path) -> bool:
    n = f.name.lower()
    return n.endswith(FACTS_SUFFIX) or f.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES


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
        _FINGERPRINT = h.hexdigest()[:16]
    return _FINGERPRINT


_FINGERPRINT: str | None = None
# the modules whose code decides what a build writes (besides extract/ and data/)
OUTPUT_MODULES = ("article.py", "facts.py", "mapping.py", "serialize.py", "validate.py", "vocab.py", "build.py")


def _extract_chunk(paths: list[str]) -> list[tuple[str, str | None, str | None]]:
    """Worker: read and extract articles; returns (path, facts JSON or None, error or None)."""
    from .extract.nlp import load_nlp
    from .extract.pipeline import extract

    articles: list[Article] = []
    out: list[tuple[str, str | None, str | None]] = []
    for p in paths:
        try:
            articles.append(read_article(p))
        except ArticleError as exc:
            out.append((p, None, str(exc)))
        except Exception as exc:  # a bug must not cost the rest of the batch
            out.append((p, None, f"{p}: internal error while reading ({type(exc).__name__}: {exc}); please report it"))
    if articles:
        nlp = load_nlp()
        for art, doc in zip(articles, nlp.pipe(a.body for a in articles)):
            try:
                out.append((str(art.path), extract(art, doc=doc).to_json(), None))
            except Exception as exc:  # a bug in one rule must not cost the rest of the batch
                msg = (str(exc).splitlines() or [""])[0]
                out.append((str(art.path), None, f"{art.path}: extraction failed ({type(exc).__name__}: {msg})"))
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
            if p.name.lower().endswith(FACTS_SUFFIX):
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


def _sha256_file(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _previous_manifest(out: Path | None) -> dict:
    if out is None or not (out / "manifest.json").is_file():
        return {}
    try:
        data = json.loads((out / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError):
        return {}
    return data if data.get("fingerprint") == fingerprint() else {}


def _cached_facts(out: Path | None) -> dict[tuple[str, str], Path]:
    """(file name, article sha256) -> facts file of the previous build, when made by the same code."""
    prev = _previous_manifest(out)
    found: dict[str, Path] = {}
    for aid, entry in prev.get("articles", {}).items():
        f = out / "facts" / f"{aid}{FACTS_SUFFIX}"
        if entry.get("extracted") and f.is_file():
            found[(entry["source"], entry["article_sha256"])] = f
    return found


def build(inputs: Iterable[str | Path], out: str | Path, *, base: str = DEFAULT_BASE, jobs: int = 1,
          incremental: bool = True,
          progress: Callable[[int], Callable[[str], None]] | None = None) -> BuildResult:
    """Build a KB folder from articles and facts files. See the module doc for the layout.

    With ``incremental`` (the default) an article whose bytes, and the code that handles it, are
    unchanged since the last build into ``out`` is not re-extracted, re-validated or
    re-serialised. Raises :class:`BuildError` when the output folder cannot be used,
    ``FileNotFoundError`` for a missing input. Bad single inputs do not stop the build: they are
    listed in ``failed``."""
    out = Path(out)
    paths = collect_inputs(inputs)
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out}: exists and is not a folder")
    if jobs < 1:
        raise BuildError(f"--jobs must be at least 1, not {jobs}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        recover(out)
        result = BuildResult(out=out)
        on_item = progress(len(paths)) if progress else None
        cache = out if incremental and out.is_dir() else None
        docs = extract_all(paths, on_item=on_item, failed=result.failed, jobs=jobs, cache=cache,
                           reused=result.reused)
        extracted = {str(p) for p in paths if not p.name.lower().endswith(FACTS_SUFFIX)}
        _build_into(docs, out, base, result, extracted_sources={Path(p).name for p in extracted}, cache=cache)
    return result


def _build_into(docs: list[FactsDocument], out: Path, base: str, result: BuildResult, *,
                extracted_sources: set[str], cache: Path | None) -> None:
    seen: dict[str, str] = {}
    graphs: list[tuple[str, list]] = []
    files: dict[str, bytes] = {}
    manifest: dict[str, dict] = {}
    prev = _previous_manifest(cache).get("articles", {}) if cache else {}
    for doc in sorted(docs, key=lambda d: d.article.id):
        aid = doc.article.id
        source = doc.article.source or aid
        if aid in seen:
            result.failed.append((source, f"{source}: article id {aid!r} is already used by {seen[aid]}; rename one file"))
            continue
        seen[aid] = source
        ar = ArticleResult(id=aid, source=source, warnings=list(doc.article.warnings))
        facts_json = doc.to_json().encode("utf-8")
        facts_sha = hashlib.sha256(facts_json).hexdigest()
        old = prev.get(aid)
        ttl_file = cache / "articles" / f"{aid}.ttl" if cache else None
        if old and old.get("facts_sha256") == facts_sha and old.get("base") == base and ttl_file.is_file():
            ttl = ttl_file.read_bytes()  # unchanged facts, code and base: the graph is the same
            graph_iri = old["graph"]
            triples = parse_triples(ttl, Format.TURTLE)
            for k in ("triples", "statements", "claims", "events", "places"):
                setattr(ar, k, old.get(k, 0))
        else:
            try:
                iri, g = map_facts(doc, base=base)
            except (MappingError, ValueError) as exc:
                result.failed.append((source, f"{source}: cannot map facts to RDF: {exc}"))
                continue
            graph_iri = str(iri)
            ar.report = validate_graph(g, name=graph_iri)
            ar.triples = len(g)
            ar.statements = sum(1 for s in doc.statements if s.speaker)
            ar.claims = sum(1 for c in doc.claims if c.claimant)
            ar.events = len(doc.events)
            ar.places = len(doc.places)
            if not ar.report.conforms:
                result.refused.append(ar)
                continue
            triples = sorted_triples(g)
            ttl = serialize_sorted(triples, Format.TURTLE)
        files[f"articles/{aid}.ttl"] = ttl
        files[f"facts/{aid}{FACTS_SUFFIX}"] = facts_json
        graphs.append((graph_iri, triples))
        manifest[aid] = {
            "graph": graph_iri, "source": source, "base": base, "article_sha256": doc.article.sha256,
            "extracted": source in extracted_sources, "facts_sha256": facts_sha,
            "turtle_sha256": hashlib.sha256(ttl).hexdigest(), "triples": ar.triples,
            "statements": ar.statements, "claims": ar.claims, "events": ar.events, "places": ar.places,
        }
        result.published.append(ar)
        result.triples += ar.triples
    files["kb.trig"] = serialize_dataset(graphs, Format.TRIG)
    files[NQUADS] = serialize_dataset(graphs, Format.N_QUADS)
    files["manifest.json"] = (json.dumps({"base": base, "fingerprint": fingerprint(), "articles": manifest},
                                         indent=1, sort_keys=True) + "\n").encode()
    _write_folder(out, files)


def _write_folder(out: Path, files: dict[str, bytes]) -> None:
    """Write the new KB beside ``out`` and swap it in; the old folder is removed last."""
    tmp = out.with_name(f".{out.name}.new")
    old = out.with_name(f".{out.name}.old")
    for d in (tmp, old):
        if d.exists():
            shutil.rmtree(d)
    tmp.mkdir()
    for rel, data in sorted(files.items()):
        p = tmp / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    store = create_store(tmp / STORE_DIR, tmp / NQUADS)
    del store
    nq = tmp / NQUADS
    (tmp / STORE_DIR / "SOURCE").write_text(f"{nq.stat().st_size}:{nq.stat().st_mtime_ns}")
    keep = [p for p in out.iterdir() if p.name.startswith(".") or p.name == "README.md"] if out.exists() else []
    for p in keep:  # files that are not build output (README, dotfiles) stay
        dest = tmp / p.name
        if p.is_file() and not dest.exists():
            shutil.copy2(p, dest)
    if out.exists() and _exchange(tmp, out):
        shutil.rmtree(tmp)  # tmp now holds the previous KB
        return
    if out.exists():  # no atomic exchange here: two renames, repaired by recover() if killed between
        os.replace(out, old)
    os.replace(tmp, out)
    if old.exists():
        shutil.rmtree(old)


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
    old = out.with_name(f".{out.name}.old")
    if not out.exists() and old.is_dir():
        os.replace(old, out)


class _lock:
    def __init__(self, out: Path):
        self.path = out.with_name(f".{out.name}.lock")
        self.fh = None

    def __enter__(self):
        self.fh = open(self.path, "w")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.close()
            raise BuildError(f"{self.path.parent / self.path.name[1:-5]}: another build is writing this KB folder; wait for it to finish") from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()
        return False

