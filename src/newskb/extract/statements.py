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
to the most salient person of its gender who was a speaker or the subject of a finite clause
(:class:`newskb.extract.reference.Salience`); "Y quoted X as saying" to X; "it" / "they" to the most recent
organisation or group speaker nearby; a bare title ("the foreign minister") to the one person of
the article holding it. A definite description with no name ("the officials", "the advisor",
"the government-run network", "the two soldiers") goes to the speaker last described by the same
head noun, else to the one actor of the previous three sentences whose mention carries that noun or
names that kind of body; an indefinite person description ("a Kremlin-installed politician") to the
person the next sentence introduces as its speaker. "It" never takes a plural subject, and is left
unresolved when its own sentence's subject is an actor the extractor does not know. When none of
these is safe the speaker is None and ``speaker_note`` says why.

Dates come from :func:`newskb.extract.dates.find_date` on the attribution (not the content). A
statement without a time of its own takes the date of the previous statement by the same speaker,
or of the speaker's dated act in an earlier sentence of the same or previous paragraph ("The
Kremlin declared a ceasefire on Monday. … , the Kremlin said"), unless its verb speaks of no one
occasion ("has consistently claimed", "says").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from ..facts import Statement
from ..resources import read_table
from . import actors as _actors
from . import described as _described
from . import reference as _reference
from .context import ExtractionContext, doc_text
from .dates import find_date

@dataclass(frozen=True)
class SpeechVerb:
    """A row of ``data/speech-verbs.tsv``."""

    lemma: str
    cue: str
    gate: str
    object: bool
    preps: frozenset[str]
    np_no_claim: bool
    trailing: bool


@lru_cache(maxsize=1)
def speech_verbs() -> dict[str, SpeechVerb]:
    """Speech verbs by lemma (``data/speech-verbs.tsv``)."""
    out = {}
    for row in read_table("speech-verbs.tsv"):
        out[row["lemma"]] = SpeechVerb(row["lemma"], row["cue"] or row["lemma"], row["gate"], row["object"] == "yes",
                                       frozenset(p for p in row["preps"].split("|") if p), row["np_no_claim"] == "yes",
                                       row["trailing"] == "yes")
    return out


@lru_cache(maxsize=1)
def speech_nouns() -> frozenset[str]:
    """Nouns of speech that report a clause after their source (``data/speech-nouns.tsv``)."""
    return frozenset(row["lemma"] for row in read_table("speech-nouns.tsv"))


# derived views of the table, as the rules below use them
SPEECH = frozenset(speech_verbs())
OBJECT_OK = frozenset(v.lemma for v in speech_verbs().values() if v.object)
PREP_CONTENT = {v.lemma: set(v.preps) for v in speech_verbs().values() if v.preps}
NP_OBJECT_IS_NO_CLAIM = frozenset(v.lemma for v in speech_verbs().values() if v.np_no_claim)
_ABBREV_END = re.compile(r"(?:\b(?:Sgt|Gen|Col|Lt|Capt|Cpl|Pvt|Maj|Dr|Mr|Mrs|Ms|St|Rep|Sen|Gov|Gens|No|Jr|Sr|Adm|Brig|Fr|Prof)|\b[A-Z])$")
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
                    if j < 0 or 0 <= k < j:
                        j = _straight_closer(para, i + 1, k) if j < 0 else j
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


_STRAIGHT_CLOSE = re.compile(r'(?<=\S)"(?=[\s,.;:!?)—–-]|$)')


def _straight_closer(para: str, lo: int, hi: int) -> int:
    """A curly opening mark closed by a straight one (“…," X said): mixed marks are common in
    copied text. The first straight mark that ends a word, before the next opening mark (``hi``,
    -1: none) and when the paragraph has no other straight mark to pair it with; else -1."""
    stop = hi if hi >= 0 else len(para)
    m = _STRAIGHT_CLOSE.search(para, lo, stop)
    if m is None or para.count('"') != 1:
        return -1
    return m.start()


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

def quote_cover_any(quotes, s: int, e: int) -> bool:
    return any(q.open < e and s < q.close for q in quotes)


def _is_time(tok) -> bool:
    text = " ".join(t.text for t in tok.subtree)
    return tok.ent_type_ in ("DATE", "TIME") or bool(re.search(
        r"(?i)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|year|weekend|overnight|yesterday|today|earlier|later|previously)\b",
        text)) and len(text) < 40


def _acl_after_quote(verb) -> bool:
    """“…,” the advisor added — parsed as a clause of the noun ("the advisor [who was] added")."""
    if verb.dep_ != "acl" or verb.tag_ not in ("VBD", "VBZ", "VBN") or verb.lemma_ not in SPEECH:
        return False
    n = verb.head
    if not (n.i < verb.i and n.pos_ in ("NOUN", "PROPN")) or not all(
            t.dep_ in ("compound", "amod", "flat") for t in verb.doc[n.i + 1:verb.i]):
        return False
    left = n.left_edge
    body = doc_text(verb.doc)
    return bool(re.search(r"[,.!?][”\"]\s*$", body[max(0, left.idx - 6):left.idx]))


def _subject(verb):
    """(subject token, inherited?) for a speech verb."""
    subj, inherited = _subject0(verb)
    if subj is not None:
        para_start = doc_text(verb.doc).rfind("\n", 0, verb.idx) + 1
        if subj.idx < para_start <= verb.idx:
            frag = [t for t in verb.doc[verb.sent.start:verb.i] if t.idx >= para_start
                    and (t.head.idx < para_start or t.head.i == verb.i and t.dep_ in ("nsubj", "nsubjpass"))
                    and t.pos_ in ("PROPN", "NOUN", "PRON")]
            return (frag[0], False) if len(frag) == 1 else (None, False)
    return subj, inherited


_BELIEF_NOUNS = {"belief", "view", "position", "assessment", "conviction", "stance", "argument"}
_PERSON_NOUNS = {"politician", "official", "commander", "spokesman", "spokeswoman", "spokesperson", "lawmaker",
                 "diplomat", "adviser", "advisor", "aide", "officer", "negotiator", "leader", "governor", "mayor"}
_ASPECTUAL = {"continue", "keep", "begin", "start"}  # "… and continued to believe X": the subject goes through


def _subject0(verb):
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
    # a sentence the parser ran across a paragraph break (a crosshead above it): the noun phrase
    # that opens the verb's paragraph and hangs on a word of the previous paragraph is the subject
    doc = verb.doc
    text = doc_text(doc)
    para_start = text.rfind("\n", 0, verb.idx) + 1
    if verb.sent.start_char < para_start:
        # (also when the parser took a crosshead above as the subject: "Scenes of chaos | NNA said")
        frag = [t for t in doc[verb.sent.start:verb.i] if t.idx >= para_start and t.head.idx < para_start
                and t.pos_ in ("PROPN", "NOUN", "PRON")]
        if len(frag) == 1 and verb.head.idx < para_start:
            return frag[0], False
    # "…,” the advisor added": the parser made the verb a clause of the noun just before it
    if _acl_after_quote(verb):
        return verb.head, False
    # "State radio quoted the colonel as saying …": the one quoted speaks, not the medium
    quoted = _quoted_as(verb)
    if quoted is not None:
        return quoted, False
    # "X sparked controversy by suggesting …": the subject of the verb that "by" hangs on
    if verb.dep_ == "pcomp" and verb.head.lower_ == "by" and verb.tag_ == "VBG" and verb.head.head.pos_ == "VERB":
        for c in verb.head.head.children:
            if c.dep_ == "nsubj" and c.pos_ in ("PROPN", "NOUN"):
                return c, True
    # participles and conjoined verbs inherit the subject of the verb they hang on
    t = verb
    for _ in range(4):
        if t.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "prep", "acl") or t.head is t:
            break
        t = t.head
        if t.pos_ in ("VERB", "AUX") and not (t.lemma_ in SPEECH or t.dep_ == "ROOT" or t.lemma_ in _ASPECTUAL):
            break
        for c in t.children:
            if c.dep_ == "nsubj" or (c.dep_ == "nsubjpass" and t.lemma_ == "quote"):
                return c, True
    return None, False


def _quoted_as(verb):
    """The object of "quote" in "Y quoted X as saying/telling …" (X is who spoke; Y only carried
    it), or None."""
    if verb.dep_ not in ("pcomp", "advcl", "xcomp") or verb.tag_ != "VBG":
        return None
    prep = verb.head
    if verb.dep_ == "pcomp" and prep.lower_ == "as":
        quote = prep.head
    elif verb.dep_ != "pcomp" and any(c.lower_ == "as" and c.i == verb.i - 1 for c in verb.children):
        quote = verb.head
    else:
        return None
    if quote.lemma_ != "quote":
        return None
    return next((c for c in quote.children if c.dep_ == "dobj" and c.i < verb.i), None)


def _span_of(tok) -> tuple[int, int]:
    toks = list(tok.subtree)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _right_clause(verb, c) -> tuple[tuple[int, int] | None, bool]:
    """The clause complement after the verb, without "that"; "said that Moscow was ready …, but
    the facility must be Russian": a clause joined by "but" to the speech verb, with its own
    subject and modal and no speech verb of its own, goes on."""
    toks = list(c.subtree)
    while toks and (toks[0].dep_ == "mark" and toks[0].lower_ == "that" or toks[0].is_punct):
        toks = toks[1:]
    if not toks:
        return None, False
    end = toks[-1].idx + len(toks[-1].text)
    for cj in verb.children:
        if cj.dep_ != "conj" or cj.i < c.i:
            continue
        cc = {g.lower_ for g in verb.children if g.dep_ == "cc" and c.i < g.i < cj.i}
        modal = any(g.dep_ == "aux" and g.lower_ in _MODALS for g in cj.children)
        subjs = [g for g in cj.children if g.dep_ in ("nsubj", "nsubjpass")]
        if not subjs or any(t.lemma_ in SPEECH for t in cj.subtree):
            continue
        # "said …, and it would not accept …": a pronoun subject in the backshifted tense of
        # reported speech (a modal or a past perfect: sequence of tenses) goes on too
        backshift = modal or any(g.dep_ == "aux" and g.lower_ == "had" for g in cj.children)
        if ("but" in cc and modal) or ("and" in cc and backshift and subjs[0].pos_ == "PRON"
                                       and subjs[0].lower_ in _BACKSHIFT_PRONOUNS):
            end = max(end, cj.right_edge.idx + len(cj.right_edge.text))
    return (toks[0].idx, end), False


_MODALS = frozenset({"must", "should", "would", "could", "will", "can"})
_BACKSHIFT_PRONOUNS = frozenset({"it", "he", "she", "they", "we"})


def _trailing_content(verb, body: str) -> tuple[int, int] | None:
    """"…, the United Nations has said." (the parser hung the clause elsewhere): the reported
    clause is the sentence before the comma that opens the attribution."""
    lemma = verb.lemma_
    v = speech_verbs().get(lemma)
    if v is None or not v.trailing \
            or any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i > verb.i for c in verb.children) \
            or any(c.dep_ == "prep" and c.i == verb.i + 1 and c.lower_ in v.preps for c in verb.children):
        return None
    doc = verb.doc
    nxt = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
    tail_ok = nxt is None or nxt.text in (".", "!", "?") or (nxt.is_sent_start) or (
        nxt.pos_ == "ADP" or nxt.ent_type_ in ("DATE", "TIME")) and re.match(r"[^,;“”\"]{0,40}[.!?]", body[nxt.idx:nxt.idx + 45])
    if not tail_ok:
        return None
    k = verb.i - 1
    skipped = 0
    if doc[k].text == ",":
        # "…, the Institute for the Study of War, which tracks …, said": the relative
        # clause after the subject is skipped
        j = k - 1
        while j > verb.sent.start and doc[j].text not in (",", ";", "“", "”", '"'):
            j -= 1
        if doc[j].text == "," and j + 1 < k and doc[j + 1].lower_ in ("which", "who") and k - j <= 15:
            skipped = k - j + 1
            k = j - 1
    while k > verb.sent.start and doc[k].text != "," and not (doc[k].pos_ == "VERB" and doc[k].dep_ != "relcl"):
        k -= 1
    if doc[k].text == "," and doc[k].idx - verb.sent.start_char > 20 and verb.i - k - skipped <= (16 if skipped else 12) \
            and not re.search(r"[“”\"]", body[verb.sent.start_char:doc[k].idx][-1:]):
        return (verb.sent.start_char, doc[k].idx)
    return None


