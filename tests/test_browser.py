"""What a person sees: headless Chromium (Debian's chromium + chromium-driver, driven by Selenium)
opens the pages of a running ``newskb serve``. Screenshots go to tests/output/ (not committed).

Skips when Chromium or its driver is missing, unless CI is set: then it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile

import pytest

from helpers import OUTPUT

NKB = "https://w3id.org/newskb/ontology#"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)

try:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:  # pragma: no cover
    webdriver = None

_missing = [what for what, ok in (("chromium", CHROMIUM), ("chromedriver (chromium-driver)", DRIVER),
                                  ("selenium", webdriver)) if not ok]
if _missing:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        raise RuntimeError(f"browser tests need {', '.join(_missing)}; .ci/run installs Debian chromium chromium-driver")
    pytest.skip(f"browser tests need {', '.join(_missing)} (Debian packages chromium, chromium-driver); "
                "they fail instead of skipping when CI=true", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="newskb-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,1200"):
        opts.add_argument(flag)
    drv = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    drv.set_page_load_timeout(30)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _shot(browser, name: str) -> None:
    browser.save_screenshot(str(OUTPUT / f"{name}.png"))


def _no_console_errors(browser) -> None:
    try:
        logs = browser.get_log("browser")
    except Exception:  # some driver versions do not offer the log
        return
    errors = [e for e in logs if e.get("level") == "SEVERE"]
    assert not errors, errors


def test_entity_page(browser, server, view):
    """A person's page shows the name, the type, what they said and their figures."""
    people = sorted((i for i, t in view.types.items() if NKB + "Person" in t),
                    key=lambda i: -len(view.incoming(i)))
    iri = people[0]
    browser.get(server.url + iri[len(view.base) - 1:])  # the IRI itself: 303 to the HTML page
    assert browser.current_url.endswith(".html")
    h1 = browser.find_element(By.TAG_NAME, "h1")
    assert h1.text == view.label(iri)
    assert h1.is_displayed()
    types = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".types .type")]
    assert "person" in [t.lower() for t in types]
    sections = [e.text for e in browser.find_elements(By.TAG_NAME, "h2")]
    assert any(s.startswith("Statements") or s.startswith("Numeric claims") or s.startswith("Referenced by")
               for s in sections), sections
    _shot(browser, "entity-person")
    _no_console_errors(browser)


def test_place_page_has_a_map(browser, server, view):
    place = sorted(i for i in view.coords if "/place/" in i)[0]
    browser.get(server.url + place[len(view.base) - 1:] + ".html")
    svg = browser.find_element(By.CSS_SELECTOR, "svg.map")
    assert svg.size["width"] > 300 and svg.size["height"] > 100
    assert browser.find_elements(By.CSS_SELECTOR, "svg.map circle.place")
    _shot(browser, "entity-place")


def test_article_page(browser, server, view):
    """Metadata and facts, each quoted span highlighted in a short context; no article text."""
    a = max(view.articles, key=lambda a: (a["claims"] or 0) + (a["statements"] or 0))
    browser.get(server.url + a["iri"][len(view.base) - 1:])
    assert browser.find_element(By.TAG_NAME, "h1").text == a["headline"]
    assert "not republished" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    marks = browser.find_elements(By.CSS_SELECTOR, "table.facts q.ctx mark")
    assert len(marks) >= 3
    for q in browser.find_elements(By.CSS_SELECTOR, "q.ctx")[:50]:
        assert len(q.text) <= 130, q.text  # a short window, never a paragraph
    _shot(browser, "article")


def test_claims_page_shows_figures_side_by_side(browser, server):
    browser.get(server.url + "/claims")
    cards = browser.find_elements(By.CSS_SELECTOR, "section.card")
    assert cards, "no disputed figures shown"
    claims = cards[0].find_elements(By.CSS_SELECTOR, ".claim")
    assert len(claims) >= 2
    a, b = claims[0].rect, claims[1].rect
    assert abs(a["y"] - b["y"]) < 2 and b["x"] > a["x"] + a["width"] - 1  # in one row, next to each other
    values = [c.find_element(By.CSS_SELECTOR, ".value").text for c in claims]
    who = [c.find_element(By.CSS_SELECTOR, ".who").text for c in claims]
    assert all(values) and all(who)
    assert len(set(zip(values, who))) >= 2
    _shot(browser, "claims")


def test_map_of_places(browser, server, view):
    browser.get(server.url + "/map")
    dots = browser.find_elements(By.CSS_SELECTOR, "svg.map circle.place")
    kinds = ("Settlement", "Region", "Country", "Area", "WaterBody")
    assert len(dots) == len({i for i in view.coords if any(view.is_a(i, k) for k in kinds)})
    # countries and regions are on the map with the settlements, each with its own mark
    assert browser.find_elements(By.CSS_SELECTOR, "svg.map circle.place.country")
    assert browser.find_elements(By.CSS_SELECTOR, "svg.map circle.place.region")
    assert browser.find_elements(By.CSS_SELECTOR, "svg.map circle.place.settlement")
    land = browser.find_element(By.CSS_SELECTOR, "svg.map path.land")
    assert len(land.get_attribute("d")) > 1000  # country outlines drawn from packaged data
    assert dots[0].is_displayed()
    _shot(browser, "map")


def test_timeline(browser, server):
    browser.get(server.url + "/timeline")
    events = browser.find_elements(By.CSS_SELECTOR, "li.event")
    assert len(events) > 10
    dates = [e.find_element(By.CSS_SELECTOR, ".date").text for e in events if e.find_elements(By.CSS_SELECTOR, ".date")]
    assert dates == sorted(dates)
    _shot(browser, "timeline")


