"""Actors: keys, spelling variants, roles and affiliations, groups, forces, publisher."""

from __future__ import annotations

from test_statements import SEED, run

from newskb.extract.actors import known, known_actors, slug


def by_key(ctx):
    return {e.key: e for e in ctx.entities.items}


def test_slug():
    assert slug("Volker Türk") == "volker-turk"
    assert slug("Kim Jong-un") == "kim-jong-un"


def test_spelling_variants_share_one_key():
    for name in ("Zelensky", "Zelenskyy", "Zelenskiy", "Volodymyr Zelensky"):
        assert known(name).key == "person/volodymyr-zelenskyy"
    assert known("Nato").key == known("NATO").key == "org/nato"
    assert known("Pentagon").key == known("US defense department").key == "org/us-department-of-defense"


def test_actor_list_cites_sources_and_invents_no_ids():
    for k in known_actors():
        assert k.source
        assert "wikidata" not in k.source.lower()


def test_seed_actors_roles_and_affiliations():
    ctx = run(SEED.name)
    e = by_key(ctx)
    rutte = e["person/mark-rutte"]
    assert rutte.role == "secretary-general"
    assert ctx.entities.by_id[rutte.affiliation].key == "org/nato"
    z = e["person/volodymyr-zelenskyy"]
    assert z.role == "president" and ctx.entities.by_id[z.affiliation].key == "government/UA"
    s = e["person/andriy-sybiha"]
    assert s.role == "foreign minister" and ctx.entities.by_id[s.affiliation].key == "government/UA"
    assert e["org/financial-times"].type == "Publisher"
    assert e["group/ukrainian-intelligence-officials"].country == "UA"
    assert e["group/ukrainian-military-analysts"].type == "Group"
    assert e["org/us-department-of-defense"].type == "Organisation"
    for k in ("government/GB", "government/FR", "government/UA"):
        assert e[k].type == "Government"


def test_seed_forces():
    ctx = run(SEED.name)
    e = by_key(ctx)
    kp = e["force/KP/troops"]
    assert kp.country == "KP" and kp.type == "MilitaryForce"
    assert {m.text for m in kp.mentions} >= {"North Korean troops", "North Korean soldiers", "North Korean military units"}
    assert e["force/RU/armed-forces"].country == "RU"
    assert e["force/UA/armed-forces"].country == "UA"
    big = [x for x in ctx.entities.items if x.size == 50000]
    assert len(big) == 1 and big[0].country == "RU" and big[0].key.startswith("force/RU/")


def test_places_never_become_persons():
    for name in ("2024-10-28-ft-nato-north-korean-troops-kursk.txt",
                 "2024-07-30-cnn-russia-creeps-toward-pokrovsk.txt",
                 "2016-02-08-reuters-russian-firepower-syrian-forces-aleppo-turkey-border.txt"):
        ctx = run(name)
        place_names = {p.name.lower() for p in ctx.places.items}
        for ent in ctx.entities.items:
            if ent.type == "Person":
                assert ent.name.lower() not in place_names, ent


def test_surname_links_to_full_name():
    ctx = run(SEED.name)
    rutte = by_key(ctx)["person/mark-rutte"]
    assert sum(1 for m in rutte.mentions if m.text == "Rutte") >= 4


def test_entity_mentions_match_the_body():
    ctx = run(SEED.name)
    for ent in ctx.entities.items:
        for m in ent.mentions:
            assert ctx.article.body[m.start:m.end] == m.text
    for (s, e), eid in ctx.entity_mentions.items():
        assert eid in ctx.entities.by_id


def test_one_word_places_and_plurals_are_not_persons():
    ctx = run("2024-07-31-cnn-russia-massive-drone-attack-kyiv.txt")
    names = {e.name for e in ctx.entities.items if e.type == "Person"}
    assert not names & {"Kherson", "Shaheds"}
    ctx = run("2016-02-08-reuters-russian-firepower-syrian-forces-aleppo-turkey-border.txt")
    assert "Zahraa" not in {e.name for e in ctx.entities.items if e.type == "Person"}