def _parenthetical_content(verb) -> tuple[int, int] | None:
    """A parenthetical attribution set off by commas inside the clause it reports ("The plan,
    the minister said, would cost …"; "The convoy was hit twice, he said, and …"): the parser
    hangs the speech verb on the clause's verb (parataxis); the clause around it is reported,
    from its first to its last word."""
    v = speech_verbs().get(verb.lemma_)
    if v is None or not v.trailing or verb.dep_ != "parataxis" or verb.head.pos_ not in ("VERB", "AUX"):
        return None
    if any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children) \
            or not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    doc = verb.doc
    lo, hi = verb.left_edge.i, verb.right_edge.i  # (the commas hang on the verb)
    if doc[lo].text != "," and (lo == 0 or doc[lo - 1].text != ","):
        return None
    if doc[hi].text != "," and (hi + 1 >= len(doc) or doc[hi + 1].text != ","):
        return None
    clause = verb.head
    first, last = clause.left_edge, clause.right_edge
    while last.is_punct and last.i > first.i:
        last = doc[last.i - 1]
    if first.i >= lo or last.i <= hi:
        return None  # the clause must stand on both sides of the parenthesis
    return first.idx, last.idx + len(last.text)


def _belief_content(verb) -> tuple[int, int] | None:
    """"maintained his belief that …", "reiterated the view that …": the clause of the noun."""
    for c in verb.children:
        if c.dep_ == "dobj" and c.i > verb.i and c.lemma_ in _BELIEF_NOUNS:
            for cl in c.children:
                toks = list(cl.subtree)
                if cl.dep_ in ("acl", "ccomp") and cl.i > c.i and toks[0].lower_ == "that" and toks[0].dep_ == "mark":
                    toks = toks[1:]
                    return (toks[0].idx, toks[-1].idx + len(toks[-1].text))
    return None


_OBJECT_SKIP = frozenset({"punct", "cc", "conj", "npadvmod", "advmod", "prt", "dative", "aux", "neg", "nsubj", "nsubjpass"})
_CONTENT_PREPS = frozenset({"to", "of", "for", "with", "against", "into", "from"})


def _for_clause(c, preps) -> bool:
    """"pleaded for allies to provide …" (parsed as a clause opened by "for")."""
    first = list(c.subtree)[0]
    return c.dep_ == "advcl" and first.lower_ == "for" and first.dep_ == "mark" and "for" in preps


def _object_part(c, preps, dobjs) -> bool:
    """Whether a dependent of the verb is part of its reported object complement."""
    if c.dep_ in ("dobj", "xcomp", "attr", "oprd"):
        return c.dep_ == "xcomp" or not _is_time(c)
    if c.dep_ == "prep":
        return c.lower_ in preps or (c.lower_ in _CONTENT_PREPS and not _is_time(c))
    if c.dep_ != "advcl":
        return False
    first = list(c.subtree)[0]
    if first.lower_ == "to" or c.tag_ == "VB" or _for_clause(c, preps):
        return True
    # "claimed its invasion aimed to …": the object is the clause's subject
    return bool(dobjs) and c.tag_ in ("VBD", "VBZ", "VBN") and first.i == dobjs[0].right_edge.i + 1 \
        and not any(g.dep_ in ("nsubj", "nsubjpass", "mark") for g in c.children)


def _object_content(verb) -> tuple[int, int] | None:
    """An object or prepositional complement that reports what was said ("confirmed a
    10,000-strong deployment", "warned of …", "accused X of …")."""
    v = speech_verbs()[verb.lemma_]
    preps = v.preps
    after = [c for c in verb.children if c.i > verb.i]
    if not any(c.dep_ in ("dobj", "xcomp", "attr", "oprd") or (c.dep_ == "prep" and c.lower_ in preps)
               or _for_clause(c, preps) for c in after):
        return None
    dobjs = [c for c in after if c.dep_ == "dobj"]
    kids = [c for c in after if c.dep_ not in _OBJECT_SKIP and _object_part(c, preps, dobjs)]
    if not kids:
        return None
    if v.np_no_claim and all(k.dep_ == "dobj" and k.pos_ in ("NOUN", "PROPN", "PRON") for k in kids) \
            and not any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children) \
            and not any(k.lemma_.lower() in speech_nouns() for k in kids) \
            and not any(g.dep_ == "prep" and g.lower_ in preps and g.lower_ != "of" for k in kids for g in k.children):
        # "announced the onslaught", "condemned the strike": no reported clause; but a noun of
        # speech as the object is what was said about ("denied the allegations"), and the verb's
        # own preposition hung on the object by the parser ("blaming the unrest on X") completes it
        # (not "of", which mostly modifies the noun: "accused the mayor of the capital")
        return None
    return min(_span_of(k)[0] for k in kids), max(_span_of(k)[1] for k in kids)


def _content(verb, body: str) -> tuple[tuple[int, int] | None, bool]:
    """What a speech verb reports, and whether it stands before the verb: a clause complement,
    the clause before "…, X said", "told of …", a belief noun's clause, or an object complement."""
    ccomps = [c for c in verb.children if c.dep_ == "ccomp"]
    right = [c for c in ccomps if c.i > verb.i]
    if right:
        return _right_clause(verb, right[0])
    left = [c for c in ccomps if c.i < verb.i]
    if left:
        return _span_of(left[-1]), True
    trailing = _trailing_content(verb, body)
    if trailing is not None:
        return trailing, True
    around = _parenthetical_content(verb)
    if around is not None:
        return around, False
    if verb.lemma_ == "tell":  # "Residents told of killings …"; "told reporters" reports nothing
        ps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("of", "about") and c.i > verb.i]
        if ps and not any(c.dep_ in ("dobj", "dative") for c in verb.children):
            return _span_of(ps[0]), False
        return None, False
    belief = _belief_content(verb)
    if belief is not None:
        return belief, False
    if verb.lemma_ not in OBJECT_OK:
        return None, False
    return _object_content(verb), False


def _in_quote(quotes, off: int) -> bool:
    return any(q.start <= off < q.end for q in quotes)


def _call_quote(tok, quotes, body: str):
    """"X called the attack “one of the most massive …”": the quote right after the object."""
    objs = [c for c in tok.children if c.dep_ == "dobj"]
    if not objs:
        return None
    qs = [q for q in quotes if tok.idx < q.open < tok.sent.end_char
          and 0 <= q.open - (objs[0].idx + len(objs[0].text)) < 60 and len(body[q.start:q.end].split()) >= 3
          and not re.search(r"[.!?]\s", body[tok.idx:q.open])]
    return qs[0] if qs else None


def _gate_open(tok, body: str, gate: str) -> bool:
    """The per-verb condition of ``data/speech-verbs.tsv`` (column ``gate``): ``prt:X`` a
    particle X ("point out"), ``prep:X|Y`` a preposition X or Y ("speak of"), ``clear`` "made
    (it) clear", ``clause`` a clause, ``xcomp`` an infinitive, ``prep-or-xcomp:X|Y`` either,
    ``clause-or-pred`` a clause or a predicate ("called it a …"), ``belief`` a clause, a subject
    that can speak, and no speech verb above it ("said he felt that …" reports one statement)."""
    if not gate:
        return True
    kind, _, arg = gate.partition(":")
    words = set(arg.split("|")) if arg else set()
    if kind == "prt":
        return any(c.dep_ == "prt" and c.lower_ in words for c in tok.children)
    if kind == "prep":
        return any(c.dep_ == "prep" and c.lower_ in words for c in tok.children)
    if kind == "clear":
        after = body[tok.idx + len(tok.text):tok.idx + len(tok.text) + 30]
        return any(c.dep_ in ("ccomp", "oprd", "acomp", "dobj") and c.lower_ == "clear" for c in tok.children) \
            or bool(re.match(r"\s+(?:it\s+)?(?:(?:very|abundantly|perfectly|quite|crystal)\s+)?clear\b", after))
    if kind == "clause-or-pred":
        return any(c.dep_ in ("oprd", "ccomp") for c in tok.children)
    if kind in ("clause", "clause-agent", "belief"):
        return any(c.dep_ == "ccomp" for c in tok.children)
    if kind == "xcomp":
        return any(c.dep_ == "xcomp" for c in tok.children)
    if kind == "prep-or-xcomp":
        return any(c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ in words) for c in tok.children)
    raise ValueError(f"data/speech-verbs.tsv: unknown gate {gate!r}")


def _can_speak(verb) -> bool:
    """The verb's subject can be a source: a name, a personal pronoun, or a head noun that names
    an actor or a document (``described.kind_of_head``: "the report found", not "the violence
    shows")."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return False
    if subj.pos_ in ("PROPN", "PRON"):
        return True
    return _described.kind_of_head(subj.lemma_.lower(), subj.tag_ in ("NNS", "NNPS")) is not None


def _may_speak(subj) -> bool:
    """A subject that could be somebody: a name, or a head noun that names an actor or a document
    ("the worsening security has added to …" is nobody, and blocks no pronoun)."""
    return subj.pos_ == "PROPN" or _described.kind_of_head(subj.lemma_.lower(), subj.tag_ in ("NNS", "NNPS")) is not None \
        or bool(re.search(rf"(?i)(?:{_actors._ROLE_RE})$", " ".join(t.text for t in subj.lefts) + " " + subj.text))


def _plural_subject(subj) -> bool:
    """A subject in the plural: tagged so, or agreeing with a plural finite verb ("Argentines
    remember", "the Saudis were", "Kurds have"), which the tagger reads more surely on a name."""
    if subj.tag_ in ("NNS", "NNPS"):
        return True
    verbs = [subj.head, *(c for c in subj.head.children if c.dep_ in ("aux", "auxpass"))]
    return any(v.tag_ == "VBP" or v.lower_ == "were" for v in verbs)


def _definite_np(tok) -> bool:
    """A noun phrase that points back ("the two soldiers", "its fighters"): a definite
    determiner or a possessive owner."""
    return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this", "these", "that", "those"))
               for c in tok.children)


def _may_be_a_person(subj) -> bool:
    """An unresolved subject that could be a person ("he"/"she" cannot skip back over it): a
    name the model does not type as a place, body or group, or a singular person noun; not
    "the ministry", "Mr Lee's government", "officials"."""
    if subj.tag_ in ("NNS", "NNPS"):
        return False
    if subj.pos_ == "PROPN":
        return subj.ent_type_ in ("PERSON", "")
    return _described.kind_of_head(subj.lemma_.lower(), False) in ("person", "anonymous", None)


def _reports_nothing(tok, body: str) -> bool:
    """A speech verb that reports no statement of its own: a modifier ("the so-called", "a report
    said to …"), negated ("did not say", "declined to say"), a free relative ("what Russia calls
    …") or a relative clause without its own speaker and clause."""
    if tok.dep_ == "amod" or (tok.dep_ == "acl" and tok.tag_ == "VBN" and not _acl_after_quote(tok)):
        return True
    if any(c.dep_ == "neg" for c in tok.children) or re.search(r"\b(?:declined|refused|failed)\s+to\s+$",
                                                              body[max(0, tok.idx - 20):tok.idx]):
        return True
    if any(c.lower_ == "what" for c in tok.children):
        return True
    if tok.dep_ != "relcl" or any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "which") for c in tok.children):
        return False
    as_ok = "as" in PREP_CONTENT.get(tok.lemma_, set())
    own_subject = any(c.dep_ == "nsubj" and c.lower_ not in ("that", "which", "who") for c in tok.children)
    own_clause = any((c.dep_ == "ccomp" or c.dep_ == "prep" and c.lower_ == "as" and as_ok) and c.i > tok.i
                     for c in tok.children)
    return not (own_subject and own_clause)


