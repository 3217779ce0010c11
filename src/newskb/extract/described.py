"""Open-world speakers: a speaker or source phrase that names no known actor becomes an actor of
its own, typed from the text (issue 22).

Curated tables (``data/actors.tsv``) only *link* a name to its canonical form; they never decide
whether somebody may speak. When the statements step meets a subject or source phrase that no
registered actor covers, :func:`describe` reads the phrase's head noun and its modifiers:

* the head noun's kind comes from ``data/speaker-heads.tsv`` (organisation, government, group,
  document, anonymous source, unnamed person) or, for any other noun, from the WordNet-derived
  person lexicon that coreferee ships (``lang/en/data/exclusively_person_words.dat``): a person noun names an
  unnamed person ("a nurse"), or a group when plural ("economists"); a phrase holding an
  anonymity marker (``data/anonymity-markers.tsv``: "familiar with", "on condition of anonymity")
  names an anonymous source. A head that is none of these ("the violence", "four factors") names
  no actor: the statement is left out with that reason.
* an unregistered proper name at the head: a person (spaCy PERSON, two words or more), an
  organisation (ORG), a group of a nationality (a plural NORP: "Argentines");
* the country comes from a demonym or country modifier ("Azeri", "U.S."), a possessive owner
  ("Poland's defence ministry") or a place named in the phrase ("a nurse from Gaza");
* the affiliation (for persons and sources: where they work; for documents: the author) is an
  actor named inside the phrase ("a Health Ministry source", "a report by the Sentry"), else, for
  a source of a country, that country's government.

Keys: organisations, governments and groups keep global keys (``org/…``, ``government/XX``,
``group/…``); unnamed persons, anonymous sources and documents get article-local keys
(``unnamed/<article>/<slug>``, ``source/<article>/<slug>``, ``document/<article>/<slug>``), so two
articles' "a senior official" never merge.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from ..facts import Entity
from ..resources import read_table
from .context import ExtractionContext

_DETERMINERS = {"a", "an", "the", "one", "some", "many", "another", "several", "most", "other", "two", "three",
                "both", "all", "any", "this", "that", "these", "those", "its", "their", "his", "her", "our"}
_PLURAL_TAGS = {"NNS", "NNPS"}
_CUT_DEPS = {"relcl", "acl", "appos", "punct", "cc", "conj"}


@lru_cache(maxsize=1)
def head_kinds() -> dict[str, str]:
    """Head noun lemma -> kind, from ``data/speaker-heads.tsv``."""
    return {row["head"]: row["kind"] for row in read_table("speaker-heads.tsv")}


@lru_cache(maxsize=1)
def definite_new() -> frozenset[str]:
    """Heads whose definite description with a country names the one institution of that kind
    in that country even when the text has not named it before (column ``unique``)."""
    return frozenset(row["head"] for row in read_table("speaker-heads.tsv") if row.get("unique") == "yes")


@lru_cache(maxsize=1)
def anonymity_markers() -> re.Pattern:
    rows = read_table("anonymity-markers.tsv")
    return re.compile("|".join(f"(?:{r['pattern']})" for r in rows), re.I)


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    """Nouns that denote only persons: coreferee's English ``exclusively_person_words.dat``
    (derived from WordNet 3.0: nouns all of whose senses are hyponyms of person; MIT and WordNet
    licences), lower-cased. Nouns with other senses too ("factor", "soldier") count only when
    ``data/speaker-heads.tsv`` lists them. Empty when coreferee is not installed (then only the
    table's rows apply)."""
    spec = importlib.util.find_spec("coreferee")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(list(spec.submodule_search_locations)[0]) / "lang" / "en" / "data" / "exclusively_person_words.dat"
    try:
        words = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return frozenset()
    return frozenset(w.strip().lower() for w in words if w.strip())


def kind_of_head(lemma: str, plural: bool) -> str | None:
    """The kind a head noun names: a row of the table, else a person noun of the lexicon."""
    kind = head_kinds().get(lemma)
    if kind is not None:
        return kind
    if lemma in person_nouns():
        return "person"
    return None


# --------------------------------------------------------------------------- the phrase


def _head_of(span, head):
    if head is not None and span.start <= head.i < span.end:
        return head
    return span.root


def _core(span, head) -> tuple[int, int]:
    """Token range of the description: from the first word after the determiners up to the head,
    plus the head's short prepositional phrases ("a nurse from Gaza", "a representative of …")."""
    lo = span.start
    while lo < head.i and span.doc[lo].lower_ in _DETERMINERS:
        lo += 1
    hi = head.i + 1
    for c in head.rights:
        if c.i >= span.end or c.dep_ in _CUT_DEPS or c.i != hi:
            break
        sub = list(c.subtree)
        if c.dep_ in ("prep", "amod") and len(sub) <= 7 and sub[-1].i < span.end and not any(t.text in ",;(" for t in sub):
            hi = sub[-1].i + 1
        else:
            break
    return lo, hi


def _country_in(ctx: ExtractionContext, span, lo: int, hi: int) -> str | None:
    from . import actors as A
    doc = span.doc
    for i in range(lo, hi):
        t = doc[i]
        if t.dep_ == "poss" or t.tag_ == "POS":
            owner = doc[t.left_edge.i:t.i + 1].text if t.tag_ != "POS" else doc[t.head.left_edge.i:t.i].text
            owner = re.sub(r"(?i)^the\s+|['’]s?$", "", owner.strip())
            code = A.country_from_name_only(owner) or A.metonym_of(owner) or A.country_of(owner)
            if code:
                return code
    for i in range(lo, hi):
        for n in (2, 1):
            if i + n > hi:
                continue
            words = doc[i:i + n].text
            if words[:1].isupper():
                code = A.country_of(words)
                if code:
                    return code
    s, e = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
    for (a, b), pid in sorted(ctx.place_mentions.items()):
        if s <= a and b <= e:
            code = _place_country(ctx, pid)
            if code:
                return code
    return None


def _place_country(ctx: ExtractionContext, pid: str) -> str | None:
    seen = 0
    p = ctx.places.by_id.get(pid)
    while p is not None and seen < 6:
        if p.type == "Country" and p.iso_code:
            return p.iso_code[:2].upper()
        p = ctx.places.by_id.get(p.within) if p.within else None
        seen += 1
    return None


def _inner_actor(ctx: ExtractionContext, s: int, e: int, head_start: int, *, publisher: bool = False) -> Entity | None:
    """An actor registered inside the phrase but not at its head ("a Health Ministry source"; for
    a document, the publisher too: "CNN analysis of images")."""
    best = None
    for (a, b), eid in sorted(ctx.entity_mentions.items()):
        if s <= a and b <= e and not (a <= head_start < b):
            ent = ctx.entities.by_id.get(eid)
            if ent is not None and (publisher or ent.type != "Publisher"):
                best = ent
    if best is None and publisher:
        best = _named_author(ctx, s, e, head_start)
    if best is None and publisher:
        pub = next((x for x in ctx.entities.items if x.type == "Publisher"), None)
        if pub is not None and re.search(rf"(?<![\w-]){re.escape(pub.name)}(?![\w-])", ctx.body[s:e]):
            best = pub
    return best


def _named_author(ctx: ExtractionContext, s: int, e: int, head_start: int) -> Entity | None:
    """A name after the head of a document phrase ("a statement by Amnesty International", "a
    report from Human Rights Watch"): the document's author, registered as an actor."""
    from . import actors as A
    span = ctx.doc.char_span(s, e, alignment_mode="expand")
    for x in ctx.ents_in(span) if span is not None else []:
        if x.start_char <= head_start or x.label_ not in ("ORG", "PERSON", "GPE", "NORP"):
            continue
        name = re.sub(r"(?i)^the\s+|['’]s?$", "", x.text.strip())
        if not name or re.search(r"\d", name):
            continue
        code = A.country_from_name_only(name) or A.metonym_of(name)
        if code:
            return A.government(ctx, code, x.start_char, x.end_char, rule="speaker:document-author", confidence=0.7)
        if x.label_ == "ORG":
            return A._register(ctx, key=f"org/{A.slug(name)}", type="Organisation", name=name, start=x.start_char,
                               end=x.end_char, rule="speaker:open-world-organisation", confidence=0.6)
        if x.label_ == "PERSON" and len(name.split()) >= 2:
            return A._register(ctx, key=f"person/{A.slug(name)}", type="Person", name=name, start=x.start_char,
                               end=x.end_char, rule="speaker:open-world-person", confidence=0.6)
    return None


def _modifier_body(ctx: ExtractionContext, span, head, salience):
    """An organisation named by the modifiers of a person noun ("a Tuareg militant group
    spokesman", "a foreign ministry spokesperson"): the compound whose head is an organisation
    noun, described in turn (``describe``)."""
    for t in span:
        if t.i >= head.i or t.dep_ != "compound" or t.head.i != head.i:
            continue
        if head_kinds().get(t.lemma_.lower()) in ("organisation", "government"):
            lo = span.start
            while lo < t.i and span.doc[lo].lower_ in _DETERMINERS:
                lo += 1
            s, e = span.doc[lo].idx, t.idx + len(t.text)
            ent, _how = describe(ctx, s, e, t, salience)
            return ent
    return None


# --------------------------------------------------------------------------- registration


def _label(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,")
    return text[:1].upper() + text[1:] if text else text


def describe(ctx: ExtractionContext, start: int, end: int, head=None, salience=None) -> tuple[Entity | None, str]:
    """The actor a speaker or source phrase ``body[start:end]`` describes, registered with a
    mention over the phrase; ``(None, reason)`` when the phrase names no actor. A definite
    phrase ("the ministry", "Ethiopia's prime minister") or a single name first looks for the
    actor it refers to (``salience``, :class:`~newskb.extract.reference.Salience`)."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None, "no phrase"
    head = _head_of(span, head)
    if head.pos_ not in ("NOUN", "PROPN") or ctx.article.is_furniture(start, end):
        return None, "no noun at the head of the phrase"
    lo, hi = _core(span, head)
    doc = ctx.doc
    s, e = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
    plural = head.tag_ in _PLURAL_TAGS
    text = ctx.body[start:end]
    person = _titled_person(ctx, span, head)
    if person is not None:
        return person, "open-world:titled-person"
    if head.pos_ == "PROPN" and head.ent_type_ not in ("GPE", "LOC", "FAC", "DATE", "TIME"):
        found = _named_by_apposition(ctx, span, head, salience)
        if found is not None:
            return found
    if head.pos_ == "PROPN" and head.ent_type_ in ("PERSON", "ORG", "NORP"):
        return _named(ctx, span, head, plural, salience)
    lemma = head.lemma_.lower().rstrip(".")
    kind = kind_of_head(lemma, plural) or kind_of_head(head.lower_, plural)
    if kind is None:
        return None, f"the head noun {head.lower_!r} names no actor"
    if kind == "honorific":
        return None, f"an honorific without a name ({head.text!r})"
    if kind in ("person", "anonymous") and anonymity_markers().search(text):
        kind = "anonymous"
    country = _country_in(ctx, span, lo, hi)
    inner = _inner_actor(ctx, s, e, head.idx, publisher=kind == "document")
    if inner is None and kind in ("person", "anonymous") and not plural:
        inner = _modifier_body(ctx, span, head, salience)
    if salience is not None and _definite(span, head):
        found, note = _refer(ctx, salience, span, head, kind, plural, country)
        if found is not None or note.startswith("tie"):
            return found, note or "definite:salience"
        if kind in ("person", "anonymous") and lemma not in _GENERIC_PERSONS:
            return None, f"title without a named holder: {text.strip()[:60]!r}"
        if kind in ("organisation", "group") and _establishing(span, head, country, inner):
            # "the Azeri defence ministry", "the semiofficial <Name> news agency": a first
            # mention, unless a body of that type was subject or speaker just before (then the
            # phrase may be an epithet for it, "<Name> said … The Lebanese TV station added",
            # and nobody is safe: the type alone cannot tell a TV station from a militia)
            rival = _epithet(ctx, salience, span, kind, plural, country)
            if rival is not None:
                return None, f"may rename {rival!r}: {text.strip()[:60]!r}"
            return _register_kind(ctx, kind, plural, head, s, e, start, end, country, inner)
        if not (country and lemma in definite_new()) and not (kind == "document" and inner is not None) \
                and not (kind in ("person", "anonymous") and _modified(span, head)):
            # a definite description ("the group", "the UN agency", "the report") points back
            # to an actor the text named; none agrees, so nobody is safe. Only the one
            # institution of its kind in a country ("Poland's defence ministry") or a document
            # whose author is named stands on its own.
            return None, f"no antecedent: {text.strip()[:60]!r}"
    return _register_kind(ctx, kind, plural, head, s, e, start, end, country, inner)


def _establishing(span, head, country, inner) -> bool:
    """A definite description that identifies its referent by itself (a first mention may
    take "the" when its modifiers say which one: Hawkins' "establishing" definites): it names a
    country ("the Azeri defence ministry") or a name no actor holds before its head ("the
    semiofficial <Name> news agency"). A bare "the agency", "the opposition" or "the foreign
    ministry", or one named after another actor ("the <Org>-linked group"), points back and does
    not stand alone."""
    if country:
        return True
    if inner is not None:
        return False  # "the U.N. agency", "the al-Qaida-linked group": named by another actor, an epithet
    return any(t.i < head.i and t.pos_ == "PROPN" and t.ent_type_ not in ("GPE", "LOC", "FAC") and _names_head(t, head)
               for t in span)


def _names_head(t, head) -> bool:
    """The name ``t`` is the head's own (a compound chain of nouns up to it: "the <Name> news
    agency"), not the name of another body in a relational modifier ("the <Org>-linked group",
    "the <Country>-backed militia")."""
    while t.i != head.i:
        if t.dep_ not in ("compound", "nmod", "flat") or t.head.pos_ not in ("NOUN", "PROPN") or t.head is t:
            return False
        t = t.head
    return True


_EPITHET_TYPES = {"organisation": ("Organisation", "Publisher"), "group": ("Group",)}


def _epithet(ctx, salience, span, kind, plural, country) -> str | None:
    """The name of a body an establishing definite description may rename: a subject or speaker
    of the same type in this or the previous sentence, of no other country (None: there is none)."""
    from .reference import agrees_number
    if salience is None:
        return None
    types = _EPITHET_TYPES.get(kind, ())

    def accept(ent) -> bool:
        return ent.type in types and agrees_number(ent, plural) and (country is None or ent.country in (None, country))

    salience.refresh()
    eid, _o, note = salience.best(span[0].idx, accept=accept, window=1, min_rank=1)
    if eid is not None:
        return ctx.entities.by_id[eid].name
    return note if note.startswith("tie") else None


def _modified(span, head) -> bool:
    """The description carries content of its own before its head ("the foreign ministry", "the
    UN agency"), not only a determiner ("the group")."""
    return any(t.i < head.i and t.dep_ in ("amod", "compound", "nmod") for t in span)


_GENERIC_PERSONS = {"official", "source", "person", "man", "woman", "diplomat", "resident", "eyewitness", "witness"}
_GENERIC_BODIES = {"group", "organisation", "organization", "body", "movement"}
_KIND_TYPES = {"organisation": ("Organisation", "Government", "MilitaryForce"),
               "government": ("Government",), "group": ("Group",), "document": ("Document",),
               "anonymous": ("Person", "UnnamedPerson", "AnonymousSource"),
               "person": ("Person", "UnnamedPerson", "AnonymousSource")}


_DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "both"})


def _definite(span, head) -> bool:
    """"the …", "this …", a possessive owner, or a title with no determiner ("Ethiopia's prime
    minister"): the phrase refers to one actor the reader knows."""
    first = span[0].lower_
    if first in _DEFINITE_DETERMINERS:
        return True
    return any(t.dep_ == "poss" and t.head.i == head.i for t in span)


def _refer(ctx, salience, span, head, kind, plural, country) -> tuple[Entity | None, str]:
    from .reference import agrees_number, head_fits
    types = _KIND_TYPES.get(kind, ())
    lemma = head.lemma_.lower()
    generic = lemma in _GENERIC_BODIES or (kind in ("person", "anonymous") and lemma in _GENERIC_PERSONS)
    persons = kind in ("person", "anonymous")

    def accept(ent) -> bool:
        if ent.type not in types or not agrees_number(ent, plural):
            return False
        if country and ent.country not in (None, country):
            return False
        if persons and not generic:
            return bool(ent.role) and head_fits(ent, lemma, False) and _role_words_fit(ent.role, span, head)
        return head_fits(ent, lemma, generic, ctx.body) or head_fits(ent, head.lower_, generic, ctx.body)

    eid, note = salience.refer(span[0].idx, accept=accept, window=None if persons and not generic else 3)
    return (ctx.entities.by_id[eid] if eid else None), note


def _role_words_fit(role: str, span, head) -> bool:
    """The title's own words before the head ("foreign" in "the foreign minister") are in the
    person's role, so "the foreign minister" never takes the defence minister."""
    words = {t.lower_ for t in span if t.i < head.i and t.pos_ in ("ADJ", "NOUN") and t.dep_ in ("amod", "compound")
             and not t.text[:1].isupper()}
    return all(w in role for w in words)


def _titled_person(ctx: ExtractionContext, span, head):
    """A person named inside a title phrase ("Afghanistan's ambassador to Pakistan <Name>"): the
    name stands in apposition to the title."""
    from . import actors as A
    for x in ctx.ents_in(span):
        if x.label_ != "PERSON" or len(x.text.split()) < 2 or x.end != span.end and span.doc[x.end].text != ",":
            continue
        if x.root.head.i != head.i and x.root.i != head.i and x.start != head.i + 1:
            continue
        ent = A.entity_at(ctx, x.start_char, x.end_char)
        if ent is not None and ent.type == "Person":
            return ent
        name = x.text
        if A.country_of(name) or A.metonym_of(name) or A.known(name):
            return None
        return A._register(ctx, key=f"person/{A.slug(name)}", type="Person", name=name, start=x.start_char,
                           end=x.end_char, rule="speaker:titled-person", confidence=0.6,
                           role=head.lemma_.lower() if head.pos_ == "NOUN" else None)
    return None


def _named_by_apposition(ctx: ExtractionContext, span, head, salience) -> tuple[Entity | None, str] | None:
    """A name the model did not type, with an apposition that says what it is ("Provea, a
    rights organisation,"; "Kovac, the town's mayor,"): an organisation or a person of that
    name, typed from the apposition's head noun; a single name of a person links to the person
    named before in full when there is one. None when no apposition types the name."""
    from . import actors as A
    appos = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "NOUN" and c.i > head.i
                  and c.i < span.end), None)
    if appos is None:
        return None
    kind = kind_of_head(appos.lemma_.lower(), appos.tag_ in _PLURAL_TAGS)
    toks = [t for t in span.doc[span.start:head.i + 1] if t.i >= head.left_edge.i]
    while toks and (toks[0].pos_ != "PROPN"):
        toks = toks[1:]
    if not toks or not all(t.pos_ == "PROPN" or t.text == "-" for t in toks):
        return None
    s, e = toks[0].idx, head.idx + len(head.text)
    name = ctx.body[s:e]
    if re.search(r"\d", name) or A.country_of(name) or A.metonym_of(name) or any(a < e and s < b for (a, b) in ctx.place_mentions):
        return None
    if kind == "organisation":
        lo, hi = appos.left_edge.i, appos.i + 1
        country = _country_in(ctx, span, lo, hi)
        return A._register(ctx, key=f"org/{A.slug(name)}", type="Organisation", name=name, start=s, end=e,
                           rule="speaker:open-world-organisation", confidence=0.6, country=country), \
            "open-world:organisation-apposition"
    if kind not in ("person", "anonymous") or appos.tag_ in _PLURAL_TAGS:
        return None
    if len(toks) == 1:
        # a single name is a surname: the person named in full before, else nobody safe
        linked, note = link_single_name(ctx, salience, name, s, e) if salience is not None else (None, "")
        return linked, note or "name-link"
    return A._register(ctx, key=f"person/{A.slug(name)}", type="Person", name=name, start=s, end=e,
                       rule="speaker:open-world-person", confidence=0.6, role=appos.lemma_.lower()), \
        "open-world:person-apposition"


