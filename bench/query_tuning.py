"""Tuning the contract queries (``queries/*.rq``) on pyoxigraph, reproducibly.

Builds the ~1M-triple in-memory store of ``bench.py --sections scale`` once (the corpus KB's
N-Quads replicated with distinct IRIs by ``synthetic.replicate_nquads``, the ontology in its
graph, the merged default graph by ``store.merge_default_graph``), then for every query times,
interleaved in the same run, the reference text (``git show REF:queries/NAME.rq``, default HEAD)
and the candidate (the working copy's ``queries/NAME.rq`` or a file given with ``--try``), each end
to end through ``run_select_serialized`` to JSON (median of ``--repeat``), and checks that the
candidate's JSON and CSV bytes equal the reference's. Also reports, for the candidate, the time
of iterating ``store.query`` alone (the joins) against the serialisation.

    .venv/bin/python bench/query_tuning.py                       # every query, HEAD vs working copy
    .venv/bin/python bench/query_tuning.py --queries events,places --repeat 7
    .venv/bin/python bench/query_tuning.py --try /tmp/events.v2.rq  # NAME.anything.rq: a variant of NAME
    .venv/bin/python bench/query_tuning.py --kb kb --triples 1000000 --ref HEAD

The KB folder (``--kb``, default ``kb/``) must hold ``kb.nq``; ``--triples 0`` runs on that KB
itself (not replicated) with its ``inferred.ttl`` loaded into the inferred graph, so that queries
reading transitive containers have something to read. Nothing is written into the repository.

Findings so far (pyoxigraph 0.5.13, 1M triples, 2 loaded cores; no rewrite kept, the queries are
unchanged): dropping DISTINCT where it is provably redundant (actors, places, numeric-claims,
conflicting-claims, statements) gave 1-2 % (noise); OPTIONAL label look-ups and triple patterns as
sub-SELECTs (hash joins) gave 0 % to 20 % slower; events with its type labels in a DISTINCT
sub-SELECT 4-6 % (noise); statements-about-places-in-ukraine looking up statement spans once per
article 9 % slower (pyoxigraph still joins them per place span). The time is the engine's
per-look-up cost (about 1-2 us per bound triple pattern, 7-9 per result row) plus ORDER BY and,
for provenance, DISTINCT (about 0.4 s of joins, 0.14 s DISTINCT, 0.26 s ORDER BY, 0.13 s JSON for
84k rows). The same queries over a store holding only the merged default graph (no per-article
named-graph copies) ran 10-35 % faster (places 145 -> 96 ms, events 367 -> 249 ms) with
identical results: a store-layout question, not a query one.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyoxigraph as ox  # noqa: E402

from newskb.store import (ResultFormat, load_ontology, merge_default_graph, run_select_serialized,  # noqa: E402
                          saved_queries, serialized_row_count)
from synthetic import replicate_nquads  # noqa: E402

INFERRED_GRAPH = "https://w3id.org/newskb/graph/inferred"


def build_store(kb: Path, triples: int, tmp: Path) -> tuple[ox.Store, str]:
    nq = tmp / "synthetic.nq"
    st = ox.Store()
    inferred = kb / "inferred.ttl"
    if triples <= 0:  # the KB itself, with its inferred graph (the replicas' IRIs would not match it)
        st.bulk_load(path=str(kb / "kb.nq"), format=ox.RdfFormat.N_QUADS)
        if inferred.is_file():
            st.load(path=str(inferred), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(INFERRED_GRAPH))
        copies, quads = 1, len(st)
    else:
        copies, quads = replicate_nquads(kb / "kb.nq", nq, triples)
        st.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    load_ontology(st)
    merge_default_graph(st)
    return st, f"{copies} copies, {quads:,} data quads, {len(st):,} quads in the store"


def reference_text(name: str, ref: str) -> str:
    return subprocess.run(["git", "show", f"{ref}:queries/{name}.rq"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kb", type=Path, default=ROOT / "kb")
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--ref", default="HEAD", help="git revision holding the reference query texts")
    ap.add_argument("--queries", default="", help="comma-separated names (default: every saved query)")
    ap.add_argument("--try", dest="tries", action="append", default=[], type=Path,
                    help="a variant file NAME[.tag].rq timed against the reference of NAME")
    ap.add_argument("--no-check", action="store_true", help="skip the byte comparison (timing only)")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="newskb-qt-") as d:
        t, (st, what) = timed(lambda: build_store(args.kb, args.triples, Path(d)))
    print(f"store: {what} ({t:.1f} s)", flush=True)

    cands: list[tuple[str, str, str]] = []  # (query name, label, text)
    if args.tries:
        for f in args.tries:
            cands.append((f.name.split(".")[0], f.name, f.read_text(encoding="utf-8")))
    else:
        names = [n for n in args.queries.split(",") if n] or saved_queries()
        for n in names:
            cands.append((n, f"queries/{n}.rq", (ROOT / "queries" / f"{n}.rq").read_text(encoding="utf-8")))

    ok_all = True
    print(f"{'candidate':48} {'ref ms':>8} {'new ms':>8} {'ratio':>6} {'join ms':>8} {'rows':>7} {'MB':>5}  same")
    for name, label, text in cands:
        ref = reference_text(name, args.ref)
        same = None
        if not args.no_check:
            a = run_select_serialized(st, ref, ResultFormat.JSON)
            b = run_select_serialized(st, text, ResultFormat.JSON)
            same = a == b and (run_select_serialized(st, ref, ResultFormat.CSV)
                               == run_select_serialized(st, text, ResultFormat.CSV))
            ok_all &= same
            data = b
        else:
            data = run_select_serialized(st, text, ResultFormat.JSON)
        t_ref, t_new, t_join = [], [], []
        for _ in range(args.repeat):  # interleaved: the machine's load hits both alike
            t_ref.append(timed(lambda: run_select_serialized(st, ref, ResultFormat.JSON))[0])
            t_new.append(timed(lambda: run_select_serialized(st, text, ResultFormat.JSON))[0])
            t_join.append(timed(lambda: sum(1 for _ in st.query(text)))[0])
        r, n, j = (statistics.median(x) * 1000 for x in (t_ref, t_new, t_join))
        rows = serialized_row_count(data, ResultFormat.JSON)
        print(f"{label:48} {r:8.1f} {n:8.1f} {r / n:5.2f}x {j:8.1f} {rows:7,} {len(data) / 1e6:5.1f}  {same}",
              flush=True)
    return 0 if ok_all else 1


if __name__ == "__main__":
    raise SystemExit(main())