def test_query_page_runs_a_saved_query(browser, server):
    browser.get(server.url + "/query")
    Select(browser.find_element(By.ID, "saved")).select_by_value("places")
    assert "?placeLabel" in browser.find_element(By.ID, "sparql").get_attribute("value")
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 20).until(EC.text_to_be_present_in_element((By.ID, "status"), "done"))
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#results th")]
    assert headers[:2] == ["place", "placeLabel"]
    rows = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    assert len(rows) > 5
    assert "rows" in browser.find_element(By.CSS_SELECTOR, "#results .count").text
    _shot(browser, "query")
    # a malformed query shows the parser's message, not a stack trace
    box = browser.find_element(By.ID, "sparql")
    box.clear()
    box.send_keys("SELECT ?x WHERE {")
    browser.find_element(By.ID, "run").click()
    err = WebDriverWait(browser, 20).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#results .error")))
    assert "malformed SPARQL" in err.text and "Traceback" not in err.text
    _shot(browser, "query-error")


# ---- issue 26: every page kind names what it shows ---------------------------------------------------
_PATH = r"\b(?:person|org|group|force|government|role|kind|place|statement|claim|span|event|article|graph)/[^\s\"“”<>]+"


def _kinds(view) -> dict[str, str]:
    """One IRI of each kind of page a person may land on."""
    def first(sub: str) -> str:
        return sorted(i for i in view.iris if f"/{sub}/" in i)[0]
    ft = "https://w3id.org/newskb/article/2024-10-28-ft-nato-north-korean-troops-kursk"
    return {"person": "https://w3id.org/newskb/person/mark-rutte", "statement": first("statement"),
            "claim": first("claim"), "span": first("span"), "event": first("event"), "kind": first("kind"),
            "country": "https://w3id.org/newskb/place/country/UA", "article-derived-headline": ft,
            "graph": view.base + "graph/2024-10-28-ft-nato-north-korean-troops-kursk"}


def _raw_paths(text: str, view) -> list[str]:
    """The IRI paths in a page's visible text that stand for a resource with a label."""
    from urllib.parse import unquote

    labelled = {unquote(i[len(view.base):]) for i in view.iris if i in view.labels}
    return [p for p in re.findall(_PATH, text) if p.rstrip(".,;:)") in labelled]


def test_every_page_kind_shows_labels_not_iri_paths(browser, server, view):
    pages = {**{k: iri[len(view.base) - 1:] + ".html" for k, iri in _kinds(view).items()},
             "home": "/", "entities": "/entities", "claims": "/claims", "timeline": "/timeline", "map": "/map",
             "ontology": "/ontology.html"}
    try:
        browser.get_log("browser")  # forget what earlier tests logged (the malformed query's 400)
    except Exception:
        pass
    for name, path in pages.items():
        browser.get(server.url + path)
        body = browser.find_element(By.TAG_NAME, "body").text
        title = browser.title
        _shot(browser, f"kind-{name}")
        assert not _raw_paths(title, view), (name, title)
        for h1 in browser.find_elements(By.TAG_NAME, "h1"):
            assert not _raw_paths(h1.text, view), (name, h1.text)
        # an IRI may be shown once in its <code> line; the rest of the page speaks in labels
        code = " ".join(c.text for c in browser.find_elements(By.CSS_SELECTOR, "p.iri code"))
        assert not _raw_paths(body.replace(code, ""), view), (name, _raw_paths(body.replace(code, ""), view)[:3])
        assert "is contains of" not in body and "is stated in of" not in body
        assert "e+0" not in body, name
    _no_console_errors(browser)


def test_query_results_show_labels_in_readable_columns(browser, server, view):
    browser.get(server.url + "/query")
    box = browser.find_element(By.ID, "sparql")
    box.clear()
    box.send_keys("PREFIX nkb: <https://w3id.org/newskb/ontology#> "
                  "SELECT ?statement ?speaker ?article WHERE { ?statement nkb:speaker ?speaker ; "
                  "nkb:sourceArticle ?article } ORDER BY ?statement LIMIT 30")
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 20).until(EC.text_to_be_present_in_element((By.ID, "status"), "done"))
    WebDriverWait(browser, 20).until(lambda b: not any(
        a.text.startswith("https://") for a in b.find_elements(By.CSS_SELECTOR, "#results td a")))
    links = browser.find_elements(By.CSS_SELECTOR, "#results td a")
    assert len(links) == 90 and all(a.get_attribute("title").startswith("https://") for a in links)
    for a in links:  # each shown by its label (the browser collapses the label's spaces)
        assert a.text == " ".join(view.label(a.get_attribute("title")).split()), a.get_attribute("title")
    for td in browser.find_elements(By.CSS_SELECTOR, "#results tbody td")[:30]:
        assert td.size["width"] >= 80, td.text  # never a column one letter wide
    _shot(browser, "query-labels")


def test_map_labels_neither_overlap_nor_leave_the_map(browser, server):
    browser.get(server.url + "/map")
    svg = browser.find_element(By.CSS_SELECTOR, "svg.map")
    frame = svg.rect
    boxes = [t.rect for t in browser.find_elements(By.CSS_SELECTOR, "svg.map text.pl")]
    assert len(boxes) > 10
    for i, a in enumerate(boxes):
        assert a["x"] >= frame["x"] - 1 and a["x"] + a["width"] <= frame["x"] + frame["width"] + 1, a
        for b in boxes[:i]:
            apart = (a["x"] + a["width"] <= b["x"] + 1 or b["x"] + b["width"] <= a["x"] + 1
                     or a["y"] + a["height"] <= b["y"] + 1 or b["y"] + b["height"] <= a["y"] + 1)
            assert apart, (a, b)
    _shot(browser, "map-labels")
