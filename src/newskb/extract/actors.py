"""Extraction step: actors — persons, organisations, governments, described groups, forces.

Keys are global (the mapping turns them into IRIs):

* ``person/<slug of the canonical full name>`` — spelling variants are linked through
  ``newskb/data/actors.tsv`` (Zelensky, Zelenskiy → Volodymyr Zelenskyy); a surname alone links
  to the full name met in the same article;
* ``government/<ISO2>`` — a state acting or speaking ("Ukraine said", "Kyiv", "the Kremlin");
* ``org/<slug>`` — organisations and the article's publisher (always registered, type
  ``Publisher``: the journalist's own claims are attributed to it);
* ``group/<slug>`` — described groups ("Ukrainian intelligence officials"), with ``country``;
* ``force/<ISO2>/<slug>`` — military forces and named units, with ``country``, ``size`` and
  ``location`` when the text gives them.

Persons come from spaCy PERSON entities plus the known-actor list, cross-checked against the
gazetteer so that a place never becomes a person. Roles and affiliations come from the title
before a name ("Nato secretary-general Mark Rutte") or an apposition after it ("Andriy Sybiha,
Ukraine's foreign minister"). :func:`resolve_phrase` maps a speaker phrase to an entity for the
statements step.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..facts import Entity
from ..resources import read_table
from .context import ExtractionContext

# --------------------------------------------------------------------------- helpers


def slug(text: str) -> str:
    """Lower-case ASCII slug with hyphens ("Volker Türk" -> "volker-turk")."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = t.replace("’", "").replace("'", "").replace(".", "")
    t = re.sub(r"[^A-Za-z0-9]+", "-", t).strip("-").lower()
    return t or "unnamed"


@lru_cache(maxsize=1 << 15)  # the same names are folded again and again
def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = t.replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", t).strip().lower()


def _strip_possessive(text: str) -> str:
    return re.sub(r"['’]s?$", "", text.strip())


def country_of(text: str) -> str | None:
    """ISO2 code from a country name, alias, possessive or demonym (gazetteer), else None."""
    try:
        from .gazetteer import country_code
        return country_code(text)
    except Exception:  # gazetteer data missing: no guess
        return None


def metonym_of(text: str) -> str | None:
    """ISO2 code whose government a capital or seat stands for ("Kyiv", "the Kremlin")."""
    try:
        from .gazetteer import metonym_country
        return metonym_country(text)
    except Exception:
        return None


def demonym_for(code: str) -> str | None:
    """The national adjective of a country code ("KR" -> "South Korean"), from the gazetteer's
    demonym table (the longest unambiguous one), else None."""
    try:
        from .gazetteer import _demonyms
        table = _demonyms()
    except Exception:
        return None
    names = [d for d, c in table.items() if c == code]
    if not names:
        return None
    return " ".join(w.capitalize() for w in max(names, key=len).split())


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    """Names and abbreviations of time zones (the IANA database Python ships: "GMT", "UTC",
    "EST", "CET", "Europe/Kyiv"): never actors."""
    import zoneinfo
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(text: str) -> bool:
    return text.strip() in _time_zones()


@lru_cache(maxsize=1)
def _weapon_nouns() -> frozenset[str]:
    return frozenset(r["lemma"] for r in read_table("measure-nouns.tsv") if r["measure"] == "weapons")


def is_weapon(name: str) -> bool:
    """The name's head (its last word before "of") is a weapons noun of ``measure-nouns.tsv``
    ("UAV", "Shahed drones"): a weapon, never an actor."""
    head = re.split(r"\s+of\s+", name.strip())[0].split()
    if not head:
        return False
    word = head[-1].lower()
    return word in _weapon_nouns() or word.removesuffix("s") in _weapon_nouns()


def country_label(code: str) -> str:
    try:
        from .gazetteer import country_label as label
        return label(code)
    except Exception:
        return code


def country_phrase(code: str) -> str:
    """The country's name inside a phrase: "the United Kingdom", "Ukraine" (gazetteer.tsv)."""
    try:
        from .gazetteer import country_phrase as phrase
        return phrase(code)
    except Exception:
        return code


# --------------------------------------------------------------------------- known actors


@dataclass(frozen=True)
class Known:
    key: str
    type: str
    name: str
    aliases: tuple[str, ...]
    role: str | None
    affiliation: str | None
    country: str | None
    source: str


@lru_cache(maxsize=1)
def known_actors() -> tuple[Known, ...]:
    """Rows of ``newskb/data/actors.tsv``."""
    out = []
    for row in read_table("actors.tsv"):
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        out.append(Known(row["key"], row["type"], row["name"], aliases, row.get("role") or None,
                         row.get("affiliation") or None, row.get("country") or None, row["source"]))
    return tuple(out)


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, Known]:
    idx: dict[str, Known] = {}
    for k in known_actors():
        for a in (k.name, *k.aliases):
            idx.setdefault(_fold(a), k)
            if _fold(a).startswith("the "):
                idx.setdefault(_fold(a)[4:], k)
    return idx


def known(text: str) -> Known | None:
    f = _fold(_strip_possessive(text))
    idx = _alias_index()
    return idx.get(f) or (idx.get(f[4:]) if f.startswith("the ") else None)


@lru_cache(maxsize=1)
def _alias_regex() -> re.Pattern:
    names = sorted({a for k in known_actors() for a in (k.name, *k.aliases)}, key=len, reverse=True)
    alts = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")


# --------------------------------------------------------------------------- roles

_ROLE_CORE = (
    r"secretary[- ]general|prime minister|foreign minister|defen[cs]e minister|energy minister|"
    r"interior minister|finance minister|national security minister|deputy defen[cs]e minister|"
    r"defen[cs]e secretary|treasury secretary|secretary of state|foreign secretary|"
    r"high commissioner for human rights|high commissioner|prosecutor general|chancellor|"
    r"president|vice president|spokes(?:man|woman|person)|(?:presidential )?advis[eo]r|"
    r"(?:special )?envoy|negotiator|commander|general|chief|head|deputy head|director|chairman|"
    r"chairwoman|professor|analyst|governor|minister|secretary|leader|boss|representative|"
    r"ambassador|mayor|king|queen|emperor|pope|premier|lawyer|researcher|official|prosecutor"
)
_ROLE_RE = rf"(?:(?:deputy|vice|special|senior|top|chief|regional|military|former|acting|national security|)\s*)*(?:{_ROLE_CORE})"
_CAPWORD = r"(?:[A-Z][\w.\-]*|U\.S\.|U\.K\.|U\.N\.)"
# "<Affiliation> <role> NAME": the affiliation is an optional capitalised phrase, possessive or not.
_TITLE_BEFORE = re.compile(
    rf"(?:(?P<aff>{_CAPWORD}(?:\s+{_CAPWORD}){{0,3}}?)(?P<poss>['’]s)?\s+)?(?P<role>{_ROLE_RE})\s*,?\s*$",
    re.I)
_APPOS_AFTER = re.compile(
    rf"^\s*,\s*(?:(?:a|an|the)\s+)?(?:(?P<aff>{_CAPWORD}(?:\s+{_CAPWORD}){{0,3}}?)(?P<poss>['’]s)\s+)?"
    rf"(?P<role>{_ROLE_RE})(?:\s+(?:of|at|for|with|from)\s+(?:the\s+)?(?-i:(?:[a-z][\w-]*\s+){{0,3}}?)"
    rf"(?P<org>(?-i:{_CAPWORD}(?:\s+(?:of|for|and|on)(?=\s+[A-Z])|\s+{_CAPWORD})*)))?",
    re.I)
def _honorific_regex() -> re.Pattern:
    """Honorifics and ranks before a name (``data/honorifics.tsv``), one or more, each with an
    optional full stop: "Maj. Gen. ", "Mr "."""
    words = sorted((row["word"] for row in read_table("honorifics.tsv")), key=len, reverse=True)
    return re.compile(r"^(?:(?:" + "|".join(re.escape(w) for w in words) + r")\.?\s+)+")


_HONORIFIC = _honorific_regex()


def _norm_role(role: str) -> str:
    r = re.sub(r"\s+", " ", role.strip().lower())
    r = r.replace("secretary general", "secretary-general").replace("advisor", "adviser")
    r = r.replace("defence", "defense")
    return r


# --------------------------------------------------------------------------- registration


def _register(ctx: ExtractionContext, *, key: str, type: str, name: str, start: int | None = None,
              end: int | None = None, rule: str, confidence: float, **fields) -> Entity:
    ent = ctx.entities.get(key)
    if ent is None:
        ent = Entity(id=ctx.entities.next_id(), key=key, type=type, name=name, rule=rule,
                     confidence=confidence, **{k: v for k, v in fields.items() if v is not None})
        ent = ctx.entities.add(ent)
    else:
        for k, v in fields.items():
            if v is not None and getattr(ent, k, None) in (None, []):
                setattr(ent, k, v)
    if start is not None and end is not None and end > start:
        if all((m.start, m.end) != (start, end) for m in ent.mentions):
            ent.mentions.append(ctx.span(start, end))
        text = ctx.body[start:end]
        if text != ent.name and text not in ent.aliases and len(text) < 80:
            ent.aliases.append(text)
        ctx.entity_mentions[(start, end)] = ent.id
    return ent


