"""The build's own state files (``store/STATE.json``, ``INPUTS.json``, ``DUMPS.json``, the spare
folder's record): compact JSON written and read with orjson.

At 10,000 articles these files hold 10,000 entries each and are read and written on every
build, where orjson writes them many times faster than the standard library (decision D11).
Published files (the manifest, the dumps) are not written here: their layout is the
standard encoder's. A value orjson cannot take (a file name that is not valid UTF-8, whose
``str`` holds lone surrogates) falls back to the standard library, which escapes it."""

from __future__ import annotations

import json

import orjson


def dumps(obj: object, *, sort_keys: bool = False) -> bytes:
    try:
        return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS if sort_keys else 0)
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(obj, sort_keys=sort_keys, separators=(",", ":")).encode("ascii")


def loads(data: bytes) -> object:
    """Raises ``ValueError`` for anything that is not JSON (as :func:`json.loads`)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:  # e.g. an escaped lone surrogate, which only json reads back
        return json.loads(data)
