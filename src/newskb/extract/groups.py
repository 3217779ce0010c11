"""Described groups read from the parse: several people the text presents as acting or speaking
("residents fled", "officials said", "according to local doctors", "hundreds of students
marched"), typed ``Group`` (docs/annotations.md: "officials", "Ukrainian soldiers", "residents").

A group is a plural noun that names people: a noun of coreferee's WordNet person lexicon
(:func:`newskb.extract.described.person_nouns`), a title noun of ``data/roles.tsv`` or a row of
``data/group-heads.tsv`` (nouns with other senses too: "supporters", "police"). It counts when it
stands where an actor stands: the subject of a verb, the agent of a passive ("by protesters"), the
source after "according to", or a conjunct of one of these. A possessive pronoun ("its
defenders") or a quantity pronoun alone names no group.

The group's country is, first, the text's: a national adjective or country word among its
modifiers ("Ukrainian soldiers", "U.S. officials"), its owner ("China's diplomats") or a place
after it ("residents of <town>"); else the country of an organisation named in it ("<party>
supporters"); else the article's setting (:func:`newskb.extract.roles.article_country`: most of
its places, or the dateline's country). Its affiliation is an organisation, force or government
named in the phrase, else, for a head whose table row says so (``state`` column), that country's
government or armed forces ("officials", "police", "generals").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..resources import read_table
from . import roles
from .actors import acting
from .context import ExtractionContext

_MOD_DEPS = frozenset({"amod", "compound", "nmod", "poss", "nummod", "quantmod"})
_SKIP_WORDS = frozenset({"a", "an", "the", "some", "many", "most", "several", "other", "these", "those",
                         "both", "all", "few", "more", "such", "certain", "another", "various", "numerous"})
_POSSESSIVE_PRONOUNS = frozenset({"its", "their", "his", "her", "our", "my", "your", "whose"})
_QUANTITY_HEADS = frozenset({"hundred", "thousand", "dozen", "million", "score", "group", "number", "crowd",
                             "some", "many", "most", "several", "none", "all", "few", "both", "one", "two", "three"})
_BODY_TYPES = frozenset({"Organisation", "MilitaryForce", "Government"})
_ANAPHORIC_DETS = frozenset({"the", "these", "those"})


@lru_cache(maxsize=1)
def group_heads() -> dict[str, str]:
    """Plural head lemma -> what a country makes the affiliation (``data/group-heads.tsv``)."""
    return {row["head"]: row["state"] for row in read_table("group-heads.tsv")}


def head_state(lemma: str) -> str | None:
    """``government``, ``force`` or ``none`` for a head that names people, else None."""
    from .described import person_nouns
    from .role_tables import role_states
    if lemma in group_heads():
        return group_heads()[lemma]
    if lemma in role_states():
        return role_states()[lemma]
    if lemma in person_nouns():
        return "none"
    return None


def _people_noun(tok):
    """The noun that names the people: the token itself, or the object of "of" after a quantity
    ("hundreds of students", "some of the residents")."""
    if tok.lemma_.lower() in _QUANTITY_HEADS or tok.like_num:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                objs = [x for x in c.children if x.dep_ == "pobj"]
                if objs:
                    return objs[0]
        return None
    return tok


def _is_group_head(tok) -> bool:
    """A plural noun that names people, in lower case or opening its sentence ("Residents said")."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "PROPN" and not (tok.is_sent_start and tok.tag_ == "NNPS"):
        return False
    plural = tok.tag_ in ("NNS", "NNPS") or lemma in ("police", "people")
    capital_ok = not tok.text[:1].isupper() or tok.is_sent_start
    return plural and capital_ok and head_state(lemma) is not None


