"""The model's attribute ruler, compiled: the same rules giving the same annotations, at a
fraction of the cost.

spaCy's :class:`~spacy.pipeline.AttributeRuler` (the ``attribute_ruler`` of ``en_core_web_sm``:
179 rules that set POS, MORPH and LEMMA from the tagger's tags, the words and the dependency
labels) runs every rule through the general token :class:`~spacy.matcher.Matcher`, one state
machine per rule and token. It took 13 % of the model's time here (24 ms of 190 ms per article),
more than the tagger and the lemmatizer together, for what is mostly a lookup by tag or word.

:class:`CompiledAttributeRuler` keeps spaCy's ruler (its rules, their normalised attributes,
its serialisation and scorer) and only replaces how it finds matches: each rule's first token
is indexed by the word or the tag it requires, so a token looks at the few rules that can
match it. The effect is spaCy's, step for step:

- every rule is matched against the tokens as they come in (no rule sees another's changes);
- a token's matched rules are applied in the order the rules were added (later ones win),
  through spaCy's own :func:`set_token_attrs`.

Only the pattern language the model uses is compiled: fixed-length patterns over ``ORTH``,
``LOWER``, ``NORM``, ``TAG``, ``POS``, ``DEP``, ``LEMMA`` and the ``IS_*`` flags, with exact
values, ``IN``, ``NOT_IN`` and ``REGEX``. A ruler using anything else (an ``OP``, a comparison,
``FUZZY``, an extension attribute) is left as spaCy built it. ``tests/test_compiled_pipes.py`` checks
the annotations against spaCy's ruler on every corpus article and on random token sequences
over every word, tag and label the rules name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.attrs import IDS
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

FACTORY = "newskb_compiled_attribute_ruler"

_STRING_ATTRS = frozenset({"ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA"})
_FLAG_ATTRS = frozenset(k for k in IDS if k.startswith("IS_") and k != "IS_SENT_START")
_EQ, _IN, _NOT_IN, _REGEX = range(4)


class Unsupported(ValueError):
    """A rule uses a part of spaCy's pattern language that is not compiled here."""


def _token_predicates(spec: dict, strings) -> list[tuple[int, int, object]]:
    """``(attribute id, kind, value)`` for one token of a pattern, as spaCy's Matcher reads it."""
    if not isinstance(spec, dict):
        raise Unsupported(f"token pattern {spec!r}")
    preds = []
    for key, value in spec.items():
        name = key.upper() if isinstance(key, str) else None
        name = "ORTH" if name == "TEXT" else name
        if name in _STRING_ATTRS:
            if isinstance(value, str):
                preds.append((IDS[name], _EQ, strings.add(value)))  # as the Matcher hashes it
                continue
            if isinstance(value, dict) and value:
                for op, arg in value.items():
                    op = op.upper() if isinstance(op, str) else op
                    if op == "REGEX" and isinstance(arg, str):
                        preds.append((IDS[name], _REGEX, re.compile(arg)))
                    elif op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
                        preds.append((IDS[name], _IN if op == "IN" else _NOT_IN,
                                      frozenset(get_string_id(v) for v in arg)))
                    else:
                        raise Unsupported(f"{name}: {op!r}")
                continue
        elif name in _FLAG_ATTRS and isinstance(value, bool):
            preds.append((IDS[name], _EQ, int(value)))
            continue
        raise Unsupported(f"{key!r}: {value!r}")
    return preds


