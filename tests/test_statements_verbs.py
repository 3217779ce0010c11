"""Reporting verbs and nouns by class (issue 22, round 4): verbs of communication and conjecture
from data/speech-verbs.tsv (Levin 1993 classes 37.7, 37.8, 37.9, 29.5), their gates, and a noun of
speech as the object of a denial. Sentences are paraphrases written for these tests."""

from __future__ import annotations

from test_statements import _speaker, _synthetic, find


def _texts(ctx) -> list[str]:
    return [st.text for st in ctx.statements]


def test_say_class_verb_reports_its_clause(tmp_path):
    ctx = _synthetic(tmp_path, "Mayor Ellen Varga remarked on Tuesday that the old bridge would reopen in the spring.")
    assert _speaker(ctx, "the old bridge would reopen").key == "person/ellen-varga"


def test_advise_class_verb_reports_the_clause_not_the_hearer(tmp_path):
    ctx = _synthetic(tmp_path, "Harbour master Piet Claes informed the crews that the port would close at noon.")
    st = find(ctx, "the port would close at noon")
    assert ctx.entities.by_id[st.speaker].key == "person/piet-claes"
    assert "crews" not in st.text


def test_conjecture_verb_needs_a_subject_that_can_speak(tmp_path):
    ctx = _synthetic(tmp_path, "Senator Maria Olsen speculated that the talks would collapse within a week.")
    assert _speaker(ctx, "the talks would collapse").key == "person/maria-olsen"
    ctx = _synthetic(tmp_path, "The falling exports signalled that the harvest would be late, and the new figures "
                               "assume that demand will recover by May.", name="b.md")
    assert not any("harvest would be late" in t for t in _texts(ctx))  # exports cannot speak
    assert all(st.speaker is None for st in ctx.statements)  # figures might, but name nobody


def test_clause_gate_keeps_a_bare_object_out(tmp_path):
    ctx = _synthetic(tmp_path, "Governor Tomas Reyes proposed a truce for the harvest season.")
    assert not any("truce" in t for t in _texts(ctx))
    ctx = _synthetic(tmp_path, "Governor Tomas Reyes proposed that both sides stop firing during the harvest.",
                     name="b.md")
    assert _speaker(ctx, "both sides stop firing").key == "person/tomas-reyes"


def test_trailing_reply_verb_reports_the_clause_before_it(tmp_path):
    ctx = _synthetic(tmp_path, "The new schedule would cut waiting times by half for most travellers, "
                               "transport minister Lena Hoff countered.")
    assert _speaker(ctx, "cut waiting times by half").key == "person/lena-hoff"


def test_a_denial_of_a_speech_noun_is_a_statement_but_not_of_responsibility(tmp_path):
    ctx = _synthetic(tmp_path, "Transport minister Lena Hoff denied the allegations of overloading made by the unions.")
    st = find(ctx, "denied the allegations of overloading")
    assert st.speaker is not None and not st.direct
    ctx = _synthetic(tmp_path, "The Southern Front denied responsibility for the blast at the depot.", name="b.md")
    assert not any("responsibility" in t for t in _texts(ctx))


def test_a_denial_with_a_clause_keeps_its_verb(tmp_path):
    ctx = _synthetic(tmp_path, "Port director Jonas Weber denied on Friday that any ship had been turned away.")
    st = find(ctx, "any ship had been turned away")
    assert "denied" in st.text and st.rule == "reported:deny-that"
    assert ctx.entities.by_id[st.speaker].key == "person/jonas-weber"
    ctx = _synthetic(tmp_path, "Port director Jonas Weber said on Friday that no ship had been turned away.", name="b.md")
    assert find(ctx, "no ship had been turned away").text.startswith("no ship")  # "say" adds nothing


def test_a_belief_inside_reported_speech_is_one_statement(tmp_path):
    ctx = _synthetic(tmp_path, "Aid chief Rosa Lind spoke to reporters on Monday. Mayor Karl Brandt said he "
                               "felt that the shelters were safe enough for the winter.")
    hits = [st for st in ctx.statements if "the shelters were safe" in st.text]
    assert len(hits) == 1 and ctx.entities.by_id[hits[0].speaker].key == "person/karl-brandt"


