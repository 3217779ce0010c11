"""The manifest is rewritten from the previous one's lines: byte for byte what encoding it anew gives."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from newskb.kbfolder import article_lines, manifest_bytes

ids = st.text(alphabet="abz09-_.é\"\\ ", min_size=1, max_size=8)
entries = st.fixed_dictionaries({"graph": st.text(max_size=6), "triples": st.integers(0, 99),
                                 "warnings": st.lists(st.text(max_size=4), max_size=2)})
articles = st.dictionaries(ids, entries, min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(before=articles, after=articles, kept=st.data())
def test_lines_of_the_previous_manifest_give_the_same_bytes(before, after, kept):
    # some articles unchanged (the very same entry objects, as a build passes them), others new or changed
    keep = kept.draw(st.lists(st.sampled_from(sorted(before)), unique=True))
    new = {**after, **{aid: before[aid] for aid in keep}}
    old_doc = {"base": "https://x.example/", "articles": before}
    raw = manifest_bytes(old_doc)
    assert json.loads(raw) == old_doc
    lines = article_lines(raw.decode(), json.loads(raw)["articles"])
    assert sorted(lines) == sorted(before)
    doc = {"base": "https://x.example/", "articles": new}
    assert manifest_bytes(doc, lines) == manifest_bytes(doc)


def test_a_manifest_in_another_layout_gives_no_lines():
    doc = {"articles": {"a": {"graph": "g"}, "b": {"graph": "h"}}}
    assert article_lines(json.dumps(doc, indent=2), doc["articles"]) == {}
    raw = manifest_bytes(doc).decode().replace('"b": {', '"c": {')  # a line under the wrong key
    assert article_lines(raw, doc["articles"]) == {}
