"""Open-world actors read from the parse (issue 22): described groups that speak, organisations
the model tags ORG with an organisation head word, their affiliations, and single words that
are no persons. Every text here is a paraphrase written for the test."""

from __future__ import annotations

from test_actors import _aff, _article


def _keyed(ctx):
    return {e.key: e for e in ctx.entities.items}


_SETTING = ("Missiles struck the Ukrainian city of Kharkiv on Monday, and drones hit Odesa in southern "
            "Ukraine. Ukraine has asked for more air defences. ")


def test_a_bare_plural_that_speaks_is_a_group_of_the_setting(tmp_path):
    ctx = _article(tmp_path, _SETTING + "Residents said the blasts went on for hours. Power was cut in the "
                   "city, according to local doctors.")
    e = _keyed(ctx)
    assert e["group/residents"].type == "Group" and e["group/residents"].country == "UA"
    assert e["group/local-doctors"].country == "UA"
    assert not [x for x in ctx.entities.items if x.name == "Missiles"]  # a weapon, not a person


def test_a_described_group_that_is_only_described_is_no_actor(tmp_path):
    ctx = _article(tmp_path, _SETTING + "Rescuers are exhausted after the night.")
    assert not [x for x in ctx.entities.items if x.rule.startswith("group:acting")]


def test_a_described_group_that_acts_is_a_group(tmp_path):
    # docs/annotations.md: actors are all the article presents as saying *or doing* something
    ctx = _article(tmp_path, _SETTING + "Firefighters put out the flames, and the debris was carried off by "
                   "volunteers. Many locals left the city before dawn.")
    e = _keyed(ctx)
    assert e["group/firefighters"].type == "Group" and e["group/firefighters"].country == "UA"
    assert e["group/volunteers"].country == "UA"  # the agent of a passive
    assert e["group/locals"].type == "Group"


def test_an_organisation_with_a_lower_case_head_after_its_name(tmp_path):
    ctx = _article(tmp_path, "The Ukrinform news agency reported that the power was cut.")
    org = _keyed(ctx)["org/ukrinform"]
    assert org.type == "Organisation" and [m.text for m in org.mentions] == ["Ukrinform news agency"]


def test_a_state_body_of_a_named_state_serves_its_government(tmp_path):
    ctx = _article(tmp_path, "Spain's Interior Ministry said it was monitoring the border.")
    org = _keyed(ctx)["org/es-interior-ministry"]
    assert org.country == "ES" and _aff(ctx, org) == "government/ES"


def test_initials_are_a_mention_of_the_organisation_named_before(tmp_path):
    ctx = _article(tmp_path, "The Popular Unity Party (PUP) condemned the raid. PUP said the strikes "
                   "must stop.")
    orgs = [x for x in ctx.entities.items if x.type == "Organisation"]
    assert len(orgs) == 1 and {m.text for m in orgs[0].mentions} == {"Popular Unity Party", "PUP"}


def test_a_state_title_group_of_a_named_state(tmp_path):
    ctx = _article(tmp_path, "Hungarian officials said they would send aid to the region.")
    g = _keyed(ctx)["group/hungarian-officials"]
    assert g.country == "HU" and _aff(ctx, g) == "government/HU"


def test_an_unqualified_state_title_in_a_story_filed_from_and_set_in_one_country(tmp_path):
    ctx = _article(tmp_path, "KYIV, Ukraine (AP) — Drones struck Kharkiv and Odesa overnight, and Lviv lost "
                   "power across Ukraine. Interior Minister Ihor Klymenko said rescuers were at work.")
    p = _keyed(ctx)["person/ihor-klymenko"]
    assert p.role == "interior minister" and p.country == "UA" and _aff(ctx, p) == "government/UA"


def test_an_unqualified_state_title_stays_without_a_state_when_dateline_and_setting_differ(tmp_path):
    ctx = _article(tmp_path, "WASHINGTON (AP) — Drones struck Kharkiv and Odesa overnight, and Lviv lost "
                   "power across Ukraine. Interior Minister Ihor Klymenko said rescuers were at work.")
    p = _keyed(ctx)["person/ihor-klymenko"]
    assert p.role == "interior minister" and p.affiliation is None


def test_the_countrys_title_is_of_the_country_named_before(tmp_path):
    ctx = _article(tmp_path, "Protests spread across Peru on Monday. The country's interior minister, "
                   "Jorge Salas, said the police would stay calm.")
    p = _keyed(ctx)["person/jorge-salas"]
    assert p.role == "interior minister" and _aff(ctx, p) == "government/PE"


