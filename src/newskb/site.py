"""Stage 8 — ``newskb site``: the linked-data site as static files any web server can host.

The same pages and documents as ``newskb serve``, with relative links::

    SITE/index.html entities.html claims.html timeline.html map.html query.html ontology.html
    SITE/ontology.ttl .jsonld .nt .rdf     the ontology (and ontology/VERSION.ttl … for its version IRI)
    SITE/ontology/context.jsonld           the JSON-LD context the JSON-LD documents refer to
    SITE/<path>.html .ttl .jsonld .nt .rdf every KB IRI {base}<path> (percent-decoded file names)
    SITE/.well-known/void, SITE/void.ttl   VoID + DCAT
    SITE/data/kb.nq, SITE/data/kb.trig     the dumps
    SITE/queries/NAME.rq                   the saved queries
    SITE/queries/NAME.json .xml .csv .tsv  and their answers
    SITE/static/                           CSS and the query page's script

A static host cannot answer ``/person/x`` with a 303; point a rewrite rule at ``/person/x.html``
(or ``.ttl``, by Accept) to keep IRIs dereferenceable (docs/server.md shows one).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote

from .answers import compute_answers
from .export import CONTEXT_FILE, context_path
from .kbfolder import MANIFEST, NQUADS, TRIG
from .store import query_text, saved_queries
from .web import rdfdocs
from .web.kbview import RDF_EXTENSIONS, KBView
from .web.pages import PAGES, Pages

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
            _write(out, f"{version}.{ext}".split("/"), data)
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
    for name in (NQUADS, TRIG, MANIFEST):
        if (kb.dir / name).is_file():
            (out / "data").mkdir(exist_ok=True)
            shutil.copyfile(kb.dir / name, out / "data" / name)
    for name in saved_queries():
        text = query_text(name)
        _write(out, ["queries", f"{name}.rq"], text)
        for fmt, data in compute_answers(kb.store, text).items():
            _write(out, ["queries", f"{name}.{fmt}"], data)
    shutil.copytree(STATIC_DIR, out / "static", dirs_exist_ok=True)
    counts["files"] = sum(1 for p in out.rglob("*") if p.is_file())
    return counts
