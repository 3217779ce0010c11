"""Scoring extraction against hand annotations (``tests/annotations/<split>/*.json``).

The annotation format and the scoring rules are documented in ``docs/annotations.md``. Two
splits: ``train`` annotates ``../shared/corpus`` (rules may be written from it) and ``dev``
annotates ``../shared/corpus-dev`` blind (never tuned on): **the dev figure is the one to quote.**

Areas and what counts as right:

* ``statements``: a returned (attributed) statement whose text contains the phrase, with the
  annotated speakers, ``direct`` flag and (when annotated) date. A returned statement that contains
  an annotated phrase but names another speaker is *misattributed*.
* ``claims``: value (or range) and unit, with the annotated claimant (a document's author stands
  for a ``Document`` claimant, as for speakers) (and qualifier and measure when annotated); claims
  of one ``group`` share a kind and claims of different groups do not.
* ``places``: a place mentioned by that name, with the annotated key, container and coordinates; a
  place with that name but another key is a *wrong same-name place*.
* ``actors``: an entity found by key or by name, with the annotated type, role, affiliation, country.
* ``events``: an event of the annotated type whose evidence overlaps the phrase (or a mention), with
  the date and the place or a participant when annotated; one returned event per annotated event.
* ``deployments``: force, size, and every annotated confirmer.

Precision is over what the extractor returned in that area; recall over the annotations.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .annotations import Annotation, GoldActor, GoldEvent, GoldStatement, load_split
from .facts import Entity, FactsDocument

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
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).lower()
    t = t.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", t).strip()


def _bare(name: str) -> str:
    """A name without a leading article or trailing possessive ("the Kremlin's" -> "kremlin")."""
    return re.sub(r"^(the|a|an) |'s?$", "", norm(name))


def _occurrences(phrase: str, body: str) -> list[tuple[int, int]]:
    """Where ``phrase`` occurs in ``body`` (quotes and white space folded)."""
    pattern = r"\s+".join(re.escape(w) for w in _squash(phrase).split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, _squash(body))]


def _squash(text: str) -> str:
    # one-for-one replacements only: offsets into the result are offsets into the body
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def _date_ok(got: str | None, gold: str | None) -> bool:
    """Right when equal to the annotated date or finer and inside it (2024-07-31 within 2024-07)."""
    return gold is None or (got is not None and (got == gold or got.startswith(gold + "-")))


class _Matcher:
    """Resolves an annotation's actor references to the extracted entities they name."""

    def __init__(self, doc: FactsDocument, ann: Annotation, body: str | None):
        self.doc, self.ann, self.body = doc, ann, body
        self.by_key: dict[str, list[Entity]] = {}
        for e in doc.entities:
            self.by_key.setdefault(e.key, []).append(e)
        self._cache: dict[str, set[str]] = {}

    def ids(self, ref: str) -> set[str]:
        """Local ids of the extracted entities that ``ref`` names."""
        if ref not in self._cache:
            self._cache[ref] = self._resolve(ref)
        return self._cache[ref]

    def _resolve(self, ref: str) -> set[str]:
        if ref == "publisher":
            return {e.id for e in self.doc.entities if e.type == "Publisher"}
        gold = self.ann.actor(ref)
        if gold is None:
            return {e.id for e in self.by_key.get(ref, [])}
        if gold.key and gold.key in self.by_key:
            return {e.id for e in self.by_key[gold.key]}
        return self._by_name(gold) if gold.name else set()

    def _by_name(self, gold: GoldActor) -> set[str]:
        want = _bare(gold.name or "")
        where = _occurrences(gold.name or "", self.body) if self.body else []
        found: list[Entity] = []
        for e in self.doc.entities:
            if e.type == "Publisher" and gold.type != "Publisher":
                continue
            if want and want in {_bare(n) for n in [e.name, *e.aliases]}:
                found.append(e)
            elif any((m.start <= a and b <= m.end) or (a <= m.start and m.end <= b)
                     for m in e.mentions for a, b in where):
                found.append(e)
        # a name may contain another actor's ("the ministry's statement"): prefer the annotated type
        typed = [e for e in found if e.type == gold.type]
        return {e.id for e in (typed or found)}

    def speakers_ok(self, got: list[str], gold: GoldStatement) -> bool:
        """Every annotated speaker is among the returned ones and every returned one is annotated
        (a document's author stands for a ``Document`` speaker, and the document for its author)."""
        allowed = [self._speaker_ids(r) for r in gold.speakers]
        return (all(ids & set(got) for ids in allowed)
                and all(any(g in ids for ids in allowed) for g in got))

    def _speaker_ids(self, ref: str) -> set[str]:
        ids = set(self.ids(ref))
        gold = self.ann.actor(ref)
        if gold is not None and gold.type == "Document" and gold.affiliation:
            ids |= self.ids(gold.affiliation)
        return ids