def _subject_between(ctx: ExtractionContext, tok, content):
    """"…, killed at least 27 people, monitors and volunteers said": the parser hung the noun
    phrase between the comma and the verb on the clause; a plain noun phrase there, with one
    head, is the subject."""
    alt = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and content[1] <= c.idx < tok.idx]
    if alt:
        return alt[0]
    between = [t for t in ctx.doc[tok.sent.start:tok.i] if content[1] <= t.idx and t.text != ","]
    rel = {x.i for t in between if t.dep_ == "relcl" and any(c.lower_ in ("which", "who") and c.dep_ == "nsubj" for c in t.children)
           for x in t.subtree}  # "the ISW think tank, which tracks …, said"
    between = [t for t in between if t.i not in rel]
    if not between or between[0].pos_ == "ADP" \
            or not all(t.pos_ in ("NOUN", "PROPN", "ADJ", "DET", "CCONJ", "PUNCT", "ADP") for t in between) \
            or any(t.is_punct and t.text not in (",", "(", ")") for t in between):
        return None
    ids = {t.i for t in between}
    heads = [t for t in between if t.head.i not in ids]
    return heads[0] if len(heads) == 1 and heads[0].pos_ in ("NOUN", "PROPN") else None


def _sentence_end(ctx: ExtractionContext, tok) -> int:
    """Where the verb's sentence ends, joining a sentence the splitter cut after an abbreviation
    ("charged Sgt. | Vadin Shyshimarin …")."""
    body = ctx.body
    sent_end = tok.sent.end_char
    if _ABBREV_END.search(body[max(0, sent_end - 8):sent_end].rstrip().rstrip(".")) and body[sent_end - 1:sent_end].strip() in ("", ".") \
            and sent_end < len(body) and body[tok.sent.end_char - 2:tok.sent.end_char].strip().endswith(".") \
            and ctx.doc[tok.sent.end - 1].text.endswith(".") and tok.sent.end < len(ctx.doc):
        nxt_sent = ctx.doc[tok.sent.end].sent
        if nxt_sent.end_char > sent_end:
            sent_end = nxt_sent.end_char
    return sent_end


def _clip_content(ctx: ExtractionContext, tok, content, before: bool, quotes):
    """The content clipped to the verb's sentence and paragraph; a clause the parser cut short
    runs on to the sentence's end."""
    body = ctx.body
    lo = max(tok.sent.start_char, body.rfind("\n", 0, tok.idx) + 1)
    hi_nl = body.find("\n", tok.idx)
    hi = min(_sentence_end(ctx, tok), hi_nl if hi_nl >= 0 else len(body))
    if not before:
        # a sentence the parser merged with the next one: stop at the full stop
        for sm in re.finditer(r"[.!?][”\"]?\s+(?=[A-Z“\"])", body[tok.idx:hi]):
            at = tok.idx + sm.start()
            if not _in_quote(quotes, at) and not _ABBREV_END.search(body[max(0, at - 6):at]):
                hi = at + (len(sm.group(0).rstrip()) if sm.group(0).rstrip().endswith(("”", '"')) else 0)
                break
    cs, ce = max(content[0], lo), min(content[1], hi)
    if not before and ce < hi:
        # a clause the parser cut short ("all 89 drones fired | were shot down"): the rest
        # of the sentence when it holds no punctuation, quote or other speech verb
        rest = body[ce:hi]
        if rest.startswith(".") and _ABBREV_END.search(body[max(0, ce - 8):ce]):
            ce = hi  # the parse stopped at an abbreviation ("charged Sgt. Vadin …")
        elif re.fullmatch(r"[\w\s'’%$-]{1,60}[.!?]?\s*", rest) and not any(
                t.lemma_ in SPEECH for t in tok.sent if ce <= t.idx < hi):
            ce = hi
    return (cs, ce) if ce > cs else None


def _set_subject(ctx: ExtractionContext, a: Attribution, tok, subj, inherited: bool) -> None:
    body = ctx.body
    s, e = _span_of(subj)
    if subj.lower_ in ("who", "which", "that") and tok.dep_ == "relcl":
        noun = tok.head
        s, e = _span_of(noun)
        # the noun's own subtree includes the relative clause: cut it at the clause
        e = min(e, list(tok.subtree)[0].idx)
        a.subj_token = noun
    if s < tok.idx < e:  # (a subject whose subtree holds the verb: "the advisor added")
        e = s + len(body[s:tok.idx].rstrip())
    # never across a paragraph (a headline or furniture line above the sentence)
    ps = body.rfind("\n", 0, a.subj_token.idx) + 1
    pe = body.find("\n", a.subj_token.idx)
    pe = len(body) if pe < 0 else pe
    a.subj_start, a.subj_end = max(s, ps), min(e, pe)
    a.head = a.subj_token.idx
    a.extra["inherited"] = inherited


_LEAD_ADVERBIAL = re.compile(r"(?:In|On|At|During|Earlier|Later|Late|Early|Last|This|Since|Over|After|Before|Speaking)\b")
_TIME_LEAD = re.compile(r"(?:in|on|last|early|late)\s+(?:[A-Z][a-z]+|\d{1,2}\s+[A-Z][a-z]+)(?:\s+\d{1,4})?,?\s+"
                        r"(?=(?:it|he|she|they|that|the|[A-Z])\b)")


def _set_date_region(ctx: ExtractionContext, a: Attribution, tok, quotes) -> None:
    """The attribution around the verb, outside its content: where its date is read."""
    body = ctx.body
    sent = tok.sent
    content = a.content
    if not content or a.content_before:
        hi = sent.end_char
        nxt = [q.open for q in quotes if q.open > tok.idx]
        a.date_region = (tok.idx, min(hi, min(nxt)) if nxt else hi)
        return
    lo = tok.idx
    if a.subj_start is not None:
        lo = min(a.subj_start, tok.idx)  # a participle: from the subject of its head verb
        ss = max(sent.start_char, body.rfind("\n", 0, lo) + 1)
        lead = body[ss:lo]
        # a leading adverbial: "In his nightly address Tuesday, Zelenskyy suggested …"
        if not a.extra.get("inherited") and ss < lo and re.search(r",\s*$", lead) \
                and not quote_cover_any(quotes, ss, lo) and _LEAD_ADVERBIAL.match(lead):
            lo = ss
    a.date_region = (lo, content[0])
    # "said in January it planned …": the parser hung the time on the reported clause
    dm = _TIME_LEAD.match(body[content[0]:content[1]])
    if dm and ctx.doc.char_span(content[0], content[0] + 2, alignment_mode="expand") is not None \
            and any(t.ent_type_ == "DATE" for t in ctx.doc.char_span(content[0], content[0] + dm.end(), alignment_mode="expand")):
        a.date_region = (lo, content[0] + dm.end())
        a.content = (content[0] + dm.end(), content[1])


def _verb_attribution(ctx: ExtractionContext, tok, quotes) -> Attribution | None:
    """The attribution a speech verb makes (subject, content, date region), or None."""
    body = ctx.body
    verb = speech_verbs().get(tok.lemma_)
    if verb is None or tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBN", "VBG", "VBP", "VB"):
        return None
    if _in_quote(quotes, tok.idx) or ctx.article.is_furniture(tok.idx, tok.idx + len(tok.text)):
        return None
    call_quote = None
    if verb.gate.startswith("prep-or-quote:"):
        # "called on/for …"; else "called X “…”" (the quote after the object); else a predicate
        if not _gate_open(tok, body, "prep:" + verb.gate.split(":", 1)[1]):
            call_quote = _call_quote(tok, quotes, body)
            if call_quote is None and not _gate_open(tok, body, "clause-or-pred"):
                return None
    elif not _gate_open(tok, body, verb.gate):
        return None
    if verb.gate == "belief" and tok.dep_ in ("ccomp", "conj", "xcomp") and tok.head.lemma_ in SPEECH:
        return None  # "said he felt that …": the belief is part of what the outer verb reports
    if verb.gate in ("clause-agent", "belief") and not _can_speak(tok):
        return None  # "the violence shows that …": no source (the sentence's speaker, if any, says it)
    if _reports_nothing(tok, body):
        return None
    subj, inherited = _subject(tok)
    content, before = _content(tok, body)
    quoted_object = False
    if content is None and re.match(r"\s*[“\"]", body[tok.idx + len(tok.text):tok.idx + len(tok.text) + 3]):
        objs = [c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i]
        if objs:  # "Zelenskiy noted “good results” from …": the quoted object is what was said
            content, before, quoted_object = _span_of(objs[0]), False, True
    if before and content is not None and subj is not None and content[0] <= subj.idx < content[1]:
        subj = _subject_between(ctx, tok, content)  # "…, X said": X stands between clause and verb
        if subj is None:
            return None
    if call_quote is not None:
        content, before = (call_quote.open, call_quote.close), False
    is_object = (content is not None and not before and call_quote is None and verb.object
                 and not any(c.dep_ == "ccomp" for c in tok.children))
    if content is not None:
        content = _clip_content(ctx, tok, content, before, quotes)
    a = Attribution(verb=tok, cue=verb.cue, subj_start=None, subj_end=None,
                    head=None, content=content, content_before=before, subj_token=subj)
    a.extra["object"] = is_object or quoted_object
    if subj is not None:
        _set_subject(ctx, a, tok, subj, inherited)
    _set_date_region(ctx, a, tok, quotes)
    return a


def _cut_inner_speakers(out: list[Attribution]) -> None:
    """A relative clause with its own speaker at the end of another statement ("… the town whose
    fall the ministry calls its first aim"), or an absolute clause with its own speaker ("…, with
    some officials warning of …"): the outer statement stops before it."""
    for b in out:
        if b.verb is None or b.extra.get("inherited"):
            continue
        if b.verb.dep_ == "relcl" and b.subj_start is not None:
            cut, after_verb = b.verb.left_edge.idx, True
        elif b.verb.dep_ == "pcomp" and b.verb.head.lower_ == "with" and b.subj_token is not None:
            cut, after_verb = b.verb.head.idx, False
        else:
            continue
        for a in out:
            if a is b or a.content is None or a.content_before:
                continue
            if a.content[0] < cut < a.content[1] and (not after_verb or b.verb.idx < a.content[1]):
                a.content = (a.content[0], cut)


def _noun_attribution(ctx: ExtractionContext, tok, quotes) -> Attribution | None:
    """A speech noun with its source and its clause: "warnings from the United States that Russia
    was planning an invasion", "claims by Moscow that …"."""
    body = ctx.body
    if tok.pos_ != "NOUN" or tok.lemma_ not in speech_nouns() or _in_quote(quotes, tok.idx) \
            or ctx.article.is_furniture(tok.idx, tok.idx + len(tok.text)):
        return None
    src = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("from", "by") and c.i == tok.i + 1]
    pobj = [g for c in src for g in c.children if g.dep_ == "pobj"]
    if not pobj:
        return _possessive_noun_attribution(ctx, tok)
    sub = list(pobj[0].subtree)
    nxt = ctx.doc[sub[-1].i + 1] if sub[-1].i + 1 < tok.sent.end else None
    # the clause must follow the source at once (the parser may hang it on the main verb)
    if nxt is None or not (nxt.lower_ == "that" and nxt.dep_ == "mark" and nxt.head.dep_ in ("acl", "ccomp", "relcl", "advcl")
                           and nxt.head.i > nxt.i):
        return None
    cs = nxt.idx + len(nxt.text) + 1
    ce = max(x.idx + len(x.text) for x in nxt.head.subtree)
    e = sub[-1].idx + len(sub[-1].text)
    if any(x.lower_ in ("and", "or") for x in sub) and any(x.pos_ == "PROPN" for x in sub):
        ends = [c for c in pobj[0].children if c.dep_ in ("cc", "conj")]
        if ends:  # "from the United States and its allies": the first source
            e = len(body[:min(c.idx for c in ends)].rstrip())
    a = Attribution(verb=None, cue=tok.lemma_, subj_start=sub[0].idx, subj_end=e, head=pobj[0].idx,
                    content=(cs, ce), date_region=None, rule="speech-noun")
    a.extra["according_start"] = tok.idx
    return a


