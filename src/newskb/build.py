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
from .serialize import Format, serialize_dataset, serialize_graph, sorted_triples
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

    @property
    def ok(self) -> bool:
        return not self.refused and not self.failed

    def summary(self) -> str:
        n = len(self.published)
        lines = [
            f"KB written to {self.out}",
            f"  articles:    {n} published, {len(self.refused)} refused (non-conforming), {len(self.failed)} failed to read",
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
        for name, msg in self.failed:
            lines.append(f"  FAILED {name}: {msg}")
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


def extract_all(paths: list[Path], *, on_item: Callable[[str], None] | None = None,
                failed: list[tuple[str, str]]) -> list[FactsDocument]:
    """Facts for every input: facts files are loaded, articles are read and extracted
    (spaCy runs over all article bodies in one ``nlp.pipe`` batch)."""
    docs: list[FactsDocument] = []
    articles: list[Article] = []
    for p in paths:
        try:
            if p.name.lower().endswith(FACTS_SUFFIX):
                docs.append(load_facts(p))
                if on_item:
                    on_item(p.name)
            else:
                articles.append(read_article(p))
        except ArticleError as exc:
            failed.append((str(p), str(exc)))
            if on_item:
                on_item(p.name)
    if articles:
        from .extract.nlp import load_nlp
        from .extract.pipeline import extract

        nlp = load_nlp()
        for art, doc in zip(articles, nlp.pipe(a.body for a in articles)):
            try:
                docs.append(extract(art, doc=doc))
            except (ValueError, MappingError) as exc:
                failed.append((str(art.path), f"{art.path}: extraction failed: {exc}"))
            if on_item:
                on_item(art.id)
    return docs


def build(inputs: Iterable[str | Path], out: str | Path, *, base: str = DEFAULT_BASE,
          progress: Callable[[int], Callable[[str], None]] | None = None) -> BuildResult:
    """Build a KB folder from articles and facts files. See the module doc for the layout.

    Raises :class:`BuildError` when the output folder cannot be used, ``FileNotFoundError`` for
    a missing input. Bad single inputs do not stop the build: they are listed in ``failed``."""
    out = Path(out)
    paths = collect_inputs(inputs)
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out}: exists and is not a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        result = BuildResult(out=out)
        on_item = progress(len(paths)) if progress else None
        docs = extract_all(paths, on_item=on_item, failed=result.failed)
        _build_into(docs, out, base, result)
    return result


def _build_into(docs: list[FactsDocument], out: Path, base: str, result: BuildResult) -> None:
    seen: dict[str, str] = {}
    graphs: list[tuple[str, list]] = []
    files: dict[str, bytes] = {}
    manifest: dict[str, dict] = {}
    for doc in sorted(docs, key=lambda d: d.article.id):
        aid = doc.article.id
        source = doc.article.source or aid
        if aid in seen:
            result.failed.append((source, f"{source}: article id {aid!r} is already used by {seen[aid]}; rename one file"))
            continue
        seen[aid] = source
        ar = ArticleResult(id=aid, source=source, warnings=list(doc.article.warnings))
        try:
            graph_iri, g = map_facts(doc, base=base)
        except (MappingError, ValueError) as exc:
            result.failed.append((source, f"{source}: cannot map facts to RDF: {exc}"))
            continue
        ar.report = validate_graph(g, name=str(graph_iri))
        ar.triples = len(g)
        ar.statements = sum(1 for s in doc.statements if s.speaker)
        ar.claims = sum(1 for c in doc.claims if c.claimant)
        ar.events = len(doc.events)
        ar.places = len(doc.places)
        if not ar.report.conforms:
            result.refused.append(ar)
            continue
        triples = sorted_triples(g)
        ttl = serialize_graph(g, Format.TURTLE)
        facts_json = doc.to_json().encode("utf-8")
        files[f"articles/{aid}.ttl"] = ttl
        files[f"facts/{aid}{FACTS_SUFFIX}"] = facts_json
        graphs.append((str(graph_iri), triples))
        manifest[aid] = {
            "graph": str(graph_iri), "source": source, "article_sha256": doc.article.sha256,
            "turtle_sha256": hashlib.sha256(ttl).hexdigest(), "triples": ar.triples,
            "statements": ar.statements, "claims": ar.claims, "events": ar.events,
        }
        result.published.append(ar)
        result.triples += ar.triples
    files["kb.trig"] = serialize_dataset(graphs, Format.TRIG)
    files[NQUADS] = serialize_dataset(graphs, Format.N_QUADS)
    files["manifest.json"] = (json.dumps({"base": base, "articles": manifest}, indent=1, sort_keys=True) + "\n").encode()
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
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    if old.exists():
        shutil.rmtree(old)


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