def _span(ctx: ExtractionContext, tok) -> tuple[int, int]:
    """Token range of the description: the head's modifiers before it (without determiners and
    quantity words) and a short "of/from/in <place or body>" after it."""
    doc = tok.doc
    lo = tok.i
    for c in sorted((c for c in tok.lefts if c.dep_ in _MOD_DEPS), key=lambda c: c.i):
        if c.lower_ in _SKIP_WORDS or c.lower_ in _POSSESSIVE_PRONOUNS:
            continue
        lo = min(lo, c.left_edge.i)
        break
    while lo < tok.i and (doc[lo].lower_ in _SKIP_WORDS or doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    hi = tok.i + 1
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ in ("of", "from", "in") and c.i == hi:
            sub = list(c.subtree)
            if len(sub) <= 5 and not any(t.text in ",;(" for t in sub):
                hi = sub[-1].i + 1
        break
    return lo, hi


def _country_and_body(ctx: ExtractionContext, doc, lo: int, hi: int, head) -> tuple[str | None, object | None]:
    """(country, affiliated body entity) the text gives inside the description."""
    from . import actors as A
    from .roles import country_of_place
    s, e = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
    body = None
    for (a, b), eid in sorted(ctx.entity_mentions.items()):
        if s <= a and b <= e:
            ent = ctx.entities.by_id[eid]
            if ent.type in _BODY_TYPES:
                body = ent
    for t in doc[lo:hi]:
        if t.i == head.i or not t.text[:1].isupper():
            continue
        word = re.sub(r"['’]s?$", "", t.text)
        code = A.country_from_name_only(word) or A.metonym_of(word) or A.country_of(word)
        if code:
            return code, body
    for (a, b), pid in sorted(ctx.place_mentions.items()):
        if s <= a and b <= e:
            code = country_of_place(ctx, pid)
            if code:
                return code, body
    return (body.country if body is not None else None), body


def _state_affiliation(ctx: ExtractionContext, code: str | None, state: str | None):
    from . import actors as A
    if not code or state not in ("government", "force"):
        return None
    return (A.armed_forces(ctx, code) if state == "force" else A.government(ctx, code)).id


def _body_after(ctx: ExtractionContext, tok) -> bool:
    """An organisation, force or government named in a prepositional phrase after the head."""
    for c in tok.rights:
        if c.dep_ != "prep":
            continue
        s, e = c.idx, c.right_edge.idx + len(c.right_edge.text)
        if any(s <= a and b <= e and ctx.entities.by_id[eid].type in _BODY_TYPES
               for (a, b), eid in ctx.entity_mentions.items()):
            return True
    return False


def _body_modifier(ctx: ExtractionContext, a: int, b: int, s: int, tok) -> bool:
    """A mention inside the description before its head that names a body ("<armed group>
    fighters", "<agency> officers"): the people are a group of that body (its affiliation), not
    the body itself."""
    eid = ctx.entity_mentions.get((a, b))
    ent = ctx.entities.by_id.get(eid) if eid else None
    return ent is not None and ent.type in ("Organisation", "MilitaryForce") and s <= a and b <= tok.idx


def _register_group(ctx: ExtractionContext, tok) -> None:
    from . import actors as A
    doc = tok.doc
    lo, hi = _span(ctx, tok)
    s, e = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
    if ctx.article.is_furniture(s, e) or any(a < e and s < b and not _body_modifier(ctx, a, b, s, tok)
                                             for (a, b), _eid in ctx.entity_mentions.items()):
        return
    if any(c.dep_ == "poss" and c.lower_ in _POSSESSIVE_PRONOUNS for c in tok.children):
        return  # "its defenders": whose? the pronoun names nobody by itself
    if any(c.dep_ in ("nummod", "quantmod") or c.like_num for c in tok.lefts) or tok.i != tok.head.i and \
            tok.head.dep_ == "pobj" and tok.head.like_num:
        return  # "33 civilians", "up to 300,000 people": a count (a claim), not a described actor
    if _body_after(ctx, tok):
        return  # "analysts at <institute> said": the body speaks (the statements step decides)
    if A.group_for(ctx, s, e, register_new=False) is not None:
        return  # "the analysts" after "Ukrainian military analysts": the group met before
    country, body = _country_and_body(ctx, doc, lo, hi, tok)
    explicit = country is not None
    lemma = tok.lemma_.lower()
    state = head_state(lemma)
    if not explicit and state in ("force", "government") and body is None:
        return  # "soldiers", "officials" of which state or body? the text does not say here
    if country is None:
        country = roles.article_country(ctx)
    affiliation = body.id if body is not None else (
        _state_affiliation(ctx, country, state) if explicit else None)
    label = ctx.body[s:e]
    key = f"group/{A.slug(label)}"
    A._register(ctx, key=key, type="Group", name=label[:1].upper() + label[1:], start=s, end=e,
                rule="group:acting" if explicit else "group:acting-setting", confidence=0.6,
                country=country, affiliation=affiliation)


@lru_cache(maxsize=1)
def _speech_verbs() -> frozenset[str]:
    return frozenset(r["lemma"] for r in read_table("speech-verbs.tsv"))


def speaking(tok) -> bool:
    """The noun is the subject of a speech verb (``data/speech-verbs.tsv``), the agent of a
    passive one, or the source after "according to" (or a conjunct of one of these)."""
    seen = 0
    while tok.dep_ == "conj" and seen < 4:
        tok = tok.head
        seen += 1
    if tok.dep_ == "pobj" and tok.head.lower_ == "to":
        return True
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    return verb.lemma_.lower() in _speech_verbs()


def _anaphoric(tok) -> bool:
    """"the rebels", "these fighters": a definite plural with nothing that establishes it (no
    modifier before the head, no phrase after it) points back to an actor the text has already
    introduced (the familiarity reading of the definite article: Heim 1982; Poesio & Vieira 1998
    on establishing descriptions), so it introduces no new group."""
    lefts = list(tok.lefts)
    return any(c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS for c in lefts) \
        and not any(c.dep_ in _MOD_DEPS for c in lefts) and not any(c.dep_ in ("prep", "acl", "relcl") for c in tok.rights)


def acting_groups(ctx: ExtractionContext) -> None:
    """Register every described group the text presents as speaking or doing something
    (docs/annotations.md: everyone presented as saying or doing something), or as the source of
    what it reports: "residents said", "rescuers cleared the rubble", "according to analysts".
    A group that only acts must be new to the text (:func:`_anaphoric`)."""
    for tok in ctx.tokens:
        if tok.pos_ not in ("NOUN", "PROPN", "NUM", "PRON") or not acting(tok):
            continue
        noun = _people_noun(tok)
        if noun is tok and _demonym_plural(noun) and not _anaphoric(noun) \
                and not any(c.dep_ in ("nummod", "quantmod") or c.like_num for c in noun.lefts):
            # ("8 million Venezuelans", "thousands of Syrians": a count, a claim's)
            _register_nationals(ctx, noun)
            continue
        if noun is None or not _is_group_head(noun) or (not speaking(tok) and _anaphoric(noun)):
            continue
        _register_group(ctx, noun)


def _demonym_plural(tok) -> str | None:
    """The country of a plural demonym used as a noun ("Colombians", "many Hungarians": the
    people of a country, ``data/demonyms.tsv``), not a country name that ends in -s ("the
    Philippines")."""
    from . import actors as A
    text = tok.text
    if tok.tag_ not in ("NNS", "NNPS") or not text.endswith("s") or not text[:1].isupper() \
            or A.country_from_name_only(text):
        return None
    return A.country_of(text)


def _register_nationals(ctx: ExtractionContext, tok) -> None:
    """A group of the people of a country ("Many Argentines protested"): typed ``Group`` with
    that country, no affiliation (the people are not their state)."""
    from . import actors as A
    doc = tok.doc
    lo = tok.i
    while lo > 0 and doc[lo - 1].head.i == tok.i and doc[lo - 1].dep_ in ("amod", "compound") \
            and doc[lo - 1].lower_ not in _SKIP_WORDS:
        lo -= 1
    s, e = doc[lo].idx, tok.idx + len(tok.text)
    if ctx.article.is_furniture(s, e) or any(a < e and s < b for (a, b) in ctx.entity_mentions):
        return
    label = ctx.body[s:e]
    A._register(ctx, key=f"group/{A.slug(label)}", type="Group", name=label[:1].upper() + label[1:], start=s,
                end=e, rule="group:nationals", confidence=0.6, country=_demonym_plural(tok))


def group_affiliations(ctx: ExtractionContext) -> None:
    """A group of a country whose head is a state title ("U.S. officials", "Chinese diplomats",
    "British police") serves that country's government or forces, when no body is named."""
    for ent in ctx.entities.items:
        if ent.type != "Group" or ent.affiliation or not ent.country or not ent.mentions \
                or ent.rule == "group:acting-setting":
            continue
        m = ent.mentions[0]
        span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        if root.tag_ not in ("NNS", "NN"):
            continue
        ent.affiliation = _state_affiliation(ctx, ent.country, head_state(root.lemma_.lower()))
