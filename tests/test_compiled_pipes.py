"""The build's compiled attribute ruler (newskb.extract.ruler) and lemmatizer
(newskb.extract.lemmatizer) give spaCy's annotations: on every corpus article through the whole
pipeline, and on random token sequences against spaCy's own components (for the ruler, over every
word, tag and label its rules name). The build's model multiplies its matrices with numpy's BLAS
on one thread (newskb.extract.nlp), and its corpus annotations are those of the model on BLIS."""

from __future__ import annotations

import random
import re

import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from helpers import CORPUS
from newskb.article import read_article
from newskb.extract.nlp import load_nlp, load_shipped_nlp, one_blas_thread, parse_texts
from newskb.extract.pipeline import extract
from newskb.extract.lemmatizer import CompiledLemmatizer
from newskb.extract.ruler import CompiledAttributeRuler, compile_attribute_ruler


def token_view(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_,
             t.is_sent_start) for t in doc]


@pytest.fixture(scope="module")
def shipped():
    return load_shipped_nlp()


def test_the_build_runs_the_compiled_components_and_the_shipped_model_does_not(shipped):
    built = load_nlp()
    assert isinstance(built.get_pipe("attribute_ruler"), CompiledAttributeRuler)
    assert type(shipped.get_pipe("attribute_ruler")) is AttributeRuler
    assert isinstance(built.get_pipe("lemmatizer"), CompiledLemmatizer)
    assert type(shipped.get_pipe("lemmatizer")) is EnglishLemmatizer
    assert built.get_pipe("lemmatizer").lookups.to_bytes() == shipped.get_pipe("lemmatizer").lookups.to_bytes()
    assert built.pipe_names == shipped.pipe_names
    assert built.get_pipe("attribute_ruler").patterns == shipped.get_pipe("attribute_ruler").patterns
    assert built.meta["name"] == shipped.meta["name"] and built.meta["version"] == shipped.meta["version"]


def _layer_ops(nlp) -> list:
    """The ops of every layer but the parser's and NER's output layer ("upper"), which spaCy builds
    on its own CPU ops, and whose products its Cython step loop computes with BLIS anyway."""
    out = []
    for _name, proc in nlp.pipeline:
        if not hasattr(proc, "model") or not hasattr(proc.model, "walk"):
            continue
        upper = proc.model.get_ref("upper") if proc.model.has_ref("upper") else None
        out += [layer.ops for layer in proc.model.walk() if layer is not upper]
    return out


def test_the_build_multiplies_with_numpy_blas_and_the_shipped_model_with_blis(shipped):
    from thinc.api import NumpyOps, get_current_ops

    ours, theirs = _layer_ops(load_nlp()), _layer_ops(shipped)
    assert len(ours) == len(theirs) > 50  # every layer of tok2vec, tagger, parser and NER
    assert all(type(o) is NumpyOps and o.use_blis is False for o in ours)
    assert all(type(o) is NumpyOps and o.use_blis is True for o in theirs)
    assert getattr(get_current_ops(), "use_blis", True) is True  # loading left thinc's default alone


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]


def test_the_build_parses_on_one_blas_thread_and_restores_the_count_after():
    import numpy  # noqa: F401  (its BLAS is what the model's layers call)

    before = _blas_threads()
    assert before, "numpy's BLAS library was not found by threadpoolctl"
    bodies = ["Russian troops entered Kupiansk on Monday, the governor said.", "Kyiv denied it."]
    seen = []
    for _doc in parse_texts(bodies):
        seen.append(_blas_threads())
    assert seen == [[1] * len(before)] * 2
    assert _blas_threads() == before  # the generator ran to its end: the limit was lifted
    with one_blas_thread():
        assert _blas_threads() == [1] * len(before)
    assert _blas_threads() == before


def test_corpus_parses_and_facts_equal_the_shipped_models(shipped):
    articles = [read_article(p) for p in sorted(CORPUS.iterdir()) if p.is_file() and not p.name.startswith(".")]
    bodies = [a.body for a in articles]
    ours = list(parse_texts(bodies))  # as the build parses: numpy's BLAS, one thread
    theirs = list(shipped.pipe(bodies, batch_size=4))  # thinc's default: BLIS
    for a, x, y in zip(articles, ours, theirs):
        assert token_view(x) == token_view(y), a.id
        assert x.to_array([TAG, POS, MORPH, LEMMA, DEP]).tolist() == y.to_array([TAG, POS, MORPH, LEMMA, DEP]).tolist()
    assert sum(len(d) for d in ours) > 10_000
    for a, x, y in zip(articles, ours, theirs):
        assert extract(a, doc=x).to_json() == extract(a, doc=y).to_json(), a.id


