"""The build parses articles with ``nlp.pipe`` in small batches (``PIPE_BATCH``, chosen for speed
and memory in bench/). spaCy's parses, and so every extracted fact, must not depend on how the
articles are batched."""

from __future__ import annotations

import json

import pytest

from helpers import CORPUS
from newskb.article import read_article
from newskb.extract.nlp import PIPE_BATCH, load_nlp, parse_texts
from newskb.extract.pipeline import extract


def token_view(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_, t.is_sent_start)
            for t in doc]


@pytest.fixture(scope="module")
def articles():
    arts = [read_article(p) for p in sorted(CORPUS.iterdir()) if p.is_file() and not p.name.startswith(".")]
    assert len(arts) >= 2 * PIPE_BATCH, "the corpus is too small to span several batches"
    return arts


def test_batches_give_the_same_parses_and_facts(articles):
    bodies = [a.body for a in articles]
    one_by_one = [load_nlp()(b) for b in bodies]  # no batching at all
    batched = list(parse_texts(bodies))
    all_at_once = list(load_nlp().pipe(bodies, batch_size=len(bodies)))
    assert [d.text for d in batched] == bodies
    want = [token_view(d) for d in one_by_one]
    assert [token_view(d) for d in batched] == want
    assert [token_view(d) for d in all_at_once] == want
    facts = [extract(a, doc=d).to_json() for a, d in zip(articles, one_by_one)]
    assert [extract(a, doc=d).to_json() for a, d in zip(articles, batched)] == facts
    assert sum(len(json.loads(f)["statements"]) for f in facts) > len(facts)  # real facts were compared
