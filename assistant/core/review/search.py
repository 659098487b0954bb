"""Search every transcript for the review screen: the history's search_events (byte pre-filter,
normalized match: case, width, 繁/简, punctuation), several words all required, the spans of
the original text to highlight, and the current session filter applied to the hits. A second,
fuzzy pass (the matcher's search_texts: typos, homophones, words in any order) reads the newest
lines under the filter, since it is too slow for a whole year.

Staff often type pinyin without switching the input method: an all-letter word of the query that
reads as the full pinyin or the initials of words of the playbooks (lixi → 利息, lxtd → 利息太低)
is searched as those Chinese words (any of them), see `review_pinyin`; otherwise as typed (ETC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from assistant.core.history.filters import SessionFilter
from assistant.core.review.pinyin import pinyin_vocabulary
from assistant.core.language.textnorm import is_ascii_query, normalize, normalize_with_map, spans_from_positions

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
    #: The words found in it (a pinyin query's Chinese words), for lighting them in the transcript.
    words: list[str] = field(default_factory=list)
    #: Which reading of a pinyin word found it (0 = the best; plain words: 0).
    rank: int = 0


def terms(query: str) -> list[str]:
    """The normalized words of a query (split on spaces), longest first, without empties."""
    words = [normalize(w) for w in query.split()]
    return sorted(dict.fromkeys(w for w in words if w), key=len, reverse=True)  # stable: same length keeps order


def highlight_spans(text: str, words: list[str]) -> list[tuple[int, int]] | None:
    """Ranges of `text` covering each word's occurrences; None if a word is missing."""
    found = _found(text, [[w] for w in words])
    return found[0] if found else None


def readings(query: str, library: Any = None) -> list[list[str]]:
    """Per word of the query, the words searched for it (any of them will do): the Chinese words
    a pinyin word stands for, best first, or the word itself. Without a library: the words."""
    words = terms(query)
    # Only an all-letter word needs the vocabulary (loaded or built on first use).
    vocab = pinyin_vocabulary(library) if library is not None and any(map(is_ascii_query, words)) else None
    groups = []
    for word in words:
        read = vocab.read(word) if vocab is not None and is_ascii_query(word) else []
        groups.append(read + ([word] if not read or word in vocab.ascii else []))  # ETC in the playbooks: as typed too
    return groups


def describe(query: str, library: Any = None) -> str:
    """The query as the status line shows it: 「lixi → 利息」 when pinyin was read as Chinese."""
    groups = dict(zip(terms(query), readings(query, library)))
    typed = dict.fromkeys(normalize(w) for w in query.split())  # as typed, not longest first
    read = [(word, groups[word]) for word in typed if word in groups and groups[word] != [word]]
    if not read:
        return query
    return "，".join(f"{word} → {'/'.join(w for w in group if w != word)}" for word, group in read)


def search(history: Any, query: str, f: SessionFilter | None = None,
           progress: Callable[[int, int], None] | None = None, cancel: Callable[[], bool] | None = None,
           limit: int = LIMIT, library: Any = None) -> list[Hit]:
    """Events holding every word of `query` (a pinyin word: any of its Chinese words, with a
    `library`), newest month first, in sessions matching `f`; a pinyin word's better readings first."""
    groups = readings(query, library)
    if not groups:
        return []
    f = f or SessionFilter()
    # One pass over the history per reading of the word with the fewest (the longest on a tie).
    lead = min(groups, key=lambda g: (len(g), -len(g[0])))
    hits: list[Hit] = []
    seen: set[tuple] = set()
    for rank, word in enumerate(lead):
        for event in history.search_events(word, progress=_part(progress, rank, len(lead)), cancel=cancel):
            key = _line_key(event.get("session_id"), event)
            session = history.session(event.get("session_id") or "")
            if key in seen or session is None or not f.matches(session):
                continue
            found = _found(str(event.get("text") or ""), groups)
            if found is not None:
                seen.add(key)
                hits.append(Hit(event, session, found[0], words=found[1], rank=rank))
                if len(hits) >= limit:
                    return _ordered(hits)
        if cancel and cancel():
            break
    return _ordered(hits)


def _part(progress: Callable[[int, int], None] | None, k: int, n: int) -> Callable[[int, int], None] | None:
    """Progress of pass `k` of `n` as a share of all of them."""
    if progress is None or n == 1:
        return progress
    return lambda done, total: progress(k * total + done, n * total)


def _found(text: str, groups: list[list[str]]) -> tuple[list[tuple[int, int]], list[str]] | None:
    """Spans of `text` covering every group's words found in it, and those words; None if a group has none."""
    norm, index = normalize_with_map(text)
    positions: list[int] = []
    words: list[str] = []
    for group in groups:
        present = [w for w in group if w in norm]
        if not present:
            return None
        words += present
        for word in present:
            start = norm.find(word)
            while start >= 0:
                positions.extend(range(start, start + len(word)))
                start = norm.find(word, start + len(word))
    return spans_from_positions(positions, index), words


def _ordered(hits: list[Hit]) -> list[Hit]:
    """A pinyin word's better reading first, then newest first (a month's file reads oldest first)."""
    hits.sort(key=lambda h: str(h.event.get("time") or ""), reverse=True)
    hits.sort(key=lambda h: h.rank)
    return hits


def _line_key(session_id: Any, event: dict) -> tuple:
    """One line of a transcript: two PCs may write the same seq into one session (a manager's note
    in a colleague's session), so the writer and the time tell such lines apart."""
    return (session_id, event.get("seq"), event.get("origin"), event.get("time"))


def fuzzy_search(history: Any, query: str, f: SessionFilter | None = None, found: list[Hit] = (),
                 limit: int = LIMIT, lines: int = FUZZY_LINES) -> list[Hit]:
    """Lines of the newest sessions under `f` that hold most of `query` with typos or homophones,
    best first, leaving out those already `found` word for word."""
    from assistant.core.language.matcher import search_texts

    seen = {_line_key(h.session["id"], h.event) for h in found}
    pool: list[tuple[dict, dict]] = []
    offset = 0
    while len(pool) < lines:
        sessions = history.query_sessions(f, "-started", offset, 50)[0]
        if not sessions:
            break
        offset += len(sessions)
        pool += [(s, e) for s in sessions for e in history.events(s["id"])
                 if e.get("text") and e.get("type") not in NOT_SAID and _line_key(s["id"], e) not in seen]
    matched = search_texts(query, [str(e["text"]) for _, e in pool[:lines]], cutoff=70, top=limit)
    return [Hit(pool[m.index][1], pool[m.index][0], list(m.spans), fuzzy=True) for m in matched]
