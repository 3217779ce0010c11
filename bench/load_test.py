"""A 60-second load test of ``newskb serve`` on loopback: page views mixed with SPARQL queries.

Run by hand (not part of the test suite)::

    .venv/bin/python bench/load_test.py --kb kb [--seconds 60] [--concurrency 32]

It starts ``newskb serve`` on a free 127.0.0.1 port (or uses --url), warms the page cache once
(every page of the mix is fetched one time), then for --seconds keeps --concurrency httpx
clients busy with a fixed mix: 70% page views (entity, article, claims, timeline, map, home,
RDF documents, 303 redirects) and 30% SPARQL queries (the saved queries and small lookups).
It prints requests per second, latency percentiles per kind, and the error count. Only
loopback addresses are contacted; the loop ends by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newskb.store import query_text, saved_queries  # noqa: E402
from newskb.web.kbview import KBView  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_mix(kb_dir: Path, seed: int = 7) -> list[tuple[str, str, dict]]:
    """(kind, path, request options) items; drawn at random with fixed weights."""
    view = KBView(kb_dir)
    rnd = random.Random(seed)
    local = sorted(i for i in view.iris if not view.is_a(i, "TextSpan"))
    sample = rnd.sample(local, min(200, len(local)))
    pages = [("page", p, {}) for p in ("/", "/claims", "/timeline", "/map", "/entities", "/query", "/ontology.html")]
    pages += [("page", a["iri"][len(view.base) - 1:] + ".html", {}) for a in view.articles]
    pages += [("page", i[len(view.base) - 1:] + ".html", {}) for i in sample]
    docs = [("rdf", i[len(view.base) - 1:] + ".ttl", {}) for i in sample[:50]]
    docs += [("rdf", i[len(view.base) - 1:] + ".jsonld", {}) for i in sample[50:100]]
    redirects = [("303", i[len(view.base) - 1:], {"headers": {"Accept": "text/turtle"}}) for i in sample[100:150]]
    queries = [("sparql", "/sparql", {"params": {"query": query_text(n)},
                                      "headers": {"Accept": "application/sparql-results+json"}}) for n in saved_queries()]
    queries += [("sparql", "/sparql", {"params": {"query": f"SELECT ?p ?o WHERE {{ <{i}> ?p ?o }}"}}) for i in sample[:30]]
    return [(w, items) for w, items in ((0.55, pages), (0.10, docs), (0.05, redirects), (0.30, queries))]


async def worker(client: httpx.AsyncClient, mix, deadline: float, rnd: random.Random, out: dict) -> None:
    weights = [w for w, _ in mix]
    while time.monotonic() < deadline:
        _, items = rnd.choices(mix, weights)[0]
        kind, path, opts = rnd.choice(items)
        t0 = time.perf_counter()
        try:
            r = await client.get(path, **opts)
            ok = r.status_code == (303 if kind == "303" else 200)
        except httpx.HTTPError:
            ok = False
        dt = time.perf_counter() - t0
        out.setdefault(kind, []).append(dt)
        if not ok:
            out.setdefault("errors", []).append(f"{kind} {path}")


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] * 1000


async def run(url: str, mix, seconds: float, concurrency: int) -> dict:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits, follow_redirects=False) as client:
        for _w, items in mix:  # warm-up: every distinct request once
            for kind, path, opts in items:
                await client.get(path, **opts)
        out: dict = {}
        deadline = time.monotonic() + seconds
        t0 = time.monotonic()
        await asyncio.gather(*(worker(client, mix, deadline, random.Random(i), out) for i in range(concurrency)))
        elapsed = time.monotonic() - t0
    lat = [x for k, v in out.items() if k != "errors" for x in v]
    report = {"seconds": round(elapsed, 1), "concurrency": concurrency, "requests": len(lat),
              "requests_per_s": round(len(lat) / elapsed, 1), "p50_ms": round(pct(lat, 50), 1),
              "p99_ms": round(pct(lat, 99), 1), "errors": len(out.get("errors", [])),
              "by_kind": {k: {"n": len(v), "p50_ms": round(pct(v, 50), 1), "p99_ms": round(pct(v, 99), 1),
                              "mean_ms": round(statistics.mean(v) * 1000, 1)}
                          for k, v in sorted(out.items()) if k != "errors"}}
    if out.get("errors"):
        report["first_errors"] = out["errors"][:5]
    return report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", default="kb", help="the KB folder (default kb)")
    ap.add_argument("--url", help="an already running server on loopback (default: start one)")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--concurrency", type=int, default=32)
    args = ap.parse_args()
    kb = Path(args.kb)
    mix = build_mix(kb)
    proc = None
    url = args.url
    if url is None:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen([sys.executable, "-m", "newskb.cli", "serve", "--kb", str(kb), "--port", str(port)])
        for _ in range(300):
            try:
                if httpx.get(url + "/.well-known/void", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
    if not url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        print("load tests only target loopback addresses", file=sys.stderr)
        return 2
    try:
        report = asyncio.run(run(url, mix, args.seconds, args.concurrency))
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=10)
    print(json.dumps(report, indent=1))
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
