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
#: Bytes of a journal read at a time.
BLOCK = 8 * 1024 * 1024


@lru_cache(maxsize=1)
def normalizer() -> Callable[[str], str]:
    """assistant.core.language.textnorm.normalize when it is there, else NFKC + lower + no punctuation."""
    try:
        from assistant.core.language.textnorm import normalize

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
    """The raw spellings that normalize to `ch`: itself, upper case, traditional variants."""
    forms = {ch, ch.upper(), ch.lower()}
    forms.update(_traditional(ch))
    return [f.encode("utf-8") for f in forms if len(f) == 1]


def _traditional(ch: str) -> list[str]:
    try:
        from assistant.core.language.textnorm import tables
    except ImportError:
        tables = None
    if tables is not None:  # the cached per-character table: no zhconv import needed
        return [t for t, simple in tables().t2s.items() if simple == ch]
    try:
        import zhconv
    except ImportError:
        return []
    return [zhconv.convert(ch, "zh-hant"), zhconv.convert(ch, "zh-tw")]


def _rarest(spellings: dict[str, list[bytes]], sample: bytes) -> str:
    """The query character seen least in a sample of the newest journal (common words like 银行 lose)."""
    def seen(ch: str) -> tuple[int, bool]:
        return sum(sample.count(b) for b in spellings[ch]), ch in COMMON
    return min(spellings, key=seen)


def _candidate_lines(data: bytes, key: list[bytes], spellings: list[list[bytes]]) -> list[tuple[int, int]]:
    """Whole lines holding the key character and every other query character (any spelling)."""
    spans: set[tuple[int, int]] = set()
    for k in key:
        pos = data.find(k)
        while pos >= 0:
            start = data.rfind(b"\n", 0, pos) + 1
            end = data.find(b"\n", pos)
            if end < 0:
                break  # a torn last line is not a record
            line = data[start:end]
            if all(any(b in line for b in forms) for forms in spellings):
                spans.add((start, end))
            pos = data.find(k, end)
    return sorted(spans)


def _loose_pattern(spellings: dict[str, list[bytes]]) -> re.Pattern:
    """The query's characters in any spelling with anything normalize drops between them."""
    parts = []
    for forms in spellings.values():
        chars = {f.decode("utf-8") for f in forms}
        chars |= {chr(ord(c) + 0xFEE0) for c in chars if "!" <= c <= "~"}  # full-width forms
        parts.append("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")
    return re.compile(r"[\W_]*".join(parts))


def _matches(text: str, query: str, loose: re.Pattern, normalize: Callable[[str], str]) -> bool:
    """Normalizing works character by character and leaves the (normalized) query as it is, so a
    verbatim find proves a match; otherwise normalize only the texts the loose pattern lets through."""
    if query in text:
        return True
    return loose.search(text) is not None and query in normalize(text)


def _sample(journal: Journal, months: list[str], size: int = 1 << 20) -> bytes:
    if not months:
        return b""
    try:
        with open(journal.path(months[0]), "rb") as f:
            return f.read(size)
    except FileNotFoundError:
        return b""


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
    spellings = {ch: _spellings(ch) for ch in dict.fromkeys(query)}
    months = list(reversed(journal.months()))
    sample = _sample(journal, months)
    key = spellings[_rarest(spellings, sample)]
    others = list(spellings.values())
    loose = _loose_pattern(spellings)
    total = sum(journal.size(m) for m in months) or 1
    done = 0
    for month in months:
        for data in _blocks(journal.path(month), BLOCK):
            if cancel and cancel():
                return
            for start, end in _candidate_lines(data, key, others):
                try:
                    record = orjson.loads(data[start:end])
                except orjson.JSONDecodeError:
                    continue  # `coach history check` reports bad lines; search skips them
                if not isinstance(record, dict):
                    continue
                if _matches(str(record.get("text", "")), query, loose, normalize):
                    yield record
            done += len(data)
            if progress:
                progress(done, total)


def _blocks(path, size: int = BLOCK) -> Iterator[bytes]:
    """A journal's whole lines, about `size` bytes at a time (a merged team's month can be 100+ MB:
    read whole it doubled the app's memory). A torn last line is not a record and is not given."""
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return
    with f:
        rest = b""
        while block := f.read(size):
            data = rest + block if rest else block
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            if cut:
                yield data[:cut] if rest else data