def government(ctx: ExtractionContext, code: str, start: int | None = None, end: int | None = None,
               *, rule: str = "gazetteer:government", confidence: float = 0.9) -> Entity:
    return _register(ctx, key=f"government/{code}", type="Government",
                     name=f"Government of {country_phrase(code)}", start=start, end=end, rule=rule,
                     confidence=confidence, country=code)


def armed_forces(ctx: ExtractionContext, code: str, start: int | None = None, end: int | None = None) -> Entity:
    """The armed forces of a state as a whole (``force/<ISO2>/armed-forces``), named as the known
    actors table names them, else "Armed Forces of <country>"."""
    key = f"force/{code}/armed-forces"
    k = next((kk for kk in known_actors() if kk.key == key), None)
    existing = ctx.entities.get(key)
    name = existing.name if existing else (k.name if k else f"Armed Forces of {country_phrase(code)}")
    return _register(ctx, key=key, type="MilitaryForce", name=name, start=start, end=end,
                     rule="force:of-state", confidence=0.7, country=code)


def _register_known(ctx: ExtractionContext, k: Known, start: int | None, end: int | None,
                    rule: str = "known-actor") -> Entity:
    aff = None
    if k.affiliation and k.affiliation.startswith("government/"):
        aff = government(ctx, k.affiliation.split("/", 1)[1]).id
    typ = k.type
    if typ == "Publisher" and not _is_publisher_of(ctx, k):
        typ = "Organisation"  # another news organisation the article cites is a source like any other
    return _register(ctx, key=k.key, type=typ, name=k.name, start=start, end=end, rule=rule,
                     confidence=0.95, country=k.country, affiliation=aff)


def _is_publisher_of(ctx: ExtractionContext, k: Known) -> bool:
    pub = ctx.article.meta.publisher
    return bool(pub) and (known(pub) is k or _fold(pub) in {_fold(a) for a in (k.name, *k.aliases)})


def publisher(ctx: ExtractionContext) -> Entity | None:
    """The article's publisher entity (registered on first call)."""
    pub = ctx.article.meta.publisher
    if not pub:
        return None
    k = known(pub)
    if k is not None:
        ent = _register_known(ctx, k, None, None, rule="article-metadata:publisher")
        ent.type = "Publisher"
        return ent
    name = re.sub(r"^the\s+", "", pub.strip(), flags=re.I)
    return _register(ctx, key=f"org/{slug(name)}", type="Publisher", name=pub.strip(),
                     rule="article-metadata:publisher", confidence=1.0)


def _in_furniture(ctx, s, e) -> bool:
    return ctx.article.is_furniture(s, e)


def _place_at(ctx, s, e) -> str | None:
    for (a, b), pid in ctx.place_mentions.items():
        if a < e and s < b:
            return pid
    return None


# --------------------------------------------------------------------------- persons

_NOT_PERSON = {"mom", "mars", "jupiter", "god", "allah", "twitter", "telegram", "x"}


def _ents_without_possessive(ctx: ExtractionContext, label: str):
    """(start, end, text) of the model's entities with that label, a trailing possessive cut off."""
    for ent in ctx.ents:
        if ent.label_ != label:
            continue
        s, e = ent.start_char, ent.end_char
        m = re.search(r"['’]s?$", ctx.body[s:e])
        if m:
            e -= len(m.group(0))
        yield s, e, ctx.body[s:e]


def _person_candidates(ctx: ExtractionContext) -> list[tuple[int, int, str]]:
    out = []
    for s, e, text in _ents_without_possessive(ctx, "PERSON"):
        # extend a hyphenated surname, trim honorifics
        ext = re.match(r"-[A-Z][a-z]+", ctx.body[e:e + 30])
        if ext:  # "Itamar Ben-Gvir" split at the hyphen
            e += ext.end()
            text = ctx.body[s:e]
        h = _HONORIFIC.match(text)
        if h:
            s += h.end()
            text = ctx.body[s:e]
        poss = re.search(r"['’]s\s", text)
        if poss:  # "Obama’s State", "Aleppo’s al-Quds": the owner is the name, if any
            e = s + poss.start()
            text = ctx.body[s:e]
        lead = re.match(r"([A-Z][a-z]+s)\s+(?=[A-Z])", text)
        if lead and country_of(lead.group(1)) and not country_from_name_only(lead.group(1)):
            s += lead.end()  # "Britons <name>": a plural demonym before the name
            text = ctx.body[s:e]
        text = text.strip()
        if is_time_zone(text) or (" " not in text and is_weapon(text)):
            continue  # ("Missiles" opening a sentence is no person)
        if not text or not text[0].isupper() or re.search(r"\d|[\[\]()@#/]", text):
            continue
        out.append((s, e, text))
    return out


def _is_place_or_org(ctx, s, e, text) -> bool:
    if _place_at(ctx, s, e):
        return True
    if country_of(text) or metonym_of(text):
        return True
    k = known(text)
    if k is not None and k.type != "Person":
        return True
    if _fold(text) in _NOT_PERSON:
        return True
    if any(_fold(p.name) == _fold(text) for p in ctx.places.items):
        return True  # named as a place elsewhere in the article ("the towns of Nubul and Zahraa")
    if len(text.split()) == 1:
        try:  # a one-word "person" that is a known town or region ("Kherson")
            from .gazetteer import find_cities, find_region
            if find_cities(text) or find_region(text):
                return True
        except Exception:
            pass
    if re.fullmatch(r"[A-Z][a-z]+s", text) and len(text.split()) == 1 and text[:-1].lower() in ctx.body.lower().replace(text.lower(), ""):
        return True  # a plural common noun ("Shaheds" beside "Shahed-131/136")
    return False


def _extract_persons(ctx: ExtractionContext) -> None:
    body = ctx.body
    cands = _person_candidates(ctx)
    # known actors by alias (persons and everything else)
    for m in _alias_regex().finditer(body):
        s, e = m.start(), m.end()
        if _in_furniture(ctx, s, e):
            continue
        k = known(m.group(0))
        if k is None:
            continue
        if re.match(rf"\s+(?:(?:military|intelligence|defen[cs]e|government|security)\s+)?(?:{_GROUP_HEADS})\b", body[e:]):
            continue  # "Ukrainian military analysts", "Kremlin officials": a described group
        if k.type not in ("Person",) and re.search(r"(?<![.!?]\s)\b[A-Z][a-z]+\s+$", body[max(0, s - 25):s]) \
                and not re.search(r"(?:^|\s)(?:The|A|An)\s+$", body[max(0, s - 5):s]):
            prev = re.search(r"([A-Z][a-z]+)\s+$", body[max(0, s - 25):s]).group(1)
            if not (country_of(prev) or metonym_of(prev)):
                continue  # part of a longer name ("Kurdistan Region Security Council")
        if k.type == "Government":
            government(ctx, k.key.split("/", 1)[1], s, e, rule="known-actor:metonym")
            continue
        if k.type not in ("Person", "Publisher") and any(a <= s and e <= b for (a, b) in ctx.place_mentions):
            continue  # the alias is itself a place here
        _register_known(ctx, k, s, e)
    # multi-word spaCy persons first (full names), then single words (surnames)
    full_by_last: dict[str, Entity] = {}
    for ent in ctx.entities.items:
        if ent.type == "Person":
            full_by_last.setdefault(_fold(family_name(ent.name)), ent)
    contributors = {_fold(c.name) for c in ctx.article.meta.contributors}
    for s, e, text in sorted(cands, key=lambda c: (-len(c[2].split()), c[0])):
        if _in_furniture(ctx, s, e) or (s, e) in ctx.entity_mentions or _fold(text) in contributors:
            continue  # (the article's writers and editors are contributors, not news actors)
        if any(a <= s and e <= b for (a, b) in ctx.entity_mentions):
            continue
        if _is_place_or_org(ctx, s, e, text):
            continue
        k = known(text)
        if k is not None and k.type == "Person":
            _register_known(ctx, k, s, e)
            continue
        words = text.split()
        if len(words) >= 2:
            ent = _register(ctx, key=f"person/{slug(text)}", type="Person", name=text, start=s, end=e,
                            rule="spacy:PERSON", confidence=0.85)
            full_by_last.setdefault(_fold(family_name(text)), ent)
            continue
        full = full_by_last.get(_fold(text))
        if full is None:  # a surname met before its full name? look for any person ending with it
            for other in ctx.entities.items:
                if other.type == "Person" and _fold(family_name(other.name)) == _fold(text):
                    full = other
                    break
        if full is None:
            full = _full_name_of(ctx, text, s)
            if full is not None:
                full_by_last.setdefault(_fold(text), full)
        if full is None:
            full = _person_with_word(ctx, text)
        if full is not None:
            _register(ctx, key=full.key, type="Person", name=full.name, start=s, end=e,
                      rule="surname-link", confidence=0.85)
        elif _common_noun_opening(ctx, s, text):
            continue
        else:
            ent = _register(ctx, key=f"person/{slug(text)}", type="Person", name=text, start=s, end=e,
                            rule="spacy:PERSON:single-name", confidence=0.5)
            full_by_last.setdefault(_fold(text), ent)
    # surnames that spaCy missed (or labelled GPE/ORG): any capitalised word equal to the last
    # name of a person already found
    for last, ent in list(full_by_last.items()):
        if len(ent.name.split()) < 2:
            continue
        surname = family_name(ent.name)
        for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", body):
            s, e = m.start(), m.end()
            if _in_furniture(ctx, s, e) or any(a <= s and e <= b for (a, b) in ctx.entity_mentions):
                continue
            _register(ctx, key=ent.key, type="Person", name=ent.name, start=s, end=e,
                      rule="surname-link", confidence=0.85)


