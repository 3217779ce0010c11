"""Reference for speakers (issue 22, round 3): "it"/"they" by salience with number and kind
agreement, establishing definite descriptions as first mentions, and pronouns not blocked by a
speaker that cannot be a person. Sentences are paraphrases written for these tests."""

from __future__ import annotations

from test_statements import _speaker, _synthetic, find


def test_it_continues_the_body_that_was_subject_before(tmp_path):
    ctx = _synthetic(tmp_path, "The Northern Relief Coalition opened two field kitchens near the river on Monday. "
                               "It said that the kitchens would feed about 3,000 people a day.")
    ent = _speaker(ctx, "the kitchens would feed")
    assert "Northern Relief Coalition" in ent.name


def test_it_never_continues_a_plural_mention(tmp_path):
    ctx = _synthetic(tmp_path, "Russian forces shelled the bridge at dawn. "
                               "It said that the crossing would stay closed for a week.")
    st = find(ctx, "the crossing would stay closed")
    assert st.speaker is None and "pronoun 'it'" in st.speaker_note


def test_they_continues_a_group(tmp_path):
    ctx = _synthetic(tmp_path, "Local residents gathered outside the town hall on Friday, and residents said the water "
                               "had been cut for days. They added that nobody had come to repair the pipes.")
    first = _speaker(ctx, "the water had been cut")
    assert first.type == "Group"
    assert _speaker(ctx, "nobody had come to repair the pipes") is first


def test_establishing_definite_description_is_a_first_mention(tmp_path):
    ctx = _synthetic(tmp_path, "Heavy fighting broke out along the border overnight. "
                               "The Armenian defence ministry said on Saturday that four villages had been shelled.")
    ent = _speaker(ctx, "four villages had been shelled")
    assert ent.type == "Organisation" and ent.country == "AM"


def test_establishing_description_right_after_another_body_is_left_out(tmp_path):
    ctx = _synthetic(tmp_path, "The Eastern Freedom Front said it had taken the airport. "
                               "The Lebanese broadcaster reported that the airport was still closed.")
    st = find(ctx, "the airport was still closed")
    assert st.speaker is None and "may rename" in (st.speaker_note or "")


def test_he_is_not_blocked_by_an_unresolved_ministry(tmp_path):
    ctx = _synthetic(tmp_path, "Deputy mayor Tomas Berendt Halvorsen said the shelters were full. "
                               "The regional ministry said that more tents were on the way. "
                               "He added that the schools would open as shelters too.")
    ent = _speaker(ctx, "the schools would open as shelters")
    assert ent.key == "person/tomas-berendt-halvorsen"


def test_parenthetical_attribution_reports_the_clause_around_it(tmp_path):
    ctx = _synthetic(tmp_path, "Defence Minister Anna Kowalska visited the base on Monday. "
                               "The new radar, the minister said, would be ready before the winter.")
    st = find(ctx, "would be ready before the winter")
    assert st.text.startswith("The new radar") and not st.direct
    assert ctx.entities.by_id[st.speaker].key == "person/anna-kowalska"


def test_parenthetical_attribution_after_the_main_clause(tmp_path):
    ctx = _synthetic(tmp_path, "Police chief Ahmed Farouk Salem inspected the checkpoint on Sunday. "
                               "The aid convoy was attacked twice, he said, and two drivers were hurt.")
    st = find(ctx, "two drivers were hurt")
    assert st.text.startswith("The aid convoy")
    assert ctx.entities.by_id[st.speaker].key == "person/ahmed-farouk-salem"


def test_a_body_named_after_another_is_no_first_mention(tmp_path):
    ctx = _synthetic(tmp_path, "Gunmen stormed a hotel in the capital overnight. "
                               "The Moscow-backed militia said that it had taken twelve hostages.")
    st = find(ctx, "it had taken twelve hostages")
    assert st.speaker is None, "a relational modifier names another body: an epithet, not a new actor"


def test_person_nouns_with_other_senses_name_speakers(tmp_path):
    ctx = _synthetic(tmp_path, "A representative of the regional police said the seized papers were authentic.")
    assert _speaker(ctx, "the seized papers were authentic").type == "UnnamedPerson"
    ctx = _synthetic(tmp_path, "Relatives of the missing fishermen said they had heard nothing for a week.", name="b.md")
    assert _speaker(ctx, "had heard nothing for a week").type == "Group"


def test_he_skips_a_plural_name_subject(tmp_path):
    # number agreement: "Argentines remember" is plural and cannot be "he"
    ctx = _synthetic(tmp_path, "Historian Paul Grant said on Monday that the archive had opened. Argentines still "
                               "remember the trials, and Chileans remember them too. He added that more files "
                               "would follow in May.")
    ent = _speaker(ctx, "more files would follow")
    assert ent is not None and "Paul Grant" in ent.name
    ctx = _synthetic(tmp_path, "Historian Paul Grant said on Monday that the archive had opened. Petrov remembers "
                               "the trials. He added that more files would follow in May.", name="b.md")
    assert _speaker(ctx, "more files would follow") is None  # a singular unknown name still blocks


def test_he_skips_the_candidates_own_surname(tmp_path):
    ctx = _synthetic(tmp_path, "Admiral Sun Lei told the forum on Monday that the talks had stalled. Sun met the "
                               "envoy in the afternoon. He added that a new round would open in May.")
    ent = _speaker(ctx, "a new round would open")
    assert ent is not None and ent.key == "person/sun-lei"


def test_the_agency_refers_to_an_acronym_introduced_in_apposition(tmp_path):
    # an acronym introduced with its description: the description's head noun fits it
    for k, body in enumerate(["The U.N. refugee agency, UNHCR, opened two camps. The agency said that 4,000 "
                              "people had arrived.",
                              "UNHCR, the U.N. refugee agency, opened two camps. The agency said that 4,000 "
                              "people had arrived."]):
        ctx = _synthetic(tmp_path, body, name=f"{k}.md")
        assert _speaker(ctx, "4,000 people had arrived").key == "org/unhcr"


def test_both_sides_are_the_pair_coordinated_last(tmp_path):
    ctx = _synthetic(tmp_path, "Armenia and Azerbaijan fought a war over the enclave in 2020. On Sunday both sides "
                               "accused each other of shelling border villages.")
    st = find(ctx, "accused each other of shelling")
    keys = {ctx.entities.by_id[i].key for i in [st.speaker, *st.co_speakers]}
    assert keys == {"government/AM", "government/AZ"}
    # a pair that is not two actors gives nobody
    ctx = _synthetic(tmp_path, "The mayor and the residents met on Monday. Both said that the talks had gone well.",
                     name="b.md")
    assert _speaker(ctx, "the talks had gone well") is None


def test_the_two_with_a_kind_noun_is_not_the_last_pair(tmp_path):
    ctx = _synthetic(tmp_path, "Poland and Lithuania discussed the fate of the deserters on Monday. The two soldiers "
                               "said that they wanted to stay in Warsaw.")
    st = find(ctx, "they wanted to stay in Warsaw")
    keys = {ctx.entities.by_id[i].key for i in [st.speaker, *st.co_speakers] if i}
    assert not keys & {"government/PL", "government/LT"}
