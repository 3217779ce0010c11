"""Roles, titles and affiliations of named persons, read from the dependency parse (issue 22).

A person's title stands in one of three places around the name, and the parse says which:

* before the name, in the name's own noun phrase: "Nato secretary-general <name>", "Iranian
  Foreign Minister <name>", "regional military head <name>";
* in apposition after the name: "<name>, Ukraine's energy minister,", "<name>, an analyst at
  <firm>";
* with the name in apposition to the title: "Ukraine's energy minister, <name>, said".

The title's head noun must be a role noun: a row of ``data/roles.tsv`` or a noun of coreferee's
WordNet person lexicon (:func:`newskb.extract.described.person_nouns`). The role is the head with
its own modifiers ("energy minister", "secretary of state"); what stands before them (a
possessive owner, a national adjective, an organisation's name) or after the head ("of", "at",
"with", "from" + a body) is the affiliation. A country gives the person's country, and makes the
affiliation that state's government or armed forces as the table's ``state`` column says ("a
Ukrainian analyst" is Ukrainian, not the government's).
"""

from __future__ import annotations

import re

from .context import ExtractionContext
from .role_tables import _abbreviations, role_states, role_words

_DETERMINERS = frozenset({"a", "an", "the", "its", "their", "his", "her", "our", "this", "that", "one"})
_NAME_ENTS = frozenset({"GPE", "NORP", "ORG", "PERSON", "FAC", "LOC"})
_AFF_PREPS = frozenset({"of", "at", "with", "from", "for", "in"})
_BODY_TYPES = frozenset({"Organisation", "Government", "MilitaryForce", "Publisher"})


def _lemma(tok) -> str:
    return tok.lemma_.lower().rstrip(".")


def is_role_head(tok) -> bool:
    from .described import person_nouns
    lemma = _lemma(tok)
    return tok.pos_ in ("NOUN", "PROPN") and tok.tag_ not in ("NNS", "NNPS") and (lemma in role_states() or tok.lower_ in role_states()
                                               or lemma in person_nouns())


def _state_of(tok) -> str:
    """What a country makes of the title whose head is ``tok``: the first title word of the role
    decides ("prosecutor general" is the prosecutor's, not a general's)."""
    lo, _hi = _role_span_words(tok)
    for t in tok.doc[lo:tok.i + 1]:
        state = role_states().get(_lemma(t)) or role_states().get(t.lower_)
        if state:
            return state
    return "none"


def _role_span_words(tok) -> tuple[int, int]:
    lo = tok.i
    while lo - 1 >= 0 and tok.doc[lo - 1].dep_ == "compound" and tok.doc[lo - 1].head.i == tok.i:
        lo -= 1
    return lo, tok.i + 1


def state_of_role(role: str) -> str:
    """The same for a role already written out ("prosecutor general" -> government)."""
    for w in re.split(r"[\s-]+", role):
        state = role_states().get(w)
        if state:
            return state
    return "none"


def _entity_like(ctx: ExtractionContext, tok) -> bool:
    """A token that names something (a country, a body, a place) rather than qualifies the role."""
    if tok.lower_ in role_words():
        return False
    if tok.ent_type_ in _NAME_ENTS and not is_role_head(tok):
        return True
    from .actors import country_of, metonym_of
    if tok.text[:1].isupper() and (country_of(tok.text) or metonym_of(tok.text)):
        return True
    return any(a <= tok.idx < b for (a, b) in ctx.place_mentions)


