"""The claimant part of the claims score: of the annotated claims whose value and unit the
extractor found, how many got the annotated claimant (the speaker of the statement the figure
sits in, the source it is cited from, or the publisher). The full claims score also needs the
measure field (issue 23); this isolates who gives each figure (issue 22).

    python bench/claimants.py --split dev [--kb DIR]   # DIR: a KB built from the split (facts/)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from newskb.annotations import Annotation
from newskb.article import read_article
from newskb.evaluate import _claim_value_ok, _label, _Matcher
from newskb.facts import FactsDocument
from newskb.resources import annotations_dir, default_corpus


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev", choices=("train", "dev"))
    ap.add_argument("--kb", type=Path, required=True, help="a KB folder built from the split's corpus")
    args = ap.parse_args()
    corpus = default_corpus(args.split)
    found = right = gold = 0
    misses = []
    for f in sorted((annotations_dir() / args.split).glob("*.json")):
        ann = Annotation.model_validate(json.loads(f.read_text(encoding="utf-8")))
        doc = FactsDocument.from_json((args.kb / "facts" / f"{f.stem}.facts.json").read_text(encoding="utf-8"))
        m = _Matcher(doc, ann, read_article(corpus / f"{f.stem}.txt").body)
        for g in ann.claims:
            gold += 1
            cands = [c for c in doc.claims if _claim_value_ok(c, g) and c.unit == g.unit]
            if not cands:
                continue
            found += 1
            if any(c.claimant in m.ids(g.claimant) for c in cands):
                right += 1
            else:
                misses.append(f"{f.stem[:40]}: {g.value or (g.min, g.max)} {g.unit} ({g.claimant}): got "
                              + ", ".join(_label(doc, [c.claimant]) if c.claimant else "none" for c in cands))
    print(f"{args.split}: {gold} annotated claims, {found} found by value and unit, {right} with the right claimant "
          f"({right / found:.3f} of those found)")
    for line in misses:
        print("  " + line)


if __name__ == "__main__":
    main()
