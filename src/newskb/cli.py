"""The ``newskb`` command: parses arguments, calls the library, renders output.

Every sub-command is one :class:`Command` of :data:`COMMANDS`, the one registry: its name, its
help, the function that adds its arguments and the function that runs it. Only the command
being run gets its arguments, and the library it calls is imported then: ``newskb serve`` does
not wait for the NLP's or the build's imports.

Exit codes: 0 ok; 1 the KB does not conform (or some input failed, or it is inconsistent);
2 bad input or configuration.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import __version__


def _err(msg: str, code: int = 2) -> int:
    print(f"newskb: {msg}", file=sys.stderr)
    return code


@dataclass(frozen=True)
class Command:
    """One sub-command: ``arguments`` adds its options to its parser, ``run`` runs it and
    returns the exit code."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str | None = None


# ---- extract --------------------------------------------------------------------------------------
def _extract_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("article", nargs="?", help="a .txt/.md/.html article")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.add_argument("--schema", action="store_true", help="print the facts document JSON Schema")


def _extract(args) -> int:
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
    text = extract(art).to_json()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


# ---- build ----------------------------------------------------------------------------------------
def _build_args(p: argparse.ArgumentParser) -> None:
    from .mapping import DEFAULT_BASE

    p.add_argument("inputs", nargs="*", help="articles (.txt .md .html), facts files (.facts.json) or folders (default: ../shared/corpus)")
    p.add_argument("--out", required=True, help="the KB folder to write")
    p.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI of the KB's resources (default {DEFAULT_BASE})")
    p.add_argument("-j", "--jobs", type=int, default=1, help="extraction worker processes (default 1)")
    p.add_argument("--full", action="store_true", help="re-extract every article (ignore the previous build's cache)")
    p.add_argument("--no-dumps", action="store_true",
                   help="write no kb.nq / kb.trig (large KBs: adding an article then costs one article, not a rewrite of the dumps)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("-v", "--verbose", action="store_true", help="list every metadata warning")


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


def _build(args) -> int:
    from .build import BuildError, build
    from .resources import default_corpus

    inputs = args.inputs or [str(default_corpus())]
    try:
        result = build(inputs, args.out, base=args.base, jobs=args.jobs, incremental=not args.full,
                       dumps=not args.no_dumps, progress=None if args.quiet else _progress)
    except (BuildError, FileNotFoundError, ValueError) as exc:
        return _err(str(exc))
    if args.verbose:
        for a in result.published:
            for w in a.warnings:
                print(f"newskb: warning: {a.source}: {w}", file=sys.stderr)
    print(result.summary())
    return 0 if result.ok else 1


# ---- validate -------------------------------------------------------------------------------------
def _validate_args(p: argparse.ArgumentParser) -> None:
    from .validate import DEFAULT_ENGINE, ENGINES

    p.add_argument("files", nargs="*", help="Turtle files")
    p.add_argument("--kb", help="a KB folder (validates every article graph)")
    p.add_argument("-v", "--verbose", action="store_true", help="also print conforming graphs")
    p.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                   help="turbo: pyshacl-turbo (SHACL Core in Rust); pyshacl: pySHACL, the reference "
                        f"implementation. Both give the same reports (default {DEFAULT_ENGINE})")


def _validate(args) -> int:
    from rdflib import Graph

    from .kbfolder import KBFolderError, article_graphs
    from .validate import validate_graph

    files = [Path(f) for f in args.files]
    if args.kb:
        try:
            files.extend(a.path for a in article_graphs(args.kb))
        except KBFolderError as exc:
            return _err(str(exc))
    if not files:
        return _err("validate needs --kb DIR or Turtle files")
    bad = 0
    for f in files:
        g = Graph()
        try:
            g.parse(f, format="turtle")
        except Exception as exc:  # noqa: BLE001 - rdflib raises many types for syntax errors
            return _err(f"{f}: not valid Turtle: {str(exc).splitlines()[0]}")
        report = validate_graph(g, name=str(f), engine=args.engine)
        if not report.conforms:
            bad += 1
            print(report.text())
        elif args.verbose:
            print(report.text())
    print(f"{len(files)} graphs validated: {len(files) - bad} conform, {bad} do not")
    return 1 if bad else 0