def _possessive_noun_attribution(ctx: ExtractionContext, tok) -> Attribution | None:
    """"the ministry's warning that …", "Moscow's claim that …": the owner of a speech noun is
    its source, the that-clause of the noun its content (a named or described owner, not a
    pronoun: "his warning" is left to the sentence's speaker)."""
    owner = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
    clause = next((c for c in tok.children if c.dep_ in ("acl", "ccomp") and c.i > tok.i), None)
    if owner is None or clause is None:
        return None
    first = clause.left_edge
    if not (first.lower_ == "that" and first.dep_ == "mark" and first.i == tok.i + 1):
        return None
    sub = [t for t in owner.subtree if t.dep_ != "case"]
    end = sub[-1].idx + len(sub[-1].text)
    ce = max(x.idx + len(x.text) for x in clause.subtree)
    a = Attribution(verb=None, cue=tok.lemma_, subj_start=sub[0].idx, subj_end=end, head=owner.idx,
                    content=(first.idx + len(first.text) + 1, ce), date_region=None, rule="speech-noun")
    a.extra["according_start"] = tok.idx
    return a


_ACCORDING_SOURCE = re.compile(r"[^,.;:“”\"(]+?(?=\s*(?:[,.;:“”\"(]|\s+(?:which|who|that|amid|after|as|at the time)\b|$))")


def _according_attribution(ctx: ExtractionContext, m, quotes) -> Attribution | None:
    """"…, according to X" / "According to X, …": X is the source of the sentence around it."""
    body = ctx.body
    s = m.end()
    if _in_quote(quotes, m.start()) or ctx.article.is_furniture(m.start(), m.end()):
        return None
    para_end = body.find("\n", s)
    para_end = len(body) if para_end < 0 else para_end
    seg = re.sub(r"\b(?:[A-Z]\.){2,}(?=\s+[a-z])", lambda x: x.group(0).replace(".", "_"), body[s:para_end])  # "a U.S. military estimate"
    mm = _ACCORDING_SOURCE.match(seg)
    sent = ctx.sent_at(m.start())
    if not mm or sent is None:
        return None
    e = s + len(mm.group(0))
    lo = max(sent.start_char, body.rfind("\n", 0, m.start()) + 1)
    hi = min(sent.end_char, para_end)
    if m.start() - lo < 3 or body[lo:m.start()].strip() in ("", "“", '"'):
        c = (e, hi)
    elif re.match(r"\s*,\s*[a-z]", body[e:e + 4]) and re.search(r",\s*$", body[lo:m.start()]) \
            and len(body[lo:m.start()].split()) <= 6 and re.search(r"\w", body[e:hi]):
        rel = re.search(r",\s+(?:whose|which|who)\b", body[e:hi])
        c = (lo, e + rel.start() if rel else hi)  # "Also among the dead, according to X, was …": the sentence around it
    else:
        c = (lo, m.start())
    head = None
    for t in sent:
        if s <= t.idx < e and t.dep_ == "pobj" and t.head.lower_ == "to":
            head = t.idx
    a = Attribution(verb=None, cue="according to", subj_start=s, subj_end=e, head=head, content=c,
                    date_region=None, rule="according-to")
    a.extra["according_start"] = m.start()
    return a


def _attributions(ctx: ExtractionContext, quotes: list[Quote]) -> list[Attribution]:
    """Every attribution of the article: speech verbs, speech nouns with a source, "according
    to"; each sentence's work isolated (``ctx.isolate``) so a bug loses only that sentence."""
    out: list[Attribution] = []
    for tok in ctx.tokens:
        if tok.lemma_ not in speech_verbs():
            continue
        with ctx.isolate("statements", tok.sent.start_char, tok.sent.end_char):
            a = _verb_attribution(ctx, tok, quotes)
            if a is not None:
                out.append(a)
    _cut_inner_speakers(out)
    for tok in ctx.tokens:
        if tok.lemma_ not in speech_nouns():
            continue
        with ctx.isolate("statements", tok.sent.start_char, tok.sent.end_char):
            a = _noun_attribution(ctx, tok, quotes)
            if a is not None:
                out.append(a)
    for m in re.finditer(r"\b[Aa]ccording to\s+", ctx.body):
        with ctx.isolate("statements", m.start(), m.end()):
            a = _according_attribution(ctx, m, quotes)
            if a is not None:
                out.append(a)
    return out


# --------------------------------------------------------------------------- speakers

_PERSON_PRONOUNS = {"he", "she"}
# actor types a pronoun may continue ("it": one body or document; "they": a group or a body
# the text gives in the plural; the number of the mention is checked by reference.Salience)
_IT_TYPES = frozenset({"Organisation", "Government", "Publisher", "MilitaryForce", "Document", "Group"})
_THEY_TYPES = frozenset({"Group", "Organisation", "Government", "MilitaryForce", "Person", "UnnamedPerson",
                         "AnonymousSource"})
_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they"}  # "quoted him as saying"


def _inside_quotes(quotes, s, e) -> bool:
    return any(q.open <= s and e <= q.close for q in quotes)


# head nouns of descriptions, and what the name of an organisation so described looks like
_MEDIA_NAME = r"\b(?:TV|Television|Radio|Broadcast\w*|News|Channel|Agency|KCNA|RIA|TASS|Xinhua)\b"
_HEAD_KINDS = {"network": _MEDIA_NAME, "broadcaster": _MEDIA_NAME, "channel": _MEDIA_NAME, "station": _MEDIA_NAME,
               "outlet": _MEDIA_NAME, "ministry": r"\bMinistry\b", "monitor": r"\bObservatory\b",
               "soldier": r"\b(?:POWs|prisoners of war)\b", "prisoner": r"\bPOWs\b"}
_VAGUE_HEADS = {"source", "people", "person", "one", "other", "report", "statement", "man", "woman", "side"}


def _is_plural_word(word: str) -> bool:
    """A head noun in the plural ("groups", "officials", "men")."""
    w = word.lower()
    return w in ("men", "women", "people") or (w.endswith("s") and not w.endswith("ss") and len(w) > 3)


def _stem(word: str) -> str:
    """Singular, spelling-folded head noun ("advisors" → "adviser", "militias" → "militia")."""
    w = word.lower()
    w = {"advisor": "adviser", "advisors": "adviser", "men": "man", "women": "woman", "people": "people"}.get(w, w)
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


_DATELINE_LEAD = re.compile(r"^.*?\(\w+\)\s*[—–-]\s*|^[A-Z][A-Z .,'/-]{2,}(?:,\s*[A-Z][a-z]+)?\s*[—–-]\s*")
_GOVERNMENT_TITLES = re.compile(r"(?i)\b(?:foreign|defen[cs]e|prime|interior|finance)\s+minister$|^president$")
_UNNAMED_OFFICIAL = re.compile(
    r"(?:an?|the|one)\s+(?:(?:senior|top|high-ranking|local|regional)\s+)*(?P<adj>(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))\s+"
    r"(?:(?:government|military|defen[cs]e|security|intelligence)\s+)?official", re.I)
# "both", "both sides", "the two sides", "both of them": a pair named by number alone ("sides" is
# the noun for the parties of a conflict or talks whatever their kind); "the two soldiers" names a
# kind of its own and may be another pair than the one coordinated last
_BOTH = re.compile(r"(?i)(?:both(?:\s+of\s+them|\s+sides)?|the\s+two(?:\s+sides)?)")
_NOT_A_NAME = re.compile(r"(?i)\b(?:forces|army|ministry|council|office|agency|channel|group|tv)\b")


