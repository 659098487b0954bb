"""Session filters over the in-memory session index: date, staff, customer, mode, outcome,
segment, topic, step reached, score range. Never touches the events journals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterable

from assistant.core.labels import abandoned
from assistant.core.playbooks.models import STEP_ORDER

STEP_INDEX = {code: i for i, code in enumerate(STEP_ORDER)}


def steps_reached(session: dict) -> set[int]:
    """Indexes of the steps a session really reached: its `steps` (a rehearsal scenario may open at
    回应异议 and never 推荐产品; a drill practises one step). A record without them (written before
    sessions kept them) only says how far it got: every step up to there, a drill its one step."""
    if isinstance(session.get("steps"), list):
        return {STEP_INDEX[s] for s in session["steps"] if s in STEP_INDEX}
    furthest = STEP_INDEX.get(session.get("furthest_step"), -1)
    if furthest < 0:
        return set()
    return {furthest} if session.get("mode") == "drill" else set(range(furthest + 1))


def day(value: str | date | datetime | None) -> str | None:
    """`YYYY-MM-DD` of a date, datetime or ISO string (None stays None)."""
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value)[:10]


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
    #: The session reached this step (复盘's 「到过」): the steps it really went through, the sessions
    #: the funnel counts as 到达 there — not its furthest step, which an objection (回应异议, step 6)
    #: raised at the first line puts past 推荐产品 in most live sessions.
    step: str | None = None
    score_min: float | None = None
    score_max: float | None = None
    #: Only sessions written on this device (its id; a session without `origin` was): staff see
    #: their own PC's conversations, not those that came in from colleagues' PCs.
    device: str | None = None

    def matches(self, s: dict) -> bool:
        return all(check(s) for check in self.checks())

    def checks(self) -> list[Callable[[dict], bool]]:
        """One small test per field that is set, built once per query (20k sessions in a few ms)."""
        out: list[Callable[[dict], bool]] = []
        since, until = day(self.since), day(self.until)
        if since:
            out.append(lambda s: (s.get("started") or "")[:10] >= since)
        if until:
            out.append(lambda s: (s.get("started") or "")[:10] <= until)
        for key in ("staff_id", "customer_id", "mode", "segment"):
            wanted = _wanted(getattr(self, key))
            if wanted is not None:
                out.append(lambda s, key=key, wanted=wanted: s.get(key) in wanted)
        outcomes = _wanted(self.outcome)
        if outcomes is not None:
            out.append(lambda s: (s.get("outcome") or "") in outcomes)
        if self.topic:
            out.append(lambda s: self.topic in (s.get("topics") or ()))
        if self.step:
            wanted = STEP_INDEX.get(self.step, 99)
            out.append(lambda s: wanted in steps_reached(s))
        if self.score_min is not None or self.score_max is not None:
            out.append(lambda s: self._score_ok(None if abandoned(s) else s.get("score")))  # 未完成: not scored
        if self.device:
            out.append(lambda s: s.get("origin") in (None, self.device))
        return out

    def _score_ok(self, score: Any) -> bool:
        if score is None:
            return False
        return (self.score_min is None or score >= self.score_min) and (self.score_max is None or score <= self.score_max)


def _wanted(value: str | Iterable[str] | None) -> frozenset | None:
    if value is None:
        return None
    return frozenset([value] if isinstance(value, str) else value)


def select(sessions: Iterable[dict], f: "SessionFilter") -> list[dict]:
    checks = f.checks()
    return [s for s in sessions if all(c(s) for c in checks)]


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
        value = (lambda r: None if abandoned(r) else r.get(key)) if key == "score" else (lambda r: r.get(key))
        present = [r for r in rows if value(r) is not None]
        missing = [r for r in rows if value(r) is None]  # a run given up (未完成) has no score to sort by
        present.sort(key=value, reverse=reverse)
    return present + missing
