"""Events: the typology tables, the seed deployment, and every corpus article yields events."""

import pytest

from helpers import CORPUS, ROOT, SEED
from newskb.extract.events import event_key, load_event_rules
from newskb.extract.vocabulary import EVENT_TYPES



def test_rules_use_closed_types():
    rules = load_event_rules()
    assert rules and all(r.type in EVENT_TYPES for r in rules)


def test_docs_cover_every_emitted_type():
    doc = (ROOT / "docs" / "events.md").read_text()
    for r in load_event_rules():
        assert f"`{r.type}`" in doc


def test_event_key_is_deterministic():
    assert event_key("DroneStrike", "kyiv", "2024-07-31", "RU") == "dronestrike/kyiv/2024-07-31/RU"
    assert event_key("Attack", None, "2024-07", None) == "attack/-/2024-07/-"


@pytest.fixture(scope="module")
def seed_doc():
    if not SEED.exists():
        pytest.skip("shared corpus not available")
    from newskb.article import read_article
    from newskb.extract.pipeline import extract
    art = read_article(SEED)
    return art, extract(art)


def test_seed_one_deployment_with_size_place_confirmers(seed_doc):
    _art, doc = seed_doc
    ents = {e.id: e for e in doc.entities}
    places = {p.id: p for p in doc.places}
    deps = [e for e in doc.events if e.type == "Deployment" and e.country == "KP"]
    assert len(deps) == 1
    dep = deps[0]
    assert dep.size == 10000
    assert ents[dep.force].key.startswith("force/KP/")
    assert places[dep.place].key in ("region/RU-KRS", "country/RU")
    confirmers = {ents[i].key for i in dep.confirmed_by}
    assert {"org/nato", "person/mark-rutte"} <= confirmers
    assert any("defense" in k or "defence" in k or k.endswith("/US") for k in confirmers)
    assert len(dep.mentions) >= 2


def test_seed_spans(seed_doc):
    art, doc = seed_doc
    for ev in doc.events:
        assert art.body[ev.span.start:ev.span.end] == ev.span.text
        for m in ev.mentions:
            assert art.body[m.start:m.end] == m.text
    assert len({e.key for e in doc.events}) == len(doc.events)


@pytest.mark.slow
def test_every_corpus_article_has_events():
    if not CORPUS.exists():
        pytest.skip("shared corpus not available")
    from newskb.article import read_article
    from newskb.extract.pipeline import extract
    for path in sorted(CORPUS.glob("*.txt")):
        art = read_article(path)
        doc = extract(art)
        assert doc.events, path.name
        for ev in doc.events:
            assert ev.type in EVENT_TYPES
            assert art.body[ev.span.start:ev.span.end] == ev.span.text
        for c in doc.claims:
            assert art.body[c.span.start:c.span.end] == c.span.text


@pytest.fixture(scope="module")
def nlp():
    from newskb.extract.nlp import load_nlp
    return load_nlp()


def test_modifier_participles_and_compounds_are_not_events(nlp):
    from newskb.extract.events import _not_eventive
    doc = nlp("Air strikes hit the occupied region near a nuclear attack submarine.")
    occupied = next(t for t in doc if t.lower_ == "occupied")
    attack = next(t for t in doc if t.lower_ == "attack")
    assert _not_eventive(occupied, "Capture")
    assert _not_eventive(attack, "Attack")


def test_generic_fight_needs_an_anchor(nlp):
    from newskb.extract.events import _not_eventive
    doc = nlp("We continue to fight.")
    assert _not_eventive(next(t for t in doc if t.lemma_ == "fight"), "Attack")
    doc = nlp("Fierce fighting raged in the east.")
    assert not _not_eventive(next(t for t in doc if t.lower_ == "fighting"), "Attack")


def test_first_city_to_fall_is_not_hypothetical(nlp):
    from newskb.extract.events import _hypothetical
    doc = nlp("Kherson was the first major city to fall.")
    assert not _hypothetical(next(t for t in doc if t.lower_ == "fall"))
    doc = nlp("Russia wants to capture the city.")
    assert _hypothetical(next(t for t in doc if t.lower_ == "capture"))


def test_two_clauses_give_two_events_of_one_type(nlp):
    from newskb.extract.events import _select, load_event_rules
    rules = {r.type: r for r in load_event_rules()}
    doc = nlp("Two people were wounded in an attack on the port, and three more in attacks elsewhere.")
    atk = [t for t in doc if t.lemma_ == "attack"]
    assert len(_select([(rules["Attack"], t) for t in atk])) >= 1
    doc = nlp("The attack killed 12 people.")
    kill = next(t for t in doc if t.lemma_ == "kill")
    atk = next(t for t in doc if t.lemma_ == "attack")
    kept = _select([(rules["Attack"], atk), (rules["CasualtyReport"], kill)])
    assert [r.type for r, _t in kept] == ["Attack"]


def test_future_plans_and_negated_counts_are_not_events(nlp):
    from newskb.extract.events import _hypothetical
    doc = nlp("Prisoner swaps will continue.")
    assert _hypothetical(next(t for t in doc if t.lower_ == "swaps"))
    doc = nlp("There were no casualties in the region.")
    assert _hypothetical(next(t for t in doc if t.lower_ == "casualties"))
    doc = nlp("Moscow's timelines for seizing the town were foiled.")
    assert _hypothetical(next(t for t in doc if t.lower_ == "seizing"))


def test_advance_needs_territory(nlp):
    from newskb.extract.events import _not_eventive
    doc = nlp("The talks are advancing efforts to end the war in Ukraine.")
    assert _not_eventive(next(t for t in doc if t.lower_ == "advancing"), "Advance")
    doc = nlp("Russian troops advanced two kilometres toward Pokrovsk.")
    assert not _not_eventive(next(t for t in doc if t.lower_ == "advanced"), "Advance")


def test_evidence_stays_short(seed_doc):
    _art, doc = seed_doc
    for ev in doc.events:
        assert len(ev.span.text.split()) <= 14