def _named(ctx: ExtractionContext, span, head, plural: bool, salience) -> tuple[Entity | None, str]:
    from . import actors as A
    ents = [x for x in ctx.ents_in(span) if x.start <= head.i < x.end]
    if not ents:
        return None, "no name at the head of the phrase"
    ent = ents[0]
    name = re.sub(r"(?i)^the\s+|['’]s?$", "", ent.text.strip())
    es = ent.start_char + ent.text.find(name)
    ee = es + len(name)
    if not name or A.country_of(name) or A.metonym_of(name) or any(a < ee and es < b for (a, b) in ctx.place_mentions):
        return None, "the name is a place"
    if len(name.split()) == 1 and salience is not None:
        linked, note = link_single_name(ctx, salience, name, es, ee)
        if linked is not None or note.startswith("tie"):
            return linked, note
    if ent.label_ == "PERSON" and len(name.split()) >= 2 and not re.search(r"\d", name):
        return A._register(ctx, key=f"person/{A.slug(name)}", type="Person", name=name, start=es, end=ee,
                           rule="speaker:open-world-person", confidence=0.6), "open-world:person"
    if ent.label_ == "ORG" and not re.search(r"\d", name) and len(name) >= 2:
        country = None
        if all(w.islower() for w in name.split()):  # "Poland's defence ministry": a description, of a country
            country = _country_in(ctx, span, span.start, span.end)
        key = f"org/{country.lower()}-{A.slug(name)}" if country else f"org/{A.slug(name)}"
        return A._register(ctx, key=key, type="Organisation", name=name, start=es, end=ee,
                           rule="speaker:open-world-organisation", confidence=0.6, country=country), \
            "open-world:organisation"
    if ent.label_ == "NORP" and plural:
        code = A.country_of(name)
        return A._register(ctx, key=f"group/{A.slug(name)}", type="Group", name=name, start=es, end=ee,
                           rule="speaker:open-world-nationality", confidence=0.6, country=code), "open-world:group"
    return None, "the name names no actor"


