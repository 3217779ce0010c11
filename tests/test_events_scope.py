"""Events: how far a wish, a plan, a modal or a verb of telling reaches (docs/events.md "What is not
an event"): a report after "told … that", a finite conjunct, a perfect infinitive, a verb the
trigger's row names, and an event noun dated by the text are events; the wishes, plans, orders and
modals around them still undo what they govern.

Every sentence here is a paraphrase written for the test, not article text."""

from __future__ import annotations

import pytest

from test_events import events, of_type


@pytest.mark.parametrize("text, type_", [
    # a verb of telling reports a finite complement as what happened
    ("The governor told reporters that twenty people were killed in Aleppo in Syria on Monday.", "CasualtyReport"),
    ("A commander told journalists in Juba that helicopters attacked the compound of the vice-president "
     "on Sunday.", "Airstrike"),
    # a finite verb coordinated with a verb of refusing is a clause of its own
    ("The embassy cancelled its reception and is pulling all its staff out of Sudan, officials in Khartoum "
     "said on Monday.", "Evacuation"),
    # a perfect infinitive reports an earlier happening
    ("Some 1,500 fighters of the militia are estimated to have been killed in Syria since 2013.", "CasualtyReport"),
    # the verb the row names as what makes it an event ("lift" sanctions) is no wish
    ("The United States lifted sanctions on three army officers of Mali in Washington on Monday.", "Sanctions"),
    # an event noun dated by the text is one happening a modal above it does not undo
    ("Officials in Rabat said Morocco could join the 2020 accords signed in Washington.", "Agreement"),
])
def test_reports_conjuncts_perfects_and_dated_nouns_are_events(text, type_):
    assert of_type(events(text, "2025-06-11"), type_), text


@pytest.mark.parametrize("text, type_", [
    # telling someone to do something directs it: not yet done
    ("The general told his soldiers to attack the town of Kupiansk in Ukraine.", "Attack"),
    # a modal undoes an event noun with no date of its own
    ("Officials in Geneva said the two sides could sign a ceasefire in Switzerland.", "Agreement"),
    # a wish still reaches its infinitive
    ("The rebels in Sudan hope to capture the city of El Fasher in Darfur.", "Capture"),
    # a duration is no date of the noun's own
    ("Officials in Kyiv said Russia would end the 18-month siege of the city of Kharkiv.", "Attack"),
])
def test_directed_and_modal_happenings_stay_unreal(text, type_):
    assert not of_type(events(text, "2025-06-11"), type_), text


def test_a_press_embargo_on_comments_is_no_sanction():
    """Regression: "comments embargoed until Saturday" was a Sanctions event once "told" no longer
    reached its adjunct."""
    evs = events("The war will end by summer, President Volodymyr Zelenskyy of Ukraine told reporters on Friday "
                 "in comments that the Ukrainian government embargoed until Saturday.", "2026-02-07")
    assert not of_type(evs, "Sanctions"), evs


def test_a_dated_noun_keeps_its_own_date():
    evs = events("Officials in Rabat said Morocco could join the 2020 accords signed in Washington.", "2025-06-11")
    assert [e.date for e in of_type(evs, "Agreement")] == ["2020"], evs


@pytest.mark.parametrize("text, type_", [
    # "in advance" is beforehand, no advance of forces
    ("The navy of the Philippines told Beijing in advance about the resupply mission to the Second Thomas "
     "Shoal, officials in Manila said.", "Advance"),
    # a news conference is a statement to journalists, not a meeting of parties
    ("The prime minister of Turkey told a news conference in Ankara on Saturday that the army was loyal.", "Meeting"),
])
def test_fixed_phrases_name_no_event(text, type_):
    assert not of_type(events(text, "2024-07-24"), type_), text