# ---- query ----------------------------------------------------------------------------------------
def _query_args(p: argparse.ArgumentParser) -> None:
    from .store import ResultFormat

    p.add_argument("query", help="NAME of a saved query (queries/NAME.rq) or a .rq file")
    p.add_argument("--kb", default="kb", help="the KB folder (default kb)")
    p.add_argument("--endpoint", help="a SPARQL endpoint URL instead of a KB folder")
    p.add_argument("--format", default="table", choices=[f.label for f in ResultFormat])
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a remote endpoint (default 60)")
    p.add_argument("--user", help="user name for a remote endpoint")
    p.add_argument("--password", help="password for a remote endpoint (or NEWSKB_PASSWORD)")
    p.add_argument("--auth", choices=["basic", "digest"], default="basic", help="HTTP authentication scheme")
    p.add_argument("--default-graph", metavar="IRI",
                   help="with --endpoint: the graph the query sees as its default graph (default-graph-uri), "
                        "e.g. the merged graph of 'newskb publish --merged-graph IRI' on Virtuoso")


def _query(args) -> int:
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
        # JSON, XML, CSV and TSV are written by pyoxigraph itself (no Python object per row)
        data = run_select_serialized(open_kb(Path(args.kb)), sparql, fmt)
    except FileNotFoundError as exc:
        return _err(str(exc))
    except QueryError as exc:
        return _err(f"{args.query}: {exc}")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


# ---- eval -----------------------------------------------------------------------------------------
def _eval_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--annotations", default="tests/annotations",
                   help="folder with one folder of *.json annotations per split (train/, dev/); the articles are "
                        "read from ../shared/corpus (train, or NEWSKB_CORPUS) and ../shared/corpus-dev (dev, or "
                        "NEWSKB_CORPUS_DEV)")
    p.add_argument("--check-floors", action="store_true", help="exit 1 when a score is below its recorded floor")
    p.add_argument("--split", choices=("train", "dev", "all"), default="all",
                   help="which annotations: train (../shared/corpus), dev (../shared/corpus-dev: the figure to "
                        "quote) or all (default)")
    p.add_argument("--check", action="store_true",
                   help="check the annotation files only (form, phrases in the article, references); no extraction")


def _eval(args) -> int:
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


# ---- publish --------------------------------------------------------------------------------------
def _publish_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kb", default="kb", help="the KB folder (default kb)")
    p.add_argument("--endpoint", required=True, help="the server's SPARQL query endpoint (used to verify)")
    p.add_argument("--graph-store", help="Graph Store Protocol URL (Oxigraph: .../store; "
                                         "Virtuoso: .../sparql-graph-crud-auth); else SPARQL Update is used")
    p.add_argument("--update-endpoint", help="SPARQL Update URL (default: --endpoint; Oxigraph: .../update)")
    p.add_argument("--user", help="user name")
    p.add_argument("--password", help="password (or NEWSKB_PASSWORD)")
    p.add_argument("--auth", choices=["basic", "digest"], default="basic", help="HTTP authentication scheme")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each request (default 60)")
    p.add_argument("--force", action="store_true", help="re-send every graph, whatever the state file says")
    p.add_argument("--merge-default-graph", action="store_true",
                   help="after the push, make the default graph the merge of newskb's named graphs "
                        "(Oxigraph server; needs SPARQL Update at --update-endpoint)")
    p.add_argument("--merged-graph", metavar="IRI",
                   help="after the push, make the named graph IRI the merge of newskb's named graphs, for "
                        "servers whose default graph is a union that repeats triples (Virtuoso); query with "
                        "default-graph-uri=IRI (newskb query --default-graph IRI)")
    p.add_argument("-q", "--quiet", action="store_true", help="no line per graph sent")