def _speakers(st) -> list[str]:
    return [s for s in [st.speaker, *getattr(st, "co_speakers", [])] if s]


def evaluate(doc: FactsDocument, gold: Annotation | dict, body: str | None = None) -> dict[str, Score]:
    """Score one facts document against one annotation (``body``: the article body, with which
    names, events and actors are matched by where the article writes them)."""
    ann = gold if isinstance(gold, Annotation) else Annotation.model_validate({"article": doc.article.id, **gold})
    m = _Matcher(doc, ann, body)
    return {
        "statements": _statements(doc, ann, m),
        "claims": _claims(doc, ann, m),
        "places": _places(doc, ann),
        "actors": _actors(doc, ann, m),
        "events": _events(doc, ann, m, body),
        "deployments": _deployments(doc, ann, m),
    }


def _label(doc: FactsDocument, ids: list[str]) -> str:
    by_id = {e.id: e for e in doc.entities}
    return "+".join(by_id[i].key for i in ids if i in by_id) or "none"


def _statements(doc: FactsDocument, ann: Annotation, m: _Matcher) -> Score:
    golds = [g for g in ann.statements if g.speakers]
    s = Score(gold=len(golds))
    returned = [st for st in doc.statements if st.speaker]
    s.returned = len(returned)
    good: set[str] = set()
    for g in ann.statements:
        phrase = norm(g.phrase)
        hits = [st for st in returned if phrase in norm(st.text)]
        right_speaker = [st for st in hits if g.speakers and m.speakers_ok(_speakers(st), g)]
        s.wrong += len(hits) - len(right_speaker)
        if not g.speakers:
            for st in hits:
                s.errors.append(f"statement '{g.phrase}' has no speaker in the text: got {_label(doc, _speakers(st))}")
            continue
        ok = [st for st in right_speaker if (g.direct is None or st.direct == g.direct)
              and _date_ok(_stated(st, doc), g.date)]
        if ok:
            s.tp_recall += 1
            good.update(st.id for st in ok)
            continue
        why = "; ".join(f"got speaker {_label(doc, _speakers(st))} direct={st.direct} date={_stated(st, doc)}"
                        for st in hits)
        if not why:
            found = [st for st in doc.statements if phrase in norm(st.text)]
            why = "found without a speaker (" + "; ".join(st.speaker_note or "no note" for st in found) + ")" \
                if found else "not found"
        s.errors.append(f"statement '{g.phrase}' ({'+'.join(g.speakers)}): {why}")
    s.tp_precision = len(good)
    matched = {st.id for st in returned for g in ann.statements if norm(g.phrase) in norm(st.text)}
    for st in returned:
        if st.id not in matched:
            s.errors.append(f"extra statement by {_label(doc, _speakers(st))}: '{st.text[:50]}'")
    return s


def _stated(st, doc: FactsDocument) -> str | None:
    if st.date and st.date.value:
        return st.date.value
    return doc.article.date


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _claim_value_ok(c, g) -> bool:
    high = getattr(c, "max_value", None)
    if g.value is not None:
        return _same(c.value, g.value) and (high is None or _same(high, g.value))
    return _same(c.value, g.min) and _same(high, g.max)