class _Speakers:
    def __init__(self, ctx: ExtractionContext, quotes):
        self.ctx = ctx
        self.quotes = quotes
        self.said: list[tuple[int, str]] = []  # (offset, entity id) of resolved speakers
        self.blocked: list[int] = []  # offsets of named-but-unresolved speakers
        self.unresolved_pronouns: dict[str, list[int]] = {}  # "he"/"she" -> offsets left unresolved
        self.documents: list[tuple[int, str, str]] = []  # (offset, noun, author) of "said in a statement"
        # (offset, head noun, entity id, plural?) of described speakers
        self.heads: list[tuple[int, str, str, bool]] = []
        self.salience = _reference.Salience(ctx, lambda s, e: _inside_quotes(quotes, s, e))

    def note_speaker(self, off: int, eid: str, head: str | None = None, end: int | None = None) -> None:
        self.said.append((off, eid))
        self.salience.note_speaker(off, end if end is not None and end > off else off + 1, eid)
        if head:
            self.heads.append((off, _stem(head), eid, _is_plural_word(head)))

    def definite(self, start: int, end: int) -> tuple[str | None, str]:
        """A definite description with no name in it ("the officials", "the advisor", "the
        government-run network", "the militias, who …"): the speaker last described by the same
        head noun (within about three paragraphs), else the one actor of the previous three
        sentences whose mention carries that noun or names that kind of body ("Syrian state TV" →
        "the government-run network"). (None, why) when there is none or several."""
        ctx = self.ctx
        body = ctx.body
        core = re.split(r",\s*(?:who|which)\b|\s+(?:who|which|that)\s", body[start:end])[0].strip(" ,")
        m = re.fullmatch(r"(?:the|The)\s+((?:[a-z][\w-]*\s+){0,3})([a-z]+)", core)
        if not m or any(a < end and start < b for (a, b) in ctx.place_mentions):
            return None, "not a definite description"
        head = _stem(m.group(2))
        if head in _VAGUE_HEADS:
            return None, "vague head"
        plural = _is_plural_word(m.group(2))  # "the group" never takes "aid groups" described before
        same = [(o, eid) for o, h, eid, pl in self.heads if h == head and pl == plural and o < start and start - o < 2500]
        noun_end = "(?:s|es)?" if plural else ""
        if same:
            o, eid = max(same)
            return eid, "definite:same-description"
        sents = [st for st in ctx.sents if st.start_char <= start]
        lo = sents[-4].start_char if len(sents) >= 4 else 0
        cands = {}
        for (ms, me), eid in ctx.entity_mentions.items():
            ent = ctx.entities.by_id[eid]
            if not (lo <= ms < start) or ent.type in ("Person", "Publisher") or _inside_quotes(self.quotes, ms, me):
                continue
            window = body[ms:me]  # (the noun in the mention itself: "the Russian Defense Ministry" → "the ministry")
            kind = _HEAD_KINDS.get(head)
            if re.search(rf"\b{re.escape(head)}{noun_end}\b", window.lower()) or (
                    kind is not None and re.search(kind, body[ms:me])):
                cands[eid] = ms
        if len(cands) == 1:
            return next(iter(cands)), "definite:described-before"
        return None, f"definite description {core!r}: {len(cands)} candidates"

    def _unknown_subject_between(self, lo: int, hi: int, person=None) -> bool:
        """A proper-noun subject between ``lo`` and ``hi`` that is no registered actor (a person
        the extractor missed): a pronoun after it cannot safely skip back over it. Not a plural
        name ("the Houthis", "Argentines remember": number disagrees with "he"/"she"), nor a word of the name of
        ``person``, the candidate itself (its surname alone: "Sun told …. He added")."""
        ctx = self.ctx
        own = {w.lower() for w in person.name.split()} if person is not None else set()
        for tok in ctx.tokens_starting_in(lo + 1, hi):
            if tok.dep_ != "nsubj" or tok.pos_ != "PROPN" or _inside_quotes(self.quotes, tok.idx, tok.idx + 1) \
                    or not _reference.finite(tok.head):  # ("wanted Lopez to stand firm": no speaker)
                continue
            if tok.lower_ in own or _plural_subject(tok):
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

    def _name_after_title(self, a: Attribution):
        """"Russia's negotiator Kirill Dmitriev told …" parsed with the name outside the subject:
        the person named right after the title."""
        body = self.ctx.body
        for (s, e), eid in self.ctx.entity_mentions.items():
            ent = self.ctx.entities.by_id[eid]
            if ent.type == "Person" and a.subj_end <= s <= a.subj_end + 2 and body[a.subj_end:s].strip() == "":
                return ent
        return None

    def _named_next(self, a: Attribution, country: str | None):
        """An unnamed title ("a Ukrainian official claimed …") named in the next sentence: the
        person who opens it as subject ("Andriy Yusov, a representative of …, said")."""
        ctx = self.ctx
        sents = list(ctx.sents)
        cur = next((k for k, st in enumerate(sents) if st.start_char <= a.subj_start < st.end_char), None)
        if cur is None or cur + 1 >= len(sents):
            return None
        nxt = sents[cur + 1]
        win_end = nxt.end_char
        if re.match(r"\s*[“\"]", ctx.body[nxt.start_char:nxt.start_char + 3]):
            pe = ctx.body.find("\n", nxt.start_char)
            win_end = len(ctx.body) if pe < 0 else pe  # a quoted paragraph the parser split
        for (s, e), eid in sorted(ctx.entity_mentions.items()):
            if not (nxt.start_char <= s < win_end) or _inside_quotes(self.quotes, s, e):
                continue
            ent = ctx.entities.by_id[eid]
            lead_title = ctx.body[nxt.start_char:s]
            quoted_lead = bool(re.match(r"\s*[“\"]", lead_title)) and bool(re.search(r"[”\"]\s*,?\s*$", lead_title)) \
                and len(lead_title) < 400  # "“…,” Vitaliy Kim said."
            if ent.type != "Person" or (s - nxt.start_char > 2 and not quoted_lead and not re.fullmatch(
                    rf"(?:[A-Z][\w.’'-]*\s+){{0,4}}?(?:{_actors._ROLE_RE})\s+", lead_title, re.I)):
                return None
            if ent.confidence < 0.6 or any(m.start < a.subj_start for m in ent.mentions):
                return None  # named before: the title would have matched
            if country and ent.country and ent.country != country:
                return None
            rest = ctx.body[e:win_end]
            if not re.match(r"\s*(?:,[^.;“”\"]{3,160},\s*)?(?:\w+\s+){0,2}(?:said|says|told|added|claimed|stated|wrote)\b", rest):
                return None
            return ent
        return None

    def person_pronoun(self, word: str, off: int) -> tuple[str | None, str, str | None]:
        """"he"/"she": the most salient person before it (``reference.Salience``) among the
        subjects of finite clauses and the speakers, of the pronoun's gender; not across a
        speaker left unidentified (a name the extractor missed, or the same pronoun unresolved)
        nor more than about 1,500 characters back."""
        sal = self.salience
        sal.refresh()

        def accept(ent) -> bool:
            return ent.type == "Person" and ent.confidence >= 0.6 and _reference.agrees_gender(sal.gender(ent.id), word)

        e, o, note = sal.best(off, accept=accept, window=None, min_rank=1)
        if e is None:
            if note.startswith("tie"):
                return None, "pronoun", note
            return None, "pronoun", f"pronoun {word!r} with no person before it"
        if any(o < b < off for b in self.blocked + self.unresolved_pronouns.get(word, [])) \
                or self._unknown_subject_between(o, off, self.ctx.entities.by_id[e]):
            return None, "pronoun", f"pronoun {word!r}: an unidentified speaker stands between it and the last person named"
        if off - o > 1500:
            return None, "pronoun", f"pronoun {word!r}: the last person named is too far back"
        sal.note_gender(e, word)
        return e, "pronoun:person", None

    def body_pronoun(self, word: str, off: int) -> tuple[str | None, str, str | None]:
        """"it"/"they": the most salient actor before it (``reference.Salience``) among the
        subjects of finite clauses and the speakers of this and the two previous sentences that
        agrees in kind and number: "it" a singular mention of an organisation, government,
        military force, publisher, group or document; "they" a plural mention or a group. A later
        subject no rule registered ("<Company> cut output. It said …") is what the pronoun
        continues: described as an actor (``described.describe``), else nobody is safe."""
        sal = self.salience
        sal.refresh()
        plural = word == "they"
        kinds = _THEY_TYPES if plural else _IT_TYPES

        def accept(ent) -> bool:
            return ent.type in kinds and ent.confidence >= 0.5

        e, o, note = sal.best(off, accept=accept, window=2, min_rank=1, plural=plural)
        if note.startswith("tie"):
            return None, "pronoun", note
        subj = self._unknown_noun_subject(o if e is not None else self._window_start(off, 1), off, plural)
        if subj is not None:
            # the pronoun continues a subject no rule registered ("<Company> cut output …. It
            # said …"): that subject, described as an actor in its own right
            found = self._describe_subject(subj, kinds)
            if found is not None:
                return found, f"pronoun:{word}:described-subject", None
            return None, "pronoun", f"pronoun {word!r}: a subject that is no known actor stands between it and the last actor named"
        if e is None:
            return None, "pronoun", f"pronoun {word!r}: no organisation or group before it in this or the two previous sentences"
        return e, f"pronoun:{word}", None

    def _window_start(self, off: int, back: int) -> int:
        sents = self.ctx._sent_starts
        here = bisect_left(sents, off + 1) - 1
        return sents[max(0, here - back)] if sents else 0

    def _describe_subject(self, t, kinds) -> str | None:
        ctx = self.ctx
        lo = t.left_edge
        hi = t
        for c in t.rights:
            if c.dep_ in ("prep", "compound", "amod") and c.i == hi.i + 1:
                hi = c.right_edge
            else:
                break
        s, e = lo.idx, hi.idx + len(hi.text)
        ent = _actors.entity_at(ctx, s, e)
        if ent is None:
            ent, _how = _described.describe(ctx, s, e, t, self.salience)
        if ent is None or ent.type not in kinds:
            return None
        self.salience.refresh()
        return ent.id

    def _unknown_noun_subject(self, lo: int, off: int, plural: bool):
        """The last subject of a main clause between ``lo`` and ``off``, of the pronoun's number,
        that could be an actor (a name or an indefinite head noun of an actor's kind) but covers
        no registered actor: "<Company> cut output …, it said"; the pronoun may continue it. A
        definite description ("the two soldiers") points back itself and is passed over, unless
        another actor names it ("the U.N. agency")."""
        ctx = self.ctx
        last = None
        for t in ctx.tokens_starting_in(lo + 1, off):
            if t.dep_ == "nsubj" and t.pos_ in ("NOUN", "PROPN") and t.head.dep_ == "ROOT" \
                    and (t.tag_ in ("NNS", "NNPS")) == plural \
                    and not any(a <= t.idx < b for (a, b) in ctx.entity_mentions) \
                    and not any(a <= t.idx < b for (a, b) in ctx.place_mentions) \
                    and not _inside_quotes(self.quotes, t.idx, t.idx + 1) \
                    and (t.pos_ == "PROPN" or (_described.kind_of_head(t.lemma_.lower(), t.tag_ in ("NNS", "NNPS"))
                                               and not (_definite_np(t) and not self._holds_actor(t)))):
                last = t
        return last

    def _holds_actor(self, t) -> bool:
        """The noun phrase of ``t`` holds an actor's mention as a modifier ("the U.N. agency"):
        it is not that actor, and it may be what a later pronoun continues."""
        lo = t.left_edge.idx
        return any(lo <= a < t.idx for (a, _b) in self.ctx.entity_mentions)

    def pronoun(self, word: str, off: int) -> tuple[str | None, str, str | None]:
        word = _OBJECT_PRONOUNS.get(word.lower(), word.lower())
        if word in _PERSON_PRONOUNS:
            return self.person_pronoun(word, off)
        if word in ("it", "they"):
            return self.body_pronoun(word, off)
        return None, "pronoun", f"pronoun {word!r} not resolved"

    def resolve(self, a: Attribution) -> tuple[str | None, str, str | None]:
        """(entity id, rule, note) for an attribution's subject: each step below in turn, the
        first that answers wins; the open-world description is the last resort."""
        found = self._recover_subject(a)
        if found is not None:
            return found
        if a.subj_start is None:
            return None, "no-subject", "no speaker in the text: no subject for the speech verb"
        self._strip_dateline(a)
        text = self.ctx.body[a.subj_start:a.subj_end]
        for step in (self._coordinated, self._both, self._pronoun_subject, self._bare_title, self._unnamed_official,
                     self._phrase, self._described_next, self._single_surname, self._title_then_name,
                     self._proper_name):
            found = step(a, text)
            if found is not None:
                return found
        return self.open_world(a, text)

    def _recover_subject(self, a: Attribution):
        """A subject the parser did not link to the verb: "Im Eul-chul, a professor at …, said";
        "Speaking in Ankara, Merkel, under fire at home …, said"; "…, the rebels, residents and
        a conflict monitor said" (the words between the clause and the verb)."""
        if a.subj_start is not None or a.verb is None:
            return None
        ctx = self.ctx
        body = ctx.body
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
        for (ps, pe), eid in sorted(ctx.entity_mentions.items()):
            ent = ctx.entities.by_id[eid]
            if ent.type == "Person" and sent.start_char <= ps < a.verb.idx \
                    and re.search(r"(?:^|,)\s*$", body[sent.start_char:ps]) \
                    and re.fullmatch(r",[^,;“”\"]{3,140}(?:,[^,;“”\"]{3,80})?,\s*", body[pe:a.verb.idx]):
                a.subj_start, a.subj_end = ps, pe
                return ent.id, "name-before-apposition", None
        if a.content_before and a.content is not None:
            between = body[a.content[1]:a.verb.idx]
            between = re.sub(r",\s*(?:which|who)\b[^,;“”\"]{3,120},\s*$", " ", between)  # a relative clause
            mb = re.fullmatch(r"\s*,\s*(.{3,80}?)\s*(?:(?:has|have|had|also)\s+)*", between)
            if mb:
                a.subj_start = a.content[1] + mb.start(1)
                a.subj_end = a.content[1] + mb.end(1)
        return None

    def _strip_dateline(self, a: Attribution) -> None:
        body = self.ctx.body
        m = _DATELINE_LEAD.match(body[a.subj_start:a.subj_end])
        if not m:
            return
        if a.subj_start + m.end() < a.subj_end:
            a.subj_start += m.end()  # a dateline glued to the subject
        elif a.verb is not None and a.subj_end < a.verb.idx:
            # the parser took the dateline for the subject: the words after it, up to the verb
            rest = body[a.subj_start + m.end():a.verb.idx]
            if 0 < len(rest.strip()) < 80 and not re.search(r"[,;.“”\"]", rest):
                a.subj_start, a.subj_end = a.subj_start + m.end(), a.verb.idx - (len(rest) - len(rest.rstrip()))
                a.subj_token = None
                a.head = None

    def _both(self, a: Attribution, text: str):
        """"Both said", "both sides accused …", "the two sides agreed …": the pair the text
        coordinated last ("X and Y"), in this or the two previous sentences and outside quotes,
        when both conjuncts name actors; they are the speaker and its co-speaker."""
        if not _BOTH.fullmatch(text.strip()) or a.subj_token is None:
            return None
        ctx = self.ctx
        pairs = [t for t in ctx.tokens_starting_in(self._window_start(a.subj_start, 2), a.subj_start)
                 if t.dep_ == "conj" and t.head.i < t.i and t.pos_ == t.head.pos_ and t.pos_ in ("PROPN", "NOUN")
                 and not any(c.dep_ == "conj" for c in t.children)
                 and sum(c.dep_ == "conj" for c in t.head.children) == 1
                 and not _inside_quotes(self.quotes, t.head.idx, t.idx)]
        if not pairs:
            return None
        last = pairs[-1]
        ids: list[str] = []
        for s, e, tok in _conjuncts(last.head, last.head.left_edge.idx, last.right_edge.idx + len(last.right_edge.text)):
            ent = _actors.entity_at(ctx, s, e, tok.idx)
            if ent is None:
                ent, _how = _actors.resolve_phrase(ctx, s, e, tok.idx)
            if ent is None or ent.type == "Publisher":
                return None, "both", f"'both' continues a pair not all of whom are actors: {ctx.body[s:e][:60]!r}"
            if ent.id not in ids:
                ids.append(ent.id)
        if len(ids) != 2:
            return None
        a.extra["co_speakers"] = ids[1:]
        return ids[0], "both", None

    def _coordinated(self, a: Attribution, text: str):
        """"police and medical sources", "rights monitors and rescue volunteers": described
        sources given together are one source group; named actors are several speakers."""
        ctx = self.ctx
        st = a.subj_token
        if not ((st is not None and any(c.dep_ == "conj" for c in st.children))
                or (st is None and re.search(r"\s(?:and|or)\s", text))):
            return None
        span = ctx.doc.char_span(a.subj_start, a.subj_end, alignment_mode="expand")
        named = any(a.subj_start <= x < a.subj_end and ctx.entities.by_id[eid].type != "Group"
                    for (x, _y), eid in ctx.entity_mentions.items()) or \
            any(a.subj_start <= x < a.subj_end for (x, _y) in ctx.place_mentions)
        if span is not None and not named and not any(t.pos_ == "PROPN" for t in span) \
                and re.search(rf"\b(?:{_actors._GROUP_HEADS}|sources|monitor|volunteers|workers)\b", text) \
                and len(text) < 60:
            name = re.sub(r"^(?:the|The)\s+", "", text.strip(" ,"))
            g = _actors._register(ctx, key=f"group/{_actors.slug(name)}", type="Group", name=name[0].upper() + name[1:],
                                  start=a.subj_start, end=a.subj_end, rule="group:joint-sources", confidence=0.6)
            return g.id, "joint-sources", None
        return self.several(a, text)

    def _pronoun_subject(self, a: Attribution, text: str):
        st = a.subj_token
        if st is not None and st.lower_ in ("he", "she", "it", "they", "we", "i", "him", "her", "them") and st.pos_ == "PRON":
            return self.pronoun(st.lower_, st.idx)
        return None

    def _bare_title(self, a: Attribution, text: str):
        """A title alone: "the foreign minister", "Nato's secretary-general"."""
        bare = re.sub(r"^(?:the|The)\s+", "", text.strip())
        if not (re.fullmatch(_actors._ROLE_RE, bare, re.I) or re.fullmatch(r"[A-Z]\w+['’]s\s+" + _actors._ROLE_RE, bare, re.I)):
            return None
        ctx = self.ctx
        role = _actors._norm_role(re.sub(r"^[A-Z]\w+['’]s\s+", "", bare))
        owner = re.match(r"^([A-Z]\w+)['’]s\s+", bare)
        owner_code = (_actors.country_of(owner.group(1)) or _actors.metonym_of(owner.group(1))) if owner else None
        owner_known = _actors.known(owner.group(1)) if owner else None

        def held_by(e) -> bool:
            if not owner:
                return True
            aff = ctx.entities.by_id.get(e.affiliation) if e.affiliation else None
            return aff is not None and ((owner_code is not None and aff.country == owner_code)
                                        or (owner_known is not None and aff.key == owner_known.key))
        persons = [e for e in ctx.entities.items if e.type == "Person" and e.role
                   and (e.role == role or e.role.endswith(" " + role))
                   and held_by(e) and any(m.start < a.subj_start for m in e.mentions)]
        if len(persons) == 1:
            return persons[0].id, "title", None
        if not persons:
            found = self._title_without_holder(a, text, role, owner, owner_code)
            if found is not None:
                return found
            return None, "title", f"title without a named holder: {bare!r}"
        return None, "title", f"tie between candidates: title {bare!r} matches {len(persons)} persons of the article"

    def _title_without_holder(self, a: Attribution, text: str, role: str, owner, owner_code):
        ctx = self.ctx
        named = self._name_after_title(a)
        if named is not None:
            return named.id, "title-then-name", None
        definite = re.match(r"(?:the|The)\s", text.strip())
        if not owner and definite:
            named = self._named_next(a, None)
            if named is not None and (named.role is None or named.role == role or named.role.endswith(" " + role)):
                if named.role is None:
                    named.role = role
                return named.id, "title-named-next", None  # "the regional governor …" | "“…,” Vitaliy Kim said"
        if owner_code:
            named = self._named_next(a, owner_code)
            if named is not None:  # "Ukraine’s top prosecutor …" | "Prosecutor General Iryna Venediktova said"
                if named.affiliation is None and named.country in (None, owner_code):
                    named.affiliation = _actors.government(ctx, owner_code).id
                    named.country = owner_code
                return named.id, "title-named-next", None
        if owner_code and owner is not None and _actors.country_from_name_only(owner.group(1)) \
                and _GOVERNMENT_TITLES.search(role):
            # "Lebanon's foreign minister", unnamed: speaks for the government
            return _actors.government(ctx, owner_code).id, "title:government", None
        if not owner and definite:
            eid, dhow = self.definite(a.subj_start, a.subj_end)  # "the advisor" after "an adviser to X said"
            if eid is not None and dhow == "definite:same-description":
                return eid, dhow, None
        return None

    def _unnamed_official(self, a: Attribution, text: str):
        """"a Ukrainian official" named in the next sentence, else the described group of that
        country's officials ("a senior Israeli official")."""
        mo = _UNNAMED_OFFICIAL.fullmatch(text.strip(" ,"))
        code = _actors.country_of(mo.group("adj")) if mo else None
        if not code:
            return None
        named = self._named_next(a, code)
        if named is not None:
            return named.id, "title-named-next", None
        adj = _actors.demonym_for(code)
        if not adj:
            return None
        g = _actors._register(self.ctx, key=f"group/{_actors.slug(adj)}-officials", type="Group",
                              name=f"{adj} officials", start=a.subj_start, end=a.subj_end,
                              rule="group:unnamed-official", confidence=0.6, country=code)
        return g.id, "unnamed-official", None

    def _phrase(self, a: Attribution, text: str):
        """The actor the phrase names (``actors.resolve_phrase``), or the one a definite
        description refers to."""
        ent, how = _actors.resolve_phrase(self.ctx, a.subj_start, a.subj_end, a.head)
        if ent is not None and ent.type == "Person" and len(ent.name.split()) == 1:
            full = self._full_name(ent.name, a.subj_start)
            if full is not None:
                return full.id, "surname-link", None
        if ent is not None and ent.type == "Organisation" and ent.name.isupper() and " " not in ent.name:
            # an acronym of an organisation named in full before ("the NRC")
            self.salience.refresh()
            full = _described.link_single_name(self.ctx, self.salience, ent.name, a.subj_start, a.subj_end)[0]
            if full is not None and full.id != ent.id:
                return full.id, "acronym-link", None
        if ent is not None:
            return ent.id, how, None
        if a.subj_token is None or a.subj_token.pos_ == "NOUN":
            eid, dhow = self.definite(a.subj_start, a.subj_end)
            if eid is not None:
                return eid, dhow, None
        return None

    def _described_next(self, a: Attribution, text: str):
        """"a Kremlin-installed politician in … said …" | "“…,” Kirill Stremousov, deputy head of
        …, told …": the person the next sentence introduces as its speaker."""
        st = a.subj_token
        if st is not None and st.pos_ == "NOUN" and st.lemma_.lower() in _PERSON_NOUNS \
                and re.match(r"(?:an?|An?)\s", text.strip()):
            named = self._named_next(a, None) or self._named_in_apposition_next(a, st)
            if named is not None:
                return named.id, "described-named-next", None
        return None

    def _named_in_apposition_next(self, a: Attribution, st):
        """"A former commander of the unit said …" | "The commander – call-sign <Name> – said":
        the next sentence's subject, the same noun, names the person in apposition."""
        ctx = self.ctx
        sent = a.verb.sent if a.verb is not None else None
        if sent is None or sent.end >= len(ctx.doc):
            return None
        for t in ctx.doc[sent.end].sent:
            if t.dep_ != "nsubj" or t.lemma_.lower() != st.lemma_.lower():
                continue
            for c in t.children:
                if c.dep_ == "appos" and c.pos_ == "PROPN" and c.ent_type_ == "PERSON":
                    ent = _actors.entity_at(ctx, c.idx, c.idx + len(c.text))
                    if ent is not None and ent.type == "Person":
                        return ent
        return None

    def _single_surname(self, a: Attribution, text: str):
        if re.fullmatch(r"[A-Z][\w-]+", text.strip()):
            full = self._full_name(text.strip(), a.subj_start)
            if full is not None:
                return full.id, "surname-link", None
        return None

    def _title_then_name(self, a: Attribution, text: str):
        """"The Ukrainian Air Force spokesperson Yurii Ihnat", "Ukraine’s energy minister, Denys
        Shmyhal,": a name spaCy missed after a title."""
        ctx = self.ctx
        m = re.search(rf"(?:{_actors._ROLE_RE})\s*,?\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{1,2}})\s*,?\s*$", text, re.I)
        if not (m and m.group(1)[0].isupper()):
            return None
        name = m.group(1)
        s0 = a.subj_start + m.start(1)
        ext = re.match(r"-[A-Z][\w]+", ctx.body[s0 + len(name):s0 + len(name) + 30])
        if ext:
            name += ext.group(0)
        if _actors.country_of(name) or _actors.metonym_of(name) or _actors.known(name) \
                or any(pa < s0 + len(name) and s0 < pb for (pa, pb) in ctx.place_mentions):
            return None
        pe = _actors._register(ctx, key=f"person/{_actors.slug(name)}", type="Person", name=name, start=s0,
                               end=s0 + len(name), rule="speaker:title-name", confidence=0.6)
        if pe.role is None:
            pe.role = _actors._norm_role(re.search(_actors._ROLE_RE + r"\s*,?\s+[A-Z]", text, re.I).group(0)[:-1].strip(" ,"))
        return pe.id, "title-name", None

    def _proper_name(self, a: Attribution, text: str):
        """A proper name spaCy missed ("Choi Il", "Serhii Kuzan"): the run of proper nouns (and
        hyphens inside a name) that opens the subject phrase, after an honorific; one word links
        to the person named before ("Mr Lee")."""
        ctx = self.ctx
        body = ctx.body
        st = a.subj_token
        if st is None or st.pos_ != "PROPN":
            return None
        span = ctx.doc.char_span(a.subj_start, a.subj_end, alignment_mode="expand")
        run: list = []
        for t in (span if span is not None else []):
            glued = bool(run) and t.idx == run[-1].idx + len(run[-1].text)
            if not (t.pos_ == "PROPN" or (t.text == "-" and glued) or (glued and run[-1].text == "-")):
                break
            run.append(t)
        if not run or run[-1].text == "-":
            return None
        words = [t for t in run if t.text != "-"]
        s, e = run[0].idx, run[-1].idx + len(run[-1].text)
        h = _actors._HONORIFIC.match(body[s:e])
        if h:  # "Mr Lee", "President Marcos": the name after the title
            s += h.end()
            words = [t for t in words if t.idx >= s]
        if len(words) == 1 and s < e:
            linked = self.link_name(s, e)
            if linked is not None:
                return linked, "name-link", None
        if not 2 <= len(words) <= 4:
            return None
        name = body[s:e]
        if _actors.country_of(name) or _actors.metonym_of(name) or _actors.known(name) \
                or any(t.ent_type_ in ("ORG", "FAC") for t in words) \
                or any(pa < e and s < pb for (pa, pb) in ctx.place_mentions) or _NOT_A_NAME.search(name):
            return None
        pe = _actors._register(ctx, key=f"person/{_actors.slug(name)}", type="Person", name=name, start=s,
                               end=e, rule="speaker:proper-name", confidence=0.6)
        return pe.id, "proper-name", None

    def several(self, a: Attribution, text: str) -> tuple[str | None, str, str | None]:
        """"Paris and Berlin said": one statement, the first conjunct its speaker and the others
        its co-speakers (``a.extra["co_speakers"]``), when every conjunct names an actor."""
        ctx = self.ctx
        st = a.subj_token
        ids: list[str] = []
        for s, e, tok in _conjuncts(st, a.subj_start, a.subj_end) if st is not None else []:
            ent, _how = _actors.resolve_phrase(ctx, s, e, tok.idx)
            if ent is None:
                self.salience.refresh()
                ent, _how = _described.describe(ctx, s, e, tok, self.salience)
            if ent is None:
                return None, "several-speakers", f"several speakers, one not identified: {ctx.body[s:e][:60]!r} in {text[:80]!r}"
            if ent.id not in ids:
                ids.append(ent.id)
        if len(ids) < 2:
            return None, "several-speakers", f"several speakers, not told apart: {text[:80]!r}"
        a.extra["co_speakers"] = ids[1:]
        return ids[0], "several-speakers", None

    def link_name(self, s: int, e: int) -> str | None:
        """A single name ("Lee", "Machado", "FFC"): the actor named before whose name holds it
        as a word, or whose initials it is (salience, ``reference.Salience``)."""
        self.salience.refresh()
        ent, _how = _described.link_single_name(self.ctx, self.salience, self.ctx.body[s:e], s, e)
        return ent.id if ent is not None else None

    def open_world(self, a: Attribution, text: str) -> tuple[str | None, str, str | None]:
        """The last resort: the phrase describes an actor of its own (``described.describe``)."""
        ctx = self.ctx
        head = a.subj_token
        if head is None and a.head is not None:
            span = ctx.doc.char_span(a.head, a.head + 1, alignment_mode="expand")
            head = span[0] if span is not None and len(span) else None
        s, e = _trim_content(ctx.body, a.subj_start, a.subj_end)
        self.salience.refresh()
        ent, how = (None, "empty phrase") if e <= s else _described.describe(ctx, s, e, head, self.salience)
        if ent is not None:
            return ent.id, how, None
        if how.startswith("no antecedent") and head is not None:
            eid = self.document_author(head, a.subj_start)
            if eid is not None:
                return eid, "document-author", None
        if how.startswith(("tie", "title without")):
            return None, "unresolved", how
        return None, "unresolved", f"speaker is no actor: {text[:80]!r} ({how})"

    def note_document(self, verb, eid: str) -> None:
        """"X said in a statement …": the statement is X's; a later "the statement added" is X."""
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "through", "via"):
                for p in c.children:
                    if p.dep_ == "pobj" and _described.head_kinds().get(p.lemma_.lower()) == "document":
                        self.documents.append((verb.idx, p.lemma_.lower(), eid))

    def document_author(self, head, off: int) -> str | None:
        """A definite document ("the statement") with no antecedent of its own: the author of the
        last document of that noun named through a speech verb ("X said in a statement"), in
        about the last 1,500 characters."""
        if _described.head_kinds().get(head.lemma_.lower()) != "document" or not any(
                c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
            return None
        same = [(o, eid) for o, lemma, eid in self.documents if lemma == head.lemma_.lower() and 0 < off - o < 1500]
        return max(same)[1] if same else None


def _conjuncts(tok, lo: int, hi: int) -> list[tuple[int, int, object]]:
    """(start, end, head token) of each conjunct of a coordinated subject ("Israel and the United
    States", "Paris, Berlin and Rome"), each without the conjuncts and conjunctions after it."""
    heads = [tok]
    while True:
        nxt = [c for c in heads[-1].children if c.dep_ == "conj"]
        if not nxt:
            break
        heads.append(nxt[0])
    out = []
    for h in heads:
        cut = {x.i for c in h.children if c.dep_ in ("conj", "cc") or (c.dep_ == "punct" and c.i > h.i)
               for x in c.subtree}
        toks = [t for t in h.subtree if t.i not in cut and lo <= t.idx < hi]
        if not toks:
            continue
        s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        out.append((s, e, h))
    return out


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


def _habitual(verb) -> bool:
    """A speech verb of no one occasion: present perfect or present tense, or with an adverb
    of frequency ("has consistently claimed", "repeatedly warned", "says")."""
    if verb is None:
        return False
    if verb.tag_ in ("VBZ", "VBP") or any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in verb.children):
        return True
    return any(c.dep_ == "advmod" and c.lower_ in ("repeatedly", "consistently", "long", "often", "always", "frequently",
                                                     "previously", "routinely") for c in verb.children)


