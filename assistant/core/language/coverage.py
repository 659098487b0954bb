"""Which key points a staff line covers, each with the staff's own words that prove it.

Shared by the live checklist and rehearsal scoring. A key point counts only with a quote: the
span of the original text that matched one of its evidence phrases. Matching runs on normalized
text (full-width, traditional, case, punctuation folded), exact substring first, then fuzzy
(rapidfuzz `partial_ratio` with a high cutoff for longer phrases), then jieba-token overlap for
multi-word phrases (产品有风险 ≈ 这个产品也是有一定风险的). Spans map back to the original text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Iterable, Iterator, Sequence

from rapidfuzz import fuzz

#: partial_ratio needed for a fuzzy hit; only phrases this long (normalized) are tried fuzzily.
FUZZY_CUTOFF = 85.0
FUZZY_MIN_LEN = 5
#: A token-overlap hit may spread over at most this many times the phrase's length (+ slack).
SPREAD_FACTOR = 2.5
SPREAD_SLACK = 6
#: Tokens too common to prove anything on their own.
STOP_TOKENS = frozenset("的 了 是 有 也 就 都 和 跟 在 我 你 您 他 她 这 那 个 吗 呢 吧 啊 呀 嘛 哦 很 不 没".split())


@dataclass(frozen=True)
class Evidence:
    """A covered key point and the staff's own words (`quote` = text[start:end]) that earned it."""

    point_id: str
    label: str
    quote: str
    start: int
    end: int
    #: How it was found: exact | fuzzy | tokens.
    how: str = "exact"

    @property
    def key_point_id(self) -> str:
        """Alias read by the live checklist."""
        return self.point_id


@dataclass(frozen=True)
class CoverageResult:
    """Covered points with quotes, missed points (id, label) and the covered share of weight."""

    covered: list[Evidence] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)
    share: float = 0.0

    def __iter__(self) -> Iterator[Evidence]:
        return iter(self.covered)

    def __len__(self) -> int:
        return len(self.covered)

    @property
    def ids(self) -> set[str]:
        return {e.point_id for e in self.covered}


# ------------------------------------------------------------------ normalization


def _fallback_normalize(text: str) -> str:
    """NFKC, traditional → simplified, lowercase, no punctuation or space (until textnorm lands)."""
    out = unicodedata.normalize("NFKC", text).lower()
    try:
        import zhconv

        out = zhconv.convert(out, "zh-cn")
    except ImportError:
        pass
    return "".join(ch for ch in out if not (ch.isspace() or unicodedata.category(ch)[0] in "PSZ"))


def _load_normalize():
    try:  # the shared normalizer, when it has landed
        from assistant.core.language.textnorm import normalize
    except ImportError:
        return _fallback_normalize
    return normalize


_normalize = _load_normalize()


@lru_cache(maxsize=8192)
def _norm_char(ch: str) -> str:
    try:
        return _normalize(ch)
    except Exception:  # a normalizer that refuses a single char: fall back, never fail a check
        return _fallback_normalize(ch)


@lru_cache(maxsize=4096)
def norm_phrase(text: str) -> str:
    """A phrase normalized the same way as the text it is searched in."""
    return "".join(_norm_char(ch) for ch in text)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """The normalized text and, for each of its chars, the index of the original char."""
    chars, index = [], []
    for i, ch in enumerate(text):
        for out in _norm_char(ch):
            chars.append(out)
            index.append(i)
    return "".join(chars), index


@lru_cache(maxsize=4096)
def _tokens(norm: str) -> tuple[tuple[str, int], ...]:
    """(token, start) over a normalized string (rjieba partitions the string)."""
    import rjieba

    out, pos = [], 0
    for tok in rjieba.cut(norm):
        out.append((tok, pos))
        pos += len(tok)
    return tuple(out)


# ------------------------------------------------------------------ matching


@dataclass(frozen=True)
class _Hit:
    start: int  # normalized positions, end exclusive
    end: int
    how: str
    strength: float  # for choosing the best quote: longer exact hits first


class _Text:
    """A text prepared once for many phrases: normalized, mapped, spans to ignore."""

    def __init__(self, text: str, exclude: Sequence[tuple[int, int]] = ()):
        self.text = text
        self.norm, self.index = normalize_with_map(text)
        self.excluded = [(s, e) for s, e in exclude if e > s]

    def allowed(self, start: int, end: int) -> bool:
        """False when the hit lies wholly inside an excluded (e.g. copied) original span."""
        o_start, o_end = self.span(start, end)
        return not any(s <= o_start and o_end <= e for s, e in self.excluded)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.index[start], self.index[end - 1] + 1

    def tokens(self) -> tuple[tuple[str, int], ...]:
        return _tokens(self.norm)


