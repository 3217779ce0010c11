"""Article input: front matter field by field, furniture, contributors, HTML, bad files."""

from __future__ import annotations

import pytest

from newskb.article import ArticleError, parse_text, read_article

from helpers import CORPUS, SEED


def test_seed_metadata_and_furniture():
    art = read_article(SEED)
    assert art.meta.publisher == "Financial Times"
    assert art.meta.date == "2024-10-28"
    assert art.body.startswith("Unlock")  # offsets are into the body after the front matter
    furniture = [art.body[a:b] for a, b in art.furniture]
    assert any(f.startswith("Read the full article") for f in furniture)
    assert any("newsletter" in f for f in furniture)
    assert [(c.name, c.location, c.role) for c in art.meta.contributors] == [
        ("Felicia Schwartz", "Washington", "additional-reporting")]


def test_every_corpus_article_reads_with_field_by_field_warnings():
    for path in sorted(CORPUS.iterdir()):
        art = read_article(path)
        assert art.body.strip()
        assert art.meta.date, path  # every corpus article has a valid date
        for w in art.warnings:  # malformed urls are dropped with a warning, never kept
            assert "ignored" in w or "unresolved" in w
        assert art.meta.url is None or art.meta.url.startswith("http")


def test_malformed_fields_are_dropped_one_by_one():
    text = ("---\ntitle: War: a headline with a colon\npublisher: Example News\ndate: yesterday\n"
            "url: unknown (not recorded)\nlanguage: en\n---\nBody text here.\n")
    art = parse_text(text)
    assert art.meta.title == "War: a headline with a colon"
    assert art.meta.publisher == "Example News"
    assert art.meta.date is None and art.meta.url is None
    assert art.meta.language == "en"
    joined = " | ".join(art.warnings)
    assert "date" in joined and "url" in joined and "relative dates" in joined
    assert art.body == "Body text here.\n"


def test_no_front_matter_and_reporting_credits():
    art = parse_text("A plain body.\nReporting by Jane Roe; Editing by John Doe\n")
    assert art.meta.date is None
    assert [(c.name, c.role) for c in art.meta.contributors] == [("Jane Roe", "author"), ("John Doe", "editing")]
    assert len(art.furniture) == 1


def test_html_page_through_trafilatura(tmp_path):
    page = tmp_path / "page.html"
    para = "The minister said on Monday that talks would resume in Geneva next week. " * 4
    page.write_text(f"""<!doctype html><html><head><title>Talks to resume</title>
<meta property="og:site_name" content="Example Times"><meta name="date" content="2024-05-06">
<script>alert('x')</script></head><body><nav>Home | World</nav><article><h1>Talks to resume</h1>
<p>{para}</p><p>{para}</p></article><footer>Subscribe to our newsletter</footer></body></html>""")
    art = read_article(page)
    assert art.meta.format == "html"
    assert "talks would resume" in art.body
    assert "alert" not in art.body
    assert art.meta.date == "2024-05-06"


@pytest.mark.parametrize("content,message", [
    (b"", "empty file"),
    (b"\x00\x01binary", "binary"),
    (b"caf\xe9 au lait", "not UTF-8"),
    (b"---\ntitle: x\n---\n", "no article body"),
])
def test_bad_files_give_one_line_errors(tmp_path, content, message):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(ArticleError) as exc:
        read_article(f)
    assert message in str(exc.value) and str(f) in str(exc.value)
    assert "\n" not in str(exc.value)


def test_credit_and_contributor_lines_are_furniture():
    """Credit lines in parentheses and contributor lines are furniture (where the reporters were
    is no place the article names); a body paragraph that mentions reporting is not."""
    text = ("Fighting went on near the river on Sunday, officials said.\n\n"
            "(Writing and additional reporting by Ann Cole in Lisbon and Tom Reyes in Oslo; Editing by Sue Park)\n\n"
            "(Additional reporting Jan Novak in Prague; Writing by Lee Kim)\n\n"
            "Morales reported from Quito, Ecuador. Ida Berg in Madrid and the agency's staff contributed.\n\n"
            "Pia Lund in Vienna contributed to this report.\n\n"
            "A correspondent reports from Lisbon that the talks \"went well\", he said.\n")
    art = parse_text(text)
    furniture = [art.body[a:b] for a, b in art.furniture]
    assert [f[:12] for f in furniture] == ["(Writing and", "(Additional ", "Morales repo", "Pia Lund in "]
