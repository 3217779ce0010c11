"""Events: habitual, generic and demanded happenings are no events; negotiation is PeaceTalks;
a time of a clause describing another noun does not date the event (docs/events.md).

Every sentence here is a paraphrase written for the test, not article text."""

from __future__ import annotations

import pytest

from test_events import events, of_type


@pytest.mark.parametrize("text, type_", [
    # a time quantified over: the happening recurs
    ("Several candidates in Mindanao are shot during every election campaign, police in Manila said.", "Attack"),
    ("Rebels in Darfur raid villages each night, residents of Nyala say.", "Attack"),
    # a simple-present passive with a bare plural subject: a kind
    ("In Bogota, generals who lose the favour of the minister are dismissed, too.", "Dismissal"),
    ("Journalists in Moscow are arrested for criticising the war, activists in Russia say.", "Arrest"),
    # the complement of a demand is wished for
    ("The opposition in London called for the imposition of sanctions on the generals in Myanmar.", "Sanctions"),
    ("Qatar pushed for negotiations between Hamas and Israel in Doha.", "PeaceTalks"),
    # a participle of a standing relation is a state
    ("Militias allied with the army of Congo attacked Uvira, residents in Kivu said.", "Agreement"),
    ("Egypt, which is aligned with the army of Sudan, closed its border, officials in Cairo said.", "Agreement"),
    # "be going to" is a future, not a factive "go"
    ("The foreign ministers of Egypt and Jordan are going to hold talks in Cairo, diplomats said.", "Meeting"),
])
def test_habitual_generic_and_demanded_happenings_are_not_events(text, type_):
    assert not of_type(events(text, "2025-06-11"), type_), text


@pytest.mark.parametrize("text, type_", [
    # one happening: a perfect, a number, a determiner, a time of its own
    ("Three journalists were arrested in Moscow on Monday, activists in Russia said.", "Arrest"),
    ("The defence minister of Colombia sacked two generals on Monday.", "Dismissal"),
    ("Rebels raided the village of Tawila in Darfur on Sunday night, residents said.", "Attack"),
    ("Rebel fighters went on to capture the town of Tawila in Darfur on Sunday.", "Capture"),
    ("In January the rebels formally allied with the militias of Uvira, officials in Congo said.", "Agreement"),
    # an ongoing happening reported in the perfect, however often it recurs
    ("Mothers of the disappeared in Buenos Aires have been protesting every Thursday since 1977.", "Protest"),
])
def test_single_happenings_stay_events(text, type_):
    assert of_type(events(text, "2025-06-11"), type_), text


def test_negotiation_is_peace_talks_without_a_word_of_peace():
    """CAMEO 046: negotiating is bargaining between parties (a prisoner swap, a hostage deal)."""
    evs = events("American and Russian officials held secret negotiations in Ankara on Tuesday about a "
                 "prisoner swap.", "2024-08-01")
    assert of_type(evs, "PeaceTalks") and not of_type(evs, "Meeting"), evs
    evs = events("The foreign minister of Germany visited Warsaw on Tuesday.", "2024-08-01")
    assert of_type(evs, "Meeting") and not of_type(evs, "PeaceTalks"), evs


def test_a_time_of_a_relative_clause_on_another_noun_does_not_date_the_event():
    """"the economy, which shrank last year": last year is the shrinking's time, not the vote's."""
    evs = events("The presidential election in Taiwan comes at a hard time for the economy of Taiwan, "
                 "which shrank sharply last year.", "2016-01-16")
    assert [e.date for e in of_type(evs, "Election")] != ["2015"], evs


def test_every_condition_a_row_may_name_has_one_finder():
    from newskb.extract import events as ev
    from newskb.extract.event_rules import SPECIALS

    assert set(ev._SPECIALS) == SPECIALS


def test_aircraft_opening_fire_is_an_air_strike():
    evs = events("Army helicopters opened fire on the crowd in Ankara on Friday night. Police opened fire on "
                 "protesters in Izmir on Friday.", "2016-07-16")
    assert [e.place for e in of_type(evs, "Airstrike")] == ["geonames/323786"], evs
    assert [e.place for e in of_type(evs, "Attack")] == ["geonames/311046"], evs


def test_taking_a_line_or_a_place_is_no_capture():
    """Support-verb uses of "take" name no capture; taking a village does."""
    evs = events("The president of France took a much tougher line towards Moscow on Monday.", "2025-10-16")
    assert not of_type(evs, "Capture"), evs
    evs = events("Russian troops took the village of Robotyne in Zaporizhzhia on Monday.", "2025-10-16")
    assert of_type(evs, "Capture"), evs
