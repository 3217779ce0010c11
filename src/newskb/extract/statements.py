"""Extraction step: statements — direct quotes and reported speech, with speaker, cue and date.

Rules (each statement's ``rule`` names the one that made it):

* ``reported:<cue>-that`` / ``reported:<cue>`` — a speech verb (say, tell, warn, confirm, add,
  note, point out, report, claim …) with a clause complement ("X said on Monday that …",
  "…, the analysts said") or, for verbs such as confirm, deny, plead, urge, call on, an object
  complement ("Nato has confirmed North Korea's troop deployment …"). ``text`` is the reported
  clause.
* ``reported:according-to`` — "…, according to X" / "According to X, …".
* ``direct-quote:after-verb`` — "“…,” Rutte said" / "“…,” said X";
  ``direct-quote:before-verb`` — "X said: “…”"; ``direct-quote:in-reported`` — a partial quote
  inside reported speech ("described the development as a “…”"); ``direct-quote:continuation`` —
  a quote that goes on after "he said", or a paragraph that is only a quote following one.
  Quotes of one or two words inside reported speech stay part of the reported clause.

Speakers: the subject of the speech verb (inherited by participles: "…, adding: “…”"), resolved
to an entity by :func:`newskb.extract.actors.resolve_phrase`; relative "who" to its noun; "he"/"she"
to the most recent person who was a speaker or a subject; "it" / "they" to the most recent
organisation or group speaker nearby; a bare title ("the foreign minister") to the one person of
the article holding it. When none of these is safe the speaker is None and ``speaker_note`` says
why. Dates come from :func:`newskb.extract.dates.find_date` on the attribution (not the content).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..facts import Statement
from . import actors as _actors
from .context import ExtractionContext
from .dates import find_date

SPEECH = {
    "say", "tell", "warn", "confirm", "add", "note", "point", "report", "describe", "claim",
    "announce", "state", "insist", "accuse", "deny", "acknowledge", "suggest", "urge", "stress",
    "vow", "plead", "disclose", "reiterate", "caution", "highlight", "maintain", "repeat",
    "argue", "write", "tweet", "declare", "admit", "explain", "complain", "emphasise",
    "emphasize", "predict", "promise", "assert", "allege", "echo", "call", "dismiss", "estimate",
    "reveal", "respond", "reply", "demand", "pledge", "condemn", "denounce", "recall", "speak",
    "mock", "blame", "quote",
}
# verbs whose content may be an object or a prepositional phrase rather than a clause
OBJECT_OK = {"confirm", "deny", "plead", "urge", "call", "announce", "warn", "demand", "pledge",
             "condemn", "denounce", "accuse", "dismiss", "describe", "vow", "reiterate", "repeat",
             "mock", "blame", "acknowledge", "admit", "disclose", "reveal", "stress", "highlight"}
PREP_CONTENT = {"plead": {"with", "for"}, "call": {"on", "for"}, "warn": {"of", "against", "about"},
                "describe": {"as"}, "dismiss": {"as"}, "accuse": {"of"}, "blame": {"for"},
                "urge": {"to"}}
QUOTE_PAIRS = [("“", "”"), ('"', '"')]
_QUOTE_CHARS = "“”\"‘’"


@dataclass
class Quote:
    open: int  # offset of the opening mark
    close: int  # offset just after the closing mark (or paragraph end when unclosed)
    start: int  # inner text
    end: int
    closed: bool = True


@dataclass
class Attribution:
    verb: object | None  # spaCy token or None ("according to")
    cue: str
    subj_start: int | None
    subj_end: int | None
    head: int | None  # char offset of the subject's head token
    content: tuple[int, int] | None
    content_before: bool = False
    date_region: tuple[int, int] | None = None
    subj_token: object | None = None
    rule: str = ""
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- quotes


def find_quotes(body: str) -> list[Quote]:
    """Quotations: curly or straight double quotes within a paragraph; a quote left open at the
    end of a paragraph runs to the paragraph's end (the next paragraph reopens it)."""
    out: list[Quote] = []
    pos = 0
    for para in body.split("\n"):
        pstart = pos
        pos += len(para) + 1
        i = 0
        while i < len(para):
            ch = para[i]
            if ch == "“" or ch == '"':
                closer = "”" if ch == "“" else '"'
                j = para.find(closer, i + 1)
                if ch == "“":
                    k = para.find("“", i + 1)
                    if 0 <= k < j or j < 0:
                        # unclosed (paragraph continues the quote) or nested reopen
                        if j < 0 and k < 0:
                            s, e = _trim(para, i + 1, len(para))
                            if e - s > 0:
                                out.append(Quote(pstart + i, pstart + len(para), pstart + s, pstart + e, closed=False))
                            break
                        if j < 0:
                            i = k
                            continue
                if j < 0:
                    break
                s, e = _trim(para, i + 1, j)
                if e > s:
                    out.append(Quote(pstart + i, pstart + j + 1, pstart + s, pstart + e))
                i = j + 1
                continue
            i += 1
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
        e -= 1
    return s, e