def _publish(args) -> int:
    from .publish import PublishError, publish
    from .remote import RemoteError

    def progress(iri: str, done: int, total: int) -> None:
        print(f"newskb: sent {done}/{total} {iri}", file=sys.stderr, flush=True)

    try:
        report = publish(args.kb, args.endpoint, graph_store=args.graph_store,
                         update_endpoint=args.update_endpoint, user=args.user, password=args.password,
                         auth=args.auth, timeout=args.timeout, force=args.force,
                         merge_default_graph=args.merge_default_graph, merged_graph=args.merged_graph,
                         on_graph=None if args.quiet else progress)
    except (PublishError, RemoteError, ValueError) as exc:
        return _err(f"publish: {exc}")
    print(report.summary())
    return 0 if report.ok else 1


# ---- export ---------------------------------------------------------------------------------------
def _export_args(p: argparse.ArgumentParser) -> None:
    from .serialize import Format

    p.add_argument("--kb", default="kb", help="the KB folder (default kb)")
    p.add_argument("--out", required=True, help="the file to write (format from its extension)")
    p.add_argument("--format", choices=[f.extension for f in Format], help="ttl, trig, nq, nt or jsonld")


def _export(args) -> int:
    from .export import ExportError, export
    from .serialize import Format

    try:
        fmt = next(f for f in Format if f.extension == args.format) if args.format else None
        out = export(args.kb, args.out, fmt)
    except (ExportError, OSError) as exc:
        return _err(f"export: {exc}")
    print(f"wrote {out}")
    return 0


# ---- reason ---------------------------------------------------------------------------------------
def _reason_args(p: argparse.ArgumentParser) -> None:
    from .reason import REASONERS

    p.add_argument("--kb", default="kb", help="the KB folder (default kb)")
    p.add_argument("--reasoner", default="hermit", choices=REASONERS,
                   help="hermit (default; runs on Java 17) or pellet (needs a newer Java)")
    p.add_argument("--no-write", action="store_true", help="only check consistency; write nothing")


def _reason(args) -> int:
    from .reason import ReasonError, reason

    try:
        report = reason(args.kb, reasoner=args.reasoner, write=not args.no_write)
    except (ReasonError, FileNotFoundError) as exc:
        return _err(str(exc))
    print(report.summary())
    return 0 if report.consistent else 1


