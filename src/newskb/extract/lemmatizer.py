"""The model's rule lemmatizer with its per-token Python work taken out: the same lemmas.

spaCy's rule :class:`~spacy.pipeline.Lemmatizer` (``EnglishLemmatizer`` in ``en_core_web_sm``)
walks the document in Python and, for every token without a lemma, builds a Token and a
MorphAnalysis to look its lemma up in a cache keyed on ``(orth, pos, morph)``, then sets it by
string. That lookup is exact: a rule lemma is a function of the word, its part of speech and
its morphology (the rules and tables are fixed; ``is_base_form`` reads POS and MORPH only).

:class:`CompiledLemmatizer` reads those three columns for the whole document at once, keeps
``(orth, pos, morph) -> lemma id`` for every token it has lemmatised, and asks spaCy's own
``rule_lemmatize`` only for a combination it has not seen. Tokens that already have a lemma
(set by the attribute ruler) are left alone, as spaCy does without ``overwrite``; tokens with no
POS go to spaCy's code one by one (it warns about them). ``tests/test_compiled_pipes.py`` compares the
lemmas with spaCy's lemmatizer on every corpus article and on random token sequences.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.tokens import Doc

FACTORY = "newskb_compiled_lemmatizer"
MEMO_SIZE = 50_000  # distinct (word, POS, morphology) remembered (about 11 MB); then forgotten at once


class CompiledLemmatizer(EnglishLemmatizer):
    """spaCy's English rule lemmatizer, walking the document by columns (module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule":
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        error_handler = self.get_error_handler()
        try:
            self._apply(doc)
            return doc
        except Exception as e:  # as spaCy's lemmatizer reports it
            error_handler(self.name, self, [doc], e)

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

    def _apply(self, doc: Doc) -> None:
        if not len(doc):
            return
        memo = self._memo
        if len(memo) > MEMO_SIZE:
            memo.clear()
        strings = doc.vocab.strings
        overwrite = self.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                token = doc[i]
                text = self.rule_lemmatize(token)[0]
                if not pos:  # no POS: spaCy's warning each time, and no memory of it
                    token.lemma_ = text
                    continue
                found = memo[key] = strings.add(text)
            doc[i].lemma = found


@Language.factory(FACTORY, default_config={"model": None, "mode": "rule", "overwrite": False})
def _make(nlp: Language, name: str, model, mode: str, overwrite: bool) -> CompiledLemmatizer:
    return CompiledLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite)


def compile_lemmatizer(nlp: Language, name: str = "lemmatizer") -> bool:
    """Replace ``nlp``'s English rule lemmatizer ``name`` by a :class:`CompiledLemmatizer` with
    the same tables and settings; True when it was replaced."""
    if name not in nlp.pipe_names:
        return False
    old = nlp.get_pipe(name)
    if type(old) is not EnglishLemmatizer or old.mode != "rule" or old.model is not None:
        return False
    new = nlp.replace_pipe(name, FACTORY, config={"mode": old.mode, "overwrite": old.overwrite})
    new.initialize(lookups=old.lookups)
    return True
