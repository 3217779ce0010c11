"""Where a saved query's time goes in the columnar replica, and what loading on disk costs, reproducibly.

Builds the ~1M-triple in-memory store of ``query_tuning.py`` (the corpus KB's N-Quads replicated
with distinct IRIs, the ontology, the merged default graph) and the columnar replica
``newskb serve`` answers the saved queries with (``ColumnarReplica.from_store``). Then, for each
query, times its parts as :meth:`ColumnarReplica.select` and :func:`serialize_table` run them
(median of ``--repeat``): maplib's query without the closing ORDER BY, Polars' sort, writing the
answer as W3C JSON and as TSV, and the page faults the process took while writing the JSON. It
also measures what the machine charges for memory no one has touched yet (faulting in a fresh
anonymous mapping page by page), and the process's RSS at the end.

    .venv/bin/python bench/replica_parts.py                       # provenance at 1M triples
    .venv/bin/python bench/replica_parts.py --queries provenance,statements --repeat 9
    _RJEM_MALLOC_CONF=dirty_decay_ms:30000,muzzy_decay_ms:30000 .venv/bin/python bench/replica_parts.py
    .venv/bin/python bench/replica_parts.py --queries "" --disk-loads 3   # on-disk bulk loads only

``_RJEM_MALLOC_CONF`` configures the jemalloc that Polars and maplib each carry (read when they
load); glibc's ``MALLOC_*`` variables and ``GLIBC_TUNABLES`` configure pyoxigraph's allocator,
for ``--disk-loads``: the N-Quads bulk-loaded into that many fresh on-disk (RocksDB) stores, as
the bench's scale section does once per figure. Nothing is written into the repository.

Findings (bench/analysis.md) are quoted from runs of this script.
"""

from __future__ import annotations

import argparse
import io
import mmap
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyoxigraph as ox  # noqa: E402

from newskb.columnar import ColumnarReplica, Table, _order, _sorted, _variables, serialize_table  # noqa: E402
from newskb.store import ResultFormat, query_text  # noqa: E402
from query_tuning import build_store  # noqa: E402
from synthetic import replicate_nquads  # noqa: E402


def median_ms(fn, repeat: int) -> tuple[float, object]:
    """The median time of ``repeat`` calls of ``fn`` (after one warm-up), in ms, and its last value."""
    out = fn()
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts) * 1000, out


def minor_faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024


def fault_cost_us(mb: int = 64) -> float:
    """µs to fault in one page of a fresh anonymous mapping (median of 5 mappings of ``mb`` MB)."""
    page = mmap.PAGESIZE
    ts = []
    for _ in range(5):
        m = mmap.mmap(-1, mb << 20)
        t = time.perf_counter()
        for off in range(0, mb << 20, page):
            m[off] = 1
        ts.append(time.perf_counter() - t)
        m.close()
    return statistics.median(ts) / ((mb << 20) // page) * 1e6


def query_parts(replica: ColumnarReplica, name: str, repeat: int) -> str:
    text = query_text(name)
    order = _order(text)
    body = order.body if order.keys and order.body is not None else text
    model = replica._model  # the parts as ColumnarReplica._run runs them
    t_query, sm = median_ms(lambda: model.query(body, solution_mappings=True), repeat)
    table = Table(list(_variables(text)), sm.mappings, dict(sm.rdf_types))
    t_sort, table = median_ms(lambda: _sorted(table, order), repeat) if body is not text else (0.0, table)
    t_json, data = median_ms(lambda: serialize_table(table, ResultFormat.JSON), repeat)
    t_tsv, tsv = median_ms(lambda: serialize_table(table, ResultFormat.TSV), repeat)
    faults = []
    for _ in range(repeat):
        before = minor_faults()
        serialize_table(table, ResultFormat.JSON)
        faults.append(minor_faults() - before)
    return (f"{name}: {table.rows:,} rows; maplib query {t_query:.1f} ms, sort {t_sort:.1f} ms, "
            f"JSON {t_json:.1f} ms ({len(data) / 1e6:.1f} MB, {statistics.median(faults):,.0f} page faults), "
            f"TSV {t_tsv:.1f} ms ({len(tsv) / 1e6:.1f} MB)")


def disk_loads(kb: Path, triples: int, n: int, tmp: Path) -> str:
    nq = tmp / "synthetic-load.nq"
    _copies, quads = replicate_nquads(kb / "kb.nq", nq, triples)
    ts = []
    for i in range(n):
        where = tmp / f"store-{i}"
        st = ox.Store(str(where))
        t = time.perf_counter()
        st.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        st.flush()
        ts.append(time.perf_counter() - t)
        del st
        shutil.rmtree(where)
    rates = sorted(quads / t for t in ts)
    return (f"on-disk bulk_load of {quads:,} quads: median {quads / statistics.median(ts):,.0f} triples/s "
            f"({rates[0]:,.0f}–{rates[-1]:,.0f} over {n} loads)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kb", type=Path, default=ROOT / "kb")
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--queries", default="provenance", help="comma-separated saved query names ('' for none)")
    ap.add_argument("--disk-loads", type=int, default=0, help="on-disk bulk loads to time (default none)")
    args = ap.parse_args(argv)

    print(f"a fresh page: {fault_cost_us():.2f} µs to fault in", flush=True)
    names = [n for n in args.queries.split(",") if n]
    with tempfile.TemporaryDirectory(prefix="newskb-parts-") as d:
        if names:
            st, what = build_store(args.kb, args.triples, Path(d))
            replica = ColumnarReplica.from_store(st)
            del st
            print(f"store: {what}; replica: {replica.triples:,} triples", flush=True)
            for name in names:
                print(query_parts(replica, name, args.repeat), flush=True)
            print(f"process RSS {rss_mb():,.0f} MB", flush=True)
        if args.disk_loads:
            print(disk_loads(args.kb, args.triples, args.disk_loads, Path(d)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