_DATELINE = re.compile(r"^[A-Z][A-Z .,'/-]{2,60}(?:,\s*[A-Z][a-z]+)?(?:,?\s*[A-Z][a-z]{2,4}\.? \d{1,2})?\s*(?:\([A-Za-z]+\))?\s*[—–-]\s*")


def _trim_content(body: str, s: int, e: int) -> tuple[int, int]:
    m = _DATELINE.match(body[s:e])
    if m:
        s += m.end()
    while s < e and (body[s].isspace() or body[s] in ",;:—–-"):
        s += 1
    while e > s and (body[e - 1].isspace() or body[e - 1] in ",;:.—–-"):
        e -= 1
    # a content that opens with a quote mark but does not close it: drop the lone mark
    if s < e and body[s] in "“\"" and body.count(body[s] if body[s] == '"' else "”", s + 1, e) == 0:
        s += 1
    if s < e and body[e - 1] in "”\"" and body.count("“" if body[e - 1] == "”" else '"', s, e - 1) == 0:
        e -= 1
    return s, e


# --------------------------------------------------------------------------- attributions

def _is_time(tok) -> bool:
    text = " ".join(t.text for t in tok.subtree)
    return tok.ent_type_ in ("DATE", "TIME") or bool(re.search(
        r"(?i)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|year|weekend|overnight|yesterday|today|earlier|later|previously)\b",
        text)) and len(text) < 40