def _role_span(ctx: ExtractionContext, head) -> tuple[int, int]:
    """Token range of the role: the head with the modifiers before it that are not names
    ("energy minister", "regional military head"), and "of" + a common noun after it
    ("secretary of state")."""
    doc = head.doc
    lo = head.i
    while lo - 1 >= 0:
        t = doc[lo - 1]
        if t.text == "-" and lo - 2 >= 0 and not t.whitespace_ and not doc[lo - 2].whitespace_:
            lo -= 2  # "secretary-general"
            continue
        if t.dep_ in ("compound", "amod", "nmod") and t.head.i >= lo and t.pos_ in ("NOUN", "ADJ", "PROPN", "VERB") \
                and not _entity_like(ctx, t) and t.lower_ not in _DETERMINERS and t.ent_type_ not in ("DATE", "TIME"):
            lo -= 1  # (a date before the title is no part of it: "in January General <name>")
            continue
        break
    hi = head.i + 1
    if hi + 1 < len(doc) and doc[hi].lower_ == "of" and doc[hi + 1].pos_ == "NOUN" and doc[hi + 1].text.islower() \
            and not _entity_like(ctx, doc[hi + 1]):
        hi += 2  # "secretary of state", "head of security"
    return lo, hi


def _norm(text: str) -> str:
    from .actors import _norm_role
    words = [_abbreviations().get(w.lower().rstrip("."), w) for w in text.split()]
    return _norm_role(re.sub(r"\s*-\s*", "-", " ".join(words)))


def _affiliation(ctx: ExtractionContext, toks, state: str, *, to_country: bool = True):
    """(affiliation entity id, country) of the words ``toks`` ("Ukraine's", "Iranian", "the
    RAND Corporation")."""
    from . import actors as A
    toks = [t for t in toks if not t.is_punct and t.tag_ != "POS" and t.lower_ not in _DETERMINERS]
    if not toks:
        return None, None
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    inside = [(a, b, eid) for (a, b), eid in sorted(ctx.entity_mentions.items()) if s <= a and b <= e]
    if inside:
        ent = ctx.entities.by_id[inside[-1][2]]
        if ent.type in _BODY_TYPES:
            if ent.type == "Government" and state != "government":
                return _state_body(ctx, ent.country, state), ent.country
            return ent.id, ent.country
        return None, None
    text = re.sub(r"['’]s?$", "", ctx.body[s:e]).strip()
    code = A.country_from_name_only(text) or A.metonym_of(text) or A.country_of(text) or _place_country(ctx, s, e) \
        or _country_named_before(ctx, text, s)
    if code:
        return (_state_body(ctx, code, state) if to_country else None), code
    k = A.known(text)
    if k is not None and k.type != "Person":
        ent = A._register_known(ctx, k, s, e)
        return ent.id, ent.country
    if any(t.ent_type_ == "ORG" for t in toks) and text[:1].isupper() and not re.search(r"\d", text):
        ent = A._register(ctx, key=f"org/{A.slug(text)}", type="Organisation", name=text, start=s, end=e,
                          rule="role:affiliation", confidence=0.6)
        return ent.id, ent.country
    return None, None


_STATE_NOUNS = frozenset({"country", "nation", "kingdom", "republic"})


def _country_named_before(ctx: ExtractionContext, text: str, s: int) -> str | None:
    """"the country's foreign minister": the country named last before ``s`` in the same or the
    previous paragraph (a country place or a state acting), when ``text`` is such a noun."""
    if re.sub(r"(?i)^(?:the|this)\s+", "", text).lower() not in _STATE_NOUNS:
        return None
    lo = ctx.body.rfind("\n", 0, max(0, ctx.body.rfind("\n", 0, s) - 1)) + 1
    best = None
    for (a, _b), pid in ctx.place_mentions.items():
        p = ctx.places.by_id.get(pid)
        if lo <= a < s and p is not None and p.type == "Country" and (best is None or a > best[0]):
            best = (a, country_of_place(ctx, pid))
    for (a, _b), eid in ctx.entity_mentions.items():
        ent = ctx.entities.by_id.get(eid)
        if lo <= a < s and ent is not None and ent.type == "Government" and (best is None or a > best[0]):
            best = (a, ent.country)
    return best[1] if best else None


def _place_country(ctx: ExtractionContext, s: int, e: int) -> str | None:
    """The country of a place named in ``s..e`` ("Mykolaiv regional governor"): the governor's state."""
    for (a, b), pid in sorted(ctx.place_mentions.items()):
        if s <= a and b <= e:
            return country_of_place(ctx, pid)
    return None


