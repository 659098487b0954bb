"""Session filters over the in-memory session index: date, staff, customer, mode, outcome,
segment, topic, step reached, score range. Never touches the events journals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from assistant.core.models import STEP_ORDER

STEP_INDEX = {code: i for i, code in enumerate(STEP_ORDER)}


def day(value: str | date | datetime | None) -> str | None:
    """`YYYY-MM-DD` of a date, datetime or ISO string (None stays None)."""
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value)[:10]


def _one_of(value: Any, wanted: str | Iterable[str] | None) -> bool:
    if wanted is None:
        return True
    if isinstance(wanted, str):
        return value == wanted
    return value in set(wanted)


@dataclass(frozen=True)
class SessionFilter:
    """Every field is optional; the ones given must all hold. Dates are inclusive days."""

    since: str | date | None = None
    until: str | date | None = None
    #: A staff id, or several.
    staff_id: str | tuple[str, ...] | None = None
    customer_id: str | tuple[str, ...] | None = None
    #: live | rehearse | drill (or several).
    mode: str | tuple[str, ...] | None = None
    #: 成交 | 未成交 | 待跟进, or "" for sessions not ended with an outcome.
    outcome: str | tuple[str, ...] | None = None
    segment: str | tuple[str, ...] | None = None
    #: A topic code raised in the session.
    topic: str | None = None
    #: The session reached at least this step (furthest_step at or after it).
    step: str | None = None
    score_min: float | None = None
    score_max: float | None = None

    def matches(self, s: dict) -> bool:
        started = s.get("started") or ""
        since, until = day(self.since), day(self.until)
        if since and started[:10] < since or until and started[:10] > until:
            return False
        if not (_one_of(s.get("staff_id"), self.staff_id) and _one_of(s.get("customer_id"), self.customer_id)):
            return False
        if not (_one_of(s.get("mode"), self.mode) and _one_of(s.get("segment"), self.segment)):
            return False
        if self.outcome is not None and not _one_of(s.get("outcome") or "", self.outcome):
            return False
        if self.topic and self.topic not in (s.get("topics") or ()):
            return False
        if self.step and STEP_INDEX.get(s.get("furthest_step"), -1) < STEP_INDEX.get(self.step, 99):
            return False
        return self._score_ok(s.get("score"))

    def _score_ok(self, score: Any) -> bool:
        if self.score_min is None and self.score_max is None:
            return True
        if score is None:
            return False
        return (self.score_min is None or score >= self.score_min) and (self.score_max is None or score <= self.score_max)


SORT_KEYS = ("started", "ended", "score", "staff_id", "customer_id", "mode", "outcome", "furthest_step", "segment")


def sort_sessions(rows: list[dict], sort: str) -> list[dict]:
    """Sort by a field; `-field` for descending. Missing values go last either way."""
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        raise ValueError(f"不能按「{key}」排序，可以用：{'、'.join(SORT_KEYS)}")
    if key == "furthest_step":
        present = [r for r in rows if r.get(key) in STEP_INDEX]
        missing = [r for r in rows if r.get(key) not in STEP_INDEX]
        present.sort(key=lambda r: STEP_INDEX[r[key]], reverse=reverse)
    else:
        present = [r for r in rows if r.get(key) is not None]
        missing = [r for r in rows if r.get(key) is None]
        present.sort(key=lambda r: r[key], reverse=reverse)
    return present + missing
