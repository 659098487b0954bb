"""Full-text search over every event: a cheap byte pre-filter, then a normalized match.

The pre-filter finds (with `bytes.find`, in C) the lines holding the query's least common
character in any of its spellings (simplified/traditional, upper/lower case), so only those lines
are decoded and normalized. One read per monthly file, newest month first.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Iterator

import orjson

from assistant.core.history.journal import Journal

#: Characters so common in Chinese chat that they make a poor pre-filter key.
COMMON = set("的了是我你们不在有这个吗呢吧啊好一就人要也都说那会还")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)

Progress = Callable[[int, int], None]


@lru_cache(maxsize=1)
def normalizer() -> Callable[[str], str]:
    """assistant.core.textnorm.normalize when it is there, else NFKC + lower + no punctuation."""
    try:
        from assistant.core.textnorm import normalize

        return normalize
    except ImportError:
        return _fallback_normalize


def _fallback_normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    try:
        import zhconv

        text = zhconv.convert(text, "zh-hans")
    except ImportError:
        pass
    return _PUNCT.sub("", text)


def _spellings(ch: str) -> list[bytes]:
    forms = {ch, ch.upper(), ch.lower()}
    try:
        import zhconv

        forms.add(zhconv.convert(ch, "zh-hant"))
        forms.add(zhconv.convert(ch, "zh-tw"))
    except ImportError:
        pass
    if ch.isascii() or unicodedata.east_asian_width(ch) not in ("W", "F"):
        forms.add(unicodedata.normalize("NFKC", ch))
    return [f.encode("utf-8") for f in forms if len(f) == 1]


def _key_char(query: str) -> str:
    rare = [c for c in query if not c.isascii() and c not in COMMON]
    return (rare or [c for c in query if not c.isascii()] or list(query))[-1]


def _candidate_lines(data: bytes, keys: list[bytes]) -> list[tuple[int, int]]:
    spans: set[tuple[int, int]] = set()
    for key in keys:
        pos = data.find(key)
        while pos >= 0:
            start = data.rfind(b"\n", 0, pos) + 1
            end = data.find(b"\n", pos)
            if end < 0:
                break  # a torn last line is not a record
            spans.add((start, end))
            pos = data.find(key, end)
    return sorted(spans)


def search_events(
    journal: Journal,
    text: str,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Iterator[dict]:
    """Events whose normalized text holds the normalized query; newest month first."""
    normalize = normalizer()
    query = normalize(text)
    if not query:
        return
    keys = _spellings(_key_char(query))
    months = list(reversed(journal.months()))
    total = sum(journal.size(m) for m in months) or 1
    done = 0
    for month in months:
        if cancel and cancel():
            return
        path = journal.path(month)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        for start, end in _candidate_lines(data, keys):
            try:
                record = orjson.loads(data[start:end])
            except orjson.JSONDecodeError:
                continue  # `coach history check` reports bad lines; search skips them
            if isinstance(record, dict) and query in normalize(str(record.get("text", ""))):
                yield record
        done += len(data)
        if progress:
            progress(done, total)