def _exact(t: _Text, phrase: str) -> Iterator[_Hit]:
    pos = t.norm.find(phrase)
    while pos >= 0:
        yield _Hit(pos, pos + len(phrase), "exact", 100 + len(phrase))
        pos = t.norm.find(phrase, pos + 1)


def _fuzzy(t: _Text, phrase: str) -> Iterator[_Hit]:
    if len(phrase) < FUZZY_MIN_LEN:
        return
    al = fuzz.partial_ratio_alignment(phrase, t.norm, score_cutoff=FUZZY_CUTOFF)
    if al is not None and al.dest_end > al.dest_start:
        start, end = _fit_window(t.norm, phrase, al.dest_start, al.dest_end)
        yield _Hit(start, end, "fuzzy", al.score)


def _fit_window(norm: str, phrase: str, start: int, end: int) -> tuple[int, int]:
    """The aligned window trimmed of chars not in the phrase and grown over its cut-off ends."""
    chars = set(phrase)
    while start > 0 and norm[start - 1] in chars and end - start < len(phrase) + 2:
        start -= 1
    while end < len(norm) and norm[end] in chars and end - start < len(phrase) + 2:
        end += 1
    while start < end - 1 and norm[start] not in chars:
        start += 1
    while end > start + 1 and norm[end - 1] not in chars:
        end -= 1
    return start, end


def _token_overlap(t: _Text, phrase: str) -> Iterator[_Hit]:
    """All content tokens of a multi-word phrase present within a short window of the text."""
    content = [tok for tok, _ in _tokens(phrase) if tok not in STOP_TOKENS and tok.strip()]
    if len(content) < 2 or len(set(content)) < 2:
        return
    where = {tok: [p for w, p in t.tokens() if w == tok] for tok in set(content)}
    if any(not spots for spots in where.values()):
        return
    limit = len(phrase) * SPREAD_FACTOR + SPREAD_SLACK
    for combo in product(*(where[tok][:6] for tok in where)):
        ends = [p + len(tok) for tok, p in zip(where, combo)]
        start, end = min(combo), max(ends)
        if end - start <= limit:
            yield _Hit(start, end, "tokens", 50 - (end - start) / 100)


_STRATEGIES = (_exact, _fuzzy, _token_overlap)


def _best_hit(t: _Text, phrases: Iterable[str]) -> _Hit | None:
    """The strongest allowed hit of any phrase: exact beats fuzzy beats token overlap."""
    normed = [p for p in dict.fromkeys(norm_phrase(x) for x in phrases) if p]
    for strategy in _STRATEGIES:
        hits = [h for p in normed for h in strategy(t, p) if t.allowed(h.start, h.end)]
        if hits:
            return max(hits, key=lambda h: (h.strength, -h.start))
    return None


def covered(text: str, key_points: Sequence, exclude: Sequence[tuple[int, int]] = (), concepts=None) -> CoverageResult:
    """Which `key_points` (models.KeyPoint: id, label, evidence, weight, concepts) `text` covers.

    `exclude` lists original-text spans whose words do not count (e.g. the customer's words
    copied back): a hit wholly inside one is ignored. With `concepts` (a language.concepts
    ConceptIndex), a point that names concepts is also covered by a member of one of them that
    the text does not negate (how = "concept").
    """
    if not text or not text.strip() or not key_points:
        return CoverageResult([], [(kp.id, kp.label) for kp in key_points], 0.0)
    t = _Text(text, exclude)
    hits = concepts.hits(text) if concepts is not None and any(getattr(kp, "concepts", None) for kp in key_points) else []
    found, missed = [], []
    for kp in key_points:
        hit = _best_hit(t, kp.evidence)
        if hit is not None:
            start, end = t.span(hit.start, hit.end)
            found.append(Evidence(kp.id, kp.label, text[start:end], start, end, hit.how))
            continue
        meant = _concept_hit(t, hits, getattr(kp, "concepts", None) or ())
        if meant is None:
            missed.append((kp.id, kp.label))
            continue
        found.append(Evidence(kp.id, kp.label, text[meant.start:meant.end], meant.start, meant.end, "concept"))
    return CoverageResult(found, missed, _share(key_points, {e.point_id for e in found}))


def _concept_hit(t: _Text, hits: Sequence, wanted: Sequence[str]):
    """The first concept hit (original spans) of a wanted concept, not negated nor excluded."""
    for h in hits:
        if h.concept_id in wanted and not h.negated and not any(s <= h.start and h.end <= e for s, e in t.excluded):
            return h
    return None


def _share(key_points: Sequence, done: set[str]) -> float:
    total = sum(max(kp.weight, 0.0) for kp in key_points)
    if total <= 0:
        return 0.0
    return sum(max(kp.weight, 0.0) for kp in key_points if kp.id in done) / total