# rules of the actors this module registers (the statements step forgets those nobody kept)
OPEN_WORLD_RULES = ("speaker:described", "speaker:document", "speaker:unnamed", "speaker:source",
                    "speaker:open-world", "speaker:titled-person")
_DESCRIBED_RULES = ("speaker:described", "speaker:document", "speaker:unnamed", "speaker:source", "speaker:government")


def _fold_word(w: str) -> str:
    return re.sub(r"['’]s$", "", w).lower()


def link_single_name(ctx: ExtractionContext, salience, name: str, s: int, e: int) -> tuple[Entity | None, str]:
    """A single name ("Machado", "Sky", "FFC"): the most salient actor named before whose longer
    name holds it as a word or whose initials it is; the mention is added to that actor."""
    from . import actors as A
    word = re.compile(rf"(?i)(?<![\w]){re.escape(name)}(?![\w-])")  # (also "al-Thani" for "Thani")
    acronym = name.isupper() and len(name) >= 2

    def accept(x) -> bool:
        words = x.name.split()
        if x.type == "Publisher" or len(words) < 2 or x.rule.startswith(_DESCRIBED_RULES):
            return False  # (a description is no name: "Mr Lee's government" does not name Lee)
        if x.type == "Person":
            return bool(word.search(x.name))
        return _fold_word(words[0]) == _fold_word(name) or (
            acronym and "".join(w[0] for w in words if w[:1].isupper()) == name)

    salience.refresh()
    eid, note = salience.refer(s, accept=accept, window=None)
    if eid is None:
        return None, note
    ent = ctx.entities.by_id[eid]
    return A._register(ctx, key=ent.key, type=ent.type, name=ent.name, start=s, end=e, rule="name-link",
                       confidence=0.7), "name-link"


