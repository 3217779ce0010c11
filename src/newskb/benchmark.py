"""``newskb bench``: runs the benchmark suite in ``bench/bench.py`` (a source checkout's folder)."""

from __future__ import annotations

import argparse
import runpy

from .resources import project_root


def register(subparsers) -> None:
    p = subparsers.add_parser("bench", help="run the benchmark suite (bench/bench.py) and write docs/benchmarks.md",
                              description="Runs bench/bench.py with the arguments that follow; "
                                          "'newskb bench -- --help' lists them.")
    p.add_argument("bench_args", nargs=argparse.REMAINDER, help="arguments for bench/bench.py (e.g. --quick)")
    p.set_defaults(func=run)


def run(args) -> int:
    script = project_root() / "bench" / "bench.py"
    if not script.is_file():
        print(f"newskb: {script} not found: the benchmarks need a source checkout")
        return 2
    module = runpy.run_path(str(script), run_name="newskb_bench")
    rest = [a for a in args.bench_args if a != "--"]
    return int(module["main"](rest) or 0)
