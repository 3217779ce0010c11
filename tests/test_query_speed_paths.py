"""The fast result path: SELECT results serialised by pyoxigraph (``run_select_serialized``, used
by ``newskb query --format json|csv|tsv`` and the SPARQL endpoint) give the same solutions, in the
same order, as the ``Results`` API (``run_select(...).render``)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest

from newskb.store import (ResultFormat, open_kb, query_text, run_select, run_select_serialized, saved_queries,
                          serialized_row_count)


@pytest.fixture(scope="module")
def store(corpus_kb):
    return open_kb(corpus_kb)


@pytest.mark.parametrize("name", saved_queries())
def test_serialized_json_and_csv_equal_the_results_api(store, name):
    sparql = query_text(name)
    res = run_select(store, sparql)
    assert res.rows or name == "deployments", f"{name} gave no rows: the comparison would prove nothing"
    fast = json.loads(run_select_serialized(store, sparql, ResultFormat.JSON))
    assert fast == json.loads(res.to_json())
    fast_csv = run_select_serialized(store, sparql, ResultFormat.CSV).decode("utf-8")
    assert list(csv.reader(io.StringIO(fast_csv))) == list(csv.reader(io.StringIO(res.to_csv())))
    tsv = run_select_serialized(store, sparql, ResultFormat.TSV).decode("utf-8")
    assert tsv.split("\n", 1)[0] == "\t".join("?" + v for v in res.variables)
    for fmt in (ResultFormat.JSON, ResultFormat.TSV):
        assert serialized_row_count(run_select_serialized(store, sparql, fmt), fmt) == len(res.rows), fmt
    assert serialized_row_count(fast_csv.encode(), ResultFormat.CSV) >= len(res.rows)
    assert run_select_serialized(store, sparql, ResultFormat.TABLE).decode() == res.to_table()


def test_serialized_terms_and_bindings():
    st = ox.Store()
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    for o in (ox.Literal('a "quoted",{"x"}\nline', language="en"), ox.Literal("2", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")), ox.BlankNode("b0"), ox.Literal("tab\there")):
        st.add(ox.Quad(s, p, o))
    q = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/q> ?none } } ORDER BY ?o"
    res = run_select(st, q)
    assert json.loads(run_select_serialized(st, q, ResultFormat.JSON)) == json.loads(res.to_json())
    fast_csv = run_select_serialized(st, q, ResultFormat.CSV).decode()
    assert list(csv.reader(io.StringIO(fast_csv))) == list(csv.reader(io.StringIO(res.to_csv())))
    tsv = run_select_serialized(st, q, ResultFormat.TSV)
    assert serialized_row_count(tsv, ResultFormat.TSV) == 4
    assert serialized_row_count(run_select_serialized(st, q, ResultFormat.JSON), ResultFormat.JSON) >= 4
    one = run_select_serialized(st, "SELECT ?o WHERE { ?s ?p ?o }", ResultFormat.JSON, bindings={"o": ox.BlankNode("b0")})
    assert json.loads(one)["results"]["bindings"] == [{"o": {"type": "bnode", "value": "b0"}}]
    empty = run_select_serialized(st, "SELECT ?x WHERE { ?x <http://example.org/none> ?y }", ResultFormat.JSON)
    assert serialized_row_count(empty, ResultFormat.JSON) == 0


def test_cli_query_json_is_w3c_results(corpus_kb, store):
    out = subprocess.run([sys.executable, "-m", "newskb.cli", "query", "statements", "--kb", str(corpus_kb),
                          "--format", "json"], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == json.loads(run_select(store, query_text("statements")).to_json())


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_endpoint_row_limit_on_serialised_results(fmt):
    """The endpoint's worker counts serialised solutions as pyoxigraph writes them and stops past
    the limit; literals holding separators, quotes and line breaks do not count as rows."""
    from newskb.web.sparql import QueryRefused, _execute, render_answer

    st = ox.Store()
    st.extend(ox.Quad(ox.NamedNode(f"http://example.org/{i}"), ox.NamedNode("http://example.org/p"),
                      ox.Literal(f'v,{{"x"}}\n{i}')) for i in range(3000))
    q = "SELECT * WHERE { ?s ?p ?o }"

    def run(limit, query=q):
        return _execute(st, query=query, max_results=limit, default_graphs=[], named_graphs=[], serialize=fmt)

    with pytest.raises(QueryRefused):
        run(2999)
    ans = run(3000)
    data = render_answer(ans, fmt)
    local = run_select(st, q)
    if fmt == "json":
        assert json.loads(data) == json.loads(local.to_json())
    elif fmt == "csv":
        assert list(csv.reader(io.StringIO(data.decode()))) == list(csv.reader(io.StringIO(local.to_csv())))
    else:
        assert serialized_row_count(data, ResultFormat.TSV) == 3000
    assert render_answer(run(10, q + " LIMIT 10"), fmt)