def _register_kind(ctx, kind, plural, head, s, e, start, end, country, inner) -> tuple[Entity | None, str]:
    from . import actors as A
    label = _label(ctx.body[s:e])
    aid = A.slug(ctx.article.meta.id)
    if kind == "government" and country:
        return A.government(ctx, country, start, end, rule="speaker:government-description", confidence=0.7), \
            "open-world:government"
    if kind in ("organisation", "government"):
        key = f"org/{country.lower()}-{A.slug(_without_country(label))}" if country else f"org/{A.slug(label)}"
        return A._register(ctx, key=key, type="Organisation", name=label, start=start, end=end,
                           rule="speaker:described-organisation", confidence=0.6, country=country), \
            "open-world:organisation"
    if kind == "group" or (plural and kind != "document"):
        name = label
        if country and not A.country_of(label.split()[0]):
            adj = A.demonym_for(country)
            name = f"{adj} {label[:1].lower()}{label[1:]}" if adj else label
        return A._register(ctx, key=f"group/{A.slug(name)}", type="Group", name=_label(name), start=start, end=end,
                           rule="speaker:described-group", confidence=0.6, country=country), "open-world:group"
    affiliation = inner.id if inner is not None else None
    if kind == "document":
        doc = A._register(ctx, key=f"document/{aid}/{A.slug(label)}", type="Document", name=label, start=start,
                          end=end, rule="speaker:document", confidence=0.6, affiliation=affiliation)
        if inner is not None and inner.type != "Document":
            return inner, "open-world:document-author"  # "a statement by the ministry": the ministry speaks
        return doc, "open-world:document"
    if affiliation is None and country and kind == "anonymous":
        affiliation = A.government(ctx, country).id
    typ, prefix = ("AnonymousSource", "source") if kind == "anonymous" else ("UnnamedPerson", "unnamed")
    role = head.lemma_.lower() if head.lemma_.lower() not in ("person", "man", "woman", "source") else None
    return A._register(ctx, key=f"{prefix}/{aid}/{A.slug(label)}", type=typ, name=label, start=start, end=end,
                       rule=f"speaker:{prefix}", confidence=0.6, role=role, country=country,
                       affiliation=affiliation), f"open-world:{prefix}"


def _without_country(label: str) -> str:
    from . import actors as A
    words = label.split()
    kept = [w for w in words if not (w[:1].isupper() and (A.country_of(re.sub(r"['’]s$", "", w))
                                                         or A.country_from_name_only(re.sub(r"['’]s$", "", w))))]
    return " ".join(kept) or label
