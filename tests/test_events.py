"""Events: the typology tables, the seed deployment, and every corpus article yields events."""

from pathlib import Path

import pytest

from newskb.extract.events import event_key, load_event_rules
from newskb.extract.vocabulary import EVENT_TYPES

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED = CORPUS / "2024-10-28-ft-nato-north-korean-troops-kursk.txt"


def test_rules_use_closed_types():
    rules = load_event_rules()
    assert rules and all(r.type in EVENT_TYPES for r in rules)


def test_docs_cover_every_emitted_type():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "events.md").read_text()
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