_SUBJECT_DEPS = frozenset({"nsubj"})


def acting(tok) -> bool:
    """The noun stands where an actor stands: subject, passive agent, "according to" source, or
    a conjunct of one."""
    seen = 0
    while tok.dep_ == "conj" and seen < 4:
        tok = tok.head
        seen += 1
    if tok.dep_ in _SUBJECT_DEPS:
        return tok.head.lemma_ != "be"  # "the recruits are young": described, not acting
    if tok.dep_ == "pobj":
        prep = tok.head
        if prep.lower_ == "by" and prep.dep_ == "agent":
            return True
        if prep.lower_ == "to" and prep.i > 0 and prep.doc[prep.i - 1].lower_ == "according":
            return True
    return False


def prune_lone_names(ctx: ExtractionContext) -> None:
    """Forget a single word the model took for a person ("Gunfire", "Info") when nothing backs
    it: no full name, no title, and no mention where an actor stands (subject, agent, "according
    to", owner). A real person named by one word acts or speaks somewhere in the text."""
    used = {e.affiliation for e in ctx.entities.items if e.affiliation}
    drop = set()
    for ent in ctx.entities.items:
        if ent.type != "Person" or ent.rule != "spacy:PERSON:single-name" or ent.role or ent.id in used:
            continue
        spans = [ctx.doc.char_span(m.start, m.end, alignment_mode="expand") for m in ent.mentions]
        if any(sp is not None and len(sp) and (acting(sp.root) or sp.root.dep_ == "poss") for sp in spans):
            continue
        drop.add(ent.id)
    if drop:
        ctx.entities.discard(drop)
        for k in [k for k, v in ctx.entity_mentions.items() if v in drop]:
            del ctx.entity_mentions[k]


