"""What ``newskb serve`` computes in a background process when it starts on a version of a KB
it has not seen: the site's statistics and the saved queries' answers, kept in the KB's answer
cache (:mod:`newskb.answers`) for this start and the next ones."""

from __future__ import annotations

import sys
import time

from ..answers import AnswerCache
from .kbview import KBView


def fill(kb_dir: str, version: str) -> None:  # pragma: no cover - runs in a child process
    t = time.perf_counter()
    cache = AnswerCache(kb_dir, version=version)
    kb = KBView(kb_dir, answers=cache)
    kb.stats  # noqa: B018 - computed and kept in the cache
    done = cache.fill(kb.store)
    print(f"newskb: the answers of {len(done)} saved queries and the site's statistics are cached "
          f"({time.perf_counter() - t:.1f} s)", file=sys.stderr, flush=True)
