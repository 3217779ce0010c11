"""Stage 8 — ``newskb site``: the linked-data site as static files any web server can host.

The same pages and documents as ``newskb serve``, with relative links::

    SITE/index.html entities.html claims.html timeline.html map.html query.html ontology.html
    SITE/ontology.ttl .jsonld .nt .rdf     the ontology (and ontology/VERSION.ttl … for its version IRI)
    SITE/ontology/context.jsonld           the JSON-LD context the JSON-LD documents refer to
    SITE/<path>.html .ttl .jsonld .nt .rdf every KB IRI {base}<path> (percent-decoded file names)
    SITE/.well-known/void, SITE/void.ttl   VoID + DCAT
    SITE/data/kb.nq, SITE/data/kb.trig     the dumps
    SITE/queries/NAME.rq, NAME.json        the saved queries and their results
    SITE/static/                           CSS and the query page's script

A static host cannot answer ``/person/x`` with a 303; point a rewrite rule at ``/person/x.html``
(or ``.ttl``, by Accept) to keep IRIs dereferenceable (docs/server.md shows one).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from urllib.parse import unquote

from .export import CONTEXT_FILE, context_path
from .store import query_text, run_select, saved_queries
from .web import rdfdocs
from .web.kbview import RDF_EXTENSIONS, KBView
from .web.pages import PAGES, Pages
from .web.sparql import Answer, render_answer

STATIC_DIR = Path(__file__).parent / "web" / "static"


class SiteError(RuntimeError):
    """The output folder cannot be written."""


def _segments(path: str) -> list[str]:
    """File path segments for a URL path: percent-decoded, except where decoding would give a
    separator or a dot segment (those stay encoded, so no file lands outside the site)."""
    out = []
    for seg in path.split("/"):
        d = unquote(seg)
        out.append(seg if ("/" in d or "\\" in d or d in ("", ".", "..") or "\x00" in d) else d)
    return out


def _write(out: Path, rel_segments: list[str], data: bytes | str) -> Path:
    p = out.joinpath(*rel_segments)
    if out.resolve() not in p.resolve().parents:
        raise SiteError(f"refusing to write outside the site folder: {p}")
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def write_site(kb_dir: str | Path, out: str | Path, *, base: str | None = None) -> dict:
    """Write the static site of a KB folder; returns counts of what was written."""
    kb = KBView(kb_dir, base=base)
    pages = Pages(kb)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    counts = {"pages": 0, "resources": 0, "files": 0}
    for name, (fname, _title) in PAGES.items():
        html = pages.query("", endpoint=None) if name == "query" else getattr(pages, name)("")
        _write(out, [fname], html)
        counts["pages"] += 1
    version = kb.ontology_version_path
    for ext in RDF_EXTENSIONS:
        data = rdfdocs.serialize(kb.ontology_triples(), ext)
        _write(out, [f"ontology.{ext}"], data)
        if version:
            _write(out, version.split("/")[:-1] + [version.split("/")[-1] + "." + ext], data)
    _write(out, ["ontology", CONTEXT_FILE], context_path().read_bytes())
    for iri in sorted(kb.iris):
        path = kb.path_of(iri)
        segs = _segments(path)
        root = "../" * (len(path.split("/")) - 1)
        _write(out, segs[:-1] + [segs[-1] + ".html"], pages.resource(iri, root))
        desc = kb.description(iri)
        for ext in RDF_EXTENSIONS:
            _write(out, segs[:-1] + [segs[-1] + "." + ext], rdfdocs.serialize(desc, ext, base=kb.base))
        counts["resources"] += 1
    void = rdfdocs.serialize(rdfdocs.void_triples(kb), "ttl", base=kb.base)
    _write(out, [".well-known", "void"], void)
    _write(out, ["void.ttl"], void)
    for name in ("kb.nq", "kb.trig", "manifest.json"):
        if (kb.dir / name).is_file():
            (out / "data").mkdir(exist_ok=True)
            shutil.copyfile(kb.dir / name, out / "data" / name)
    for name in saved_queries():
        text = query_text(name)
        res = run_select(kb.store, text)
        _write(out, ["queries", f"{name}.rq"], text)
        _write(out, ["queries", f"{name}.json"], render_answer(Answer("solutions", res.variables, res.rows), "json"))
    shutil.copytree(STATIC_DIR, out / "static", dirs_exist_ok=True)
    counts["files"] = sum(1 for p in out.rglob("*") if p.is_file())
    return counts


def register(subparsers) -> None:
    s = subparsers.add_parser("site", help="write the linked-data site as static files")
    s.add_argument("--kb", default="kb", help="the KB folder (default kb)")
    s.add_argument("--out", required=True, help="the folder to write the site into")
    s.add_argument("--base", help="base IRI of the site root (default: the KB's manifest base)")
    s.set_defaults(func=run)


def run(args) -> int:
    try:
        counts = write_site(args.kb, args.out, base=args.base)
    except (FileNotFoundError, SiteError, ValueError) as exc:
        print(f"newskb: {exc}", file=sys.stderr)
        return 2
    print(f"site written to {args.out}: {counts['pages']} pages, {counts['resources']} resources, {counts['files']} files")
    return 0