@lru_cache(maxsize=1)
def _common_nouns() -> frozenset[str]:
    """The English nouns of the model's lemmatizer index (WordNet's noun list, spaCy's
    ``lemma_index`` table)."""
    from .nlp import load_nlp
    try:
        return frozenset(load_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")["noun"])
    except (KeyError, AttributeError):
        return frozenset()


def _common_noun_opening(ctx: ExtractionContext, s: int, word: str) -> bool:
    """A one-word "name" that opens a sentence or a quote and is an English common noun
    ("Gunfire broke out", "“Info,” writes a viewer"): its capital comes from its place, so it
    names nobody unless a full name of the article has it (checked before)."""
    toks = ctx.tokens_starting_in(s, s + 1)
    if not toks:
        return False
    tok = toks[0]
    opening = tok.is_sent_start or (tok.i > 0 and tok.doc[tok.i - 1].is_quote)
    return opening and word.lower() in _common_nouns()


def _name_words(name: str) -> set[str]:
    """The folded words of a full name, a particle prefix taken off too ("al-Burhan" -> "burhan")."""
    out = set()
    for w in name.split():
        out.add(_fold(w))
        m = re.match(r"(?i)(?:al|el|ad|ash|as|bin|ibn|abu)-(.+)", w)
        if m:
            out.add(_fold(m.group(1)))
    return out


def _person_with_word(ctx: ExtractionContext, word: str) -> Entity | None:
    """The one full-named person of the article one of whose names is ``word``, whatever the
    name order ("Mr Tadesse" for a given name used as the polite form, "Yoon" for a name
    written family name first, "General Burhan" for "al-Burhan"); None when no person or
    several have it (a second mention names one person: the article introduces it by its
    full name first)."""
    w = _fold(word)
    hits = {e.key: e for e in ctx.entities.items if e.type == "Person" and len(e.name.split()) >= 2
            and w in _name_words(e.name)}
    return next(iter(hits.values())) if len(hits) == 1 else None


def _full_name_of(ctx: ExtractionContext, surname: str, at: int) -> Entity | None:
    """A surname alone whose full name the model did not tag: "<Given> <Surname>" elsewhere in
    the body, the given name a proper noun that is no title, honorific, place or country. The
    full name is registered, so that the surname never stands as a person of its own."""
    body = ctx.body
    for m in re.finditer(rf"(?<![\w-])([A-Z][\w’'-]+)\s+{re.escape(surname)}(?![\w-])", body):
        given = m.group(1)
        if _HONORIFIC.match(given + " ") or given.lower() in _title_words() or country_of(given) \
                or metonym_of(given) or _place_at(ctx, m.start(1), m.end(1)) or _in_furniture(ctx, m.start(), m.end()):
            continue
        tok = next((t for t in ctx.tokens if t.idx == m.start(1)), None)
        if tok is None or tok.pos_ != "PROPN" or tok.ent_type_ in ("GPE", "NORP", "ORG", "DATE"):
            continue
        name = body[m.start():m.end()]
        return _register(ctx, key=f"person/{slug(name)}", type="Person", name=name, start=m.start(), end=m.end(),
                         rule="spacy:PERSON:given-name", confidence=0.7)
    return None


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    from .role_tables import role_states, role_words
    return frozenset(role_states()) | role_words()


def family_name(name: str) -> str:
    """The name a person is called by on second mention: the last word, or the first for East
    Asian names written family name first ("Kim Jong-un" -> "Kim", "Shin Jong-woo" -> "Shin")."""
    words = name.split()
    if len(words) >= 2 and re.fullmatch(r"[A-Z][a-z]+-[a-z]+", words[-1]):
        return words[0]
    return words[-1]


def _affiliation_for(ctx: ExtractionContext, aff: str | None, aff_start: int | None) -> str | None:
    if not aff:
        return None
    aff = aff.strip()
    k = known(aff)
    if k is not None and k.type != "Person":
        e = _register_known(ctx, k, None, None)
        return e.id
    code = country_of(aff) or metonym_of(aff)
    if code:
        return government(ctx, code).id
    return None


def _assign_roles(ctx: ExtractionContext) -> None:
    body = ctx.body
    for (s, e), eid in sorted(ctx.entity_mentions.items()):
        ent = ctx.entities.by_id[eid]
        if ent.type != "Person" or ent.role:
            continue
        line_start = body.rfind("\n", 0, s) + 1
        left = body[max(line_start, s - 90):s]
        left = re.split(r"[.;:!?\"“”]\s", left)[-1]
        role = aff = None
        m = _TITLE_BEFORE.search(left)
        if m and m.group("role"):
            role = m.group("role")
            aff = m.group("aff")
            if aff:
                words = aff.split()
                for i in range(len(words)):
                    longer = " ".join(words[i:]) + " " + role
                    if re.fullmatch(_ROLE_RE, longer, re.I):  # "Prosecutor General", not "Prosecutor" + "General"
                        role = longer
                        aff = " ".join(words[:i]) or None
                        break
            if aff and not m.group("poss") and not (country_of(aff) or metonym_of(aff) or known(aff)):
                # "Prosecutor General" / "U.S. President Donald Trump's special envoy": keep
                # only the trailing resolvable part
                words = aff.split()
                aff = None
                cands = [" ".join(words[i:]) for i in range(len(words))] + \
                        [" ".join(words[:i]) for i in range(len(words) - 1, 0, -1)]  # "U.S. Treasury" -> "U.S."
                for cand in cands:
                    if country_of(cand) or metonym_of(cand) or known(cand):
                        aff = cand
                        break
        if not role:
            line_end = body.find("\n", e)
            right = body[e:line_end if line_end >= 0 else len(body)][:140]
            m2 = _APPOS_AFTER.match(right)
            if m2:
                role = m2.group("role")
                aff = m2.group("aff")
                org = m2.group("org")
                if not aff and org:
                    aff = org
                    k = known(org)
                    if k is None and not (country_of(org) or metonym_of(org)) and (
                            len(org.split()) >= 2 or re.fullmatch(r"[A-Z]{3,6}", org)):
                        os_ = e + m2.start("org")
                        o = _register(ctx, key=f"org/{slug(org)}", type="Organisation", name=org,
                                      start=os_, end=os_ + len(org), rule="apposition:org", confidence=0.6)
                        ent.role = _norm_role(role)
                        ent.affiliation = o.id
                        continue
        if not role:
            continue
        r = _norm_role(role)
        if r in ("official",) and not aff:
            continue
        ent.role = r
        aff_id = _affiliation_for(ctx, aff, None)
        if aff_id is None and r in ("president", "prime minister", "foreign minister", "defense minister",
                                    "chancellor") and ent.country:
            aff_id = government(ctx, ent.country).id
        if aff_id:
            ent.affiliation = aff_id
            if ent.country is None:
                aff_ent = ctx.entities.by_id[aff_id]
                ent.country = aff_ent.country


# --------------------------------------------------------------------------- groups

_GROUP_HEADS = (r"officials|analysts|experts|allies|authorities|investigators|officers|sources|"
                r"monitors|diplomats|commanders|rebels|residents|activists|lawmakers|observers|"
                r"prosecutors|negotiators|researchers|leaders|volunteers|critics|militants|insurgents|"
                r"defenders|channels|media|workers|groups|witnesses|bloggers")
_GROUP_HEADS_CAP = "|".join(h[0].upper() + h[1:] for h in _GROUP_HEADS.split("|"))
_GROUP_MODS = (r"senior|top|local|military|intelligence|western|Western|government|security|defen[cs]e|"
               r"rights|rescue|medical|regional|foreign|independent|aid|humanitarian|state|police|army|"
               r"health|emergency|U\.S\.|US|UN|U\.N\.|Kremlin|Pentagon|Telegram|unofficial|other|some|"
               r"several|many|European|Arab|opposition|rebel|Rebel|Islamist|Shi'ite|Sunni|Kurdish|"
               r"administration|energy|nuclear|independent|ministry|defence|pro-Kremlin")
GROUP_RE = re.compile(
    rf"(?<![\w-])(?:(?:the|The|some|Some|many|Many|other|Other|several|Several)\s+)?"
    rf"(?P<phrase>(?P<mods>(?:(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|{_GROUP_MODS})\s+){{0,3}})(?P<head>{_GROUP_HEADS}|(?-i:{_GROUP_HEADS_CAP})))"
    rf"(?P<loc>\s+in\s+(?P<place>[A-Z][a-z]+))?(?![\w-])")
_SKIP_MODS = {"some", "several", "many", "other", "unofficial"}


_INSTITUTIONAL = {"military", "army", "defense", "defence", "security", "police", "government", "intelligence",
                  "administration", "ministry", "state"}
_POSS_COUNTRY = re.compile(r"(?P<owner>(?:the\s+)?(?:[A-Z][a-z]+\s+)?[A-Z][a-z]+)['’]s\s+$")


def _context_country(ctx: ExtractionContext, start: int, mods: list[str]) -> str | None:
    """The country of an institutional group named without one ("military officials said",
    "army officers said"): the country of the nearest force (for military/army) or government
    named in the same or the previous two paragraphs, when only one country is named there."""
    body = ctx.body
    lo = start
    for _ in range(3):
        lo = body.rfind("\n", 0, max(0, lo - 1))
        if lo < 0:
            lo = 0
            break
    lo = max(lo, 0)
    military = any(w.lower() in ("military", "army") for w in mods)
    codes = []
    for (a, b), eid in sorted(ctx.entity_mentions.items()):
        if not (lo <= a < start):
            continue
        e = ctx.entities.by_id[eid]
        if e.type == "MilitaryForce" or (not military and e.type == "Government"):
            if e.country:
                codes.append(e.country)
    if not codes:
        return None
    if len(set(codes)) > 1:
        return None
    return codes[-1]


_STATE_HEADS = {"officials", "authorities", "officers", "diplomats", "prosecutors", "lawmakers", "commanders",
                "negotiators", "investigators"}


def _sentence_country(ctx: ExtractionContext, off: int) -> str | None:
    """The one country whose government or forces the sentence names before ``off``."""
    sent = ctx.sent_at(off)
    if sent is None:
        return None
    lo = max(sent.start_char, ctx.body.rfind("\n", 0, off) + 1)  # (a parse run across paragraphs)
    codes = {ctx.entities.by_id[eid].country for (a, b), eid in ctx.entity_mentions.items()
             if lo <= a < off and ctx.entities.by_id[eid].type in ("Government", "MilitaryForce")}
    codes.discard(None)
    return codes.pop() if len(codes) == 1 else None


def _group_country(ctx: ExtractionContext, start: int, m, mods: list[str]) -> tuple[str | None, list[str]]:
    """The country of a described group: a national modifier, the place after "in", or the
    owner country ("South Korea's defense authorities", whose national adjective joins the
    modifiers)."""
    country = next((c for c in (country_of(w) or metonym_of(w) for w in mods) if c), None)
    if m.group("place") and not country:
        country = metonym_of(m.group("place")) or country_of(m.group("place"))
    poss = _POSS_COUNTRY.search(ctx.body[max(0, start + m.start("phrase") - 40):start + m.start("phrase")])
    if poss and not country:
        owner = re.sub(r"^the\s+", "", poss.group("owner"))
        code = country_from_name_only(owner) or metonym_of(owner)
        adj = demonym_for(code) if code else None
        if adj:
            return code, adj.split() + mods
    return country, mods


def _national_authorities(ctx: ExtractionContext, start: int, m, country: str | None, mods: list[str]) -> Entity | None:
    """"Israeli authorities", "Spain's authorities": the state's government acting, not a
    described group (docs/annotations.md, Government: "a state or its government acting")."""
    if m.group("head") != "authorities" or not country or not mods or m.group("loc") \
            or not all(country_of(w) or metonym_of(w) for w in mods):
        return None
    return government(ctx, country, start + m.start("phrase"), start + m.end("phrase"),
                      rule="government:authorities", confidence=0.8)


def group_for(ctx: ExtractionContext, start: int, end: int, *, register_new: bool = True) -> Entity | None:
    """A described group for the phrase at ``start..end`` ("Ukrainian military analysts",
    "South Korea's defense authorities", "analysts in Seoul"; "the analysts" / "some Russian
    channels" → the group met before with that head noun and those modifiers)."""
    text = ctx.body[start:end]
    m = GROUP_RE.search(text)
    if not m:
        return None
    mods = [w for w in m.group("mods").split() if w.lower() not in _SKIP_MODS]
    head = m.group("head")
    if re.search(r"(?i)\b(?:its|their|his|her|our|whose)\s+$", ctx.body[max(0, start + m.start("phrase") - 8):start + m.start("phrase")]):
        return None  # "its defenders": whose? a possessive pronoun names no group by itself
    country, mods = _group_country(ctx, start, m, mods)
    gov = _national_authorities(ctx, start, m, country, mods)
    if gov is not None:
        return gov
    mod_slugs = {slug(w) for w in mods}
    # an earlier group with the same head whose modifiers include all of these ("Russian
    # Telegram channels" … "some Russian channels")
    same_head = [ent for ent in ctx.entities.items if ent.type == "Group"
                 and (ent.key.endswith("-" + head) or ent.key == f"group/{head}") and any(mm.start < start for mm in ent.mentions)]
    if not mods and not m.group("loc") and len(same_head) > 1:
        return None  # "officials said" after Israeli and Lebanese officials: whose?
    for ent in reversed(ctx.entities.items):
        if ent.type != "Group" or not (ent.key.endswith("-" + head) or ent.key == f"group/{head}"):
            continue
        if not any(mm.start < start for mm in ent.mentions):
            continue
        words = set(ent.key.split("/", 1)[1].split("-"))
        missing = words - mod_slugs - {head}
        if mod_slugs <= words and (not mods or not missing & _INSTITUTIONAL) \
                and (country is None or ent.country in (None, country)):
            if not mods and m.group("loc"):
                break
            return _register(ctx, key=ent.key, type="Group", name=ent.name,
                             start=start + m.start("phrase"), end=start + m.end("phrase"),
                             rule="group:anaphor", confidence=0.8)
    if not mods:
        if not register_new:
            return None
        if not m.group("loc") and head in _STATE_HEADS:
            # "some officials warning …": officials of the one state the sentence names before them
            code = _sentence_country(ctx, start + m.start("phrase"))
            adj = demonym_for(code) if code else None
            if adj is None:
                return None
            s = start + m.start("phrase")
            e = start + m.end("phrase")
            name = f"{adj} {head}"
            return _register(ctx, key=f"group/{slug(name)}", type="Group", name=name, start=s, end=e,
                             rule="group:sentence-country", confidence=0.6, country=code)
        if not m.group("loc"):
            # a bare plural ("analysts said"): a described group of this article
            s = start + m.start("phrase")
            e = start + m.end("phrase")
            return _register(ctx, key=f"group/{slug(head)}", type="Group", name=head[0].upper() + head[1:],
                             start=s, end=e, rule="group:bare-plural", confidence=0.5)
        phrase_end = m.end("loc")
    else:
        phrase_end = m.end("loc") if m.group("loc") else m.end("phrase")
    if country is None and mods and all(w.lower() in _INSTITUTIONAL for w in mods):
        # "military officials", "army officers": officials of which state?
        code = _context_country(ctx, start, mods)
        if code is None:
            return None
        adj = demonym_for(code)
        if adj is None:
            return None
        country = code
        mods = adj.split() + mods
    s = start + m.start("phrase")
    e = start + phrase_end
    words = [w for w in mods] + [head]
    if m.group("loc"):
        words += ctx.body[start + m.end("phrase"):e].split()
    name = " ".join(words)
    key = f"group/{slug(name)}"
    return _register(ctx, key=key, type="Group", name=name[0].upper() + name[1:], start=s, end=e,
                     rule="group:described", confidence=0.75 if mods else 0.6, country=country)


# --------------------------------------------------------------------------- forces

_FORCE_NOUN = (r"troops|soldiers|servicemen|military units|units|forces|force|army|armed forces|"
               r"military|navy|air force|paratroopers|marines|contingent")
_FORCE_RE = re.compile(
    rf"(?<![\w-])(?P<who>(?:the\s+)?(?:North |South )?[A-Z][a-z]+(?:['’]s)?)\s+"
    rf"(?:(?P<size>\d{{1,3}}(?:,\d{{3}})+|\d+)-strong\s+)?(?P<noun>{_FORCE_NOUN})(?![\w-])", re.I)
_UNIT_RE = re.compile(
    r"(?<![\w-])(?P<unit>\d+(?:st|nd|rd|th)\s+(?:[A-Z][a-z]+\s+){0,3}(?:Brigade|Division|Regiment|Battalion|Corps|Army|Fleet|Squadron))(?![\w-])")
_DEPLOY = re.compile(r"\b(deploy\w*|sent|send(?:s|ing)?|dispatch\w*|transferred)\b", re.I)


def _force_key(code: str, noun: str, deployed: set[str]) -> tuple[str, str]:
    noun = noun.lower()
    if noun in ("troops", "soldiers", "servicemen", "military units", "units", "paratroopers", "marines", "contingent"):
        if code in deployed:
            return f"force/{code}/troops", "troops"
        return f"force/{code}/armed-forces", "armed forces"
    if noun == "navy":
        return f"force/{code}/navy", "navy"
    if noun == "air force":
        return f"force/{code}/air-force", "air force"
    return f"force/{code}/armed-forces", "armed forces"


def _inside_longer_name(ctx: ExtractionContext, start: int) -> bool:
    """True when the text at ``start`` continues a proper name that begins with a capitalised
    word of its own before it ("Free" in "the Free Syrian Army", "New" in "New Syrian Army")."""
    for ent in ctx.ents:
        if ent.start_char < start < ent.end_char and ent.label_ in ("ORG", "NORP", "FAC", "PERSON", "GPE"):
            lead = ctx.body[ent.start_char:start].strip()
            lead = re.sub(r"^(?:the|The)\b\s*", "", lead)
            if lead and lead[0].isupper():
                return True
    return False


def _extract_forces(ctx: ExtractionContext) -> None:
    body = ctx.body
    # countries whose troops are sent somewhere in this article: their troops form a contingent
    deployed: set[str] = set()
    for sent in ctx.sents:
        st = body[sent.start_char:sent.end_char]  # sent.text, without a Token object per token
        if not _DEPLOY.search(st):
            continue
        for m in _FORCE_RE.finditer(st):
            who = re.sub(r"^the\s+", "", m.group("who"), flags=re.I)
            if m.group("noun").lower() in ("troops", "soldiers", "military units", "units", "servicemen", "contingent"):
                code = country_of(who)
                if code and not who.endswith(("'s", "’s")):
                    deployed.add(code)
    for m in _FORCE_RE.finditer(body):
        s, e = m.start(), m.end()
        if _in_furniture(ctx, s, e):
            continue
        if re.match(rf"\s+(?:(?:intelligence|defen[cs]e|government|security)\s+)?(?:{_GROUP_HEADS})\b", body[e:]):
            continue  # "Ukrainian military analysts": a described group, not a force
        who = re.sub(r"^the\s+", "", m.group("who"), flags=re.I)
        if who[0].islower():
            continue
        if _inside_longer_name(ctx, s):
            continue  # "the Free Syrian Army" is a rebel group, not Syria's army
        code = country_of(who)
        if not code:
            continue
        noun = m.group("noun")
        size = int(m.group("size").replace(",", "")) if m.group("size") else None
        if noun.lower() == "contingent" and not size:
            # "the Russian contingent" (of mercenaries or troops abroad): a described group
            adj = who if not who.endswith(("'s", "’s")) else demonym_for(code)
            if adj:
                gs = m.start("who") + (len(m.group("who")) - len(who))
                _register(ctx, key=f"group/{slug(adj)}-contingent", type="Group", name=f"{adj} contingent",
                          start=gs, end=e, rule="group:contingent", confidence=0.75, country=code)
            continue
        if size:
            key, label = f"force/{code}/{size}-strong-{slug(noun)}", f"{size:,}-strong {noun.lower()}"
        else:
            if noun.lower() in ("force",):
                continue
            key, label = _force_key(code, noun, deployed)
        k = next((kk for kk in known_actors() if kk.key == key), None)
        if k and not size:
            name = k.name
        elif size:
            name = re.sub(r"^the\s+", "", m.group(0), flags=re.I)
        else:
            name = f"{who} {label}" if not who.endswith(("'s", "’s")) else f"{country_label(code)} {label}"
        ent = _register(ctx, key=key, type="MilitaryForce", name=name, start=s, end=e,
                        rule="force:demonym-noun" if not size else "force:size", confidence=0.8,
                        country=code, size=size)
        _force_location(ctx, ent, e)
    for m in _UNIT_RE.finditer(body):
        s, e = m.start("unit"), m.end("unit")
        if _in_furniture(ctx, s, e):
            continue
        left = body[max(0, s - 40):s]
        mm = re.search(r"([A-Z][a-z]+(?:['’]s)?)\s+$", left)
        code = country_of(mm.group(1)) if mm else None
        if not code:
            line = body[body.rfind("\n", 0, s) + 1:s]
            codes = [country_of(w) for w in re.findall(r"[A-Z][a-z]+(?:['’]s)?", line)]
            codes = [c for c in codes if c]
            code = codes[-1] if codes else None
        if not code:
            continue
        unit = m.group("unit")
        ent = _register(ctx, key=f"force/{code}/{slug(unit)}", type="MilitaryForce", name=unit, start=s, end=e,
                        rule="force:named-unit", confidence=0.8, country=code)
        _force_location(ctx, ent, e)


_PLACE_RANK = {"Settlement": 3, "Area": 2, "Region": 2, "Country": 1}


def _force_location(ctx: ExtractionContext, ent: Entity, after: int) -> None:
    """Set ``location`` from a place named right after the force ("… troops in Russia",
    "… deployed to the Kursk region"), preferring the most specific place."""
    body = ctx.body
    end_sent = len(body)
    for sent in ctx.sents:
        if sent.start_char <= after <= sent.end_char:
            end_sent = sent.end_char
            break
    best = None
    for (a, b), pid in sorted(ctx.place_mentions.items()):
        if a < after or a > end_sent or a - after > 120:
            continue
        between = body[after:a]
        if not re.search(r"\b(?:in|to|into|inside|at|near)\s+(?:the\s+)?$", between):
            continue
        if re.search(r"[;.]|\bwhich\b|\bthat\b", between):
            continue
        place = ctx.places.by_id.get(pid)
        rank = _PLACE_RANK.get(getattr(place, "type", ""), 0)
        if best is None or rank > best[0]:
            best = (rank, pid)
    if best is not None:
        cur = ctx.places.by_id.get(ent.location) if ent.location else None
        if cur is None or _PLACE_RANK.get(cur.type, 0) < best[0]:
            ent.location = best[1]


# --------------------------------------------------------------------------- governments

_GOVTS_RE = re.compile(
    r"(?<![\w-])(?:the\s+)?(?P<list>(?:[A-Z][a-z]+(?:,\s+|\s+and\s+))*[A-Z][a-z]+)\s+(?P<noun>governments?|administration)(?![\w-])")


def _extract_governments(ctx: ExtractionContext) -> None:
    body = ctx.body
    for m in _GOVTS_RE.finditer(body):
        if _in_furniture(ctx, m.start(), m.end()):
            continue
        words = list(re.finditer(r"[A-Z][a-z]+", m.group("list")))
        codes = [(w, country_of(w.group(0))) for w in words]
        if not codes or not all(c for _w, c in codes):
            continue
        if len(codes) == 1:
            w, c = codes[0]
            government(ctx, c, m.start(), m.end(), rule="government:adjective-noun")
        else:
            for w, c in codes:
                s = m.start("list") + w.start()
                government(ctx, c, s, s + len(w.group(0)), rule="government:adjective-list")
    # countries and capitals where an actor stands: subjects ("Ukraine shut down", "Kyiv said"),
    # their conjuncts ("Russia and China vetoed"), passive agents ("backed by Iran") and sources
    # ("according to Turkey")
    for tok in ctx.tokens:
        if tok.pos_ != "PROPN" or not (tok.dep_ == "nsubjpass" or acting(tok)):
            continue
        # the whole proper-noun phrase of the subject
        left = tok.left_edge
        while left.i < tok.i and (left.pos_ not in ("PROPN",) and left.lower_ != "the"):
            left = left.nbor(1)
        s, e = left.idx, tok.idx + len(tok.text)
        text = body[s:e]
        if (s, e) in ctx.entity_mentions or _in_furniture(ctx, s, e):
            continue
        code = metonym_of(text) or country_from_name_only(text)
        if code:
            government(ctx, code, s, e, rule="government:subject", confidence=0.8)


def country_from_name_only(text: str) -> str | None:
    """A country *name* (not a demonym): "Ukraine", "the US"."""
    try:
        from .gazetteer import country_from_name
        return country_from_name(text)
    except Exception:
        return None


# --------------------------------------------------------------------------- organisations


@lru_cache(maxsize=1)
def org_heads() -> dict[str, str]:
    """Head words of organisation names -> what a country makes the affiliation
    (``data/org-heads.tsv``)."""
    return {row["head"]: row["state"] for row in read_table("org-heads.tsv")}


def org_head(name: str) -> str | None:
    """The organisation head word of a name ("Interior Ministry" -> "ministry"), the last one
    that the table lists, else None."""
    for w in reversed(re.findall(r"[\w-]+", name)):
        if w.lower() in org_heads():
            return w.lower()
    return None


def _head_after(ctx: ExtractionContext, e: int) -> int:
    """The end of lower-case organisation heads right after a name ("<name> news agency",
    "<name> security service"), else ``e``."""
    m = re.match(r"(?:\s+(?:news|security|intelligence|state|press|rights|aid|research)\s)?\s*([a-z]+)\b",
                 ctx.body[e:e + 40])
    if m and m.group(1) in org_heads() and m.group(1) not in ("news", "times", "post"):
        return e + m.end()
    m = re.match(r"\s([A-Z][a-z]+)\b", ctx.body[e:e + 20])  # "Sky" + "News": the model cut the name
    if m and m.group(1).lower() in org_heads():
        return e + m.end()
    return e


def _owner_country(ctx: ExtractionContext, s: int) -> str | None:
    """The country whose possessive stands right before ``s`` ("Germany's <name>")."""
    m = re.search(r"(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)['’]s\s+(?:the\s+)?$", ctx.body[max(0, s - 40):s])
    if not m:
        return None
    return country_from_name_only(m.group(1)) or metonym_of(m.group(1))


def _org_acting(ctx: ExtractionContext, s: int, e: int) -> bool:
    span = ctx.doc.char_span(s, e, alignment_mode="expand")
    return span is not None and len(span) > 0 and acting(span.root)


def _org_candidates(ctx: ExtractionContext) -> list[tuple[int, int, str]]:
    out = []
    for s, e, text in _ents_without_possessive(ctx, "ORG"):
        if text.lower().startswith("the "):
            s += 4
            text = ctx.body[s:e]
        if (not text or _in_furniture(ctx, s, e) or any(a < e and s < b for (a, b) in ctx.entity_mentions)
                or _place_at(ctx, s, e)):
            continue
        if country_of(text) or metonym_of(text) or re.search(r"\d", text) or len(text) < 2 or is_time_zone(text) \
                or is_weapon(text):
            continue
        if not text[0].isupper() or len(text.split()) > 8:
            continue
        out.append((s, e, text))
    return out


def _a_place_name(ctx: ExtractionContext, text: str) -> bool:
    """A one-word name that is a place of the article or of the gazetteer ("Nagorno-Karabakh")."""
    if any(_fold(p.name) == _fold(text) for p in ctx.places.items):
        return True
    try:
        from .gazetteer import find_cities, find_region
        return bool(find_region(text) or find_cities(text))
    except Exception:
        return False


def _initials(name: str) -> str:
    """"Democratic Progressive Party" -> "DPP" (the capitalised words' first letters)."""
    return "".join(w[0] for w in re.findall(r"[\w’'-]+", name) if w[:1].isupper())


def _extract_orgs(ctx: ExtractionContext) -> None:
    """Organisations the model tags ORG: a name with an organisation head word
    (``data/org-heads.tsv``: "Interior Ministry", "Hanwha Aerospace"), possibly followed by a
    lower-case head ("<name> news agency"), an acronym, or any other one-word ORG name the text
    presents acting (subject, agent, "according to"). A short name or the initials of an
    organisation named before are a mention of it ("Sky" for "Sky News", "DPP")."""
    name_words = {_fold(w) for p in ctx.entities.items if p.type == "Person" for w in p.name.split()}
    cands = [c for c in _org_candidates(ctx) if " " in c[2] or c[2].isupper() or _fold(c[2]) not in name_words]
    for s, e, text in sorted(cands, key=lambda c: (-len(c[2].split()), c[0])):
        if " " not in text:
            longer = next((o for o in ctx.entities.items if o.type == "Organisation" and " " in o.name
                           and (_fold(o.name.split()[0]) == _fold(text) or text.isupper() and _initials(o.name) == text)),
                          None)
            if longer is not None:  # "Sky" after "Sky News": the short name of the one named before
                _register(ctx, key=longer.key, type="Organisation", name=longer.name, start=s, end=e,
                          rule="name-link", confidence=0.6)
                continue
        e2 = _head_after(ctx, e)  # the mention covers the head; the name stays the model's
        headed = org_head(ctx.body[s:e2]) is not None or re.fullmatch(r"[A-Z]{2,6}", text)
        if not headed and (" " in text or not _org_acting(ctx, s, e) or _a_place_name(ctx, text)):
            continue  # (a name of several words with no organisation word may be a person's)
        country = _owner_country(ctx, s)
        key = "org/" + slug(re.sub(r"(?i)\s+(?:TV|Television|Radio)$", "", text))
        if org_heads().get(org_head(text) or "") == "government":
            country = country or country_in_name(text)
            if country:  # a state body of a named state: keyed by it ("org/ru-ministry-of-defence")
                key = f"org/{country.lower()}-{slug(_bare_of_country(text))}"
        _register(ctx, key=key, type="Organisation", name=text, start=s, end=e2,
                  rule="spacy:ORG", confidence=0.6, country=country)


def country_in_name(name: str) -> str | None:
    """The country a capitalised word of the name names ("Russian Foreign Ministry" -> RU)."""
    for m in re.finditer(r"[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?", name):
        for cand in (m.group(0), m.group(0).split()[0]):
            code = country_of(cand) or country_from_name_only(cand)
            if code:
                return code
    return None


def _bare_of_country(name: str) -> str:
    """The name without its country words ("Russian Foreign Ministry" -> "Foreign Ministry")."""
    kept = [w for w in name.split() if not (w[:1].isupper() and (country_of(w) or country_from_name_only(w)))]
    return " ".join(kept) or name


# --------------------------------------------------------------------------- entry point


def named_actors(ctx: ExtractionContext) -> None:
    """The publisher, named persons, named forces and governments (first part of the actors step,
    ``actors_step.extract_actors``)."""
    publisher(ctx)
    _extract_persons(ctx)
    _extract_forces(ctx)
    _extract_governments(ctx)


def organisations(ctx: ExtractionContext) -> None:
    _extract_orgs(ctx)
    _described_orgs(ctx)


@lru_cache(maxsize=1)
def _described_org_re() -> re.Pattern:
    # state bodies only: a generic head ("the group", "the party") stands for a body named before
    heads = "|".join(sorted((h for h, state in org_heads().items() if state in ("government", "self")), key=len, reverse=True))
    return re.compile(
        r"(?<![\w.-])(?P<owner>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)(?P<poss>['’]s)?\s+"
        rf"(?P<desc>(?:[a-z][a-z-]*\s+){{0,2}}?(?P<head>{heads}))(?![\w-])")


def _described_orgs(ctx: ExtractionContext) -> None:
    """Organisations the text describes by a country and a lower-case head of a state body in
    ``data/org-heads.tsv`` ("Brazil's interior ministry", "the Danish foreign ministry"), when the
    phrase stands where an actor stands (subject, agent, "according to"): an organisation of that
    country, keyed as the speaker rules key a described organisation (``org/<cc>-<description>``),
    or the known actor of ``data/actors.tsv`` it names."""
    for m in _described_org_re().finditer(ctx.body):
        owner = m.group("owner")
        code = (country_from_name_only(owner) or metonym_of(owner)) if m.group("poss") else \
            (country_of(owner) if not country_from_name_only(owner) else None)
        s, e = m.start(), m.end()
        if code is None or _in_furniture(ctx, s, e) or any(a < e and s < b for (a, b) in ctx.entity_mentions):
            continue
        if not _org_acting(ctx, m.start("desc"), e):
            continue
        if org_heads()[m.group("head")] == "self":  # "Ukraine's presidency": the state acting
            government(ctx, code, s, e, rule="government:described-body", confidence=0.8)
            continue
        k = known(ctx.body[s:e])
        if k is not None and k.type != "Person":  # a curated body ("Russia's defence ministry")
            _register_known(ctx, k, s, e, rule="known-actor:described")
            continue
        desc = m.group("desc")
        _register(ctx, key=f"org/{code.lower()}-{slug(desc)}", type="Organisation", name=ctx.body[s:e],
                  start=s, end=e, rule="organisation:described", confidence=0.6, country=code)


def roles_and_groups(ctx: ExtractionContext) -> None:
    """Roles from the registered titles, described groups, coalitions and prisoners of war."""
    _assign_roles(ctx)
    for m in GROUP_RE.finditer(ctx.body):
        if _in_furniture(ctx, m.start(), m.end()):
            continue
        mods = [w for w in m.group("mods").split() if w.lower() not in _SKIP_MODS]
        if not mods:
            continue
        if not any(country_of(w) or w.lower() in ("western", "military", "intelligence", "senior", "government",
                                                  "security", "rights", "ukrainian", "russian") for w in mods):
            continue
        if any(a < m.end() and m.start() < b for (a, b) in ctx.entity_mentions):
            continue
        group_for(ctx, m.start(), m.end())
    _extract_coalitions(ctx)
    _extract_prisoners(ctx)


_POW_RE = re.compile(r"\b(?P<d>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:POWs|prisoners\s+of\s+war)\b")


def _extract_prisoners(ctx: ExtractionContext) -> None:
    """"two North Korean prisoners of war", "the North Korean POWs": one described group of that
    country's prisoners of war (``group/north-korean-pows``)."""
    for m in _POW_RE.finditer(ctx.body):
        if _in_furniture(ctx, m.start(), m.end()) or any(a < m.end() and m.start() < b for (a, b) in ctx.entity_mentions):
            continue
        code = country_of(m.group("d"))
        adj = demonym_for(code) if code else None
        if adj is None or _fold(adj) != _fold(m.group("d")):
            continue  # a demonym, not a place ("Ukraine prisoners of war")
        name = f"{adj} POWs"
        _register(ctx, key=f"group/{slug(name)}", type="Group", name=name, start=m.start(), end=m.end(),
                  rule="group:prisoners-of-war", confidence=0.8, country=code)


_COALITION_RE = re.compile(r"\b(?P<c>(?:[A-Z][\w]*\.?)+)-led\s+(?:international\s+|military\s+)?coalition\b")


def _extract_coalitions(ctx: ExtractionContext) -> None:
    """"the U.S.-led coalition", "the Saudi-led coalition": a described group with the leading
    country (key from the name as written without dots: ``group/us-led-coalition``)."""
    for m in _COALITION_RE.finditer(ctx.body):
        if _in_furniture(ctx, m.start(), m.end()) or any(a < m.end() and m.start() < b for (a, b) in ctx.entity_mentions):
            continue
        code = country_of(m.group("c")) or metonym_of(m.group("c"))
        if code is None:
            continue
        name = f"{m.group('c').replace('.', '')}-led coalition"
        _register(ctx, key=f"group/{slug(name)}", type="Group", name=name, start=m.start(), end=m.end(),
                  rule="group:led-coalition", confidence=0.8, country=code)


# --------------------------------------------------------------------------- speaker phrases

_PRONOUNS = {"he", "she", "him", "her", "they", "it", "we", "i", "who", "which"}


def entity_at(ctx: ExtractionContext, start: int, end: int, head: int | None = None) -> Entity | None:
    """The registered entity whose mention lies inside ``start..end``: the one covering ``head``
    (a character offset) when given, else the last one (the head of an English noun phrase)."""
    inside = [(a, b, eid) for (a, b), eid in ctx.entity_mentions.items() if start <= a and b <= end]
    if not inside:
        return None
    if head is not None:
        for a, b, eid in inside:
            if a <= head < b:
                return ctx.entities.by_id[eid]
        return None
    inside.sort()
    return ctx.entities.by_id[inside[-1][2]]


_ORG_NOUNS = ("group", "organization", "organisation", "charity", "agency", "movement", "watchdog", "body")
_AIDES = {"adviser", "advisor", "aide", "spokesman", "spokeswoman", "spokesperson", "assistant", "envoy"}
_CHANNEL_HEADS = {"channel", "channels", "account", "accounts", "bloggers", "blogger"}


def _person_relation(ctx: ExtractionContext, person: Entity, start: int, end: int, head: int) -> str:
    """How a person named inside a speaker phrase relates to the phrase's head: "apposition"
    ("the envoy, Staffan de Mistura"; "Commander Mykola Oleshchuk"), "possessor" ("Venediktova's
    office") or "dependent-of" ("an adviser to Emmanuel Macron")."""
    for mm in person.mentions:
        if not (start <= mm.start and mm.end <= end):
            continue
        span = ctx.doc.char_span(mm.start, mm.end, alignment_mode="expand")
        if span is None:
            continue
        t = span.root
        if t.dep_ == "poss" or ctx.body[mm.end:mm.end + 2] in ("'s", "’s"):
            return "possessor"
        for _ in range(4):
            if t.idx == head:
                return "apposition"
            if t.dep_ in ("appos", "compound", "conj") or (t.dep_ == "npadvmod"):
                t = t.head
                continue
            break
        if t.idx == head:
            return "apposition"
        if t.dep_ == "pobj":
            return "dependent-of"
    return "unknown"


def _linked_channels(ctx: ExtractionContext, start: int, end: int, head: int, head_word: str):
    """Channels or accounts tied to an organisation ("Channels associated with the Wagner group",
    "a second Wagner channel", "Another Wagner-linked social media account"): one described
    group of that organisation's channels; "the channel" → the channels group met before."""
    if head_word not in _CHANNEL_HEADS:
        return None
    body = ctx.body
    text = body[start:end]
    m = re.search(r"(?:associated with|linked to|affiliated with|close to|tied to)\s+(?:the\s+)?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)", text)
    owner = m.group(1) if m else None
    if owner is None:
        mm = re.search(r"\b([A-Z][\w]+)(?:-(?:linked|affiliated|associated))?\s+(?:[\w-]+\s+){0,2}(?:channels?|accounts?)\b", text)
        if mm and (known(mm.group(1)) or any(a <= start + mm.start(1) < b for (a, b) in ctx.entity_mentions)):
            k = known(mm.group(1))
            if k is None or k.type in ("Organisation", "MilitaryForce"):
                owner = mm.group(1)
    if owner is None:
        if re.fullmatch(r"(?i)(?:the|this|that)\s+(?:channel|account)", text.strip()):
            for ent in reversed(ctx.entities.items):
                if ent.type == "Group" and ent.key.endswith("channels") and any(x.start < start for x in ent.mentions):
                    return _register(ctx, key=ent.key, type="Group", name=ent.name, start=head,
                                     end=head + len(head_word), rule="group:anaphor", confidence=0.7), "group:anaphor"
        return None
    owner = re.sub(r"(?i)\s+group$", "", owner)
    medium = "telegram-" if "telegram" in body.lower() else ""
    key = f"group/{slug(owner)}-linked-{medium}channels"
    return _register(ctx, key=key, type="Group", name=f"{owner}-linked {medium.strip('-').title()} channels".replace("  ", " "),
                     start=head, end=head + len(head_word), rule="group:linked-channels", confidence=0.7), "group:linked-channels"


def resolve_phrase(ctx: ExtractionContext, start: int, end: int, head: int | None = None) -> tuple[Entity | None, str]:
    """Map a subject/speaker phrase ``body[start:end]`` to an entity (registering governments,
    known organisations and described groups as needed). Returns ``(entity, rule)``; entity is
    None when the phrase names nobody that can be trusted (unnamed individual, vague phrase)."""
    body = ctx.body
    text = body[start:end].strip()
    if not text:
        return None, "empty"
    ent = entity_at(ctx, start, end, head)
    if ent is None and head is not None:
        found = _inside_phrase(ctx, start, end, head)
        if found is not None:
            return found
    if ent is not None and ent.type == "Organisation":
        me = re.match(r"(?:the\s+)?(?P<adj>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+Embassy\b"
                      r"|(?:the\s+)?Embassy\s+of\s+(?P<c>[A-Z][\w ]+)", ent.name)
        if me:
            code = country_of(me.group("adj") or me.group("c") or "")
            if code:  # an embassy speaks for its government
                return government(ctx, code), "embassy"
    if ent is not None and ent.type in ("Person", "Organisation", "Publisher", "Government", "Group", "MilitaryForce"):
        if head is not None or ent.type != "Government" or len(text) < 40:
            return ent, "mention"
    if ent is None:
        found = _phrase_anaphor(ctx, start, end, text)
        if found is not None:
            return found
    return _phrase_fallback(ctx, start, end, text)


def _inside_phrase(ctx: ExtractionContext, start: int, end: int, head: int):
    """The head is a title or a source noun and the actor stands inside the phrase: "the U.N.
    envoy for Syria, Staffan de Mistura" (apposition), "a statement by the Russian Defense
    Ministry" (the source), "Venediktova's office", "an adviser to <leader>"."""
    body = ctx.body
    text = body[start:end].strip()
    # "the U.N. envoy for Syria, Staffan de Mistura": the head is the title, the
    # name stands in apposition; "a statement by the Russian Defense Ministry": the source
    inside = [ctx.entities.by_id[eid] for (a, b), eid in sorted(ctx.entity_mentions.items()) if start <= a and b <= end]
    persons = {e.id: e for e in inside if e.type == "Person"}
    head_word = re.match(r"[\w-]+", body[head:end])
    head_word = head_word.group(0).lower() if head_word else ""
    linked = _linked_channels(ctx, start, end, head, head_word)
    if linked is not None:
        return linked
    if len(persons) == 1:
        person = next(iter(persons.values()))
        how = _person_relation(ctx, person, start, end, head)
        if how != "apposition" and (head_word not in _AIDES or re.match(r"(?:the|The)\s", text)):
            # (an aide title with "the" is the person's own: "the U.N. special envoy for
            # Syria, Staffan de Mistura,"; "an adviser to X" stays X's aide)
            pm = next((mm for mm in person.mentions if start <= mm.start and mm.end <= end), None)
            if pm is not None and re.search(r",\s*$", body[start:pm.start]) and not re.search(r"\band\s*$", body[start:pm.start]) \
                    and not (head_word in _AIDES and re.search(r"\bto(?:\s+[\w.-]+){1,4}$", body[start:pm.start].rstrip(" ,"))) \
                    and re.match(r"\s*(?:,|$)", body[pm.end:end]):
                how = "apposition"  # "the U.N. envoy for Syria, Staffan de Mistura,"
        if how == "apposition":
            return person, "mention:apposition"
        if how == "possessor" and head_word == "office" and person.role and person.country:
            # "Venediktova's office": the office the person heads
            o = _register(ctx, key=f"org/{person.country.lower()}-office-of-the-{slug(person.role)}",
                          type="Organisation", name=f"Office of the {person.role.title()}", start=head,
                          end=head + len(head_word), rule="speaker:office-of", confidence=0.6,
                          country=person.country)
            return o, "office-of"
        if how == "dependent-of" and head_word in _AIDES and person.affiliation \
                and person.role in ("president", "prime minister", "chancellor") \
                and re.match(r"(?i)an?\s", body[start:end].strip()):
            # "an adviser to French President Emmanuel Macron": speaks for that government
            aff = ctx.entities.by_id.get(person.affiliation)
            if aff is not None and aff.type == "Government":
                return aff, "aide-of-leader"
        return None, "unresolved"
    orgs = {e.id: e for e in inside if e.type in ("Organisation", "MilitaryForce")}
    if not persons and len(orgs) == 1 and head_word in _ORG_NOUNS \
            and re.search(r",\s*(?:also\s+)?(?:known|called|named)\b|,\s*$|\(", body[head:end]):
        return next(iter(orgs.values())), "mention:apposition"  # "The group, also known as … MSF,"
    if not persons and head_word in ("statement", "tweet", "post", "report", "spokesman", "spokeswoman",
                                     "spokesperson", "analysts", "experts", "researchers", "officials",
                                     "video", "message", "communique", "account", "website") and inside:
        return inside[-1], "mention:source-of"
    return None


def _phrase_anaphor(ctx: ExtractionContext, start: int, end: int, text: str):
    """A description with no name: "the aid group" (the organisation named last), "the head of
    <organisation>", "the UN human rights chief" (the one person of that organisation), "the
    government" (the one government named by adjective)."""
    body = ctx.body
    # "the aid group", "The Iran-backed group", "a tweet from the organization": the
    # organisation named last, within the previous two sentences
    md = re.search(r"(?:^|\b(?:from|by|of)\s+)(?:the|The|this|This)\s+(?:[\w-]+\s+){0,2}(?P<noun>" + "|".join(_ORG_NOUNS) + r")$",
                   text.strip(" ,"))
    if md:
        sents = [st for st in ctx.sents if st.start_char <= start]
        lo = sents[-3].start_char if len(sents) >= 3 else 0
        recent = [(a, eid) for (a, b), eid in ctx.entity_mentions.items() if lo <= a < start
                  and ctx.entities.by_id[eid].type == "Organisation"]
        if recent and len({eid for _a, eid in recent}) == 1:
            return ctx.entities.by_id[recent[-1][1]], "org-anaphor"
    # "The head of the state nuclear corporation Rosatom" (unnamed): the institution speaks
    mh = re.fullmatch(r"(?:the|The)\s+(?:head|chief|director|chairman|leader)\s+of\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,4}"
                      r"(?P<org>[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,3})", text.strip(" ,"))
    if mh:
        org = mh.group("org")
        k = known(org)
        if k is not None and k.type in ("Organisation", "Government", "MilitaryForce"):
            return _register_known(ctx, k, None, None), "head-of"
        if not (country_of(org) or metonym_of(org) or _place_at(ctx, start + text.find(org), start + text.find(org) + len(org))):
            os_ = start + text.find(org)
            o = _register(ctx, key=f"org/{slug(org)}", type="Organisation", name=org, start=os_, end=os_ + len(org),
                          rule="speaker:head-of", confidence=0.6)
            return o, "head-of"
    # "The UN human rights chief": the one person of the article affiliated to that organisation
    mc = re.fullmatch(r"(?:the|The)\s+(?P<org>[A-Z][\w.]+)\s+(?P<words>(?:[a-z][\w-]*\s+){0,3})"
                      r"(?P<title>chief|head|boss|leader|commissioner)", text.strip(" ,"))
    if mc:
        k = known(mc.group("org"))
        if k is not None:
            def _aff_key(e):
                if e.affiliation and ctx.entities.by_id.get(e.affiliation) is not None:
                    return ctx.entities.by_id[e.affiliation].key
                kk = next((x for x in known_actors() if x.key == e.key), None)
                return kk.affiliation if kk else None
            def _title_fits(e):  # an envoy or an aide of the body is not its "rights chief"
                return not e.role or e.role.split()[-1] not in _AIDES
            cands = [e for e in ctx.entities.items if e.type == "Person" and _aff_key(e) == k.key
                     and any(m.start < start for m in e.mentions) and _title_fits(e)]
            if len(cands) == 1:
                return cands[0], "org-title"
    # "the government" / "the regime": the one government the article names by adjective
    if re.fullmatch(r"(?:the|The)\s+(?:government|regime)", text.strip(" ,")):
        govs = {e.id: e for (a, b), eid in ctx.entity_mentions.items() if a < start
                for e in [ctx.entities.by_id[eid]] if e.type == "Government" and re.search(r"(?i)(?:government|regime)$", body[a:b])}
        if len(govs) == 1:
            g = next(iter(govs.values()))
            return _register(ctx, key=g.key, type="Government", name=g.name,
                             start=start + text.find("government") if "government" in text else start,
                             end=end, rule="government:anaphor", confidence=0.7), "government-anaphor"
    return None


def _phrase_fallback(ctx: ExtractionContext, start: int, end: int, text: str):
    """Known names, metonyms, countries, described groups, sources named by their medium."""
    bare = re.sub(r"^(?:the|The)\s+", "", _strip_possessive(text))
    k = known(bare) or known(text)
    if k is not None:
        if k.type == "Government":
            return government(ctx, k.key.split("/", 1)[1], start, end, rule="known-actor:metonym"), "known-actor"
        return _register_known(ctx, k, start, end), "known-actor"
    code = metonym_of(bare)
    if code:
        return government(ctx, code, start, end, rule="metonym", confidence=0.85), "metonym"
    code = country_from_name_only(bare)
    if code:
        return government(ctx, code, start, end, rule="country-as-actor", confidence=0.85), "country-as-actor"
    g = group_for(ctx, start, end, register_new=True)
    if g is not None:
        return g, "group"
    mg = re.fullmatch(r"(?:the\s+)?(?P<c>[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)\s+government(?:['’]s)?\s+"
                      r"(?:website|statement|account|spokes\w+|report)", bare)
    if mg and (country_from_name_only(mg.group("c")) or country_of(mg.group("c"))):
        code = country_from_name_only(mg.group("c")) or country_of(mg.group("c"))
        return government(ctx, code, start, end, rule="government:source", confidence=0.8), "government-source"
    # "A Reuters TV crew …", "an AFP correspondent": the news organisation's own reporting
    mr = re.match(r"(?:an?|the|The|An?)\s+(?P<org>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)??)\s+(?:(?:TV|television|news|camera)\s+)?"
                  r"(?:crew|reporters?|correspondents?|journalists?|photographers?|cameraman|team)\b", text)
    if mr:
        k = known(mr.group("org"))
        pub = publisher(ctx)
        if k is not None and k.type == "Publisher":
            if pub is not None and pub.key == k.key:
                return pub, "publisher-crew"
            return _register_known(ctx, k, None, None, rule="speaker:news-crew"), "publisher-crew"
    # "state TV said" with no country: the state broadcaster of the one country whose government
    # or forces the sentence or paragraph names
    if re.fullmatch(r"(?:the\s+)?state\s+(?:TV|television)", text.strip(" ,"), re.I):
        code = _sentence_country(ctx, start) or _context_country(ctx, start, [])
        adj = demonym_for(code) if code else None
        if adj:
            return _register(ctx, key=f"org/{slug(adj)}-state-tv", type="Organisation", name=f"{adj} state TV",
                             start=start, end=end, rule="speaker:state-tv", confidence=0.6, country=code), "state-tv"
    # "a U.S. military estimate", "an Iraqi military statement": the country's armed forces
    mf = re.fullmatch(r"(?:an?\s+|the\s+|The\s+)?(?P<c>[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)\s+(?:military|army)(?:\s+"
                      r"(?:estimate|statement|assessment|report|communique|spokes(?:man|woman|person)))?", text.strip(" ,"))
    if mf and (country_of(mf.group("c")) or country_from_name_only(mf.group("c"))):
        code = country_of(mf.group("c")) or country_from_name_only(mf.group("c"))
        key = f"force/{code}/armed-forces"
        k = next((kk for kk in known_actors() if kk.key == key), None)
        existing = next((e for e in ctx.entities.items if e.key == key), None)
        name = existing.name if existing else (k.name if k else f"Armed Forces of {country_phrase(code)}")
        cs = start + text.find(mf.group("c"))
        return _register(ctx, key=key, type="MilitaryForce", name=name, start=cs, end=cs + len(mf.group("c")),
                         rule="force:source", confidence=0.8, country=code), "force-source"
    mt = re.fullmatch(r"(?:[\w-]+-(?:run|owned|backed|affiliated)\s+)?(?P<name>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2})\s+"
                      r"(?:TV|Television|Radio)(?:\s+(?:agency|channel|station|network))?", bare)
    if mt and not (country_of(mt.group("name")) or metonym_of(mt.group("name"))):
        name = mt.group("name")
        ns = start + text.find(name)
        o = _register(ctx, key=f"org/{slug(name)}", type="Organisation", name=name, start=ns, end=ns + len(name),
                      rule="speaker:media-name", confidence=0.6)
        return o, "media-name"
    if re.match(r"^(?:[A-Z][\w.-]*\s+){0,4}(?:[A-Z][\w.-]*\s+)?(?:state\s+)?"
                r"(?:TV|Television|Radio|News Agency|news agency|Agency)$", bare) and bare[0].isupper():
        o = _register(ctx, key=f"org/{slug(bare)}", type="Organisation", name=bare,
                      start=start + text.find(bare) if bare in text else start,
                      end=(start + text.find(bare) + len(bare)) if bare in text else end, rule="speaker:media-name", confidence=0.6)
        return o, "media-name"
    return None, "unresolved"