def _vocabulary(ruler: AttributeRuler) -> tuple[list[str], set[str], set[str]]:
    """Every word, tag and dependency label the rules name (regular expressions by examples)."""
    words, tags, deps = set(), set(), set()
    regex_examples = ["y", "y'", "nothin'", "nuthin'", "n't", "nt", "n'tt", "ya"]
    for p in ruler.patterns:
        for pattern in p["patterns"]:
            for tok in pattern:
                for key, value in tok.items():
                    if isinstance(value, str):
                        values = [value]
                    elif isinstance(value, dict):
                        values = [v for op, arg in value.items() if op in ("IN", "NOT_IN") for v in arg]
                    else:
                        values = []
                    {"LOWER": words, "ORTH": words, "TAG": tags, "DEP": deps}.get(key, set()).update(v for v in values if v)
    words.update(regex_examples)
    words.update(w.capitalize() for w in list(words))
    return sorted(words) + ["the", "army", "said", "Kyiv", "3", ",", ".", " ", "\n", "  "], tags, deps


def _meeting(spec: dict, rng: random.Random, words: list[str], tags: list[str], deps: list[str]) -> tuple:
    """A word, tag and label meeting one token of a pattern (random where it says nothing)."""
    out = {"LOWER": rng.choice(words), "TAG": rng.choice(tags), "DEP": rng.choice(deps)}
    for key, value in spec.items():
        if key == "IS_SPACE":
            out["LOWER"] = rng.choice([" ", "\n"]) if value else rng.choice(words).strip() or "a"
            continue
        pool = {"LOWER": words, "TAG": tags, "DEP": deps}[key]
        if isinstance(value, str):
            out[key] = value
        elif "IN" in value:
            out[key] = rng.choice(value["IN"])
        elif "NOT_IN" in value:
            out[key] = rng.choice([v for v in pool if v not in value["NOT_IN"]])
        elif "REGEX" in value:
            out[key] = rng.choice([v for v in pool if re.search(value["REGEX"], v.lower())])
    word = out["LOWER"]
    return (word.upper() if rng.random() < 0.2 else word), out["TAG"], out["DEP"]


def test_random_token_sequences_get_spacys_annotations(shipped):
    ruler = shipped.get_pipe("attribute_ruler")
    compiled = CompiledAttributeRuler(shipped.vocab, "attribute_ruler")
    compiled.add_patterns(ruler.patterns)
    assert compiled.compile()
    words, tags, deps = _vocabulary(ruler)
    tags = sorted(tags | set(shipped.get_pipe("tagger").labels))
    deps = sorted(deps | set(shipped.get_pipe("parser").labels))
    rng = random.Random(20261205)
    rules = [pattern for p in ruler.patterns for pattern in p["patterns"]]
    fired: set[int] = set()
    tokens = 0
    for _ in range(400):
        ws, tg, dp = [], [], []
        length = rng.randint(1, 30)
        while len(ws) < length:
            if rng.random() < 0.4:  # tokens made to meet a rule, half of the time with noise added
                for spec in rng.choice(rules):
                    w, t, d = _meeting(spec, rng, words, tags, deps)
                    ws.append(w)
                    tg.append(t if rng.random() > 0.1 else rng.choice(tags))
                    dp.append(d if rng.random() > 0.1 else rng.choice(deps))
            else:
                ws.append(rng.choice(words))
                tg.append(rng.choice(tags) if rng.random() > 0.05 else None)
                dp.append(rng.choice(deps) if rng.random() > 0.1 else None)
        n = len(ws)
        spaces = [rng.random() > 0.3 for _ in ws]
        docs = [Doc(shipped.vocab, words=ws, spaces=spaces) for _ in range(2)]
        for doc in docs:
            for t, tag, dep in zip(doc, tg, dp):
                if tag is not None:
                    t.tag_ = tag
                if dep is not None:
                    t.dep_ = dep
        fired.update(attr for attr, *_ in ruler.match(docs[0]))
        ruler(docs[0])
        compiled(docs[1])
        cols = [TAG, POS, MORPH, LEMMA, DEP]
        assert docs[1].to_array(cols).tolist() == docs[0].to_array(cols).tolist(), ws
        assert [str(t.morph) for t in docs[1]] == [str(t.morph) for t in docs[0]]
        tokens += n
    assert tokens > 5000
    assert len(fired) == len(ruler.patterns), sorted(set(range(len(ruler.patterns))) - fired)  # every rule fired


