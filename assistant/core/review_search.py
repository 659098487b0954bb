"""Search every transcript for the review screen: the history's search_events (byte pre-filter,
normalized match: case, width, 繁/简, punctuation), several words all required, the spans of
the original text to highlight, and the current session filter applied to the hits. A second,
fuzzy pass (the matcher's search_texts: typos, homophones, words in any order) reads the newest
lines under the filter, since it is too slow for a whole year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from assistant.core.history.filters import SessionFilter
from assistant.core.textnorm import normalize, normalize_with_map, spans_from_positions

#: Hits kept for one search (the list is for reading, not for export).
LIMIT = 200
#: Lines the fuzzy pass reads (newest sessions under the filter first): ~0.3 s here.
FUZZY_LINES = 2500
#: Event types that hold no words a person said.
NOT_SAID = ("step", "end", "score")


@dataclass
class Hit:
    """One event whose text holds every word of the query; spans index the original text."""

    event: dict
    session: dict
    spans: list[tuple[int, int]]
    #: Found by the fuzzy pass (a typo or homophone of the query), not word for word.
    fuzzy: bool = False


def terms(query: str) -> list[str]:
    """The normalized words of a query (split on spaces), longest first, without empties."""
    words = [normalize(w) for w in query.split()]
    return sorted(dict.fromkeys(w for w in words if w), key=len, reverse=True)  # stable: same length keeps order


def highlight_spans(text: str, words: list[str]) -> list[tuple[int, int]] | None:
    """Ranges of `text` covering each word's occurrences; None if a word is missing."""
    norm, index = normalize_with_map(text)
    positions: list[int] = []
    for word in words:
        start = norm.find(word)
        if start < 0:
            return None
        while start >= 0:
            positions.extend(range(start, start + len(word)))
            start = norm.find(word, start + len(word))
    return spans_from_positions(positions, index)


def search(history: Any, query: str, f: SessionFilter | None = None,
           progress: Callable[[int, int], None] | None = None, cancel: Callable[[], bool] | None = None,
           limit: int = LIMIT) -> list[Hit]:
    """Events holding every word of `query`, newest month first, in sessions matching `f`."""
    words = terms(query)
    if not words:
        return []
    f = f or SessionFilter()
    hits: list[Hit] = []
    for event in history.search_events(words[0], progress=progress, cancel=cancel):
        session = history.session(event.get("session_id") or "")
        if session is None or not f.matches(session):
            continue
        spans = highlight_spans(str(event.get("text") or ""), words)
        if spans is not None:
            hits.append(Hit(event, session, spans))
            if len(hits) >= limit:
                break
    hits.sort(key=lambda h: str(h.event.get("time") or ""), reverse=True)  # a month's file reads oldest first
    return hits


def fuzzy_search(history: Any, query: str, f: SessionFilter | None = None, found: list[Hit] = (),
                 limit: int = LIMIT, lines: int = FUZZY_LINES) -> list[Hit]:
    """Lines of the newest sessions under `f` that hold most of `query` with typos or homophones,
    best first, leaving out those already `found` word for word."""
    from assistant.core.matcher import search_texts

    seen = {(h.session["id"], h.event.get("seq")) for h in found}
    pool: list[tuple[dict, dict]] = []
    offset = 0
    while len(pool) < lines:
        sessions = history.query_sessions(f, "-started", offset, 50)[0]
        if not sessions:
            break
        offset += len(sessions)
        pool += [(s, e) for s in sessions for e in history.events(s["id"])
                 if e.get("text") and e.get("type") not in NOT_SAID and (s["id"], e.get("seq")) not in seen]
    matched = search_texts(query, [str(e["text"]) for _, e in pool[:lines]], cutoff=70, top=limit)
    return [Hit(pool[m.index][1], pool[m.index][0], list(m.spans), fuzzy=True) for m in matched]
