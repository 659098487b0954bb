"""Search every transcript for the review screen: the history's search_events (byte pre-filter,
normalized match: case, width, 繁/简, punctuation), several words all required, the spans of
the original text to highlight, and the current session filter applied to the hits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from assistant.core.history.filters import SessionFilter
from assistant.core.textnorm import normalize, normalize_with_map, spans_from_positions

#: Hits kept for one search (the list is for reading, not for export).
LIMIT = 200


@dataclass
class Hit:
    """One event whose text holds every word of the query; spans index the original text."""

    event: dict
    session: dict
    spans: list[tuple[int, int]]


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
           limit: int = LIMIT, lookup: Callable[[str], dict | None] | None = None) -> list[Hit]:
    """Events holding every word of `query`, newest month first, in sessions matching `f`.

    `lookup` finds a session by id (default history.session; a UI passes one that takes its lock).
    """
    lookup = lookup or history.session
    words = terms(query)
    if not words:
        return []
    f = f or SessionFilter()
    hits: list[Hit] = []
    for event in history.search_events(words[0], progress=progress, cancel=cancel):
        session = lookup(event.get("session_id") or "")
        if session is None or not f.matches(session):
            continue
        spans = highlight_spans(str(event.get("text") or ""), words)
        if spans is not None:
            hits.append(Hit(event, session, spans))
            if len(hits) >= limit:
                break
    hits.sort(key=lambda h: str(h.event.get("time") or ""), reverse=True)  # a month's file reads oldest first
    return hits
