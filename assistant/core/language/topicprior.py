"""A topic prior: naive Bayes over the matcher's own units, learned from every trigger of a topic.

The lexical pass scores a line against one trigger at a time (plus a card-level overlap); a line
that shares a few words with many triggers of one topic and no long run with any of them ranks
low. Naive Bayes pools the evidence per topic: P(topic | units) with each unit counted once per
trigger (Bernoulli-like counts, additive smoothing `ALPHA`). Built from `Prepared.postings`, so
it costs no extra segmentation, is cached with the prepared library, and is learned again from
whatever triggers a matcher holds (branch lines, the cross-validated folds of scripts/eval_match.py).

It only re-ranks: `lean` moves a shown card's score up by SHARE × P(topic) of the gap to 100,
never a hidden card over the cutoff nor a card across the "sure" threshold, so it cannot make a
guess look certain or put a card on a none line. Measured by 4-fold source cross-validation on
the real dev half: customer top-1 74.6 → 76.2 %, top-3 87.8 % unchanged, sure precision and
none → sure unchanged. Letting it lift cards over the cutoff too gave top-3 88.8 % but put a
card on 22 % of the labelled none lines (6 % before).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from typing import Iterable

#: Additive smoothing of the per-topic unit counts (small: a unit a topic never used is strong
#: evidence against it only when others in the line are for a rival).
ALPHA = 0.05
#: Share of the gap between a card's score and 100 that P(its topic) may fill.
SHARE = 0.1
#: Unit namespaces the prior reads (Chinese words, character pairs, single characters).
NAMESPACES = ("t:", "b:", "u:")


def build(topics: list[str | None], postings: dict[str, list[int]]) -> tuple[dict[str, bytes], list[tuple[str, float]]]:
    """(unit → packed (topic number, trigger count) pairs, [(topic, log P(an unseen unit))]) from
    each trigger's topic (`topics`, by trigger index) and the unit postings. Packed as bytes:
    a dict of small dicts would add ~10 ms to unpickling the prepared library per `coach suggest`."""
    names = sorted({t for t in topics if t})
    number = {t: k for k, t in enumerate(names)}
    packed: dict[str, bytes] = {}
    totals = [0] * len(names)
    for unit, triggers in postings.items():
        if not unit.startswith(NAMESPACES):
            continue
        counts = Counter(number[topics[i]] for i in triggers if topics[i])
        if counts:
            for k, n in counts.items():
                totals[k] += n
            packed[unit] = pack(counts)
    return packed, bases(names, totals, len(packed))


def pack(counts: Counter) -> bytes:
    """(topic number, trigger count) pairs of one unit, packed."""
    pairs = array("I")
    for k, n in counts.items():
        pairs.extend((k, n))
    return pairs.tobytes()


def bases(names: list[str], totals: list[int], vocab: int) -> list[tuple[str, float]]:
    """[(topic, log P(an unseen unit))] from each topic's unit count and the units known."""
    return [(t, math.log(ALPHA / (totals[k] + ALPHA * vocab))) for k, t in enumerate(names)]


class Prior:
    """The prior of one prepared library; units are unpacked on first use and kept (a live
    session's lines reuse a small vocabulary, so a query mostly costs what nested dicts would)."""

    def __init__(self, packed: dict[str, bytes], base: list[tuple[str, float]]):
        self.packed, self.base = packed, base
        self._ratios: dict[str, tuple[tuple[int, float], ...]] = {}

    def ratios(self, unit: str) -> tuple[tuple[int, float], ...]:
        got = self._ratios.get(unit)
        if got is None:
            pairs = array("I")
            pairs.frombytes(self.packed[unit])
            got = self._ratios[unit] = tuple((k, math.log((n + ALPHA) / ALPHA)) for k, n in zip(pairs[::2], pairs[1::2]))
        return got

    def posterior(self, units: Iterable[str]) -> dict[str, float]:
        """topic → P(topic | the line's units), uniform prior; {} when no unit is known."""
        known = [u for u in units if u in self.packed]
        if not known:
            return {}
        n = len(known)
        logp = [b * n for _, b in self.base]
        for u in known:
            for k, r in self.ratios(u):
                logp[k] += r
        top = max(logp)
        exp = [math.exp(v - top) for v in logp]
        z = sum(exp)
        return {t: e / z for (t, _), e in zip(self.base, exp)}


def lean(cards: dict[int, tuple[float, int]], p: dict[str, float], topic_of, cutoff: float, sure: float) -> dict[int, tuple[float, int]]:
    """(score, trigger) per card with SHARE × P(its topic) of the gap to 100 added, only for
    cards already shown (at `cutoff`) and capped just under `sure` unless the card was sure
    already (`topic_of`: trigger index → topic): it re-ranks, it neither shows nor assures."""
    if not p:
        return cards
    out = {}
    for c, (s, i) in cards.items():
        if s < cutoff:
            out[c] = (s, i)
            continue
        raised = s + (100.0 - s) * SHARE * p.get(topic_of(i), 0.0)
        out[c] = (min(raised, max(s, sure - 0.1)), i)
    return out