def country_of_place(ctx: ExtractionContext, pid: str | None) -> str | None:
    """The country a place lies in (the place itself for a country), through its containers."""
    p = ctx.places.by_id.get(pid) if pid else None
    for _ in range(6):
        if p is None:
            return None
        if p.type == "Country" and p.iso_code:
            return p.iso_code[:2].upper()
        p = ctx.places.by_id.get(p.within) if p.within else None
    return None


def dateline_country(ctx: ExtractionContext) -> str | None:
    """The country of the place the story was filed from ("WASHINGTON —"), if any."""
    from .places import in_dateline
    head = ctx.body[:200]
    for (a, b), pid in sorted(ctx.place_mentions.items()):
        if a >= len(head):
            break
        if in_dateline(ctx.body, a, b):
            return country_of_place(ctx, pid)
    return None


def setting_country(ctx: ExtractionContext) -> str | None:
    """The article's setting: the country that most of its place mentions lie in (three or more,
    and half as many again as the next country), else None."""
    counts: dict[str, int] = {}
    for pid in ctx.place_mentions.values():
        code = country_of_place(ctx, pid)
        if code:
            counts[code] = counts.get(code, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < 3 or (len(ranked) > 1 and ranked[1][1] * 3 > ranked[0][1] * 2):
        return None
    return ranked[0][0]


def article_country(ctx: ExtractionContext) -> str | None:
    """The article's setting (:func:`setting_country`), else its dateline's country; computed
    once, after the places step."""
    if not ctx._setting_known:
        ctx.setting = setting_country(ctx) or dateline_country(ctx)
        ctx._setting_known = True
    return ctx.setting


def _state_body(ctx: ExtractionContext, code: str | None, state: str) -> str | None:
    from . import actors as A
    if not code or state == "none":
        return None
    if state == "force":
        return A.armed_forces(ctx, code).id
    return A.government(ctx, code).id


def _from_before(ctx: ExtractionContext, toks):
    """A title before the name in its own noun phrase ("Iranian Foreign Minister <name>", "U.S.
    Secretary of State <name>": a title ending in "of" + a capitalised common word)."""
    while toks and (toks[-1].is_punct or toks[-1].text in ("'s", "’s")):
        toks = toks[:-1]
    end = toks[-1] if toks else None
    if len(toks) >= 3 and toks[-2].lower_ == "of" and is_role_head(toks[-3]) and not is_role_head(toks[-1]) \
            and toks[-1].ent_type_ not in ("GPE", "NORP", "PERSON") and not _entity_like(ctx, toks[-1]):
        toks = toks[:-2]  # the head is the title before "of"; "of State" stays in the role
    if not toks or not is_role_head(toks[-1]):
        return None
    head = toks[-1]
    lo, hi = _role_span(ctx, head)
    lo = max(lo, toks[0].i)
    role = ctx.body[head.doc[lo].idx:end.idx + len(end.text)]
    aff, country = _affiliation(ctx, [t for t in toks if t.i < lo], _state_of(head))
    return _norm(role), aff, country


def _from_head(ctx: ExtractionContext, head, skip: range):
    """A title whose head noun is ``head`` (apposition either way round)."""
    if not is_role_head(head):
        return None
    doc = head.doc
    lo, hi = _role_span(ctx, head)
    role = ctx.body[doc[lo].idx:doc[hi - 1].idx + len(doc[hi - 1].text)]
    state = _state_of(head)
    aff = country = None
    before = [t for t in doc[head.left_edge.i:lo] if t.i not in skip]
    if before:
        aff, country = _affiliation(ctx, before, state)
    for c in head.rights:
        if c.i < hi or c.i in skip or c.dep_ != "prep" or c.lower_ not in _AFF_PREPS:
            continue
        objs = [x for x in c.children if x.dep_ == "pobj"]
        if not objs:
            continue
        sub = [t for t in objs[0].subtree if t.i not in skip]
        # "envoy for Syria", "ambassador in Kyiv": a country after the title is where, not whose
        a2, c2 = _affiliation(ctx, sub, state, to_country=c.lower_ in ("of", "at", "with", "from"))
        if a2 or (c2 and c.lower_ in ("of", "from")):
            aff, country = a2 or aff, c2 or country
        break
    return _norm(role), aff, country


def title_at(ctx: ExtractionContext, start: int, end: int):
    """``(role, affiliation id, country)`` of the person named at ``start..end``, or None."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    skip = range(root.left_edge.i, root.right_edge.i + 1)
    found = None
    if root.left_edge.i < span.start:
        found = _from_before(ctx, list(ctx.doc[root.left_edge.i:span.start]))
    if found is None or is_rank(found[0]):
        # a military rank before the name ("Col. <name>, the army's spokesman") yields to the
        # office the text gives beside it: the rank is how the person is addressed
        office = _appositive_title(ctx, root, span, skip)
        found = office or found
    if found is not None and found[1] is None:
        found = _of_after(ctx, root, span, found)
    return found


def _appositive_title(ctx: ExtractionContext, root, span, skip: range):
    """A title in apposition either way round: "<name>, Ukraine's energy minister," or
    "Ukraine's energy minister, <name>"."""
    for c in root.rights:
        if c.dep_ == "appos" and c.i >= span.end:
            return _from_head(ctx, c, range(span.start, span.end))
    if root.dep_ == "appos" and root.head.i < span.start:
        return _from_head(ctx, root.head, skip)
    return None


def is_rank(role: str) -> bool:
    """A military rank alone ("colonel", "brigadier general"): every word a rank of
    ``data/honorifics.tsv`` whose title row in ``data/roles.tsv`` is of a force."""
    from .role_tables import ranks
    words = re.split(r"[\s-]+", role)
    return bool(words) and all(w in ranks() for w in words)


def _of_after(ctx: ExtractionContext, root, span, found):
    """"President <name> of Iran", "<title> <name> of the ruling party": the body after the name."""
    role, _aff, country = found
    for c in root.rights:
        if c.i >= span.end and c.dep_ == "prep" and c.lower_ in ("of", "from"):
            objs = [x for x in c.children if x.dep_ == "pobj"]
            if objs:
                aff, code = _affiliation(ctx, list(objs[0].subtree), state_of_role(role))
                return role, aff, country or code
            break
    return found


def assign_roles(ctx: ExtractionContext) -> None:
    """Give each named person the role, affiliation and country its titles state; the first
    mention with a title gives the role, a later one may add the affiliation."""
    for ent in list(ctx.entities.items):
        if ent.type != "Person" or (ent.role and ent.affiliation):
            continue
        for m in sorted(ent.mentions, key=lambda x: x.start):
            found = title_at(ctx, m.start, m.end)
            if found is None:
                continue
            role, aff, country = found
            if ent.role is None:
                ent.role = role
            if ent.affiliation is None and aff is not None and aff != ent.id:
                ent.affiliation = aff
            if ent.country is None and country:
                ent.country = country
            if ent.role and ent.affiliation:
                break
        _fill_from_setting(ctx, ent)
        if ent.country is None and ent.affiliation:
            aff = ctx.entities.by_id.get(ent.affiliation)
            if aff is not None and aff.country:
                ent.country = aff.country


def _fill_from_setting(ctx: ExtractionContext, ent) -> None:
    """A state title with no state named ("regional military head <name>", "Prime Minister
    <name>"): the person's own country's, else the article's setting's, government or forces."""
    if ent.affiliation or not ent.role:
        return
    state = state_of_role(ent.role)
    if state == "none":
        return
    code = ent.country or _frame_country(ctx, ent) or _home_country(ctx)
    if code:
        ent.affiliation = _state_body(ctx, code, state)
        ent.country = ent.country or code


_FRAME = re.compile(r"\s*In\s+(?P<where>(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}),\s")


def _frame_country(ctx: ExtractionContext, ent) -> str | None:
    """"In Germany, Foreign Minister <name> said": a country that opens the sentence of the
    person's first mention frames it, and so the state whose title the person holds."""
    from . import actors as A
    if not ent.mentions:
        return None
    first = min(ent.mentions, key=lambda m: m.start)
    sent = ctx.sent_at(first.start)
    if sent is None:
        return None
    m = _FRAME.match(ctx.body, sent.start_char, first.start)
    return A.country_from_name_only(m.group("where")) if m else None


def _home_country(ctx: ExtractionContext) -> str | None:
    """The one country both the dateline and the places of the article point to: an unqualified
    state title ("Interior Minister <name>") in a story filed from and set in one country is that
    state's. None when either is missing or they disagree ("WASHINGTON —" over a story set in
    Iran)."""
    setting, dateline = setting_country(ctx), dateline_country(ctx)
    return setting if setting and setting == dateline else None


def fill_countries(ctx: ExtractionContext) -> None:
    """Countries the text implies: an organisation's from a country word in its name ("Russian
    Foreign Ministry", "U.S. Department of the Treasury"), else, for one the known-actors table
    does not list (international bodies are listed there), the article's setting; then a person's
    or source's from the body they belong to."""
    from . import actors as A
    share_coordinated_titles(ctx)
    setting = home = None
    for ent in ctx.entities.items:
        if ent.type != "Organisation" or ent.country:
            continue
        code = A.country_in_name(ent.name)
        if code is None and A.known(ent.name) is None:
            if setting is None:
                setting = setting_country(ctx) or ""
                home = article_country(ctx) or ""
            # a state body ("Supreme Court") of a story filed from a country with no setting
            state_body = A.org_heads().get(A.org_head(ent.name) or "") in ("government", "self")
            code = setting or (home if state_body else "") or None
        ent.country = code
    for ent in ctx.entities.items:
        if ent.type == "Organisation" and not ent.affiliation:
            org_affiliation(ctx, ent)
    for ent in ctx.entities.items:
        if ent.type in ("Person", "UnnamedPerson", "AnonymousSource") and ent.country is None and ent.affiliation:
            aff = ctx.entities.by_id.get(ent.affiliation)
            if aff is not None and aff.country:
                ent.country = aff.country


_COORDINATED_TITLE = re.compile(r"\s+and\s+(?:[A-Za-z-]+\s+){1,4}$")


def share_coordinated_titles(ctx: ExtractionContext) -> None:
    """"Russian Foreign Minister <name> and Defence Minister <name>": a state title with no owner
    of its own, right after "and" behind a titled person of a country, shares that country (the
    national adjective governs the coordination)."""
    mentions = sorted((a, b, eid) for (a, b), eid in ctx.entity_mentions.items())
    prev = None
    for a, b, eid in mentions:
        ent = ctx.entities.by_id.get(eid)
        if ent is None or ent.type != "Person":
            continue
        if prev is not None and ent.role and not ent.affiliation and not ent.country \
                and state_of_role(ent.role) != "none":
            first = ctx.entities.by_id[prev[1]]
            between = ctx.body[prev[0]:a]
            if first.id != ent.id and first.country and first.role and state_of_role(first.role) != "none" \
                    and _COORDINATED_TITLE.fullmatch(between) and ent.role.split()[-1] in between.lower():
                ent.country = first.country
                ent.affiliation = _state_body(ctx, first.country, state_of_role(ent.role))
        prev = (b, eid)


def org_affiliation(ctx: ExtractionContext, ent) -> None:
    """The body an organisation belongs to: an international organisation whose name or alias
    opens its name ("UN Relief and Works Agency", "EU Commission"), else, for a state body (a
    head of ``data/org-heads.tsv`` whose ``state`` is government: ministry, office, court,
    police) of a country, that country's government."""
    from . import actors as A
    if A.known(ent.name) is not None:
        return  # a curated row says what it belongs to
    words = ent.name.split()
    for n in (2, 1):
        if len(words) > n:
            k = A.known(" ".join(words[:n]))
            if k is not None and k.type == "Organisation" and k.key != ent.key:
                ent.affiliation = A._register_known(ctx, k, None, None).id
                return
    head = A.org_head(ent.name)
    if ent.country and head and A.org_heads().get(head) in ("government", "self"):
        ent.affiliation = A.government(ctx, ent.country).id