# ---- serve ----------------------------------------------------------------------------------------
def _serve_args(p: argparse.ArgumentParser) -> None:
    from .web.sparql import DEFAULT_MAX_RESULTS, DEFAULT_TIMEOUT

    p.add_argument("--kb", default="kb", help="the KB folder (default kb)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    p.add_argument("--base", help="base IRI served at the root (default: the KB's manifest base)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=f"SPARQL query time limit in seconds (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--max-results", type=int, default=DEFAULT_MAX_RESULTS,
                   help=f"most rows or triples a query may return (default {DEFAULT_MAX_RESULTS})")
    p.add_argument("--workers", type=int, default=2, help="SPARQL worker processes (default 2)")
    p.add_argument("--no-answer-cache", dest="cached_answers", action="store_false",
                   help="answer the saved queries from the store only (default: from the KB's answer cache, "
                        "computed once per KB version, in the background at the first start)")
    p.add_argument("--access-log", action="store_true", help="log every request")


def _serve(args) -> int:
    import uvicorn

    from .server import create_app
    from .store import QueryError
    from .web.http import MAX_URL

    try:
        app = create_app(args.kb, base=args.base, query_timeout=args.timeout, max_results=args.max_results,
                         workers=args.workers, cached_answers=args.cached_answers)
    except (FileNotFoundError, QueryError, ValueError) as exc:
        return _err(str(exc))
    print(f"newskb: serving {args.kb} (base {app.state.kb.base}) at http://{args.host}:{args.port}/", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, access_log=args.access_log, log_level="warning",
                h11_max_incomplete_event_size=MAX_URL + 8192)
    return 0


# ---- site -----------------------------------------------------------------------------------------
def _site_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kb", default="kb", help="the KB folder (default kb)")
    p.add_argument("--out", required=True, help="the folder to write the site into")
    p.add_argument("--base", help="base IRI of the site root (default: the KB's manifest base)")


def _site(args) -> int:
    from .site import SiteError, write_site

    try:
        counts = write_site(args.kb, args.out, base=args.base)
    except (FileNotFoundError, SiteError, ValueError) as exc:
        return _err(str(exc))
    print(f"site written to {args.out}: {counts['pages']} pages, {counts['resources']} resources, {counts['files']} files")
    return 0


# ---- bench ----------------------------------------------------------------------------------------
def _bench_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("bench_args", nargs=argparse.REMAINDER, help="arguments for bench/bench.py (e.g. --quick)")


def _bench(args) -> int:
    import runpy

    from .resources import project_root

    script = project_root() / "bench" / "bench.py"
    if not script.is_file():
        return _err(f"{script} not found: the benchmarks need a source checkout")
    module = runpy.run_path(str(script), run_name="newskb_bench")
    return int(module["main"]([a for a in args.bench_args if a != "--"]) or 0)


COMMANDS: tuple[Command, ...] = (
    Command("extract", "print the facts document (JSON) of one article", _extract_args, _extract),
    Command("build", "build a KB folder from articles, folders and facts files", _build_args, _build),
    Command("validate", "validate a KB folder or Turtle files against the SHACL shapes", _validate_args, _validate),
    Command("query", "run a saved query (NAME in queries/) or a .rq file", _query_args, _query),
    Command("eval", "score extraction against annotation files", _eval_args, _eval),
    Command("publish", "push the KB's graphs to a SPARQL 1.1 server (only what changed)", _publish_args, _publish,
            "Push a built KB folder's graphs to a shared SPARQL 1.1 server: every article graph, the "
            "inferred graph and the ontology, only what changed since the last publish (docs/servers.md)."),
    Command("export", "write the KB as one Turtle, TriG, N-Quads, N-Triples or JSON-LD file", _export_args, _export),
    Command("reason", "check a KB's consistency with an OWL reasoner and write the inferred graph", _reason_args,
            _reason,
            "Load the ontology and a KB folder into owlready2, run HermiT, explain any inconsistency, and "
            "write inferred triples to DIR/inferred.ttl (named graph <base>graph/inferred), also loaded into "
            "DIR/store. Exit 0 consistent, 1 inconsistent, 2 bad input or a reasoner that cannot run."),
    Command("serve", "serve a KB as linked data, HTML pages and a SPARQL endpoint", _serve_args, _serve),
    Command("site", "write the linked-data site as static files", _site_args, _site),
    Command("bench", "run the benchmark suite (bench/bench.py) and write docs/benchmarks.md", _bench_args, _bench,
            "Runs bench/bench.py with the arguments that follow; 'newskb bench -- --help' lists them."),
)


def make_parser(only: str | None = None) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The ``newskb`` parser and each command's parser, by name; with ``only``, only that
    command's parser gets its arguments."""
    p = argparse.ArgumentParser(prog="newskb", description="News articles to a validated, provenance-keeping RDF knowledge base.")
    p.add_argument("--version", action="version", version=f"newskb {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    parsers = {}
    for c in COMMANDS:
        parsers[c.name] = sub.add_parser(c.name, help=c.help, description=c.description)
        if only is None or c.name == only:
            c.arguments(parsers[c.name])
        parsers[c.name].set_defaults(func=c.run)
    return p, parsers


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    name = next((a for a in argv if not a.startswith("-")), "")  # the command comes first
    args = make_parser(only=name)[0].parse_args(argv)
    return args.func(args)


def help_markdown() -> str:
    """The CLI reference (docs/cli.md), generated from the parsers' --help."""
    os.environ["COLUMNS"] = "100"
    parser, parsers = make_parser()
    parts = ["# CLI reference", "", "Generated from `--help` by `python -m newskb.cli --markdown > docs/cli.md`;",
             "a test fails when it is stale.", "", "```", parser.format_help().rstrip(), "```"]
    for name, p in sorted(parsers.items()):
        parts += ["", f"## newskb {name}", "", "```", p.format_help().rstrip(), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--markdown"]:
        sys.stdout.write(help_markdown())
        sys.exit(0)
    sys.exit(main())