def test_made_it_very_clear_reports_its_clause(tmp_path):
    ctx = _synthetic(tmp_path, "Foreign minister Hanna Berg made it very clear on Monday that the border would stay open.")
    assert _speaker(ctx, "the border would stay open").key == "person/hanna-berg"


def test_the_owner_of_a_speech_noun_is_its_source(tmp_path):
    ctx = _synthetic(tmp_path, "The Harbour Authority's warning that the port would close on Friday alarmed the fishermen.")
    st = find(ctx, "the port would close on Friday")
    assert "Harbour Authority" in ctx.entities.by_id[st.speaker].name and st.rule == "reported:warning-noun"
    ctx = _synthetic(tmp_path, "The Harbour Authority's decision that the port would close on Friday alarmed the "
                               "fishermen.", name="b.md")
    assert not any("the port would close" in st.text for st in ctx.statements)  # a decision is no speech noun


def test_blame_on_frame_reports_its_object(tmp_path):
    # "blame X on Y" (Levin class 33), with "on" on the verb or hung on the object by the parser
    ctx = _synthetic(tmp_path, "Governor Tomas Reyes blamed the blackout on sabotage by rival factions.")
    assert _speaker(ctx, "the blackout on sabotage").key == "person/tomas-reyes"
    ctx = _synthetic(tmp_path, "The opposition leader Ana Ruiz spoke to supporters in the capital on Sunday, "
                               "blaming the unrest on the interior ministry.", name="b.md")
    assert _speaker(ctx, "the unrest on the interior ministry").key == "person/ana-ruiz"
    ctx = _synthetic(tmp_path, "Ana Ruiz accused the mayor of the capital.", name="c.md")
    assert not ctx.statements  # "of" on the object modifies the noun


def test_backshifted_pronoun_clause_after_and_goes_on(tmp_path):
    # sequence of tenses: "had"/a modal with a pronoun subject continues the reported clause
    ctx = _synthetic(tmp_path, "Mayor Ana Ruiz said the bridge was safe, and she had inspected it herself.")
    assert "she had inspected it herself" in find(ctx, "the bridge was safe").text
    ctx = _synthetic(tmp_path, "Mayor Ana Ruiz said the bridge was safe, and she left.", name="b.md")
    assert "she left" not in find(ctx, "the bridge was safe").text
    ctx = _synthetic(tmp_path, "Mayor Ana Ruiz said the bridge was safe, and the crowd would go home.", name="c.md")
    assert "crowd" not in find(ctx, "the bridge was safe").text


def test_conjecture_and_concern_verbs_report_their_clause(tmp_path):
    ctx = _synthetic(tmp_path, "Senator Maria Olsen reckons that the talks will fail.")
    assert _speaker(ctx, "the talks will fail").key == "person/maria-olsen"
    ctx = _synthetic(tmp_path, "Several bankers worry that the currency could slide further.", name="b.md")
    assert _speaker(ctx, "the currency could slide further") is not None
    ctx = _synthetic(tmp_path, "The election results worry the markets.", name="c.md")
    assert not ctx.statements  # no clause: no statement


def test_judgment_verb_with_as_and_commissive_offer(tmp_path):
    ctx = _synthetic(tmp_path, "Senator Maria Olsen hailed the vote as a chance to end the crisis.")
    assert _speaker(ctx, "a chance to end the crisis").key == "person/maria-olsen"
    ctx = _synthetic(tmp_path, "Senator Maria Olsen hailed a taxi outside the court.", name="b.md")
    assert not ctx.statements
    ctx = _synthetic(tmp_path, "The Red Cross offered to host the next round of prisoner talks.", name="c.md")
    assert _speaker(ctx, "offered to host the next round").key == "org/icrc"  # its canonical key
    ctx = _synthetic(tmp_path, "The Red Cross offered blankets to the two villages.", name="d.md")
    assert not ctx.statements