def test_a_spokeswoman_for_a_national_ministry(tmp_path):
    ctx = _article(tmp_path, "Anna Kovalenko, a spokeswoman for the Latvian Foreign Ministry, said Riga "
                   "would help.")
    p = _keyed(ctx)["person/anna-kovalenko"]
    org = ctx.entities.by_id[p.affiliation]
    assert p.role == "spokeswoman" and org.country == "LV" and _aff(ctx, org) == "government/LV"


def test_national_adjectives_and_diplomats_serve_their_state(tmp_path):
    ctx = _article(tmp_path, "Malaysian diplomats said the talks had stalled. Philippine officials said "
                   "they would wait.")
    e = _keyed(ctx)
    assert _aff(ctx, e["group/malaysian-diplomats"]) == "government/MY"
    assert e["group/philippine-officials"].country == "PH"


def test_a_one_word_region_tagged_as_an_organisation_is_no_organisation(tmp_path):
    ctx = _article(tmp_path, "Shelling went on in Nagorno-Karabakh overnight. Nagorno-Karabakh declared a "
                   "truce on Sunday, and Azerbaijan said it would respect it.")
    assert not [e for e in ctx.entities.items if e.type == "Organisation" and e.name == "Nagorno-Karabakh"]


def test_a_single_name_is_the_full_named_person_with_that_name_in_any_place(tmp_path):
    # a given name used as the polite form, a family name with its particle: one person each
    ctx = _article(tmp_path, "Gen. Tadesse Kebede, who leads the rebel army, spoke on Monday. Mr Tadesse said "
                   "his forces had pulled back. Later Abdel Karim al-Haddad met the envoy, and Haddad said the "
                   "talks were useful.")
    persons = sorted(e.key for e in ctx.entities.items if e.type == "Person")
    assert "person/tadesse-kebede" in persons and "person/tadesse" not in persons
    assert "person/haddad" not in persons
    assert "Haddad" in [m.text for m in _keyed(ctx)["person/abdel-karim-al-haddad"].mentions]


def test_a_common_noun_opening_a_sentence_is_no_person(tmp_path):
    ctx = _article(tmp_path, "Sergei Volkov posted the clip on Monday. Within minutes the comments pour in. “Info”, "
                   "writes one reader. “Details please.”")
    persons = [e.name for e in ctx.entities.items if e.type == "Person"]
    assert persons == ["Sergei Volkov"]


def test_a_date_before_a_title_is_no_part_of_the_role(tmp_path):
    ctx = _article(tmp_path, "The truce collapsed. In March General Abdel Karim al-Haddad called again for talks.")
    assert _keyed(ctx)["person/abdel-karim-al-haddad"].role == "general"


def test_a_state_acting_as_conjunct_agent_or_source_is_its_government(tmp_path):
    ctx = _article(tmp_path, "Brazil and Mexico rejected the draft on Tuesday. The militia is armed by Iran, "
                   "according to Turkey.")
    e = _keyed(ctx)
    assert {"government/BR", "government/MX", "government/IR", "government/TR"} <= set(e)
    assert [m.text for m in e["government/MX"].mentions] == ["Mexico"]


def test_the_people_of_a_country_acting_are_a_group_of_that_country(tmp_path):
    ctx = _article(tmp_path, "Many Argentines protested on Sunday, and young Peruvians say they want jobs. The "
                   "Philippines sent aid, and 20,000 Bolivians have left the country.")
    e = _keyed(ctx)
    assert (e["group/argentines"].type, e["group/argentines"].country) == ("Group", "AR")
    assert e["group/young-peruvians"].country == "PE" and e["group/young-peruvians"].affiliation is None
    assert "group/philippines" not in e and "government/PH" in e
    assert not [k for k in e if "bolivians" in k]  # a count is a claim's, not a described actor


def test_people_described_by_their_body_are_a_group_of_it(tmp_path):
    ctx = _article(tmp_path, "Hezbollah fighters said they had fired rockets at the base, and FBI officers "
                   "arrested two men on Monday.")
    assert _aff(ctx, _keyed(ctx)["group/fbi-officers"]) == "org/fbi"  # a state title noun of a body
    g = _keyed(ctx)["group/hezbollah-fighters"]
    assert g.type == "Group" and g.name == "Hezbollah fighters" and _aff(ctx, g) == "org/hezbollah"
    assert _keyed(ctx)["org/hezbollah"].type == "Organisation"