class CompiledAttributeRuler(AttributeRuler):
    """spaCy's attribute ruler whose matching is compiled (see the module's docstring). Until
    :meth:`compile` succeeds, it runs as spaCy's own."""

    _compiled: tuple | None = None
    _keep_compiled = False  # compile() succeeded once: rules added or cleared later are compiled too

    def add(self, patterns, attrs: dict, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        if self._keep_compiled:
            self.compile()

    def clear(self) -> None:
        super().clear()
        if self._keep_compiled:
            self.compile()

    def compile(self) -> bool:
        """Compile the rules added so far; False (and spaCy's matching kept) when a rule uses
        what is not compiled."""
        self._compiled = None
        self._keep_compiled = False
        strings = self.vocab.strings
        patterns = []  # (rule, [predicates per token], target offset)
        try:
            for rule, p in enumerate(self.patterns):
                if "_" in p["attrs"]:
                    raise Unsupported("extension attributes")
                for pattern in p["patterns"]:
                    if not isinstance(pattern, list) or not pattern:
                        raise Unsupported(f"pattern {pattern!r}")
                    if any(isinstance(tok, dict) and any(str(k).upper() == "OP" for k in tok) for tok in pattern):
                        raise Unsupported("OP")
                    index = p.get("index", 0)
                    target = index if index >= 0 else len(pattern) + index
                    if not 0 <= target < len(pattern):
                        raise Unsupported(f"index {index} outside a pattern of {len(pattern)} tokens")
                    patterns.append((rule, [_token_predicates(tok, strings) for tok in pattern], target))
        except Unsupported:
            return False
        columns = sorted({a for _, toks, _ in patterns for preds in toks for a, _, _ in preds}) or [IDS["ORTH"]]
        col = {a: i for i, a in enumerate(columns)}
        self._compiled = (columns, _index([p for p in patterns if len(p[1]) == 1], col),
                          _index([p for p in patterns if len(p[1]) > 1], col))
        self._single: dict[tuple[int, ...], tuple[int, ...]] = {}  # a token's values -> its one-token rules
        self._merged: dict[tuple[int, ...], dict] = {}
        self._regex_hits: dict[tuple[int, int], bool] = {}
        self._keep_compiled = True
        return True

    def __call__(self, doc: Doc) -> Doc:
        if self._compiled is None:
            return super().__call__(doc)
        error_handler = self.get_error_handler()
        try:
            self._apply(doc)
            return doc
        except Exception as e:  # as spaCy's ruler reports it
            return error_handler(self.name, self, [doc], e)

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

    def _apply(self, doc: Doc) -> None:
        columns, single, multi = self._compiled
        rows = doc.to_array(columns).reshape(len(doc), len(columns)).tolist() if len(doc) else []  # 1-D for one column
        n = len(rows)
        strings = doc.vocab.strings
        regex_hits = self._regex_hits
        # one-token rules depend on the token's own values only: found once per distinct token
        cache = self._single
        if len(cache) > SINGLE_CACHE:
            cache.clear()
        if len(regex_hits) > SINGLE_CACHE:  # (expression, word) -> it matches
            regex_hits.clear()
        found: list[tuple[int, ...]] = []
        for i, row in enumerate(rows):
            key = tuple(row)
            rules = cache.get(key)
            if rules is None:
                hits: dict[int, set[int]] = {}
                _find(single, rows, i, n, hits, strings, regex_hits)
                rules = cache[key] = tuple(sorted(hits.get(i, ())))
            found.append(rules)
        # rules over several tokens
        more: dict[int, set[int]] = {}
        if multi[0] or multi[1]:
            for i in range(n):
                _find(multi, rows, i, n, more, strings, regex_hits)
        merged = self._merged
        attrs = self.attrs
        for i, rules in enumerate(found):
            if i in more:
                rules = tuple(sorted(more[i].union(rules)))
            if not rules:
                continue
            m = merged.get(rules)
            if m is None:
                m = {}
                for rule in rules:  # in the order the rules were added: later ones win
                    m.update(attrs[rule])
                merged[rules] = m
            set_token_attrs(doc[i], m)


SINGLE_CACHE = 50_000  # distinct tokens (tag, word, label, ...) remembered (about 14 MB); then forgotten at once


def _index(patterns: list[tuple], col: dict[int, int]) -> tuple[tuple, tuple]:
    """``patterns`` under the most selective test of their first token (a word, else a tag, else
    none): ((column, {value: patterns}), ...) and the patterns under none."""
    order = [IDS[n] for n in ("ORTH", "LOWER", "NORM", "LEMMA", "TAG", "POS", "DEP")]
    buckets: dict[int, dict[int, list]] = {}
    free = []
    for rule, toks, target in patterns:
        compiled = (rule, tuple(tuple((col[a], kind, v) for a, kind, v in preds) for preds in toks), target)
        keyed = [(order.index(a), a, kind, v) for a, kind, v in toks[0] if a in order and kind in (_EQ, _IN)]
        if not keyed:
            free.append(compiled)
            continue
        _, a, kind, v = min(keyed, key=lambda k: k[0])
        table = buckets.setdefault(col[a], {})
        for value in ((v,) if kind == _EQ else sorted(v)):
            table.setdefault(value, []).append(compiled)
    return tuple((c, {k: tuple(v) for k, v in t.items()}) for c, t in sorted(buckets.items())), tuple(free)


def _find(index: tuple, rows: list, i: int, n: int, hits: dict, strings, regex_hits: dict) -> None:
    """Record in ``hits`` (target token -> rules) the patterns of ``index`` matching at token ``i``."""
    buckets, free = index
    row = rows[i]
    for c, table in buckets:
        cands = table.get(row[c])
        if cands:
            _try(cands, rows, i, n, hits, strings, regex_hits)
    if free:
        _try(free, rows, i, n, hits, strings, regex_hits)


def _try(cands, rows, i, n, hits, strings, regex_hits) -> None:
    for rule, toks, target in cands:
        if i + len(toks) > n:
            continue
        for j, preds in enumerate(toks):
            row = rows[i + j]
            for c, kind, v in preds:
                x = row[c]
                if kind == _EQ:
                    if x != v:
                        break
                elif kind == _IN:
                    if x not in v:
                        break
                elif kind == _NOT_IN:
                    if x in v:
                        break
                else:
                    key = (v.pattern, x)
                    ok = regex_hits.get(key)
                    if ok is None:
                        ok = regex_hits[key] = bool(v.search(strings[x]))
                    if not ok:
                        break
            else:
                continue
            break
        else:
            hits.setdefault(i + target, set()).add(rule)


@Language.factory(FACTORY, default_config={"validate": False})
def _make(nlp: Language, name: str, validate: bool) -> CompiledAttributeRuler:
    return CompiledAttributeRuler(nlp.vocab, name, validate=validate)


def compile_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Replace ``nlp``'s spaCy attribute ruler ``name`` by a :class:`CompiledAttributeRuler` of
    the same rules, when every rule can be compiled; True when it was replaced."""
    if name not in nlp.pipe_names:
        return False
    old = nlp.get_pipe(name)
    if isinstance(old, CompiledAttributeRuler) or type(old) is not AttributeRuler:
        return False
    probe = CompiledAttributeRuler(nlp.vocab, name)
    probe.add_patterns(old.patterns)
    if not probe.compile():
        return False
    new = nlp.replace_pipe(name, FACTORY)
    new.add_patterns(old.patterns)
    new.compile()
    return True
