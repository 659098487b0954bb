"""Key-point coverage that does not count a key word the line negates or waves away
(「有什么好商量的」 names 商量 only to refuse it). Used by rehearsal scoring and the live checklist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from assistant.core.language.coverage import CoverageResult, Evidence, covered
from assistant.core.language.phrasing import negation

#: How many times coverage is searched again without the negated phrases.
NEGATION_RETRIES = 3


@dataclass(frozen=True)
class Negated:
    """A key word the reply names but negates or waves away (没什么好商量的): no point for it."""

    point_id: str
    label: str
    #: The key word as the reply wrote it, and the whole negating phrase around it.
    quote: str
    phrase: str
    start: int
    end: int
    #: Where the negating phrase (with the key word) sits in the reply.
    phrase_start: int = 0
    phrase_end: int = 0

    @property
    def why(self) -> str:
        return f"“{self.phrase}”是在否定{self.quote}，不算{self.label}"



def covered_unless_negated(text: str, key_points: Sequence, exclude: list[tuple[int, int]],
                           concepts=None) -> tuple[CoverageResult, list[Negated]]:
    """Coverage where a quote the reply negates (不用考虑风险) earns nothing.

    Negating phrases are left out and coverage searched again, so 「别担心……我理解您的担心」 still
    earns the point from the second, sincere mention. Returns the negations of points still missed.
    """
    evidence = {kp.id: kp.evidence for kp in key_points}
    refused: dict[str, Negated] = {}
    cov = covered(text, key_points, exclude=exclude, concepts=concepts)
    for _ in range(NEGATION_RETRIES):
        found = [_negated(text, e, evidence[e.point_id]) for e in cov.covered]
        found = [n for n in found if n is not None]
        if not found:
            break
        refused = {n.point_id: n for n in found} | refused
        exclude = [*exclude, *((n.phrase_start, n.phrase_end) for n in found)]
        cov = covered(text, key_points, exclude=exclude, concepts=concepts)
    else:  # still negated after every retry: drop those points outright
        cov = _without(cov, key_points, {e.point_id for e in cov.covered if _negated(text, e, evidence[e.point_id])})
    return cov, [refused[pid] for pid, _ in cov.missed if pid in refused]


def _without(cov: CoverageResult, key_points: Sequence, drop: set[str]) -> CoverageResult:
    """`cov` with the points in `drop` moved to missed and the share recomputed."""
    kept = [e for e in cov.covered if e.point_id not in drop]
    done = {e.point_id for e in kept}
    weight = {kp.id: max(kp.weight, 0.0) for kp in key_points}
    total = sum(weight.values())
    share = sum(weight[p] for p in done) / total if total > 0 else 0.0
    return CoverageResult(kept, [(kp.id, kp.label) for kp in key_points if kp.id not in done], share)


def _negated(text: str, e: Evidence, evidence: Sequence[str]) -> Negated | None:
    """The negation of the quote `e`, or None when the reply means it."""
    span = negation(text, e.start, e.end, evidence)
    if span is None:
        return None
    return Negated(e.point_id, e.label, e.quote, text[span[0] : span[1]], e.start, e.end, *span)
