"""SHACL engines against pySHACL, on the article graphs of kb/ and the broken graphs of
tests/shacl_cases.py: how many reports equal pySHACL's, how many differ only in which shape
they name, how many differ otherwise, and the median time per graph (data conversion included).

    .venv/bin/python bench/shacl_engines.py            # pyshacl-turbo (and pyshifty when installed)
    .venv/bin/python bench/shacl_engines.py -v         # also print each difference

The record of the choice this informed is D12 in docs/decisions.md. pyshifty is not a dependency
of newskb: install it in a scratch folder (``pip install --target DIR pyshifty``) and put DIR on
PYTHONPATH to include it.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import pyoxigraph as ox  # noqa: E402
from pyshacl import validate as pyshacl_validate  # noqa: E402
from rdflib import RDF, BNode, Graph  # noqa: E402
from rdflib.namespace import SH, XSD  # noqa: E402

import shacl_cases as sc  # noqa: E402
from newskb.resources import shapes_graph  # noqa: E402
from newskb.validate import class_hierarchy  # noqa: E402


def _value(v):
    if v is None:
        return None
    lang = getattr(v, "language", None)
    dt = getattr(v, "datatype", None) or ("" if lang or not hasattr(v, "datatype") else XSD.string)
    return type(v).__name__, str(v), str(dt), str(lang)


def normalised(report: Graph, sg: Graph) -> set:
    """The results of a report graph as comparable tuples; an anonymous source shape is named
    by the shape that holds it, its path and its parameters."""
    out = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        if isinstance(shape, BNode):
            parent = next(sg.subjects(SH.property, shape), None)
            shape = ("anonymous", str(parent), str(sg.value(shape, SH.path)),
                     tuple(sorted(str(p) for p, _ in sg.predicate_objects(shape))))
        out.add((str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)),
                 _value(report.value(r, SH.value)), str(report.value(r, SH.resultMessage)), str(shape),
                 str(report.value(r, SH.resultSeverity)), str(report.value(r, SH.sourceConstraintComponent))))
    return out


def engines(sg: Graph, hierarchy: Graph) -> dict:
    hier_nt = hierarchy.serialize(format="nt", encoding="utf-8")

    def pyshacl(g):
        c, rep, _ = pyshacl_validate(g, shacl_graph=sg, ont_graph=hierarchy, inference="none",
                                     allow_warnings=True, advanced=False)
        return c, normalised(rep, sg)

    out = {"pyshacl": pyshacl}
    import pyshacl_turbo

    turbo = pyshacl_turbo.compile_shapes(sg)

    def run_turbo(g):
        store = ox.Store()
        store.load(g.serialize(format="nt", encoding="utf-8") + hier_nt, format=ox.RdfFormat.N_TRIPLES)
        c, rep, _ = turbo.validate(store, allow_warnings=True)
        return c, normalised(rep, sg)

    out["pyshacl-turbo"] = run_turbo
    try:
        import shifty
    except ImportError:
        print("pyshifty is not installed: left out", file=sys.stderr)
        return out
    prepared = shifty.PreparedValidator(sg)

    def run_shifty(g):
        data = Graph()
        for t in g:
            data.add(t)
        for t in hierarchy:
            data.add(t)
        c, rep, _ = prepared.validate(data, infer=False, minimum_severity="violation")
        return c, normalised(rep, sg)

    out["pyshifty"] = run_shifty
    return out


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    sg, hierarchy = shapes_graph(), class_hierarchy()
    runs = engines(sg, hierarchy)
    reference = runs.pop("pyshacl")
    graphs = [(p.name, sc.parsed(p)) for p in sc.ARTICLES]
    graphs += [(c.label, c.graph()[0]) for c in sc.cases()]
    stats = {e: {"equal": 0, "other shape named": 0, "different": 0, "raised": 0, "times": []} for e in runs}
    pyshacl_raised = []
    for name, g in graphs:
        try:
            ref = reference(g)
        except Exception:  # noqa: BLE001 - pySHACL raises on some ill-typed literals
            ref = None
            pyshacl_raised.append(name)
        for engine, run in runs.items():
            t0 = time.perf_counter()
            try:
                got = run(g)
            except Exception as exc:  # noqa: BLE001
                stats[engine]["raised"] += 1
                print(f"{engine} raised on {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                continue
            stats[engine]["times"].append(time.perf_counter() - t0)
            if ref is None:
                continue
            if got == ref:
                stats[engine]["equal"] += 1
            elif got[0] == ref[0] and {r[:4] + r[5:] for r in got[1]} == {r[:4] + r[5:] for r in ref[1]}:
                stats[engine]["other shape named"] += 1
            else:
                stats[engine]["different"] += 1
                if verbose:
                    print(f"{engine} differs on {name}:\n  pySHACL only: {sorted(ref[1] - got[1], key=str)}\n"
                          f"  {engine} only: {sorted(got[1] - ref[1], key=str)}")
    print(f"{len(graphs)} graphs ({len(sc.ARTICLES)} article graphs, {len(graphs) - len(sc.ARTICLES)} broken); "
          f"pySHACL raised on {len(pyshacl_raised)}: {pyshacl_raised}")
    for engine, s in stats.items():
        times = s.pop("times")
        print(f"{engine}: {s}; median {statistics.median(times) * 1000:.1f} ms per graph")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
