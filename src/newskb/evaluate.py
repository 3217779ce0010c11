"""Scoring extraction against hand annotations (``tests/annotations/*.json``).

An annotation file names its article and lists, per area, what a careful reader finds — as short
phrases and global keys, never article text. Areas and what counts as right:

* ``statements``: a returned (attributed) statement whose text contains the phrase, with the
  annotated speaker key, ``direct`` flag and (when annotated) date. A returned statement that
  contains an annotated phrase but names another speaker is *misattributed*.
* ``claims``: value and unit, with the annotated claimant (and qualifier when annotated);
  ``conflicts`` lists groups of claims that must share one kind.
* ``places``: a place mentioned by that name, with the annotated key, container and coordinates;
  a place with that name but another key is a *wrong same-name place*.
* ``actors``: entity key and type, role and affiliation when annotated.
* ``events``: an event of the annotated type whose evidence contains the phrase.
* ``deployments``: force, size, and every annotated confirmer.

Precision is over what the extractor returned in that area; recall over the annotations.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .facts import FactsDocument

AREAS = ("statements", "claims", "places", "actors", "events", "deployments")


@dataclass
class Score:
    tp_recall: int = 0
    gold: int = 0
    tp_precision: int = 0
    returned: int = 0
    errors: list[str] = field(default_factory=list)
    wrong: int = 0  # misattributed statements / wrong same-name places

    def add(self, other: "Score") -> None:
        self.tp_recall += other.tp_recall
        self.gold += other.gold
        self.tp_precision += other.tp_precision
        self.returned += other.returned
        self.wrong += other.wrong
        self.errors.extend(other.errors)

    @property
    def recall(self) -> float:
        return self.tp_recall / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.tp_precision / self.returned if self.returned else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower()
    t = t.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", t).strip()


def evaluate(doc: FactsDocument, gold: dict, body: str | None = None) -> dict[str, Score]:
    """Score one facts document against one annotation (``body``: the article body, with which
    events are matched by where their evidence lies rather than by its words)."""
    keys = {e.id: e.key for e in doc.entities}
    pkeys = {p.id: p.key for p in doc.places}
    return {
        "statements": _statements(doc, gold.get("statements", []), keys),
        "claims": _claims(doc, gold.get("claims", []), gold.get("conflicts", []), keys),
        "places": _places(doc, gold.get("places", []), pkeys),
        "actors": _actors(doc, gold.get("actors", []), keys),
        "events": _events(doc, gold.get("events", []), body),
        "deployments": _deployments(doc, gold.get("deployments", []), keys, pkeys),
    }


def _statements(doc: FactsDocument, gold: list[dict], keys: dict[str, str]) -> Score:
    s = Score(gold=len(gold))
    returned = [st for st in doc.statements if st.speaker]
    s.returned = len(returned)
    good: set[str] = set()
    for g in gold:
        phrase = norm(g["phrase"])
        hits = [st for st in returned if phrase in norm(st.text)]
        ok = [st for st in hits if keys[st.speaker] == g["speaker"] and st.direct == g.get("direct", st.direct)
              and (not g.get("date") or _date(st, doc) == g["date"])]
        if ok:
            s.tp_recall += 1
            good.update(st.id for st in ok)
        else:
            why = "not found" if not hits else "; ".join(
                f"got speaker {keys[st.speaker]} direct={st.direct} date={_date(st, doc)}" for st in hits)
            s.errors.append(f"statement '{g['phrase']}' ({g['speaker']}): {why}")
        for st in hits:
            if keys[st.speaker] != g["speaker"]:
                s.wrong += 1
    matched_any = {st.id for st in returned for g in gold if norm(g["phrase"]) in norm(st.text)}
    s.tp_precision = len(good)
    for st in returned:
        if st.id not in matched_any:
            s.errors.append(f"extra statement by {keys[st.speaker]}: '{st.text[:50]}'")
    return s


def _date(st, doc: FactsDocument) -> str | None:
    if st.date and st.date.value:
        return st.date.value
    return doc.article.date


def _claims(doc: FactsDocument, gold: list[dict], conflicts: list[list[str]], keys: dict[str, str]) -> Score:
    s = Score(gold=len(gold))
    returned = [c for c in doc.claims if c.claimant]
    s.returned = len(returned)
    used: set[str] = set()
    by_group: dict[str, set[str]] = {}
    for g in gold:
        cands = [c for c in returned if abs(c.value - g["value"]) < 1e-9 and c.unit == g["unit"] and c.id not in used]
        ok = [c for c in cands if keys[c.claimant] == g["claimant"]
              and ("qualifier" not in g or c.qualifier == g["qualifier"])]
        if ok:
            s.tp_recall += 1
            used.add(ok[0].id)
            by_group.setdefault(g.get("group", ""), set()).add(ok[0].kind)
        else:
            why = "not found" if not cands else "; ".join(f"got claimant {keys[c.claimant]} qualifier {c.qualifier}" for c in cands)
            s.errors.append(f"claim {g['value']} {g['unit']} ({g['claimant']}): {why}")
    s.tp_precision = len(used)
    for group in conflicts:
        for name in group:
            kinds = by_group.get(name, set())
            if len(kinds) > 1:
                s.errors.append(f"claims of group {name} got different kinds {sorted(kinds)}: the conflict is lost")
                s.tp_recall -= 1
    return s


def _places(doc: FactsDocument, gold: list[dict], pkeys: dict[str, str]) -> Score:
    s = Score(gold=len(gold))
    mentioned = [p for p in doc.places if p.mentions]
    s.returned = len(mentioned)
    by_id = {p.id: p for p in doc.places}
    good: set[str] = set()
    for g in gold:
        name = norm(g["name"])
        # the whole mention must be the name ("Kherson region" is not a mention of Kherson city)
        hits = [p for p in mentioned if any(_names(norm(m.text), name) for m in p.mentions)
                or _names(norm(p.name), name) or name in {norm(a) for a in p.aliases}]
        if "key" in g:
            right = [p for p in hits if p.key == g["key"]]
            s.wrong += sum(1 for p in hits if p.key != g["key"] and norm(p.name) == name)
        else:
            right = hits
        ok = []
        for p in right:
            chain, cur = [], p
            while cur.within:
                cur = by_id[cur.within]
                chain.append(cur.key)
            if g.get("within") and g["within"] not in chain:
                continue
            if g.get("country") and f"country/{g['country']}" not in chain + [p.key]:
                continue  # (a place that is the country itself is within it)
            if g.get("coordinates") and (p.lat is None or p.long is None):
                continue
            ok.append(p)
        if ok:
            s.tp_recall += 1
            good.update(p.id for p in ok)
        else:
            s.errors.append(f"place {g['name']}: " + ("not found" if not hits else "; ".join(
                f"got {p.key} within {pkeys.get(p.within or '', None)}" for p in hits)))
    s.tp_precision = len(good)
    return s


_REGION_WORDS = re.compile(r"^(the )?(.+?)( (region|oblast|province|governorate|state))?$")


def _names(mention: str, name: str) -> bool:
    """The mention names the place: exactly, or with a region word ("Kursk region" for Kursk)."""
    m = _REGION_WORDS.match(mention)
    return mention == name or (m is not None and m.group(2) == name)


def _actors(doc: FactsDocument, gold: list[dict], keys: dict[str, str]) -> Score:
    s = Score(gold=len(gold))
    by_key = {e.key: e for e in doc.entities}
    s.returned = sum(1 for e in doc.entities if e.type != "Publisher")
    for g in gold:
        e = by_key.get(g["key"])
        problems = []
        if e is None:
            problems.append("not found")
        else:
            if g.get("type") and e.type != g["type"]:
                problems.append(f"type {e.type}")
            if g.get("role") and (e.role or "").lower() != g["role"]:
                problems.append(f"role {e.role}")
            if g.get("affiliation") and keys.get(e.affiliation or "") != g["affiliation"]:
                problems.append(f"affiliation {keys.get(e.affiliation or '')}")
        if problems:
            s.errors.append(f"actor {g['key']}: " + ", ".join(problems))
        else:
            s.tp_recall += 1
    gold_keys = {g["key"] for g in gold}
    s.tp_precision = sum(1 for e in doc.entities if e.type != "Publisher" and e.key in gold_keys)
    return s


def _events(doc: FactsDocument, gold: list[dict], body: str | None = None) -> Score:
    """An event of the annotated type whose evidence overlaps the annotated phrase in the body
    (evidence is a few words around the trigger), or, without the body, contains the phrase."""
    s = Score(gold=len(gold), returned=len(doc.events))
    good: set[str] = set()
    for g in gold:
        phrase = norm(g["phrase"])
        where = [(m.start(), m.end()) for m in re.finditer(re.escape(g["phrase"]), body)] if body else []

        def hit(sp) -> bool:
            if where:
                return any(sp.start < b and a < sp.end for a, b in where)
            return phrase in norm(sp.text)

        ok = [ev for ev in doc.events if ev.type == g["type"] and any(hit(sp) for sp in [ev.span, *ev.mentions])]
        if ok:
            s.tp_recall += 1
            good.update(ev.id for ev in ok)
        else:
            s.errors.append(f"event {g['type']} '{g['phrase']}': not found")
    s.tp_precision = len(good)
    return s


def _deployments(doc: FactsDocument, gold: list[dict], keys: dict[str, str], pkeys: dict[str, str]) -> Score:
    deps = [ev for ev in doc.events if ev.type == "Deployment"]
    s = Score(gold=len(gold), returned=len(deps))
    good: set[str] = set()
    for g in gold:
        ok = []
        for ev in deps:
            if ev.force is None or keys[ev.force] != g["force"]:
                continue
            if g.get("size") and ev.size != g["size"]:
                continue
            if g.get("place_any") and pkeys.get(ev.place or "") not in g["place_any"]:
                continue
            if not set(g.get("confirmed_by", [])) <= {keys[c] for c in ev.confirmed_by}:
                continue
            ok.append(ev)
        if ok:
            s.tp_recall += 1
            good.update(ev.id for ev in ok)
        else:
            s.errors.append(f"deployment of {g['force']}: " + ("; ".join(
                f"got force {keys.get(ev.force or '')} size {ev.size} place {pkeys.get(ev.place or '')} confirmed by "
                f"{sorted(keys[c] for c in ev.confirmed_by)}" for ev in deps) or "not found"))
    s.tp_precision = len(good)
    return s


def load_annotations(folder: Path) -> list[dict]:
    files = sorted(p for p in Path(folder).glob("*.json") if p.name != "floors.json")
    if not files:
        raise FileNotFoundError(f"{folder}: no annotation files (*.json)")
    out = []
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{f}: not valid JSON: {exc}") from None
        if "article" not in data:
            raise ValueError(f"{f}: an annotation needs an 'article' field (the article id)")
        data["_file"] = str(f)
        out.append(data)
    return out


def evaluate_corpus(annotations: list[dict], corpus: Path) -> tuple[dict[str, Score], dict[str, dict[str, Score]]]:
    """Extract every annotated article from ``corpus`` and score it. Returns totals and per-article scores."""
    from .article import read_article
    from .extract.pipeline import extract

    totals = {a: Score() for a in AREAS}
    per: dict[str, dict[str, Score]] = {}
    for gold in annotations:
        matches = [p for p in sorted(Path(corpus).iterdir()) if p.stem == gold["article"]]
        if not matches:
            raise FileNotFoundError(f"{gold['_file']}: article {gold['article']!r} not found in {corpus}")
        art = read_article(matches[0])
        doc = extract(art)
        scores = evaluate(doc, gold, art.body)
        per[gold["article"]] = scores
        for a in AREAS:
            totals[a].add(scores[a])
    return totals, per


def format_table(totals: dict[str, Score], floors: dict | None = None) -> tuple[str, bool]:
    lines = [f"{'area':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>5} {'returned':>8}  notes"]
    ok = True
    for a in AREAS:
        s = totals[a]
        note = ""
        if a == "statements" and s.returned:
            note = f"misattributed {s.wrong}/{s.returned} = {s.wrong / s.returned:.1%}"
        if a == "places":
            note = f"wrong same-name places {s.wrong}"
        if floors and a in floors:
            f = floors[a]
            below = [m for m in ("precision", "recall") if getattr(s, m) + 1e-9 < f.get(m, 0)]
            if below:
                ok = False
                note += f"  BELOW FLOOR ({', '.join(f'{m} {f[m]:.2f}' for m in below)})"
        lines.append(f"{a:<12} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.gold:>5} {s.returned:>8}  {note}")
    return "\n".join(lines), ok


def evaluate_dir(annotations: Path, *, corpus: Path, floors: bool = False) -> tuple[str, bool]:
    golds = load_annotations(annotations)
    totals, per = evaluate_corpus(golds, corpus)
    floor_data = None
    ffile = Path(annotations) / "floors.json"
    if floors and ffile.is_file():
        floor_data = json.loads(ffile.read_text())
    table, ok = format_table(totals, floor_data)
    errors = [f"  {art}: {e}" for art, scores in per.items() for a in AREAS for e in scores[a].errors]
    text = f"{len(golds)} annotated articles\n{table}"
    if errors:
        text += "\n\nmisses and extras:\n" + "\n".join(errors)
    return text, ok