def _date_of_earlier_act(ctx: ExtractionContext, quotes, st: Statement):
    """A statement with no time of its own whose speaker, in an earlier sentence of the same or
    the previous paragraph, is the subject (or agent) of a verb with a time expression ("The
    Kremlin declared a ceasefire on Monday. … Russia will not …, the Kremlin said"; "reported by
    KCNA on Thursday … KCNA said"): the same occasion, so that date. The nearest such act wins."""
    body = ctx.body
    para = body.rfind("\n", 0, st.span.start) + 1
    prev_para = body.rfind("\n", 0, max(0, para - 1)) + 1
    while prev_para > 0 and body[prev_para:para].strip() == "":
        prev_para = body.rfind("\n", 0, max(0, prev_para - 1)) + 1
    sent = ctx.sent_at(st.span.start)
    if sent is None:
        return None
    best = None
    for (ms, me), eid in ctx.entity_mentions.items():
        if eid != st.speaker or not (prev_para <= ms < sent.start_char) or _inside_quotes(quotes, ms, me):
            continue
        span = ctx.doc.char_span(ms, me, alignment_mode="expand")
        if span is None:
            continue
        tok = span.root
        if tok.dep_ == "appos":  # "the North's state media Korean Central News Agency"
            tok = tok.head
        if tok.dep_ in ("nsubj", "nsubjpass"):
            verb = tok.head
        elif tok.dep_ == "pobj" and tok.head.dep_ == "agent":
            verb = tok.head.head
        else:
            continue
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        # the time expression hangs on the verb, or on the actor's own name ("by KCNA on Thursday")
        objs = [c for c in verb.children if c.dep_ == "dobj"]
        times = [c for c in list(verb.children) + list(tok.children) + [g for o in objs for g in o.children]
                 if c.dep_ in ("prep", "npadvmod", "advmod") and c.i > tok.i
                 and any(t.ent_type_ == "DATE" for t in c.subtree) and len(list(c.subtree)) <= 6]
        for c in times:
            a, b = _span_of(c)
            dv = find_date(ctx, a, b)
            if dv is not None and (best is None or ms > best[0]):
                best = (ms, dv)
    return best[1] if best else None


