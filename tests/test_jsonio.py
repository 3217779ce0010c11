"""The build's state files: orjson, with the standard library for what orjson cannot take."""

from __future__ import annotations

import json
import os

from newskb import jsonio


def test_state_round_trips_and_is_compact_sorted_json():
    state = {"graphs": {"https://x.example/g/b": "2" * 64, "https://x.example/g/a": "1" * 64},
             "version": 3, "ino": 2**63 - 1, "compacted": True, "inferred": None}
    data = jsonio.dumps(state, sort_keys=True)
    assert jsonio.loads(data) == state == json.loads(data)
    assert data == json.dumps(state, sort_keys=True, separators=(",", ":")).encode()


def test_a_file_name_that_is_not_utf8_survives_the_index():
    name = os.fsdecode(b"/corpus/caf\xe9.txt")  # a Latin-1 name: its str holds a lone surrogate
    index = {name: [12, 1_700_000_000_000_000_000, 42, "ab" * 32]}
    data = jsonio.dumps(index)
    assert jsonio.loads(data) == index
    assert next(iter(jsonio.loads(data))).encode("utf-8", "surrogateescape") == b"/corpus/caf\xe9.txt"