def test_demonym_for_country_code():
    from newskb.extract.actors import demonym_for
    assert demonym_for("KR") == "South Korean"
    assert demonym_for("UA") == "Ukrainian"


def test_led_coalition_is_a_group_with_the_leading_country():
    from test_statements import run
    ctx = run("2016-05-30-reuters-iraqi-army-storms-edge-of-falluja.txt")
    g = next(e for e in ctx.entities.items if e.key == "group/us-led-coalition")
    assert g.type == "Group" and g.country == "US"


def test_prisoners_of_war_of_a_nationality_are_one_group():
    from test_statements import run
    ctx = run("2025-12-31-koreaherald-nk-pows-transfer-pending.txt")
    g = next(e for e in ctx.entities.items if e.key == "group/north-korean-pows")
    assert g.type == "Group" and g.country == "KP" and len(g.mentions) >= 2


def test_a_named_group_is_not_the_state_army_inside_its_name(tmp_path):
    """"the Free Syrian Army" (rebels) must not become Syria's armed forces, while "the Syrian
    army" still does."""
    art = tmp_path / "fsa.md"
    art.write_text("---\ntitle: Test\ndate: 2016-02-08\npublisher: Reuters\n---\n\n"
                   "A commander of the Free Syrian Army said on Monday that rebels held the line. "
                   "The Syrian army said it had advanced.\n", encoding="utf-8")
    ctx = run(str(art))
    army = by_key(ctx)["force/SY/armed-forces"]
    texts = [m.text for m in army.mentions]
    assert texts == ["The Syrian army"], texts


def test_armed_groups_by_their_usual_names():
    assert known("Hashid Shaabi").key == known("Popular Mobilisation Forces").key == "force/IQ/popular-mobilisation"
    assert known("YPG").key == "force/SY/ypg" and known("Kurdish Peshmerga").key == "force/IQ/peshmerga"
    assert known("U.S. military").key == "force/US/armed-forces"


def test_head_noun_table_and_person_lexicon():
    from newskb.extract.described import kind_of_head, person_nouns
    assert kind_of_head("ministry", False) == "organisation"
    assert kind_of_head("report", False) == "document"
    assert kind_of_head("official", False) == "anonymous"
    assert "economist" in person_nouns() and kind_of_head("economist", True) == "person"
    assert kind_of_head("violence", False) is None and kind_of_head("factor", True) is None


def test_another_news_organisation_is_an_organisation_not_the_publisher(tmp_path):
    art = tmp_path / "wire.md"
    art.write_text("---\ntitle: Test\ndate: 2024-05-08\npublisher: CNN\n---\n\n"
                   "According to the Reuters news agency, the talks collapsed on Monday.\n", encoding="utf-8")
    ctx = run(str(art))
    e = by_key(ctx)
    assert e["org/reuters"].type == "Organisation" and e["org/cnn"].type == "Publisher"


def test_credit_lines_give_contributors_never_actors():
    """Writers and editors of credit lines ("(Additional reporting X in Y; Writing by Z)", "X in
    Washington contributed to this report") are the article's contributors, never news actors."""
    from helpers import CORPUS, CORPUS_DEV
    from newskb.article import read_article

    for path in sorted([*CORPUS.glob("*.txt"), *CORPUS_DEV.glob("*.txt")]):
        art = read_article(path)
        names = {c.name.lower() for c in art.meta.contributors}
        if not names:
            continue
        ctx = run(str(path))
        actors = {e.name.lower() for e in ctx.entities.items if e.type != "Publisher"}
        assert not names & actors, (path.name, names & actors)


def test_a_parenthesised_credit_line_without_by_gives_contributors():
    from newskb.article import parse_text
    art = parse_text("---\ntitle: t\n---\nThe talks resumed.\n(Additional reporting Ana Ruiz in Quito; Writing by "
                     "Tom Hale; Editing by Kim Lo)\n")
    assert [(c.name, c.role) for c in art.meta.contributors] == [
        ("Ana Ruiz", "additional-reporting"), ("Tom Hale", "author"), ("Kim Lo", "editing")]