def _attribution_for_quote(body: str, attrs: list[Attribution], quotes: list[Quote], q: Quote) -> tuple[int | None, str]:
    """The attribution a direct quote belongs to, and how: inside a speech verb's content
    ("X said “…”"), right after it ("“…,” X said", "“…,” according to X") or before it ("X
    said: “…”")."""
    para_start = body.rfind("\n", 0, q.open) + 1
    para_end = body.find("\n", q.close)
    para_end = len(body) if para_end < 0 else para_end
    inside = [(a.content[1] - a.content[0], i) for i, a in enumerate(attrs)
              if a.content and a.verb is not None and not (q.open <= a.verb.idx < q.close)
              and (a.content[0] - 2 <= q.start and q.end <= a.content[1] + 2
                   # a quote that opens the reported clause and runs past its sentence
                   or (a.content[0] - 2 <= q.open <= a.content[0] + 1 and q.end > a.content[1]))]
    if inside:
        i = min(inside)[1]
        a = attrs[i]
        how = "after-verb" if a.verb.idx >= q.close else (
            "before-verb" if re.search(r"[:,]\s*$", body[a.verb.idx:q.open]) else "in-reported")
        return i, how
    ends_sentence = bool(re.search(r"[.!?]$", body[q.start:q.end])) and bool(re.match(r"\s+[A-Z]", body[q.close:q.close + 3]))
    if not ends_sentence:
        found = _attribution_after_quote(body, attrs, q, para_end)
        if found is not None:
            return found, "after-verb"
    for i, a in reversed(list(enumerate(attrs))):
        if a.verb is None or a.verb.idx > q.open or a.verb.idx < para_start:
            continue
        between = body[a.verb.idx + len(a.verb.text):q.open]
        if len(between) <= 120 and re.search(r"[:,]\s*$", between) and not re.search(r"[.!?][”\"]?\s", between) \
                and not any(qq.close <= q.open and qq.open > a.verb.idx for qq in quotes):
            return i, "before-verb"
        break
    return None, ""


_BETWEEN_QUOTE_AND_VERB = re.compile(r"[\s,.!?—–-]*(?:(?:also|then|later|has|had|have|was|were|is|were|,)\s*)*")


def _attribution_after_quote(body: str, attrs: list[Attribution], q: Quote, para_end: int) -> int | None:
    for i, a in enumerate(attrs):
        anchor = a.verb.idx if a.verb is not None else a.extra.get("according_start")
        if anchor is None or anchor < q.close or anchor > para_end:
            continue
        between = body[q.close:anchor]
        if a.subj_start is not None and q.close <= a.subj_start and a.subj_end <= anchor:
            between = body[q.close:a.subj_start] + body[a.subj_end:anchor]
        return i if _BETWEEN_QUOTE_AND_VERB.fullmatch(between) else None
    return None