def _subject(verb):
    """(subject token, inherited?) for a speech verb."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            if c.dep_ == "nsubjpass" and verb.lemma_ not in ("quote",):
                # "That figure was echoed by X": the agent speaks
                for a in verb.children:
                    if a.dep_ == "agent":
                        for p in a.children:
                            if p.dep_ == "pobj":
                                return p, False
                if verb.lemma_ != "quote":
                    continue
            return c, False
    # participles and conjoined verbs inherit the subject of the verb they hang on
    t = verb
    for _ in range(4):
        if t.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "prep", "acl") or t.head is t:
            break
        t = t.head
        if t.pos_ in ("VERB", "AUX") and not (t.lemma_ in SPEECH or t.dep_ == "ROOT"):
            break
        for c in t.children:
            if c.dep_ == "nsubj" or (c.dep_ == "nsubjpass" and t.lemma_ == "quote"):
                return c, True
    return None, False


def _span_of(tok) -> tuple[int, int]:
    toks = list(tok.subtree)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _content(verb, body: str) -> tuple[tuple[int, int] | None, bool]:
    lemma = verb.lemma_
    ccomps = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.dep_ != "parataxis"]
    right = [c for c in ccomps if c.i > verb.i]
    left = [c for c in ccomps if c.i < verb.i]
    if right:
        c = right[0]
        toks = list(c.subtree)
        while toks and (toks[0].dep_ == "mark" and toks[0].lower_ == "that" or toks[0].is_punct):
            toks = toks[1:]
        if not toks:
            return None, False
        return (toks[0].idx, toks[-1].idx + len(toks[-1].text)), False
    if left:
        c = left[-1]
        s, e = _span_of(c)
        return (s, e), True
    if lemma not in OBJECT_OK:
        return None, False
    kids = []
    has_obj = any(c.dep_ in ("dobj", "xcomp", "attr", "oprd") or (c.dep_ == "prep" and c.lower_ in PREP_CONTENT.get(lemma, set()))
                  for c in verb.children if c.i > verb.i)
    if not has_obj:
        return None, False
    for c in verb.children:
        if c.i < verb.i or c.dep_ in ("punct", "cc", "conj", "npadvmod", "advmod", "prt", "dative", "aux", "neg", "nsubj", "nsubjpass"):
            continue
        if c.dep_ in ("dobj", "xcomp", "attr", "oprd"):
            if _is_time(c) and c.dep_ != "xcomp":
                continue
            kids.append(c)
        elif c.dep_ == "prep":
            if c.lower_ in PREP_CONTENT.get(lemma, set()) or (
                    c.lower_ in ("to", "of", "for", "with", "against", "into", "from") and not _is_time(c)):
                kids.append(c)
        elif c.dep_ == "advcl":
            first = list(c.subtree)[0]
            if first.lower_ == "to" or c.tag_ == "VB":
                kids.append(c)
    if not kids:
        return None, False
    s = min(_span_of(k)[0] for k in kids)
    e = max(_span_of(k)[1] for k in kids)
    return (s, e), False


def _attributions(ctx: ExtractionContext, quotes: list[Quote]) -> list[Attribution]:
    body = ctx.body
    out: list[Attribution] = []

    def in_quote(off: int) -> bool:
        return any(q.start <= off < q.end for q in quotes)

    for tok in ctx.doc:
        if tok.lemma_ not in SPEECH or tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBN", "VBG", "VBP", "VB"):
            continue
        if in_quote(tok.idx) or ctx.article.is_furniture(tok.idx, tok.idx + len(tok.text)):
            continue
        lemma = tok.lemma_
        if lemma == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children):
            continue
        if lemma == "call" and not any(c.dep_ == "prep" and c.lower_ in ("on", "for") for c in tok.children) \
                and not any(c.dep_ in ("oprd", "ccomp") for c in tok.children):
            continue
        if lemma == "speak" and not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
            continue
        if tok.dep_ == "amod" or (tok.dep_ == "acl" and tok.tag_ == "VBN"):
            continue  # "the so-called", "a report said to …"
        if any(c.lower_ == "what" for c in tok.children) or (
                tok.dep_ == "relcl" and not any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "which") for c in tok.children)):
            continue  # "what Russia calls …", "the policy that rebels say …": no statement of its own
        subj, inherited = _subject(tok)
        content, before = _content(tok, body)
        if content is not None:
            lo = max(tok.sent.start_char, body.rfind("\n", 0, tok.idx) + 1)
            hi_nl = body.find("\n", tok.idx)
            hi = min(tok.sent.end_char, hi_nl if hi_nl >= 0 else len(body))
            cs, ce = max(content[0], lo), min(content[1], hi)
            content = (cs, ce) if ce > cs else None
        a = Attribution(verb=tok, cue="point out" if lemma == "point" else lemma, subj_start=None, subj_end=None,
                        head=None, content=content, content_before=before, subj_token=subj)
        if subj is not None:
            s, e = _span_of(subj)
            if subj.lower_ in ("who", "which", "that") and tok.dep_ == "relcl":
                noun = tok.head
                s, e = _span_of(noun)
                # the noun's own subtree includes the relative clause: cut it at the clause
                rel_start = list(tok.subtree)[0].idx
                e = min(e, rel_start)
                a.subj_token = noun
            # never across a paragraph (a headline or furniture line above the sentence)
            ps = body.rfind("\n", 0, a.subj_token.idx) + 1
            pe = body.find("\n", a.subj_token.idx)
            pe = len(body) if pe < 0 else pe
            s, e = max(s, ps), min(e, pe)
            a.subj_start, a.subj_end = s, e
            a.head = a.subj_token.idx
            a.extra["inherited"] = inherited
        # date region: the attribution around the verb, outside its content
        sent = tok.sent
        if content and not before:
            lo = min(a.subj_start if a.subj_start is not None and not inherited else tok.idx, tok.idx)
            a.date_region = (lo, content[0])
        else:
            hi = sent.end_char
            nxt = [q.open for q in quotes if q.open > tok.idx]
            if nxt:
                hi = min(hi, min(nxt))
            a.date_region = (tok.idx, hi)
        out.append(a)
    # "according to X"
    for m in re.finditer(r"\b[Aa]ccording to\s+", body):
        s = m.end()
        if in_quote(m.start()) or ctx.article.is_furniture(m.start(), m.end()):
            continue
        para_end = body.find("\n", s)
        para_end = len(body) if para_end < 0 else para_end
        mm = re.match(r"[^,.;:“”\"(]+?(?=\s*(?:[,.;:“”\"(]|\s+(?:which|who|that|amid|after|as|at the time)\b|$))", body[s:para_end])
        if not mm:
            continue
        e = s + len(mm.group(0))
        sent = next((st for st in ctx.doc.sents if st.start_char <= m.start() < st.end_char), None)
        if sent is None:
            continue
        para_lo = body.rfind("\n", 0, m.start()) + 1
        lo, hi = max(sent.start_char, para_lo), min(sent.end_char, para_end)
        if m.start() - lo < 3 or body[lo:m.start()].strip() in ("", "“", '"'):
            c = (e, hi)
        else:
            c = (lo, m.start())
        head = None
        for t in sent:
            if s <= t.idx < e and t.dep_ == "pobj" and t.head.lower_ == "to":
                head = t.idx
        a = Attribution(verb=None, cue="according to", subj_start=s, subj_end=e, head=head, content=c,
                        date_region=None, rule="according-to")
        a.extra["according_start"] = m.start()
        out.append(a)
    return out


# --------------------------------------------------------------------------- speakers

_PERSON_PRONOUNS = {"he", "she"}


def _inside_quotes(quotes, s, e) -> bool:
    return any(q.open <= s and e <= q.close for q in quotes)


def _person_subject_positions(ctx: ExtractionContext, quotes) -> list[tuple[int, str]]:
    """(offset, entity id) of persons that are grammatical subjects, outside quotes."""
    out = []
    doc = ctx.doc
    for (s, e), eid in ctx.entity_mentions.items():
        ent = ctx.entities.by_id.get(eid)
        if ent is None or ent.type != "Person" or _inside_quotes(quotes, s, e):
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if root.dep_ in ("nsubj", "nsubjpass") or (root.dep_ in ("appos", "compound") and root.head.dep_ in ("nsubj",)) \
                or (root.dep_ == "pobj" and root.head.dep_ == "agent"):
            out.append((s, eid))
    return sorted(out)


class _Speakers:
    def __init__(self, ctx: ExtractionContext, quotes):
        self.ctx = ctx
        self.quotes = quotes
        self.subjects = _person_subject_positions(ctx, quotes)
        self.said: list[tuple[int, str]] = []  # (offset, entity id) of resolved speakers
        self.blocked: list[int] = []  # offsets of named-but-unresolved speakers

    def note_speaker(self, off: int, eid: str) -> None:
        self.said.append((off, eid))

    def _unknown_subject_between(self, lo: int, hi: int) -> bool:
        """A proper-noun subject between ``lo`` and ``hi`` that is no registered actor (a person
        the extractor missed): a pronoun after it cannot safely skip back over it."""
        ctx = self.ctx
        for tok in ctx.doc:
            if tok.idx <= lo or tok.idx >= hi:
                continue
            if tok.dep_ != "nsubj" or tok.pos_ != "PROPN" or _inside_quotes(self.quotes, tok.idx, tok.idx + 1):
                continue
            if any(a <= tok.idx < b for (a, b) in ctx.entity_mentions) or any(a <= tok.idx < b for (a, b) in ctx.place_mentions):
                continue
            if tok.ent_type_ in ("PERSON", "") and tok.text[:1].isupper():
                return True
        return False

    def _full_name(self, surname: str, off: int):
        """The person of this article, with a longer name, called by ``surname``."""
        f = surname.lower()
        cands = [e for e in self.ctx.entities.items if e.type == "Person" and len(e.name.split()) >= 2
                 and f in (e.name.split()[0].lower(), e.name.split()[-1].lower())]
        return cands[0] if len(cands) == 1 else None

    def pronoun(self, word: str, off: int) -> tuple[str | None, str, str | None]:
        ctx = self.ctx
        word = word.lower()
        if word in _PERSON_PRONOUNS:
            cands = [(o, e) for o, e in self.subjects + self.said
                     if o < off and ctx.entities.by_id[e].type == "Person" and ctx.entities.by_id[e].confidence >= 0.6]
            if not cands:
                return None, "pronoun", f"pronoun {word!r} with no person before it"
            o, e = max(cands)
            if any(o < b < off for b in self.blocked) or self._unknown_subject_between(o, off):
                return None, "pronoun", f"pronoun {word!r}: an unidentified speaker stands between it and the last person named"
            if off - o > 1500:
                return None, "pronoun", f"pronoun {word!r}: the last person named is too far back"
            return e, "pronoun:person", None
        if word in ("it", "they"):
            want = ("Organisation", "Government", "Publisher", "MilitaryForce") if word == "it" else ("Group", "Organisation", "Government", "MilitaryForce")
            cands = [(o, e) for o, e in self.said if o < off and ctx.entities.by_id[e].type in want]
            if cands:
                o, e = max(cands)
                # only the speaker of the same or the previous sentence
                sents = [s for s in ctx.doc.sents if s.start_char <= off]
                prev_start = sents[-2].start_char if len(sents) >= 2 else 0
                if o >= prev_start:
                    return e, f"pronoun:{word}", None
            return None, "pronoun", f"pronoun {word!r}: no organisation or group speaker in this or the previous sentence"
        return None, "pronoun", f"pronoun {word!r} not resolved"

    def resolve(self, a: Attribution) -> tuple[str | None, str, str | None]:
        """(entity id, rule, note) for an attribution's subject."""
        ctx = self.ctx
        body = ctx.body
        if a.subj_start is None and a.verb is not None:
            # "Im Eul-chul, a professor at …, said": a name the parser did not link to the verb
            sent = a.verb.sent
            before = body[sent.start_char:a.verb.idx]
            m = re.match(r"^([A-Z][\w-]+(?: [A-Z][\w-]+){1,3}),[^,;“”\"]{3,140}(?:,[^,;“”\"]{3,80})?,\s*$", before)
            if m and not (_actors.country_of(m.group(1)) or _actors.metonym_of(m.group(1)) or _actors.known(m.group(1))):
                s0 = sent.start_char
                a.subj_start, a.subj_end = s0, s0 + len(m.group(1))
                ent = _actors.entity_at(ctx, a.subj_start, a.subj_end)
                if ent is None:
                    ent = _actors._register(ctx, key=f"person/{_actors.slug(m.group(1))}", type="Person", name=m.group(1),
                                            start=a.subj_start, end=a.subj_end, rule="speaker:name-before-apposition",
                                            confidence=0.6)
                return ent.id, "name-before-apposition", None
        if a.subj_start is None:
            return None, "no-subject", "no speaker found for the speech verb"
        m = re.match(r"^.*?\(\w+\)\s*[—–-]\s*|^[A-Z][A-Z .,'/-]{2,}(?:,\s*[A-Z][a-z]+)?\s*[—–-]\s*", body[a.subj_start:a.subj_end])
        if m and a.subj_start + m.end() < a.subj_end:
            a.subj_start += m.end()  # a dateline glued to the subject
        text = body[a.subj_start:a.subj_end]
        st = a.subj_token
        if st is not None and any(c.dep_ == "conj" for c in st.children):
            return None, "several-speakers", f"several speakers in {text[:80]!r}: not attributed to one of them"
        if st is not None and st.lower_ in ("he", "she", "it", "they", "we", "i") and st.pos_ == "PRON":
            return self.pronoun(st.lower_, st.idx)
        # a bare title: "the foreign minister", "Nato's secretary-general"
        bare = re.sub(r"^(?:the|The)\s+", "", text.strip())
        if re.fullmatch(_actors._ROLE_RE, bare, re.I) or re.fullmatch(r"[A-Z]\w+['’]s\s+" + _actors._ROLE_RE, bare, re.I):
            role = _actors._norm_role(re.sub(r"^[A-Z]\w+['’]s\s+", "", bare))
            owner = re.match(r"^([A-Z]\w+)['’]s\s+", bare)
            owner_code = (_actors.country_of(owner.group(1)) or _actors.metonym_of(owner.group(1))) if owner else None
            owner_known = _actors.known(owner.group(1)) if owner else None

            def held_by(e) -> bool:
                if not owner:
                    return True
                aff = ctx.entities.by_id.get(e.affiliation) if e.affiliation else None
                if aff is None:
                    return False
                return (owner_code is not None and aff.country == owner_code) or (owner_known is not None and aff.key == owner_known.key)
            persons = [e for e in ctx.entities.items if e.type == "Person" and e.role
                       and (e.role == role or e.role.endswith(" " + role))
                       and held_by(e) and any(m.start < a.subj_start for m in e.mentions)]
            if len(persons) == 1:
                return persons[0].id, "title", None
            return None, "title", f"title {bare!r} matches {len(persons)} persons of the article"
        ent, how = _actors.resolve_phrase(ctx, a.subj_start, a.subj_end, a.head)
        if ent is not None and ent.type == "Person" and len(ent.name.split()) == 1:
            full = self._full_name(ent.name, a.subj_start)
            if full is not None:
                return full.id, "surname-link", None
        if ent is not None:
            return ent.id, how, None
        if re.fullmatch(r"[A-Z][\w-]+", text.strip()):
            full = self._full_name(text.strip(), a.subj_start)
            if full is not None:
                return full.id, "surname-link", None
        # a proper name spaCy missed ("Choi Il", "Serhii Kuzan"): the run of proper nouns (and
        # hyphens inside a name) that opens the subject phrase
        # "The Ukrainian Air Force spokesperson Yurii Ihnat", "Ukraine’s energy minister, Denys Shmyhal,"
        m = re.search(rf"(?:{_actors._ROLE_RE})\s*,?\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{1,2}})\s*,?\s*$", text, re.I)
        if m and m.group(1)[0].isupper():
            name = m.group(1)
            s0 = a.subj_start + m.start(1)
            ext = re.match(r"-[A-Z][\w]+", body[s0 + len(name):s0 + len(name) + 30])
            if ext:
                name += ext.group(0)
            if not (_actors.country_of(name) or _actors.metonym_of(name) or _actors.known(name)) \
                    and not any(pa < s0 + len(name) and s0 < pb for (pa, pb) in ctx.place_mentions):
                pe = _actors._register(ctx, key=f"person/{_actors.slug(name)}", type="Person", name=name, start=s0,
                                       end=s0 + len(name), rule="speaker:title-name", confidence=0.6)
                if pe.role is None:
                    pe.role = _actors._norm_role(re.search(_actors._ROLE_RE + r"\s*,?\s+[A-Z]", text, re.I).group(0)[:-1].strip(" ,"))
                return pe.id, "title-name", None
        if st is not None and st.pos_ == "PROPN":
            span = ctx.doc.char_span(a.subj_start, a.subj_end, alignment_mode="expand")
            run: list = []
            for t in (span if span is not None else []):
                glued = bool(run) and t.idx == run[-1].idx + len(run[-1].text)
                if t.pos_ == "PROPN" or (t.text == "-" and glued) or (glued and run[-1].text == "-"):
                    run.append(t)
                    continue
                break
            words = [t for t in run if t.text != "-"]
            if 2 <= len(words) <= 4 and run[-1].text != "-":
                s, e = run[0].idx, run[-1].idx + len(run[-1].text)
                name = body[s:e]
                if not (_actors.country_of(name) or _actors.metonym_of(name) or _actors.known(name)) \
                        and not any(t.ent_type_ in ("ORG", "FAC") for t in words) \
                        and not any(pa < e and s < pb for (pa, pb) in ctx.place_mentions) \
                        and not re.search(r"(?i)\b(?:forces|army|ministry|council|office|agency|channel|group|tv)\b", name):
                    pe = _actors._register(ctx, key=f"person/{_actors.slug(name)}", type="Person", name=name, start=s,
                                           end=e, rule="speaker:proper-name", confidence=0.6)
                    return pe.id, "proper-name", None
        return None, "unresolved", f"speaker phrase {text[:80]!r} names no identifiable actor"