# --------------------------------------------------------------------------- titles from the parse
# (issue 22: roles, affiliations and countries read from the text; paraphrases, no article text)


def _article(tmp_path, text: str, name: str = "t.md"):
    art = tmp_path / name
    art.write_text("---\ntitle: Test\ndate: 2024-05-08\npublisher: Example News\n---\n\n" + text + "\n",
                   encoding="utf-8")
    return run(str(art))


def _person(ctx, surname: str):
    hits = [e for e in ctx.entities.items if e.type == "Person" and e.name.endswith(surname)]
    assert len(hits) == 1, [e.name for e in ctx.entities.items if e.type == "Person"]
    return hits[0]


def _aff(ctx, ent) -> str | None:
    return ctx.entities.by_id[ent.affiliation].key if ent.affiliation else None


def test_a_title_before_the_name_gives_role_state_and_country(tmp_path):
    ctx = _article(tmp_path, "Iranian Foreign Minister Ali Rezaei said on Monday that the talks would resume.")
    p = _person(ctx, "Rezaei")
    assert (p.role, _aff(ctx, p), p.country) == ("foreign minister", "government/IR", "IR")


def test_a_capitalised_portfolio_joins_the_role_not_the_affiliation(tmp_path):
    ctx = _article(tmp_path, "UK Defence Secretary Tom Harding told lawmakers that more aid would follow.")
    p = _person(ctx, "Harding")
    assert (p.role, _aff(ctx, p)) == ("defense secretary", "government/GB")


def test_a_title_in_apposition_after_the_name(tmp_path):
    ctx = _article(tmp_path, "Maria Nowak, Poland's energy minister, said the pipeline would reopen next week.")
    p = _person(ctx, "Nowak")
    assert (p.role, _aff(ctx, p), p.country) == ("energy minister", "government/PL", "PL")


def test_the_name_in_apposition_to_its_title(tmp_path):
    ctx = _article(tmp_path, "Ukraine's deputy defence minister, Petro Ivanenko, said the shipment had arrived.")
    p = _person(ctx, "Ivanenko")
    assert (p.role, _aff(ctx, p)) == ("deputy defense minister", "government/UA")


def test_an_analyst_at_a_named_firm_works_there_and_is_no_government_man(tmp_path):
    ctx = _article(tmp_path, "Prices will stay high, said Jan Kowal, an analyst at the Vienna Energy Institute.")
    p = _person(ctx, "Kowal")
    assert p.role == "analyst"
    assert _aff(ctx, p) is not None and ctx.entities.by_id[p.affiliation].type == "Organisation"


def test_a_state_after_the_name(tmp_path):
    ctx = _article(tmp_path, "President Ahmad Karimi of Iran said the vote would go ahead.")
    p = _person(ctx, "Karimi")
    assert (p.role, _aff(ctx, p), p.country) == ("president", "government/IR", "IR")


def test_a_general_serves_the_state_armed_forces_but_a_prosecutor_general_the_state(tmp_path):
    ctx = _article(tmp_path, "Ukrainian Gen. Ivan Marchenko said the line held. "
                   "Ukraine's prosecutor general, Olena Hrytsenko, opened an inquiry.")
    assert _aff(ctx, _person(ctx, "Marchenko")) == "force/UA/armed-forces"
    assert _aff(ctx, _person(ctx, "Hrytsenko")) == "government/UA"


def test_an_organisation_takes_the_country_its_name_gives(tmp_path):
    ctx = _article(tmp_path, "The Russian Foreign Ministry said the envoy had been summoned.")
    orgs = [e for e in ctx.entities.items if e.type == "Organisation" and "Ministry" in e.name]
    assert orgs and all(o.country == "RU" for o in orgs)


def test_described_forces_with_a_country(tmp_path):
    ctx = _article(tmp_path, "Somali special forces stormed the hotel overnight. Dutch commandos "
                   "resupplied the outpost. Kenya's security forces sealed the border.")
    forces = {m.text: e for e in ctx.entities.items if e.type == "MilitaryForce" for m in e.mentions}
    assert forces["Somali special forces"].country == "SO"
    assert forces["Dutch commandos"].country == "NL"
    assert any(e.country == "KE" for e in forces.values())