class _Builder:
    """Makes the statements of one article, in text order: each quote and each attribution is
    one event; a speaker resolved once is reused."""

    def __init__(self, ctx: ExtractionContext) -> None:
        self.ctx = ctx
        self.body = ctx.body
        self.quotes = [q for q in find_quotes(self.body) if not ctx.article.is_furniture(q.open, q.close)]
        self.attrs = _attributions(ctx, self.quotes)
        self.speakers = _Speakers(ctx, self.quotes)
        self.made: list[Statement] = []
        self.habitual: set[str] = set()  # statements of no one occasion ("has repeatedly said")
        self.resolved: dict[int, tuple[str | None, str, str | None]] = {}
        self.prev_quote_speaker: tuple[int, str | None, str] | None = None  # (paragraph start, speaker, rule)
        self.n = len(ctx.statements)
        # sentences that hold another attribution: "according to" there is a source of the source
        # (a verb that reports nothing, "the conflict has claimed 400,000 lives", does not count)
        self.verb_sents = {a.verb.sent.start_char for a in self.attrs if a.verb is not None and a.subj_start is not None
                           and a.content is not None}

    def new_id(self) -> str:
        self.n += 1
        return f"S{self.n}"

    def events(self) -> list[tuple[int, str, int]]:
        attrs = self.attrs
        order = sorted(range(len(attrs)), key=lambda i: (attrs[i].verb.idx if attrs[i].verb is not None else attrs[i].subj_start))
        events = [((attrs[i].verb.idx if attrs[i].verb is not None else attrs[i].subj_start), "attr", i) for i in order]
        events += [(q.open, "quote", qi) for qi, q in enumerate(self.quotes)]
        events.sort(key=lambda x: (x[0], x[1]))
        return events

    def run(self) -> None:
        ctx = self.ctx
        for off, kind, idx in self.events():
            sent = ctx.sent_at(off)
            lo, hi = (sent.start_char, sent.end_char) if sent is not None else (off, off + 1)
            with ctx.isolate("statements", lo, hi):
                if kind == "quote":
                    self.quote_statement(self.quotes[idx])
                else:
                    self.reported_statement(idx)
        for st in self.made:
            if st.date is None and st.speaker is not None and st.id not in self.habitual:
                st.date = _date_of_earlier_act(ctx, self.quotes, st)
        # renumber in document order
        self.made.sort(key=lambda x: (x.span.start, x.span.end))
        for k, st in enumerate(self.made, len(ctx.statements) + 1):
            st.id = f"S{k}"
        ctx.statements.extend(self.made)
        _forget_silent_actors(ctx)

    # -- speakers, mentions and dates -----------------------------------------------------------
    def resolve(self, i: int):
        if i in self.resolved:
            return self.resolved[i]
        a = self.attrs[i]
        self.resolved[i] = found = self.speakers.resolve(a)
        if found[0] is not None:
            head = None
            if a.subj_token is not None and a.subj_token.pos_ == "NOUN" and a.subj_token.tag_ in ("NN", "NNS") \
                    and a.subj_start is not None and a.subj_start <= a.subj_token.idx < a.subj_end:
                head = a.subj_token.text
            self.speakers.note_speaker(a.subj_start if a.subj_start is not None else 0, found[0], head,
                                       a.subj_end if a.subj_start is not None else None)
            if a.verb is not None:
                self.speakers.note_document(a.verb, found[0])
        elif a.verb is not None and a.subj_start is not None and a.subj_token is not None \
                and a.subj_token.pos_ != "PRON" and not a.extra.get("inherited") and _may_speak(a.subj_token) \
                and _may_be_a_person(a.subj_token):
            self.speakers.blocked.append(a.subj_start)
        elif a.subj_token is not None and a.subj_token.pos_ == "PRON" and a.subj_start is not None:
            word = _OBJECT_PRONOUNS.get(a.subj_token.lower_, a.subj_token.lower_)
            self.speakers.unresolved_pronouns.setdefault(word, []).append(a.subj_start)
        return found

    def speaker_mention(self, a: Attribution, eid: str | None):
        ctx = self.ctx
        if a.subj_start is None:
            return None
        if eid is not None:
            for (s, e), x in ctx.entity_mentions.items():
                if x == eid and a.subj_start <= s and e <= a.subj_end:
                    return ctx.span(s, e)
        s, e = _trim_content(self.body, a.subj_start, a.subj_end)
        if a.subj_token is not None and a.subj_token.pos_ == "PRON":
            return ctx.span(a.subj_token.idx, a.subj_token.idx + len(a.subj_token.text))
        return ctx.span(s, e) if e > s and e - s < 200 else None

    def date_of(self, a: Attribution):
        if a.date_region is None or a.date_region[1] <= a.date_region[0]:
            return None
        return find_date(self.ctx, *a.date_region)

    def inherit_date(self, st: Statement) -> None:
        """A statement without a time expression of its own, by the speaker of the statement just
        before it in the same or the previous paragraph ("…,” Zelenskyy told reporters on Friday.
        He added that …"): the same occasion, so the same date."""
        body = self.body
        if st.date is not None or st.speaker is None or not self.made:
            return
        prev = max(self.made, key=lambda m: m.span.start)
        if prev.speaker != st.speaker or prev.date is None or prev.span.start > st.span.start:
            return
        para = body.rfind("\n", 0, st.span.start) + 1
        prev_para = body.rfind("\n", 0, max(0, para - 1)) + 1
        if body[prev_para:para].strip() == "":
            prev_para = body.rfind("\n", 0, max(0, prev_para - 1)) + 1
        if prev.span.start >= prev_para:
            st.date = prev.date

    def finish(self, st: Statement, a: Attribution | None) -> None:
        if any((m.span.start, m.span.end) == (st.span.start, st.span.end) for m in self.made):
            return  # two attributions of one clause ("insisted …, asking that …"): the first one's
        st.about = _about(self.ctx, st.span.start, st.span.end, st.speaker)
        self.inherit_date(st)
        self.made.append(st)
        if a is not None and _habitual(a.verb):
            self.habitual.add(st.id)

    # -- direct quotes --------------------------------------------------------------------------
    def continuation(self, q: Quote, para_start: int):
        """A quote with no attribution of its own after a quote of the same paragraph, or a
        paragraph that is only a quote right after one that ended with an attributed quote:
        (speaker, note), or None when it continues nothing."""
        if self.prev_quote_speaker is None:
            return None
        body = self.body
        pstart, pspeaker, _r = self.prev_quote_speaker
        prev_para_start = body.rfind("\n", 0, max(0, para_start - 1)) + 1
        while prev_para_start > 0 and body[prev_para_start:para_start].strip() == "":
            prev_para_start = body.rfind("\n", 0, max(0, prev_para_start - 1)) + 1  # blank lines
        para_end = body.find("\n", q.close)
        para_end = para_end if para_end >= 0 else len(body)
        para_only_quote = body[para_start:q.open].strip() == "" and not any(
            at.verb is not None and para_start <= at.verb.idx < para_end for at in self.attrs)
        if pstart == para_start or (para_only_quote and pstart in (prev_para_start, para_start)):
            return pspeaker, (None if pspeaker else "continues an unattributed quote: the quote before it has no speaker")
        return None

    def quote_statement(self, q: Quote) -> None:
        body = self.body
        inner_words = len(body[q.start:q.end].split())
        ai, how = _attribution_for_quote(body, self.attrs, self.quotes, q)
        para_start = body.rfind("\n", 0, q.open) + 1
        a = self.attrs[ai] if ai is not None else None
        co: list[str] = []
        if a is not None:
            if how == "in-reported" and inner_words < 3 and not (
                    a.content is not None and q.open - 1 <= a.content[0] <= q.start + 1 and a.extra.get("object")):
                # a scare quote inside reported speech: part of the reported clause (but a
                # quote that opens the object is what was said: "noted “good results” from …")
                return
            speaker, _srule, note = self.resolve(ai)
            co = a.extra.get("co_speakers", []) if speaker else []
            rule = f"direct-quote:{how}"
        else:
            cont = self.continuation(q, para_start)
            if cont is None:
                return  # an unattributed quote (a title, a scare quote): not a statement
            speaker, note = cont
            rule = "direct-quote:continuation"
        if inner_words < 2:
            return
        st = Statement(
            id=self.new_id(), speaker=speaker, text=body[q.start:q.end], direct=True, span=self.ctx.span(q.start, q.end),
            cue=(a.cue if a is not None else None), rule=rule,
            confidence=0.9 if rule in ("direct-quote:after-verb", "direct-quote:before-verb") else 0.75,
            speaker_note=(note or "speaker not resolved") if speaker is None else None, co_speakers=list(co),
        )
        if a is not None:
            st.speaker_mention = self.speaker_mention(a, speaker)
            st.date = self.date_of(a)
        elif self.made:
            last = max(self.made, key=lambda m: m.span.start)
            st.date, st.cue = last.date, last.cue
        self.finish(st, a)
        self.prev_quote_speaker = (para_start, speaker, rule)

    # -- reported speech ------------------------------------------------------------------------
    def source_of_source(self, a: Attribution) -> bool:
        """"according to" in a sentence with another speech verb is a source of the source,
        unless that verb is the source's own ("according to the Ukrainian military, which said …")."""
        if a.verb is not None or a.subj_start is None:
            return False
        sent = self.ctx.sent_at(a.subj_start)
        if sent is None or sent.start_char not in self.verb_sents:
            return False
        others = [b for b in self.attrs if b.verb is not None and b.subj_start is not None and b.content is not None
                  and sent.start_char <= b.verb.idx < sent.end_char]
        return not all(b.verb.dep_ == "relcl" and a.subj_start <= b.subj_start < a.subj_end + 2 for b in others)

    def reported_span(self, a: Attribution) -> tuple[int, int] | None:
        """The reported clause, cut at a sentence end inside it; None when it is too short."""
        body = self.body
        s, e = _trim_content(body, *a.content)
        if e - s < 8 or len(body[s:e].split()) < 3:
            return None
        for cm in re.finditer(r"(?<=[a-z0-9”\"\)])[.!?]\s+(?=[A-Z“\"])", body[s:e]):
            if not _ABBREV_END.search(body[s:s + cm.start()]):  # "charged Sgt. Vadin …"
                if not _inside_quotes(self.quotes, s + cm.start(), s + cm.start() + 1):
                    s, e = _trim_content(body, s, s + cm.start())
                break
        return s, e

    def mostly_quoted(self, s: int, e: int) -> bool:
        """The content is (mostly) a direct quote, which is then the statement ("said Ukraine
        favored any diplomatic format “that …”" has a lead of its own, with a verb)."""
        body, quotes = self.body, self.quotes
        if any(q.open <= s <= q.start + 1 for q in quotes):
            return True
        first_q = min((q.open for q in quotes if s <= q.open < e), default=e)
        lead_span = self.ctx.doc.char_span(s, first_q, alignment_mode="contract") if first_q > s else None
        own_lead = len(body[s:first_q].split()) >= 4 and lead_span is not None and any(
            t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in lead_span)
        cover = sum(max(0, min(e, q.close) - max(s, q.open)) for q in quotes)
        return cover >= 0.6 * (e - s) and not own_lead

    def object_start(self, a: Attribution, idx: int) -> int:
        """An object complement is no proposition by itself ("confirmed a 10,000-strong
        deployment"): the statement is the clause with its verb (and its subject)."""
        if a.subj_start is not None and not a.extra.get("inherited") and a.subj_start < a.verb.idx \
                and a.subj_token is not None and a.subj_token.pos_ != "PRON" \
                and a.subj_start >= a.verb.sent.start_char and not quote_cover_any(self.quotes, a.subj_start, a.verb.idx) \
                and a.subj_end - a.subj_start < 60 and self.resolve(idx)[0] is not None \
                and not re.search(r"\d", self.body[a.subj_start:a.verb.idx]):
            return a.subj_start
        return a.verb.idx

    def reported_statement(self, idx: int) -> None:
        a = self.attrs[idx]
        body = self.body
        if a.verb is not None:
            self.resolve(idx)
        if a.content is None or self.source_of_source(a):
            return
        span = self.reported_span(a)
        if span is None:
            return
        s, e = span
        if self.mostly_quoted(s, e):
            self.resolve(idx)
            return
        if _inside_quotes(self.quotes, s, e):
            return
        s_content = s
        if a.verb is not None and (a.extra.get("object") or (
                a.verb.lemma_ in OBJECT_OK and not a.content_before and a.verb.idx < s)):
            # an object complement is no proposition by itself; and a verb that takes one
            # (claim, deny, demand …) qualifies its clause too ("denied that …" is a denial):
            # the statement holds the verb (and its subject)
            s = self.object_start(a, idx)
        speaker, _srule, note = self.resolve(idx)
        co = a.extra.get("co_speakers", []) if speaker else []
        cue = a.cue
        if a.verb is None:
            rule = f"reported:{a.cue}-noun" if a.rule == "speech-noun" else "reported:according-to"
        else:
            has_that = bool(re.search(r"\bthat\s*$", body[max(0, s_content - 6):s_content]))
            rule = f"reported:{cue.replace(' ', '-')}-that" if has_that else f"reported:{cue.replace(' ', '-')}"
        st = Statement(id=self.new_id(), speaker=speaker, text=body[s:e], direct=False, span=self.ctx.span(s, e), cue=cue,
                       rule=rule, confidence=0.8 if speaker else 0.6,
                       speaker_note=(note or "speaker not resolved") if speaker is None else None,
                       co_speakers=list(co))
        st.speaker_mention = self.speaker_mention(a, speaker)
        st.date = self.date_of(a)
        self.finish(st, a)
        if speaker is not None and a.verb is not None:
            # a quote that follows in the paragraph (or opens the next one) goes on for this speaker
            # ("Korotkov told CNN that … “I think the story is true”")
            self.prev_quote_speaker = (body.rfind("\n", 0, a.verb.idx) + 1, speaker, st.rule)


def _forget_silent_actors(ctx: ExtractionContext) -> None:
    """An actor this step described only because a phrase might speak (``described.describe``)
    is an actor only if a statement kept it as its speaker (or a document it kept is by it):
    the others are forgotten with their mentions."""
    keep = {x for st in ctx.statements for x in (st.speaker, *st.co_speakers) if x}
    for ent in ctx.entities.items:
        if ent.type == "Document" and ent.affiliation in keep:
            keep.add(ent.id)
    keep |= {ent.affiliation for ent in ctx.entities.items if ent.id in keep and ent.affiliation}
    silent = {ent.id for ent in ctx.entities.items
              if ent.id not in keep and ent.rule.startswith(_described.OPEN_WORLD_RULES)}
    if not silent:
        return
    ctx.entities.discard(silent)
    for span in [k for k, eid in ctx.entity_mentions.items() if eid in silent]:
        del ctx.entity_mentions[span]
    for ent in ctx.entities.items:
        if ent.affiliation in silent:
            ent.affiliation = None


def extract_statements(ctx: ExtractionContext) -> None:
    """Find every attributed statement and append it to ``ctx.statements``; each quote's and each
    attribution's work is isolated to its sentence (``ctx.isolate``)."""
    _Builder(ctx).run()
