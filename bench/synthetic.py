"""Synthetic inputs for the benchmarks, made from the corpus without copying any article text
into the repository (everything is written under a temporary folder).

- ``replicate_articles``: the corpus files copied under distinct names (the same texts).
- ``replicate_nquads``: a KB's N-Quads repeated with every data IRI under the base moved to
  ``{base}r<N>/…`` per copy (ontology IRIs untouched), so copies do not merge.
- ``replicate_facts``: facts documents with distinct article ids (and so distinct IRIs/graphs).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

BASE = "https://w3id.org/newskb/"
ONTOLOGY_PREFIX = BASE + "ontology"
# an IRI under the base that is not an ontology IRI
_DATA_IRI = re.compile(r"<https://w3id\.org/newskb/(?!ontology[#/>])")


def corpus_files(corpus: Path) -> list[Path]:
    from newskb.build import collect_inputs

    return [p for p in collect_inputs([corpus]) if not p.name.endswith(".facts.json")]


def replicate_articles(corpus: Path, dest: Path, n: int) -> list[Path]:
    """``n`` article files in ``dest``: the corpus files cycled, each under a distinct name."""
    src = corpus_files(corpus)
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        f = src[i % len(src)]
        p = dest / f"r{i // len(src):03d}-{f.name}"
        shutil.copyfile(f, p)
        out.append(p)
    return out


def replicate_nquads(nq: Path, dest: Path, target_triples: int) -> tuple[int, int]:
    """Write copies of ``nq`` to ``dest`` until about ``target_triples`` quads; returns
    (copies, quads written)."""
    lines = nq.read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in lines if ln.strip()]
    copies = max(1, round(target_triples / max(1, len(lines))))
    with dest.open("w", encoding="utf-8") as fh:
        for r in range(copies):
            repl = f"<{BASE}r{r}/"
            fh.write("\n".join(_DATA_IRI.sub(repl, ln) for ln in lines))
            fh.write("\n")
    return copies, copies * len(lines)


def replicate_facts(facts: list[str], dest: Path, k: int, *, start: int = 0) -> list[Path]:
    """``k`` facts files with distinct article ids (``<id>-k<i>``), source and sha256."""
    dest.mkdir(parents=True, exist_ok=True)
    parsed = [json.loads(f) for f in facts]
    out = []
    for i in range(start, start + k):
        d = json.loads(json.dumps(parsed[i % len(parsed)]))
        aid = f"{d['article']['id']}-k{i:05d}"
        d["article"]["id"] = aid
        d["article"]["source"] = f"{aid}.facts.json"
        d["article"]["sha256"] = hashlib.sha256(aid.encode()).hexdigest()
        p = dest / f"{aid}.facts.json"
        p.write_text(json.dumps(d, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        out.append(p)
    return out
