"""Shared state of one extraction run: registries that the extraction steps fill in order.

Steps (``pipeline.extract``) run in this order, each reading what earlier ones left here:
places → actors → statements (with speakers and dates) → numeric claims → events.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..article import Article
from ..labels import derived_headline
from ..facts import (ArticleMeta, Event, FactsDocument, NumericClaim, Span,
                     Statement, StepFailure)


_LAST_TEXT: list = [None, ""]  # (doc, its text): the text of the document being extracted


def doc_text(doc) -> str:
    """``doc.text``, made once per document (spaCy joins every token's text on each access)."""
    if _LAST_TEXT[0] is not doc:
        _LAST_TEXT[0], _LAST_TEXT[1] = doc, doc.text
    return _LAST_TEXT[1]


def remember_text(doc, text: str) -> None:
    """Tell :func:`doc_text` that ``doc`` was parsed from ``text`` (spaCy keeps every character:
    ``doc.text == text``), so that it need not join the tokens again; checked on the ends."""
    if len(doc) and doc[0].idx == 0 and doc[-1].idx + len(doc[-1].text_with_ws) == len(text) \
            and text.startswith(doc[0].text) and text.endswith(doc[-1].text_with_ws):
        _LAST_TEXT[0], _LAST_TEXT[1] = doc, text


def make_span(body: str, start: int, end: int) -> Span:
    """A span whose text is exactly ``body[start:end]``."""
    return Span(start=start, end=end, text=body[start:end])


@dataclass
class Registry:
    """Items with local ids (``prefix`` + n) that are looked up by global key."""

    prefix: str
    items: list[Any] = field(default_factory=list)
    by_key: dict[str, Any] = field(default_factory=dict)
    by_id: dict[str, Any] = field(default_factory=dict)

    def next_id(self) -> str:
        """One more than the last item's number (equal to ``len + 1`` while no item was
        discarded from the middle)."""
        if not self.items:
            return f"{self.prefix}1"
        return f"{self.prefix}{int(self.items[-1].id[len(self.prefix):]) + 1}"

    def discard(self, ids: set[str]) -> None:
        """Forget the items with these ids (their ids are not reused)."""
        for item in [x for x in self.items if x.id in ids]:
            self.by_id.pop(item.id, None)
            key = getattr(item, "key", None)
            if key is not None and self.by_key.get(key) is item:
                del self.by_key[key]
        self.items[:] = [x for x in self.items if x.id not in ids]

    def get(self, key: str):
        return self.by_key.get(key)

    def truncate(self, n: int) -> None:
        """Forget every item added after the first ``n``."""
        for item in self.items[n:]:
            self.by_id.pop(item.id, None)
            key = getattr(item, "key", None)
            if key is not None and self.by_key.get(key) is item:
                del self.by_key[key]
        del self.items[n:]

    def add(self, item) -> Any:
        """Add ``item`` (whose ``id`` was taken from :meth:`next_id`) unless its key exists;
        return the registered item. Mentions of a duplicate are merged into the first."""
        key = getattr(item, "key", None)
        if key is not None and key in self.by_key:
            old = self.by_key[key]
            for m in getattr(item, "mentions", []) or []:
                if all((m.start, m.end) != (o.start, o.end) for o in old.mentions):
                    old.mentions.append(m)
            return old
        self.items.append(item)
        self.by_id[item.id] = item
        if key is not None:
            self.by_key[key] = item
        return item


@dataclass
class ExtractionContext:
    article: Article
    doc: Any  # spacy.tokens.Doc
    places: Registry = field(default_factory=lambda: Registry("P"))
    entities: Registry = field(default_factory=lambda: Registry("E"))
    statements: list[Statement] = field(default_factory=list)
    claims: list[NumericClaim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # place id for each mention (start, end) of a place in the body
    place_mentions: dict[tuple[int, int], str] = field(default_factory=dict)
    # entity id for each mention (start, end) of an actor in the body
    entity_mentions: dict[tuple[int, int], str] = field(default_factory=dict)
    # extraction steps that raised on a stretch of the body (what they added there was dropped)
    failures: list[StepFailure] = field(default_factory=list)
    # the article's country once the places are known (roles.article_country), computed once
    setting: str | None = field(default=None, init=False)
    _setting_known: bool = field(default=False, init=False, repr=False)

    @contextmanager
    def isolate(self, step: str, start: int, end: int) -> Iterator[None]:
        """Run one step's work on one stretch of the body (a sentence, or the whole body as a last
        resort). An exception inside is a bug in a rule, not in the article: what the work added
        to the registries and lists is dropped, the failure is recorded (``failures`` and a note
        with the step, the exception and the offsets), and extraction goes on with the rest."""
        mark = (len(self.places.items), len(self.entities.items), len(self.statements), len(self.claims),
                len(self.events), len(self.place_mentions), len(self.entity_mentions))
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - any bug in a rule; the article must not be lost
            self.places.truncate(mark[0])
            self.entities.truncate(mark[1])
            del self.statements[mark[2]:], self.claims[mark[3]:], self.events[mark[4]:]
            for table, n in ((self.place_mentions, mark[5]), (self.entity_mentions, mark[6])):
                for k in list(table)[n:]:
                    del table[k]
            failure = StepFailure(step=step, error=f"{type(exc).__name__}: {exc}"[:300], start=start, end=end)
            self.failures.append(failure)
            self.notes.append(f"extraction step {step!r} failed on {start}-{end} ({failure.error}); "
                              "what it found there was dropped")

    @cached_property
    def ents(self) -> tuple:
        """The model's entities, built once (``doc.ents`` makes new spans on every access)."""
        return tuple(self.doc.ents)

    @cached_property
    def ent_words(self) -> tuple:
        """(label, text, words) of each entity of :attr:`ents`, built once (``Span.text`` and
        ``label_`` make new strings on every access)."""
        return tuple((e.label_, e.text, tuple(e.text.split())) for e in self.ents)

    @cached_property
    def sents(self) -> tuple:
        """The sentences, built once (``doc.sents`` walks every token on every access)."""
        return tuple(self.doc.sents)

    def ents_in(self, span) -> list:
        """``span.ents`` (the entities that fall completely within ``span``, in order), taken from
        :attr:`ents` instead of rebuilding every entity of the document as spaCy's ``Span.ents``
        does on each call; the same test on token positions."""
        start, end = span.start, span.end
        out = []
        for ent in self.ents[bisect_left(self._ent_starts, start):]:
            if ent.end > end:
                break
            out.append(ent)
        return out

    @cached_property
    def _ent_starts(self) -> list[int]:
        return [e.start for e in self.ents]

    @cached_property
    def _ent_start_chars(self) -> list[int]:
        return [e.start_char for e in self.ents]

    def ent_starting_at_or_before(self, off: int) -> int:
        """Index in :attr:`ents` of the last entity that starts at or before character ``off``
        (-1 when none does)."""
        return bisect_right(self._ent_start_chars, off) - 1

    @cached_property
    def tokens(self) -> tuple:
        """Every token of the document, made once (``doc[i]`` and ``for t in doc`` make a new
        Token object each time)."""
        return tuple(self.doc)

    @cached_property
    def _token_starts(self) -> list[int]:
        return [t.idx for t in self.tokens]

    def tokens_starting_in(self, lo: int, hi: int) -> tuple:
        """The tokens whose first character is in ``[lo, hi)``, in order."""
        starts = self._token_starts
        return self.tokens[bisect_left(starts, lo):bisect_left(starts, hi)]

    @cached_property
    def _sent_starts(self) -> list[int]:
        return [s.start_char for s in self.sents]

    def sent_at(self, off: int):
        """The sentence holding the character ``off``, or None."""
        i = bisect_right(self._sent_starts, off) - 1
        if i >= 0 and self.sents[i].start_char <= off < self.sents[i].end_char:
            return self.sents[i]
        return None

    @property
    def body(self) -> str:
        return self.article.body

    def span(self, start: int, end: int) -> Span:
        return make_span(self.article.body, start, end)

    def first_sentence(self) -> str | None:
        """The body's first sentence outside page furniture, cut at the end of its line."""
        body, pos = self.body, 0
        while pos < len(body):
            end = body.find("\n", pos)
            end = len(body) if end < 0 else end
            line = body[pos:end]
            if line.strip() and not self.article.is_furniture(pos, end):
                start = pos + len(line) - len(line.lstrip())
                sent = self.sent_at(start)
                stop = min(sent.end_char, end) if sent is not None else end
                return body[start:stop].strip() or None
            pos = end + 1
        return None

    def to_document(self, extractor: str) -> FactsDocument:
        meta: ArticleMeta = self.article.meta
        if not meta.title and meta.derived_title is None:
            first = self.first_sentence()
            if first:
                meta = meta.model_copy(update={"derived_title": derived_headline(first)})
        return FactsDocument(
            extractor=extractor,
            article=meta,
            entities=list(self.entities.items),
            places=list(self.places.items),
            statements=sorted(self.statements, key=lambda s: (s.span.start, s.span.end)),
            claims=sorted(self.claims, key=lambda c: (c.span.start, c.span.end, c.unit)),
            events=sorted(self.events, key=lambda e: (e.span.start, e.span.end, e.type)),
            notes=self.notes,
            failures=self.failures,
        )
