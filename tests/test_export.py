"""Export formats: every format parses in rdflib and (except JSON-LD) in Debian's rapper, with the
KB's triple and quad counts; JSON-LD uses the published context."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from rdflib import Dataset, Graph

from newskb.export import context_path, export, jsonld_context
from newskb.serialize import Format

RAPPER = {Format.TURTLE: "turtle", Format.TRIG: "trig", Format.N_QUADS: "nquads", Format.N_TRIPLES: "ntriples"}


@pytest.fixture(scope="module")
def counts(corpus_kb):
    """(quads, distinct triples) of the KB's article graphs."""
    import pyoxigraph as ox

    quads = list(ox.parse(path=str(corpus_kb / "kb.nq"), format=ox.RdfFormat.N_QUADS))
    return len(quads), len({q.triple for q in quads})


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.extension)
def test_export_parses_in_rdflib(fmt, corpus_kb, counts, tmp_path):
    out = export(corpus_kb, tmp_path / f"kb.{fmt.extension}")
    quads, triples = counts
    rdflib_format = {Format.TURTLE: "turtle", Format.TRIG: "trig", Format.N_QUADS: "nquads",
                     Format.N_TRIPLES: "nt", Format.JSON_LD: "json-ld"}[fmt]
    if fmt.is_dataset or fmt is Format.JSON_LD:
        ds = Dataset()
        ds.parse(out, format=rdflib_format)
        assert sum(len(g) for g in ds.graphs() if len(g)) == quads
        assert len([g for g in ds.graphs() if len(g)]) == len(json.loads((corpus_kb / "manifest.json").read_text())["articles"])
    else:
        g = Graph()
        g.parse(out, format=rdflib_format)
        assert len(g) == triples


@pytest.mark.parametrize("fmt", list(RAPPER), ids=lambda f: f.extension)
def test_export_parses_in_rapper(fmt, corpus_kb, counts, tmp_path, rapper):
    out = export(corpus_kb, tmp_path / f"kb.{fmt.extension}")
    proc = subprocess.run([rapper, "-i", RAPPER[fmt], "-c", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    n = int(re.search(r"returned (\d+) triples", proc.stderr).group(1))
    assert n == (counts[0] if fmt.is_dataset else counts[1])


def test_jsonld_uses_the_published_context(corpus_kb, tmp_path):
    assert json.loads(context_path().read_text()) == jsonld_context(), \
        "ontology/context.jsonld is out of date: regenerate it with 'python -m newskb.export > ontology/context.jsonld'"
    doc = json.loads(export(corpus_kb, tmp_path / "kb.jsonld").read_text())
    assert doc["@context"] == jsonld_context()["@context"]
    text = json.dumps(doc)
    assert '"nkb:' in text and "https://w3id.org/newskb/ontology#" not in text.replace('"nkb": "https://w3id.org/newskb/ontology#"', "")


def test_export_is_deterministic(corpus_kb, tmp_path):
    for fmt in Format:
        a = export(corpus_kb, tmp_path / f"a.{fmt.extension}").read_bytes()
        b = export(corpus_kb, tmp_path / f"b.{fmt.extension}").read_bytes()
        assert a == b, fmt


def test_export_cli(corpus_kb, tmp_path):
    from newskb.cli import main

    assert main(["export", "--kb", str(corpus_kb), "--out", str(tmp_path / "kb.nt")]) == 0
    assert (tmp_path / "kb.nt").stat().st_size > 0
    assert main(["export", "--kb", str(corpus_kb), "--out", str(tmp_path / "kb.xyz")]) == 2
