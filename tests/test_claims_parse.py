"""Numeric claims: the walks over the parse (counted noun, governing words) and the number
phrases added in round 3. Sentences are paraphrases written for the tests."""

import pytest

from newskb.extract.claims import find_numbers


@pytest.fixture(scope="module")
def nlp():
    from newskb.extract.nlp import load_nlp
    return load_nlp()


def test_spacy_tokens_are_made_on_access(nlp):
    doc = nlp("Rebels seized 40 villages.")
    assert doc[0] is not doc[0] and doc[0].i == doc[0].i  # why the walks compare .i, never `is`


def test_governors_visit_the_root_verb_once(nlp):
    # regression: `tok.head is tok` never held, so the walk went on at the root and listed the
    # root verb up to five times
    from newskb.extract.claims import _governors
    doc = nlp("Rebels seized 40 villages near the border.")
    head = next(t for t in doc if t.lower_ == "villages")
    lemmas, verbs = _governors(head, doc[2])
    assert [v.i for v in verbs] == [1] and "seize" in lemmas


def test_climb_to_noun_stops_at_the_root(nlp):
    from newskb.extract.claims import _climb_to_noun
    doc = nlp("Soldiers counted 300 tanks.")
    span = doc[2:3]
    assert _climb_to_noun(span, span[-1]).lower_ == "tanks"
    frag = nlp("Forty.")
    assert frag[0].dep_ == "ROOT" and _climb_to_noun(frag[0:1], frag[0]) is None


@pytest.mark.parametrize("text,value,unit,qualifier", [
    ("Moscow now holds about one-fifth of the country.", 20, "percent", "approximately"),
    ("Two-thirds of the voters stayed at home.", 66.7, "percent", None),
    ("The truce lasted less than a fortnight.", 2, "week", "less-than"),
    ("Perhaps 8,000 volunteers have joined.", 8000, "count", "approximately"),
    ("The navy lost probably four ships.", 4, "count", "approximately"),
    ("Its jets must stay no closer than 15 kilometers from the border.", 15, "km", "at-least"),
    ("The drones flew no farther than 3 miles inland.", 3, "mi", "up-to"),
])
def test_round3_number_phrases(text, value, unit, qualifier):
    found = find_numbers(text)
    assert [(n.value, n.unit, n.qualifier) for n in found] == [(pytest.approx(value), unit, qualifier)]


def _claims(text):
    """(value, measure, kind) of each claim of a synthetic article."""
    from newskb.article import parse_text
    from newskb.extract.pipeline import extract
    doc = extract(parse_text("---\ndate: 2024-10-28\npublisher: Example News\n---\n" + text + "\n"))
    return [(c.value, c.measure, c.kind) for c in doc.claims]


def test_a_part_of_the_dead_is_killed_and_its_own_quantity():
    got = _claims("A shelling of the market killed 14 people. Two nurses were among the dead, the clinic said.")
    measures = {v: (m, k) for v, m, k in got}
    assert measures[2.0][0] == "killed" and measures[14.0][0] == "killed"
    assert measures[2.0][1] != measures[14.0][1] and "part-of-toll" in measures[2.0][1]


def test_among_the_wounded_and_those_killed():
    assert [m for _v, m, _k in _claims("Eight police officers were among the wounded.")] == ["wounded"]
    assert [m for _v, m, _k in _claims("Two reporters were among those killed in the raid.")] == ["killed"]


def test_the_bodies_of_a_count_are_dead_but_a_body_of_members_is_not():
    assert [m for _v, m, _k in _claims("Troops recovered the bodies of six captives near the river.")] == ["killed"]
    assert [m for _v, m, _k in _claims("The assembly is a body of 15 members.")] != ["killed"]


def test_things_seized_are_not_people_held():
    got = _claims("Coast guards seized three fishing boats and detained 20 crew members.")
    assert sorted((v, m) for v, m, _k in got) == [(3.0, "weapons"), (20.0, "detained")]


def test_a_level_after_a_hedged_change_is_another_quantity():
    got = _claims("The government plans to cut the number of its soldiers in the region "
                  "from about 7,200 currently to 3,000 by next spring.")
    kinds = {v: k for v, _m, k in got}
    assert kinds[3000.0] == kinds[7200.0] + "/after-change"


def test_a_part_of_a_stated_whole_is_another_quantity():
    kinds = {v: k for v, _m, k in _claims("More than 30m of Chad's 45m people need food aid.")}
    assert kinds[30e6] == kinds[45e6] + "/part-of-whole"


@pytest.mark.parametrize("text", [
    "About 3,000 families sought refuge in the church compound.",
    "Witnesses saw hundreds of people seeking shelter at the base.",
])
def test_people_seeking_refuge_are_displaced(text):
    assert [m for _v, m, _k in _claims(text)] == ["displaced"]


def test_a_percent_of_a_whole_is_a_share_even_beside_a_verb_of_change():
    assert [m for _v, m, _k in _claims("Public debt rose to almost 90% of gross domestic product last year.")] == ["share"]
    assert [m for _v, m, _k in _claims("Prices rose 12% in March.")] == ["price"]


def test_a_share_gained_is_still_a_change():
    assert [m for _v, m, _k in _claims("Rebels have gained 2.5% of the country's territory since June.")] != ["share"]