def _claims(doc: FactsDocument, ann: Annotation, m: _Matcher) -> Score:
    s = Score(gold=len(ann.claims))
    returned = [c for c in doc.claims if c.claimant]
    s.returned = len(returned)
    used: dict[str, int] = {}  # claim id -> index of the gold claim it matched
    for i, g in enumerate(ann.claims):
        cands = [c for c in returned if _claim_value_ok(c, g) and c.unit == g.unit and c.id not in used]
        # as for speakers, a document's author stands for a Document claimant ("a report by X")
        ok = [c for c in cands if c.claimant in m._speaker_ids(g.claimant)
              and (g.qualifier is None or c.qualifier == g.qualifier)
              and (g.measure is None or getattr(c, "measure", g.measure) == g.measure)]
        what = (f"claim {g.value if g.value is not None else f'{g.min}-{g.max}'} {g.unit} ({g.claimant}"
                + (f", {g.qualifier}" if g.qualifier else "") + (f", {g.measure}" if g.measure else "") + ")")
        if ok:
            used[ok[0].id] = i
        else:
            why = "not found" if not cands else "; ".join(
                f"got claimant {_label(doc, [c.claimant])} qualifier {c.qualifier} measure {getattr(c, 'measure', None)}"
                for c in cands)
            s.errors.append(f"{what}: {why}")
    kind_of = {c.id: c.kind for c in returned}
    by_gold = {i: cid for cid, i in used.items()}
    for i, cid in sorted(by_gold.items()):
        g = ann.claims[i]
        clash = [j for j, other in by_gold.items() if j != i and g.group and ann.claims[j].group
                 and (ann.claims[j].group == g.group) != (kind_of[other] == kind_of[cid])]
        if clash:
            j = clash[0]
            rel = "same quantity, different kinds" if ann.claims[j].group == g.group else "different quantities, one kind"
            s.errors.append(f"claim {g.value or (g.min, g.max)} {g.unit} (group {g.group}) and group "
                            f"{ann.claims[j].group}: {rel} ({kind_of[cid]})")
            continue
        s.tp_recall += 1
    s.tp_precision = s.tp_recall
    return s


def _places(doc: FactsDocument, ann: Annotation) -> Score:
    s = Score(gold=len(ann.places))
    mentioned = [p for p in doc.places if p.mentions]
    s.returned = len(mentioned)
    by_id = {p.id: p for p in doc.places}
    good: set[str] = set()
    for g in ann.places:
        name = norm(g.name)
        # the whole mention must be the name ("Kherson region" is not a mention of Kherson city)
        hits = [p for p in mentioned if any(_names(norm(mm.text), name) for mm in p.mentions)
                or _names(norm(p.name), name) or name in {norm(a) for a in p.aliases}]
        if g.key:
            right = [p for p in hits if p.key == g.key]
            s.wrong += sum(1 for p in hits if p.key != g.key and norm(p.name) == name)
        else:
            right = hits
        ok = []
        for p in right:
            chain, cur = [], p
            while cur.within:
                cur = by_id[cur.within]
                chain.append(cur.key)
            if g.within and g.within not in chain:
                continue
            if g.country and f"country/{g.country}" not in chain + [p.key]:
                continue  # (a place that is the country itself is within it)
            if g.coordinates is not False and (p.lat is None or p.long is None):
                continue
            ok.append(p)
        if ok:
            s.tp_recall += 1
            good.update(p.id for p in ok)
        else:
            s.errors.append(f"place {g.name}: " + ("not found" if not hits else "; ".join(
                f"got {p.key} within {by_id[p.within].key if p.within else None} "
                f"coordinates {p.lat is not None}" for p in hits)))
    s.tp_precision = len(good)
    s.errors += [f"extra place {p.name} ({p.key})" for p in mentioned if p.id not in good]
    return s


_REGION_WORDS = re.compile(r"^(the )?(.+?)( (region|oblast|province|governorate|state))?$")


def _names(mention: str, name: str) -> bool:
    """The mention names the place: exactly, or with a region word ("Kursk region" for Kursk)."""
    mm = _REGION_WORDS.match(mention)
    return mention == name or (mm is not None and mm.group(2) == name)


def _role_ok(got: str | None, gold: str | None) -> bool:
    if not gold:
        return True
    a, b = (re.sub(r"[-\s]+", " ", norm(x or "")) for x in (got, gold))
    return bool(a) and (a == b or f" {b} " in f" {a} " or f" {a} " in f" {b} ")