def test_weapons_are_no_forces(tmp_path):
    ctx = _article(tmp_path, "Russian jets struck the town, and Polish MiG-29 fighter jets were sent to Ukraine.")
    assert not [e for e in ctx.entities.items if e.type == "MilitaryForce" and "jets" in e.name.lower()]


def test_a_weapon_acronym_is_no_organisation(tmp_path):
    from newskb.extract.actors import is_weapon
    assert is_weapon("UAV") and is_weapon("Shahed drones") and not is_weapon("Organisation for the Prohibition of Weapons")
    ctx = _article(tmp_path, "The UAV hit a depot, the air force said. Another UAV was shot down.")
    assert not [e for e in ctx.entities.items if e.name == "UAV"]


def test_a_time_zone_is_no_organisation(tmp_path):
    ctx = _article(tmp_path, "The blast was heard at 0400 GMT, police said, and the curfew began at 2200 UTC.")
    assert not [e for e in ctx.entities.items if e.name in ("GMT", "UTC")]


def test_a_possessive_inside_a_tagged_name_is_cut(tmp_path):
    ctx = _article(tmp_path, "President Barack Obama met the envoy. Obama’s State Department said on Monday "
                   "that the talks had failed.")
    assert not [e for e in ctx.entities.items if e.type == "Person" and "’s" in e.name]


# --------------------------------------------------------------------------- every actor of both corpora

_KINDS_CACHE: dict = {}


def _corpus_actors():
    """(article, actors) for every article of the train and dev corpora, extracted once."""
    from helpers import CORPUS, CORPUS_DEV
    if not _KINDS_CACHE:
        for path in sorted([*CORPUS.glob("*.txt"), *CORPUS_DEV.glob("*.txt")]):
            ctx = run(str(path))
            _KINDS_CACHE[path.name] = (ctx.article, [e for e in ctx.entities.items if e.type != "Publisher"])
    return _KINDS_CACHE


def _not_an_actor(name: str, type_: str, contributors: set[str]) -> str | None:
    """Why ``name`` is no actor, or None: a time zone (IANA database), a date (the dates step
    reads the whole name as one), a place adjective alone (a demonym, not a state), a weapon (a
    weapons noun of measure-nouns.tsv at the head, actors.is_weapon), a credit line's writer or editor."""
    from newskb.extract.actors import country_from_name_only, country_of, is_time_zone, is_weapon
    from newskb.extract.dates import iter_dates
    if is_time_zone(name):
        return "time zone"
    if any(s == 0 and e == len(name) for s, e, _v in iter_dates(name, None)):
        return "date"
    if type_ != "Government" and country_of(name) and not country_from_name_only(name) and " " not in name \
            and not (type_ == "Group" and name.endswith("s")):  # "Colombians": a people (a noun), no adjective
        return "place adjective"
    if type_ != "Person" and is_weapon(name):
        return "weapon"
    if name.lower() in contributors:
        return "credit line"
    return None


def test_no_actor_of_either_corpus_is_a_weapon_time_zone_date_place_adjective_or_credit_line():
    bad = []
    for name, (article, ents) in _corpus_actors().items():
        contributors = {c.name.lower() for c in article.meta.contributors}
        for e in ents:
            why = _not_an_actor(e.name, e.type, contributors)
            if why:
                bad.append((name, e.name, why))
    assert not bad, bad


def test_no_person_of_either_corpus_is_split_into_surname_and_full_name():
    from newskb.extract.actors import family_name
    split = []
    for name, (_article_, ents) in _corpus_actors().items():
        persons = [e for e in ents if e.type == "Person"]
        full = {family_name(p.name).lower(): p for p in persons if len(p.name.split()) >= 2}
        for p in persons:
            if len(p.name.split()) == 1 and p.name.lower() in full:
                split.append((name, p.name, full[p.name.lower()].name))
    assert not split, split