# --------------------------------------------------------------------------- main


def _about(ctx: ExtractionContext, s: int, e: int, speaker: str | None) -> list[str]:
    ids = []
    for (a, b), eid in sorted(ctx.entity_mentions.items()):
        if s <= a and b <= e and eid != speaker and eid not in ids:
            ids.append(eid)
    for (a, b), pid in sorted(ctx.place_mentions.items()):
        if s <= a and b <= e and pid not in ids:
            ids.append(pid)
    return ids


def extract_statements(ctx: ExtractionContext) -> None:
    """Find every attributed statement and append it to ``ctx.statements``."""
    body = ctx.body
    quotes = [q for q in find_quotes(body) if not ctx.article.is_furniture(q.open, q.close)]
    attrs = _attributions(ctx, quotes)
    speakers = _Speakers(ctx, quotes)
    made: list[Statement] = []
    n = [len(ctx.statements)]

    def new_id() -> str:
        n[0] += 1
        return f"S{n[0]}"

    def speaker_mention(a: Attribution, eid: str | None):
        if a.subj_start is None:
            return None
        if eid is not None:
            for (s, e), x in ctx.entity_mentions.items():
                if x == eid and a.subj_start <= s and e <= a.subj_end:
                    return ctx.span(s, e)
        s, e = _trim_content(body, a.subj_start, a.subj_end)
        if a.subj_token is not None and a.subj_token.pos_ == "PRON":
            return ctx.span(a.subj_token.idx, a.subj_token.idx + len(a.subj_token.text))
        return ctx.span(s, e) if e > s and e - s < 200 else None

    def date_of(a: Attribution):
        if a.date_region is None:
            return None
        s, e = a.date_region
        if e <= s:
            return None
        return find_date(ctx, s, e)

    resolved: dict[int, tuple[str | None, str, str | None]] = {}
    order = sorted(range(len(attrs)), key=lambda i: (attrs[i].verb.idx if attrs[i].verb is not None else attrs[i].subj_start))

    def resolve(i: int):
        if i not in resolved:
            resolved[i] = speakers.resolve(attrs[i])
            a = attrs[i]
            if resolved[i][0] is not None:
                speakers.note_speaker(a.subj_start if a.subj_start is not None else 0, resolved[i][0])
            elif a.verb is not None and a.subj_start is not None and a.subj_token is not None \
                    and a.subj_token.pos_ != "PRON" and not a.extra.get("inherited"):
                speakers.blocked.append(a.subj_start)
        return resolved[i]

    # sentences that hold another attribution: "according to" there is a source of the source
    verb_sents = {a.verb.sent.start_char for a in attrs if a.verb is not None and a.subj_start is not None}

    def quote_cover(s: int, e: int) -> int:
        return sum(max(0, min(e, q.close) - max(s, q.open)) for q in quotes)

    events: list[tuple[int, str, object]] = []
    for i in order:
        events.append(((attrs[i].verb.idx if attrs[i].verb is not None else attrs[i].subj_start), "attr", i))
    for qi, q in enumerate(quotes):
        events.append((q.open, "quote", qi))
    events.sort(key=lambda x: (x[0], x[1]))

    quote_speaker: dict[int, tuple[str | None, str, Attribution | None]] = {}

    def attribution_for_quote(q: Quote) -> tuple[int | None, str]:
        para_start = body.rfind("\n", 0, q.open) + 1
        para_end = body.find("\n", q.close)
        para_end = len(body) if para_end < 0 else para_end
        # the quote lies in the content of a speech verb outside it ("X said “…”", "“…,” X said")
        inside = [(a.content[1] - a.content[0], i) for i, a in enumerate(attrs)
                  if a.content and a.verb is not None and a.content[0] - 2 <= q.start and q.end <= a.content[1] + 2
                  and not (q.open <= a.verb.idx < q.close)]
        if inside:
            i = min(inside)[1]
            a = attrs[i]
            how = "after-verb" if a.verb.idx >= q.close else ("before-verb" if re.search(r"[:,]\s*$", body[a.verb.idx:q.open]) else "in-reported")
            return i, how
        ends_sentence = bool(re.search(r"[.!?]$", body[q.start:q.end])) and bool(re.match(r"\s+[A-Z]", body[q.close:q.close + 3]))
        # after: “…,” X said / “…,” said X / “…,” according to X
        if not ends_sentence:
            for i, a in enumerate(attrs):
                anchor = a.verb.idx if a.verb is not None else a.extra.get("according_start")
                if anchor is None or anchor < q.close or anchor > para_end:
                    continue
                between = body[q.close:anchor]
                if a.subj_start is not None and q.close <= a.subj_start and a.subj_end <= anchor:
                    between = body[q.close:a.subj_start] + body[a.subj_end:anchor]
                if re.fullmatch(r"[\s,.!?—–-]*(?:(?:also|then|later|has|had|have|was|were|is|were|,)\s*)*", between):
                    return i, "after-verb"
                break
        # before: X said: “…” / X said, “…”
        for i, a in reversed(list(enumerate(attrs))):
            if a.verb is None or a.verb.idx > q.open or a.verb.idx < para_start:
                continue
            between = body[a.verb.idx + len(a.verb.text):q.open]
            if len(between) <= 120 and re.search(r"[:,]\s*$", between) and not re.search(r"[.!?][”\"]?\s", between) \
                    and not any(qq.close <= q.open and qq.open > a.verb.idx for qq in quotes):
                return i, "before-verb"
            break
        return None, ""

    prev_quote_speaker: tuple[int, str | None, str] | None = None  # (paragraph start, speaker, rule)
    for off, kind, idx in events:
        if kind == "quote":
            q = quotes[idx]
            inner_words = len(body[q.start:q.end].split())
            ai, how = attribution_for_quote(q)
            para_start = body.rfind("\n", 0, q.open) + 1
            speaker = note = None
            rule = None
            a = None
            if ai is not None:
                a = attrs[ai]
                if how == "in-reported" and inner_words < 3:
                    continue  # a scare quote inside reported speech: part of the reported clause
                speaker, srule, note = resolve(ai)
                rule = f"direct-quote:{how}"
            else:
                # continuation: after a quote of the same paragraph, or a paragraph that is only a
                # quote right after a paragraph that ended with an attributed quote
                if prev_quote_speaker is not None:
                    pstart, pspeaker, _r = prev_quote_speaker
                    same_para = pstart == para_start
                    prev_para_start = body.rfind("\n", 0, max(0, para_start - 1)) + 1
                    para_only_quote = body[para_start:q.open].strip() == "" and not any(
                        at.verb is not None and para_start <= at.verb.idx < (body.find("\n", q.close) if body.find("\n", q.close) >= 0 else len(body))
                        for at in attrs)
                    if same_para or (para_only_quote and pstart in (prev_para_start, para_start)):
                        speaker = pspeaker
                        rule = "direct-quote:continuation"
                        note = None if speaker else "continues a quote whose speaker is unknown"
                if rule is None:
                    continue  # an unattributed quote (a title, a scare quote): not a statement
            if inner_words < 2:
                continue
            st = Statement(
                id=new_id(), speaker=speaker, text=body[q.start:q.end], direct=True, span=ctx.span(q.start, q.end),
                cue=(a.cue if a is not None else None), rule=rule,
                confidence=0.9 if rule in ("direct-quote:after-verb", "direct-quote:before-verb") else 0.75,
                speaker_note=note if speaker is None else None,
            )
            if a is not None:
                st.speaker_mention = speaker_mention(a, speaker)
                st.date = date_of(a)
            elif prev_quote_speaker is not None and made:
                last = next((m for m in reversed(made) if m.direct), None)
                if last is not None:
                    st.date = last.date
                    st.cue = last.cue
            if speaker is None and st.speaker_note is None:
                st.speaker_note = "speaker not resolved"
            st.about = _about(ctx, q.start, q.end, speaker)
            made.append(st)
            prev_quote_speaker = (para_start, speaker, rule)
            continue
        # reported speech
        a = attrs[idx]
        if a.verb is not None:
            resolve(idx)
        if a.content is None:
            continue
        if a.verb is None and a.subj_start is not None:
            sent = next((st for st in ctx.doc.sents if st.start_char <= a.subj_start < st.end_char), None)
            if sent is not None and sent.start_char in verb_sents:
                continue
        s, e = _trim_content(body, *a.content)
        if e - s < 8 or len(body[s:e].split()) < 3:
            continue
        cut = re.search(r"(?<=[a-z0-9”\"\)])[.!?]\s+(?=[A-Z“\"])", body[s:e])
        if cut and not _inside_quotes(quotes, s + cut.start(), s + cut.start() + 1):
            e = s + cut.start()
            s, e = _trim_content(body, s, e)
        starts_with_quote = any(q.open <= s <= q.start + 1 for q in quotes)
        if quote_cover(s, e) >= 0.6 * (e - s) or starts_with_quote:
            resolve(idx)
            continue  # the content is (mostly) a direct quote: the quote is the statement
        if _inside_quotes(quotes, s, e):
            continue
        speaker, srule, note = resolve(idx)
        cue = a.cue
        if a.verb is None:
            rule = "reported:according-to"
        else:
            has_that = bool(re.search(r"\bthat\s*$", body[max(0, s - 6):s]))
            rule = f"reported:{cue.replace(' ', '-')}-that" if has_that else f"reported:{cue.replace(' ', '-')}"
        st = Statement(id=new_id(), speaker=speaker, text=body[s:e], direct=False, span=ctx.span(s, e), cue=cue,
                       rule=rule, confidence=0.8 if speaker else 0.6,
                       speaker_note=(note or "speaker not resolved") if speaker is None else None)
        st.speaker_mention = speaker_mention(a, speaker)
        st.date = date_of(a)
        st.about = _about(ctx, s, e, speaker)
        made.append(st)
    # renumber in document order
    made.sort(key=lambda x: (x.span.start, x.span.end))
    base = len(ctx.statements)
    for k, st in enumerate(made, base + 1):
        st.id = f"S{k}"
    ctx.statements.extend(made)