def _actors(doc: FactsDocument, ann: Annotation, m: _Matcher) -> Score:
    golds = [g for g in ann.actors if g.type != "Publisher"]
    s = Score(gold=len(golds))
    by_id = {e.id: e for e in doc.entities}
    s.returned = sum(1 for e in doc.entities if e.type != "Publisher")
    matched: set[str] = set()
    for g in golds:
        cands = [by_id[i] for i in sorted(m.ids(g.ref))]
        matched.update(e.id for e in cands)
        problems = ["not found"] if not cands else []
        best = None
        for e in cands:
            p = []
            if g.type and e.type != g.type:
                p.append(f"type {e.type}")
            if not _role_ok(e.role, g.role):
                p.append(f"role {e.role}")
            if g.affiliation and e.affiliation not in m.ids(g.affiliation):
                p.append(f"affiliation {by_id[e.affiliation].key if e.affiliation else None}")
            if g.country and e.country != g.country:
                p.append(f"country {e.country}")
            if best is None or len(p) < len(best):
                best = p
        problems = problems or best or []
        if problems:
            s.errors.append(f"actor {g.key or g.name}: " + ", ".join(problems))
        else:
            s.tp_recall += 1
    for _where, ref in ann.refs():  # a global key of an actor not listed names it too
        if ref != "publisher" and ann.actor(ref) is None:
            matched.update(e.id for e in m.by_key.get(ref, []))
    s.tp_precision = sum(1 for e in doc.entities if e.type != "Publisher" and e.id in matched)
    return s


def _place_chain(doc: FactsDocument, pid: str | None) -> list[str]:
    by_id = {p.id: p for p in doc.places}
    out: list[str] = []
    while pid:
        p = by_id[pid]
        out.append(p.key)
        pid = p.within
    return out


def _event_where(g: GoldEvent, body: str | None) -> list[tuple[int, int]]:
    return [w for phrase in [g.phrase, *g.mentions] for w in (_occurrences(phrase, body) if body else [])]


def _events(doc: FactsDocument, ann: Annotation, m: _Matcher, body: str | None) -> Score:
    s = Score(gold=len(ann.events), returned=len(doc.events))
    taken: set[str] = set()
    for g in ann.events:
        where = _event_where(g, body)
        phrases = [norm(p) for p in [g.phrase, *g.mentions]]

        def hit(sp) -> bool:
            if where:
                return any(sp.start < b and a < sp.end for a, b in where)
            return any(p in norm(sp.text) for p in phrases)

        cands = [ev for ev in doc.events if ev.type == g.type and any(hit(sp) for sp in [ev.span, *ev.mentions])]
        ok = [ev for ev in cands if _event_ok(doc, ev, g, m)]
        free = [ev for ev in ok if ev.id not in taken]
        if free:
            s.tp_recall += 1
            taken.add(free[0].id)
        else:
            why = "not found" if not cands else "; ".join(
                f"got place {(_place_chain(doc, ev.place) or [None])[0]} date "
                f"{ev.date.value if ev.date else None} participants {_label(doc, ev.participants)}" for ev in cands)
            s.errors.append(f"event {g.type} '{g.phrase}': {why}")
    s.tp_precision = len(taken)
    for ev in doc.events:
        if ev.id not in taken:
            s.errors.append(f"extra or duplicate event {ev.type} '{ev.span.text[:60]}'")
    return s


def _event_ok(doc: FactsDocument, ev, g: GoldEvent, m: _Matcher) -> bool:
    if not _date_ok(ev.date.value if ev.date else None, g.date):
        return False
    if not (g.place or g.participants):
        return True
    chain = _place_chain(doc, ev.place)
    if g.place and g.place in chain:
        return True  # the annotated place or a place inside it
    if g.place and ev.place and any(p.key == g.place and chain[0] in _place_chain(doc, p.id)
                                    for p in doc.places):
        return True  # a container of the annotated place
    roles = {*ev.participants, *([ev.force] if ev.force else [])}
    return any(roles & m.ids(r) for r in g.participants)


def _deployments(doc: FactsDocument, ann: Annotation, m: _Matcher) -> Score:
    deps = [ev for ev in doc.events if ev.type == "Deployment"]
    s = Score(gold=len(ann.deployments), returned=len(deps))
    pkeys = {p.id: p.key for p in doc.places}
    good: set[str] = set()
    for g in ann.deployments:
        ok = []
        for ev in deps:
            if ev.force is None or ev.force not in m.ids(g.force):
                continue
            if g.size and ev.size != g.size:
                continue
            if g.place_any and pkeys.get(ev.place or "") not in g.place_any:
                continue
            if not all(set(ev.confirmed_by) & m.ids(c) for c in g.confirmed_by):
                continue
            ok.append(ev)
        if ok:
            s.tp_recall += 1
            good.update(ev.id for ev in ok)
        else:
            s.errors.append(f"deployment of {g.force}: " + ("; ".join(
                f"got force {_label(doc, [ev.force] if ev.force else [])} size {ev.size} place "
                f"{pkeys.get(ev.place or '')} confirmed by {_label(doc, ev.confirmed_by)}" for ev in deps)
                or "not found"))
    s.tp_precision = len(good)
    return s


