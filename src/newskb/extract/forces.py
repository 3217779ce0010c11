"""Described forces: a force noun with a country ("Somali special forces", "Philippine
marines", "Somalia's security forces") or a proper name ending in a force noun ("the Fifth
Fleet"), typed MilitaryForce (issue 22; docs/annotations.md: "a state's armed forces, a service or
unit, a contingent of troops"). The force nouns are ``data/force-heads.tsv``. The country comes
from a national adjective or owner in the phrase, or a place named in it; a phrase with no
country names no force here (the speaker rules may still describe it).
"""

from __future__ import annotations

import re

from .context import ExtractionContext

_MOD_DEPS = frozenset({"amod", "compound", "nmod"})
_QUANTIFIERS = frozenset({"other", "some", "several", "many", "most", "few", "more", "such", "certain"})
_POSSESSIVE_PRONOUNS = frozenset({"its", "their", "his", "her", "our", "my", "your", "whose"})


def _phrase(tok) -> tuple[int, int]:
    """Token range: the head with the modifiers directly before it ("Chinese censors")."""
    lo = tok.i
    doc = tok.doc
    while lo - 1 >= 0 and doc[lo - 1].dep_ in _MOD_DEPS and doc[lo - 1].head.i in range(lo, tok.i + 1) \
            and not doc[lo - 1].like_num and doc[lo - 1].lower_ not in _QUANTIFIERS:
        lo -= 1
    return lo, tok.i + 1


def _country(ctx: ExtractionContext, tok, lo: int) -> str | None:
    from . import actors as A
    from .roles import country_of_place
    doc = tok.doc
    for t in doc[lo:tok.i]:
        if t.text[:1].isupper():
            code = A.country_of(t.text) or A.metonym_of(t.text)
            if code:
                return code
    for c in tok.children:
        if c.dep_ == "poss" and c.i < tok.i:
            owner = re.sub(r"(?i)^the\s+|['’]s?$", "", doc[c.left_edge.i:c.i + 1].text)
            code = A.country_from_name_only(owner) or A.metonym_of(owner)
            if code:
                return code
    s, e = tok.idx, tok.right_edge.idx + len(tok.right_edge.text)
    for (a, b), pid in sorted(ctx.place_mentions.items()):
        if s <= a and b <= e and b - s < 60:
            code = country_of_place(ctx, pid)
            if code:
                return code
    return None


_ARMED_FORCES_WORDS = frozenset({"forces", "force", "military", "army", "armed", "troops"})


def _force_words(ctx: ExtractionContext, tok, lo: int) -> list[str]:
    """The phrase's words that are not the country ("special forces" of "Somali special forces")."""
    from . import actors as A
    return [t.text for t in tok.doc[lo:tok.i + 1]
            if not (t.text[:1].isupper() and (A.country_of(t.text) or A.metonym_of(t.text))) and t.tag_ != "POS"]


def extract_described_forces(ctx: ExtractionContext) -> None:
    """Forces described by a country and a force noun ("Somali special forces", "Philippine
    marines", "Somalia's security forces"), and forces named by a proper name that ends in a force
    noun ("the Fifth Fleet", "the Revolutionary Guards Corps")."""
    from . import actors as A
    from .role_tables import force_heads
    for tok in ctx.tokens:
        lemma = tok.lemma_.lower()
        if tok.pos_ not in ("NOUN", "PROPN") or not (lemma in force_heads() or tok.lower_ in force_heads()):
            continue
        lo, hi = _phrase(tok)
        s, e = ctx.doc[lo].idx, tok.idx + len(tok.text)
        if ctx.article.is_furniture(s, e) or any(a < e and s < b for (a, b) in ctx.entity_mentions):
            continue
        if any(c.dep_ == "poss" and c.lower_ in _POSSESSIVE_PRONOUNS for c in tok.children):
            continue
        if tok.pos_ == "PROPN" or tok.text[:1].isupper():
            _named_force(ctx, tok, lo)
            continue
        country = _country(ctx, tok, lo)
        if country is None:
            continue
        words = _force_words(ctx, tok, lo)
        if not words or any(w[:1].isupper() for w in words):
            continue
        words = [w.lower() for w in words]
        if set(words) <= _ARMED_FORCES_WORDS:
            ent = A.armed_forces(ctx, country, s, e)
            continue
        label = ctx.body[s:e]
        ent = A._register(ctx, key=f"force/{country}/{A.slug(' '.join(words))}", type="MilitaryForce",
                          name=label[:1].upper() + label[1:], start=s, end=e, rule="force:described",
                          confidence=0.6, country=country)
        del ent


def _named_force(ctx: ExtractionContext, tok, lo: int) -> None:
    from . import actors as A
    ents = [x for x in ctx.ents if x.start <= tok.i < x.end and x.end == tok.i + 1 and x.label_ in ("ORG", "NORP", "GPE")]
    if not ents:
        return
    x = ents[0]
    name = re.sub(r"(?i)^the\s+", "", x.text)
    s = x.start_char + x.text.find(name)
    if len(name.split()) < 2 or re.search(r"\d", name) and not re.match(r"\d+(?:st|nd|rd|th)\b", name):
        return
    country = next((c for c in (A.country_of(w) or A.country_from_name_only(w) for w in
                                re.findall(r"[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?", name)) if c), None)
    if country is None:
        return
    A._register(ctx, key=f"force/{country}/{A.slug(name)}",
                type="MilitaryForce", name=name, start=s, end=s + len(name), rule="force:named",
                confidence=0.6, country=country)