def test_multi_token_rules_and_their_target_token():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"}, index=0)
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "to"}, index=-1)
    ruler.add([[{"TAG": {"NOT_IN": ["TO", ""]}}]], {"POS": "VERB"})
    ruler.add([[{"LOWER": {"REGEX": "^n'?t$"}}]], {"POS": "PART", "MORPH": "Polarity=Neg"})
    ruler.add([[{"IS_SPACE": True}]], {"POS": "SPACE"})
    assert compile_attribute_ruler(nlp)
    doc = Doc(nlp.vocab, words=["Gon", "na", "do", "n't", "\n", "gon"])
    doc[2].tag_ = "VB"
    doc[3].tag_ = "TO"
    nlp.get_pipe("attribute_ruler")(doc)
    assert [t.lemma_ for t in doc] == ["go", "to", "", "", "", ""]
    assert [t.pos_ for t in doc] == ["", "", "VERB", "PART", "SPACE", ""]
    assert str(doc[3].morph) == "Polarity=Neg"


def test_rules_added_after_compiling_are_compiled_too():
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add([[{"LOWER": "army"}]], {"POS": "NOUN"})
    assert compile_attribute_ruler(nlp)
    ruler = nlp.get_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "said"}]], {"POS": "VERB", "LEMMA": "say"})
    doc = ruler(Doc(nlp.vocab, words=["army", "said"]))
    assert [(t.pos_, t.lemma_) for t in doc] == [("NOUN", ""), ("VERB", "say")]
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"POS": "DET"})  # not compiled: spaCy's matching from now on
    doc = ruler(Doc(nlp.vocab, words=["a", "army", "said"]))
    assert [t.pos_ for t in doc] == ["DET", "NOUN", "VERB"]
    assert [m[2:] for m in ruler.match(doc)] == [(1, 2), (2, 3), (0, 1)]  # spaCy's matches, in rule order
    ruler.clear()
    assert ruler(Doc(nlp.vocab, words=["army"]))[0].pos_ == ""


@pytest.mark.parametrize("pattern", [
    [{"LOWER": "a", "OP": "+"}],          # an operator: variable length
    [{"LENGTH": {">=": 3}}],              # a comparison
    [{"LOWER": {"FUZZY": "army"}}],       # fuzzy matching
    [{"_": {"flag": True}}],              # an extension attribute
])
def test_what_is_not_compiled_stays_spacys_ruler(pattern):
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add([pattern], {"POS": "NOUN"})
    assert not compile_attribute_ruler(nlp)
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler
    ruler = CompiledAttributeRuler(nlp.vocab, "r")
    ruler.add([pattern], {"POS": "NOUN"})
    assert not ruler.compile()
    if "_" not in pattern[0]:  # spaCy's matching runs instead, with its result
        doc = Doc(nlp.vocab, words=["a", "army", "of"])
        ruler(doc)
        assert [t.pos_ for t in doc][:2] != ["", ""]


def test_random_tokens_get_spacys_lemmas(shipped):
    """Words of the corpus and inflected forms, under random parts of speech and morphologies of
    the model (some missing, some tokens with a lemma already), against spaCy's lemmatizer."""
    theirs = shipped.get_pipe("lemmatizer")
    ours = load_nlp().get_pipe("lemmatizer")
    words = sorted({t.text for p in sorted(CORPUS.iterdir()) if p.is_file() for t in shipped.make_doc(read_article(p).body)})
    words += ["ran", "running", "geese", "better", "Mice", "wolves", "was", "were", "isn't", "men's", "data", "best"]
    upos = ["NOUN", "VERB", "ADJ", "ADV", "PROPN", "AUX", "PRON", "DET", "ADP", "NUM", "PUNCT", "SPACE", "X", "SYM"]
    morphs = sorted({str(t.morph) for t in shipped(read_article(sorted(CORPUS.iterdir())[0]).body)})
    morphs += ["Number=Sing", "Number=Plur", "VerbForm=Inf", "Degree=Cmp", "Degree=Sup", "Tense=Past|VerbForm=Fin"]
    rng = random.Random(1205)
    tokens = 0
    for _ in range(300):
        ws = [rng.choice(words) for _ in range(rng.randint(1, 40))]
        docs = [Doc(shipped.vocab, words=ws) for _ in range(2)]
        pos = [rng.choice(upos) for _ in ws]
        morph = [rng.choice(morphs) for _ in ws]
        preset = [rng.random() < 0.1 for _ in ws]
        for doc in docs:
            for t, p, m, keep in zip(doc, pos, morph, preset):
                t.set_morph(m)
                t.pos_ = p
                if keep:
                    t.lemma_ = "kept"
        theirs(docs[0])
        ours(docs[1])
        assert [t.lemma_ for t in docs[1]] == [t.lemma_ for t in docs[0]], ws
        tokens += len(ws)
    assert tokens > 5000
    # a token without a part of speech: spaCy's warning, and its lemma
    docs = [Doc(shipped.vocab, words=["Soldiers", "ran"]) for _ in range(2)]
    with pytest.warns(UserWarning):
        theirs(docs[0])
    with pytest.warns(UserWarning):
        ours(docs[1])
    assert [t.lemma_ for t in docs[1]] == [t.lemma_ for t in docs[0]]