# --------------------------------------------------------------------------- corpora and splits


def splits_of(split: str) -> tuple[str, ...]:
    """``all`` is both splits; otherwise the one named."""
    return ("train", "dev") if split == "all" else (split,)


def article_path(corpus: Path, article: str) -> Path:
    matches = [p for p in sorted(Path(corpus).iterdir()) if p.stem == article]
    if not matches:
        raise FileNotFoundError(f"article {article!r} not found in {corpus}")
    return matches[0]


def evaluate_corpus(annotations: list[Annotation], corpus: Path) -> tuple[dict[str, Score], dict[str, dict[str, Score]]]:
    """Extract every annotated article from ``corpus`` and score it. Returns totals and per-article scores."""
    from .article import read_article
    from .extract.pipeline import extract

    totals = {a: Score() for a in AREAS}
    per: dict[str, dict[str, Score]] = {}
    for ann in annotations:
        try:
            art = read_article(article_path(corpus, ann.article))
        except FileNotFoundError as exc:
            raise FileNotFoundError(f"{ann.file}: {exc}") from None
        doc = extract(art)
        scores = evaluate(doc, ann, art.body)
        per[ann.article] = scores
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
            below = [k for k in ("precision", "recall") if getattr(s, k) + 1e-9 < f.get(k, 0)]
            if below:
                ok = False
                note += f"  BELOW FLOOR ({', '.join(f'{k} {f[k]:.2f}' for k in below)})"
        lines.append(f"{a:<12} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.gold:>5} {s.returned:>8}  {note}")
    return "\n".join(lines), ok


@dataclass
class SplitResult:
    split: str
    articles: int
    totals: dict[str, Score]
    per: dict[str, dict[str, Score]]


def evaluate_split(root: Path, split: str) -> SplitResult:
    """Score the annotations of one split against its corpus (``resources.default_corpus``)."""
    from .resources import default_corpus

    anns = load_split(root, split)
    totals, per = evaluate_corpus(anns, default_corpus(split))
    return SplitResult(split, len(anns), totals, per)


def evaluate_dir(annotations: Path, *, split: str = "all", floors: bool = False) -> tuple[str, bool]:
    """The table of each split (and of both together for ``all``), then the misses; with
    ``floors``, ``ok`` is False when a score is below its floor in ``floors.json``."""
    ffile = Path(annotations) / "floors.json"
    floor_data = json.loads(ffile.read_text()) if floors and ffile.is_file() else {}
    results = [evaluate_split(annotations, sp) for sp in splits_of(split)]
    parts, ok = [], True
    for r in results:
        table, good = format_table(r.totals, floor_data.get(r.split))
        ok &= good
        note = " (blind annotations: the figure to quote)" if r.split == "dev" else " (rules were written from it)"
        parts.append(f"{r.split}: {r.articles} annotated articles{note}\n{table}")
    if len(results) > 1:
        both = {a: Score() for a in AREAS}
        for r in results:
            for a in AREAS:
                both[a].add(r.totals[a])
        parts.append(f"all: {sum(r.articles for r in results)} annotated articles\n{format_table(both)[0]}")
    errors = [f"  {r.split} {art}: {e}" for r in results for art, scores in r.per.items()
              for a in AREAS for e in scores[a].errors]
    text = "\n\n".join(parts)
    if errors:
        text += "\n\nmisses and extras:\n" + "\n".join(errors)
    return text, ok


def check_dir(root: Path, split: str = "all") -> list[str]:
    """Every problem of the annotation files of ``split`` (docs/annotations.md), checked against
    their articles' bodies; no extraction is run."""
    from .annotations import check
    from .article import read_article
    from .resources import default_corpus

    problems: list[str] = []
    for sp in splits_of(split):
        for ann in load_split(root, sp):
            if ann.split not in (None, sp):
                problems.append(f"{ann.file}: split {ann.split!r} in a {sp} folder")
            try:
                body = read_article(article_path(default_corpus(sp), ann.article)).body
            except FileNotFoundError as exc:
                problems.append(f"{ann.file}: {exc}")
                continue
            problems += [f"{ann.file}: {p}" for p in check(ann, body)]
    return problems
