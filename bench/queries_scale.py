#!/usr/bin/env python
"""Time the saved contract queries on a synthetic ~1M-triple KB (the corpus KB's N-Quads
replicated with distinct IRIs, as ``bench.py --sections scale`` does), in an in-memory pyoxigraph
store whose default graph is the merge of all graphs.

    .venv/bin/python bench/queries_scale.py [--triples 1000000] [--reps 5] [NAME|FILE.rq …]

The synthetic N-Quads are cached under ``--cache`` (default /tmp/newskb-qscale) and reused.
Per query it prints the median of ``--reps`` runs of

- ``fast``: end to end through ``run_select_serialized`` (JSON bytes, what ``newskb query
  --format json`` and the SPARQL server give),
- ``raw``: iterating ``store.query`` alone (no Python term conversion),
- ``py``: ``run_select`` (pyoxigraph terms as Python objects, the ``Results`` API).

``--compare A.rq=B.rq`` checks that two queries give the same solutions in the same order on the
synthetic KB (used to check a rewritten query against the original).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def build_store(nq_src: Path, cache: Path, triples: int, *, disk: bool = False):
    """The synthetic store: in memory, or (``disk``) on disk under ``cache``, made once and
    opened read-only as ``open_kb`` does."""
    import pyoxigraph as ox

    from synthetic import replicate_nquads
    from newskb.store import load_ontology

    cache.mkdir(parents=True, exist_ok=True)
    nq = cache / f"synthetic-{triples}.nq"
    if not nq.is_file() or nq.stat().st_mtime < nq_src.stat().st_mtime:
        copies, quads = replicate_nquads(nq_src, nq, triples)
        print(f"wrote {nq}: {copies} copies, {quads:,} quads", file=sys.stderr)
    t = time.perf_counter()
    if disk:
        sdir = cache / f"store-{triples}"
        stamp = sdir.with_suffix(".ok")
        if not stamp.is_file() or stamp.stat().st_mtime < nq.stat().st_mtime:
            st = ox.Store(str(sdir))
            st.clear()
            st.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
            load_ontology(st)
            st.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            st.flush()
            st.optimize()
            del st
            stamp.write_text("ok")
        st = ox.Store.read_only(str(sdir))
        print(f"store on disk {sdir}: {len(st):,} quads, ready in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        return st
    st = ox.Store()
    st.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    load_ontology(st)
    st.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    print(f"store: {len(st):,} quads in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return st


def median_time(fn, reps: int) -> tuple[float, object]:
    out = fn()  # warm
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), out


def time_query(st, text: str, reps: int, *, py: bool = False) -> dict:

    from newskb.store import ResultFormat, run_select, run_select_serialized

    fast, data = median_time(lambda: run_select_serialized(st, text, ResultFormat.JSON), reps)
    raw, n = median_time(lambda: sum(1 for _ in st.query(text)), reps)
    d = {"fast": fast, "raw": raw, "rows": n, "bytes": len(data)}
    if py:
        d["py"], _ = median_time(lambda: run_select(st, text), max(1, reps // 2))
    return d


def solutions(st, text: str) -> tuple[list[str], list[tuple]]:
    res = st.query(text)
    vs = [v.value for v in res.variables]
    return vs, [tuple(None if s[v] is None else str(s[v]) for v in vs) for s in res]


def main(argv: list[str] | None = None) -> int:
    from newskb.store import query_text, saved_queries

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("queries", nargs="*", help="saved query names or .rq files (default: all saved queries)")
    p.add_argument("--triples", type=int, default=1_000_000)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--nq", type=Path, default=ROOT / "kb" / "kb.nq", help="the KB N-Quads to replicate")
    p.add_argument("--cache", type=Path, default=Path("/tmp/newskb-qscale"))
    p.add_argument("--disk", action="store_true", help="query an on-disk store opened read-only (as open_kb)")
    p.add_argument("--py", action="store_true", help="also time run_select (Python terms)")
    p.add_argument("--compare", action="append", default=[], metavar="A=B",
                   help="check that queries A and B give the same solutions in the same order")
    a = p.parse_args(argv)
    st = build_store(a.nq, a.cache, a.triples, disk=a.disk)
    bad = 0
    for pair in a.compare:
        x, y = pair.split("=", 1)
        t = time.perf_counter()
        sx = solutions(st, query_text(x))
        sy = solutions(st, query_text(y))
        ok = sx == sy
        same_set = set(sx[1]) == set(sy[1])
        print(f"compare {x} = {y}: {'same' if ok else 'DIFFERENT'} ({len(sx[1])} vs {len(sy[1])} rows; "
              f"same set: {same_set}; {time.perf_counter() - t:.1f} s)", flush=True)
        bad += not ok
    names = a.queries or ([] if a.compare else saved_queries())
    for name in names:
        d = time_query(st, query_text(name), a.reps, py=a.py)
        line = (f"{Path(name).stem:40s} fast {d['fast'] * 1000:8.1f} ms   raw {d['raw'] * 1000:8.1f} ms   "
                f"{d['rows']:7,} rows {d['bytes'] / 1e6:6.1f} MB")
        if "py" in d:
            line += f"   run_select {d['py'] * 1000:8.1f} ms"
        print(line, flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
