"""The ``newskb`` command: parses arguments, calls the library, renders output.

Exit codes: 0 ok; 1 the KB does not conform (or some input failed); 2 bad input or configuration.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from . import __version__
from .mapping import DEFAULT_BASE


def _err(msg: str, code: int = 2) -> int:
    print(f"newskb: {msg}", file=sys.stderr)
    return code


def cmd_extract(args) -> int:
    from .article import ArticleError, read_article
    from .extract.pipeline import extract
    from .facts import FactsDocument

    if args.schema:
        print(json.dumps(FactsDocument.model_json_schema(), indent=2))
        return 0
    if not args.article:
        return _err("extract needs an ARTICLE (or --schema)")
    try:
        art = read_article(args.article)
    except ArticleError as exc:
        return _err(str(exc))
    for w in art.warnings:
        print(f"newskb: warning: {args.article}: {w}", file=sys.stderr)
    doc = extract(art)
    text = doc.to_json()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _progress(total: int):
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover
        return lambda name: None
    bar = tqdm(total=total, unit="article", file=sys.stderr, dynamic_ncols=True, disable=None)

    def step(name: str) -> None:
        bar.set_postfix_str(name[:40])
        bar.update(1)
        if bar.n >= total:
            bar.close()
    return step


def cmd_build(args) -> int:
    from .build import BuildError, build

    from .resources import default_corpus

    inputs = args.inputs or [str(default_corpus())]
    try:
        result = build(inputs, args.out, base=args.base, jobs=args.jobs, incremental=not args.full, dumps=not args.no_dumps,
                       progress=None if args.quiet else _progress)
    except (BuildError, FileNotFoundError, ValueError) as exc:
        return _err(str(exc))
    if args.verbose:
        for a in result.published:
            for w in a.warnings:
                print(f"newskb: warning: {a.source}: {w}", file=sys.stderr)
    print(result.summary())
    return 0 if result.ok else 1


def cmd_validate(args) -> int:
    from rdflib import Graph

    from .validate import validate_graph

    files: list[Path] = []
    for item in args.files:
        files.append(Path(item))
    if args.kb:
        kb = Path(args.kb)
        arts = kb / "articles"
        if not arts.is_dir():
            return _err(f"{kb}: not a newskb KB folder (no articles/ folder)")
        files.extend(sorted(arts.glob("*.ttl")))
    if not files:
        return _err("validate needs --kb DIR or Turtle files")
    bad = 0
    for f in files:
        g = Graph()
        try:
            g.parse(f, format="turtle")
        except Exception as exc:  # rdflib raises many types for syntax errors
            return _err(f"{f}: not valid Turtle: {str(exc).splitlines()[0]}")
        report = validate_graph(g, name=str(f), engine=args.engine)
        if not report.conforms:
            bad += 1
            print(report.text())
        elif args.verbose:
            print(report.text())
    print(f"{len(files)} graphs validated: {len(files) - bad} conform, {bad} do not")
    return 1 if bad else 0


def cmd_query(args) -> int:
    from .store import QueryError, ResultFormat, open_kb, query_text, run_select_serialized

    try:
        fmt = ResultFormat.parse(args.format)
        sparql = query_text(args.query)
    except (QueryError, ValueError) as exc:
        return _err(str(exc))
    if args.default_graph and not args.endpoint:
        return _err("--default-graph goes with --endpoint (a KB folder's store has its merged default graph)")
    if args.endpoint:
        from .remote import RemoteError, select

        try:
            results = select(args.endpoint, sparql, timeout=args.timeout, user=args.user,
                             password=args.password, auth=args.auth, default_graph=args.default_graph)
        except RemoteError as exc:
            return _err(str(exc))
        sys.stdout.write(results.render(fmt))
        return 0
    try:
        store = open_kb(Path(args.kb))
        # JSON, CSV and TSV are written by pyoxigraph itself (no Python object per row)
        data = run_select_serialized(store, sparql, fmt)
    except FileNotFoundError as exc:
        return _err(str(exc))
    except QueryError as exc:
        return _err(f"{args.query}: {exc}")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


def cmd_eval(args) -> int:
    from .evaluate import check_dir, evaluate_dir

    if args.check:
        try:
            problems = check_dir(Path(args.annotations), args.split)
        except (FileNotFoundError, ValueError) as exc:
            return _err(str(exc))
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s)")
        return 1 if problems else 0
    try:
        table, ok = evaluate_dir(Path(args.annotations), split=args.split, floors=args.check_floors)
    except (FileNotFoundError, ValueError) as exc:
        return _err(str(exc))
    print(table)
    return 0 if ok else 1


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newskb", description="News articles to a validated, provenance-keeping RDF knowledge base.")
    p.add_argument("--version", action="version", version=f"newskb {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("extract", help="print the facts document (JSON) of one article")
    e.add_argument("article", nargs="?", help="a .txt/.md/.html article")
    e.add_argument("-o", "--output", help="write to this file instead of standard output")
    e.add_argument("--schema", action="store_true", help="print the facts document JSON Schema")
    e.set_defaults(func=cmd_extract)

    b = sub.add_parser("build", help="build a KB folder from articles, folders and facts files")
    b.add_argument("inputs", nargs="*", help="articles (.txt .md .html), facts files (.facts.json) or folders (default: ../shared/corpus)")
    b.add_argument("--out", required=True, help="the KB folder to write")
    b.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI of the KB's resources (default {DEFAULT_BASE})")
    b.add_argument("-j", "--jobs", type=int, default=1, help="extraction worker processes (default 1)")
    b.add_argument("--full", action="store_true", help="re-extract every article (ignore the previous build's cache)")
    b.add_argument("--no-dumps", action="store_true",
                   help="write no kb.nq / kb.trig (large KBs: adding an article then costs one article, not a rewrite of the dumps)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.add_argument("-v", "--verbose", action="store_true", help="list every metadata warning")
    b.set_defaults(func=cmd_build)

    from .validate import DEFAULT_ENGINE, ENGINES

    v = sub.add_parser("validate", help="validate a KB folder or Turtle files against the SHACL shapes")
    v.add_argument("files", nargs="*", help="Turtle files")
    v.add_argument("--kb", help="a KB folder (validates every article graph)")
    v.add_argument("-v", "--verbose", action="store_true", help="also print conforming graphs")
    v.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                   help="turbo: pyshacl-turbo (SHACL Core in Rust); pyshacl: pySHACL, the reference "
                        f"implementation. Both give the same reports (default {DEFAULT_ENGINE})")
    v.set_defaults(func=cmd_validate)

    q = sub.add_parser("query", help="run a saved query (NAME in queries/) or a .rq file")
    q.add_argument("query", help="NAME of a saved query (queries/NAME.rq) or a .rq file")
    q.add_argument("--kb", default="kb", help="the KB folder (default kb)")
    q.add_argument("--endpoint", help="a SPARQL endpoint URL instead of a KB folder")
    q.add_argument("--format", default="table", choices=["table", "json", "csv", "tsv"])
    q.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a remote endpoint (default 60)")
    q.add_argument("--user", help="user name for a remote endpoint")
    q.add_argument("--password", help="password for a remote endpoint (or NEWSKB_PASSWORD)")
    q.add_argument("--auth", choices=["basic", "digest"], default="basic", help="HTTP authentication scheme")
    q.add_argument("--default-graph", metavar="IRI",
                   help="with --endpoint: the graph the query sees as its default graph (default-graph-uri), "
                        "e.g. the merged graph of 'newskb publish --merged-graph IRI' on Virtuoso")
    q.set_defaults(func=cmd_query)

    ev = sub.add_parser("eval", help="score extraction against annotation files")
    ev.add_argument("--annotations", default="tests/annotations", help="folder with one folder of *.json annotations per split (train/, dev/); the articles are "
                         "read from ../shared/corpus (train, or NEWSKB_CORPUS) and ../shared/corpus-dev (dev, or "
                         "NEWSKB_CORPUS_DEV)")
    ev.add_argument("--check-floors", action="store_true", help="exit 1 when a score is below its recorded floor")
    ev.add_argument("--split", choices=("train", "dev", "all"), default="all",
                    help="which annotations: train (../shared/corpus), dev (../shared/corpus-dev: the figure to "
                         "quote) or all (default)")
    ev.add_argument("--check", action="store_true",
                    help="check the annotation files only (form, phrases in the article, references); no extraction")
    ev.set_defaults(func=cmd_eval)

    # stages with their own command modules: each has register(subparsers) and a run(args) -> int
    for module in PLUGIN_COMMANDS:
        try:
            mod = importlib.import_module(f"newskb.{module}")
        except ModuleNotFoundError as exc:
            if exc.name == f"newskb.{module}":
                continue  # that stage is not part of this installation
            raise
        if hasattr(mod, "register"):
            mod.register(sub)
    return p


# modules that add their own sub-commands (publish, export, reason, serve, site, bench)
PLUGIN_COMMANDS = ("publish", "export", "reason", "server", "site", "benchmark")


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.func(args)




def help_markdown() -> str:
    """The CLI reference (docs/cli.md), generated from the parsers' --help."""
    import os

    os.environ["COLUMNS"] = "100"
    parser = make_parser()
    parts = ["# CLI reference", "", "Generated from `--help` by `python -m newskb.cli --markdown > docs/cli.md`;",
             "a test fails when it is stale.", "", "```", parser.format_help().rstrip(), "```"]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sorted(sub.choices.items()):
        parts += ["", f"## newskb {name}", "", "```", p.format_help().rstrip(), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--markdown"]:
        sys.stdout.write(help_markdown())
        sys.exit(0)
    sys.exit(main())
