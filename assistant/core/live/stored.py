"""Sessions left open (quit with 稍后继续, or the app was killed): which of mine to offer on
start, and ending one from that offer or from 复盘 as Live would."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from assistant.core.followups import AgendaChange
from assistant.core.live.closing import colleagues_note, colleagues_still_open, settled_note
from assistant.core.live.results import FollowupDue
from assistant.core.playbooks.models import STEP_ORDER

#: An open live session older than this many days is not offered on start (复盘 can still end it).
RESUME_DAYS = 7


def unfinished_sessions(history: Any, staff_id: str | None, now: datetime) -> list[dict]:
    """My live sessions of the last RESUME_DAYS days that were never ended, newest first."""
    from assistant.core.history.filters import SessionFilter

    since = (now.date() - timedelta(days=RESUME_DAYS)).isoformat()
    wanted = SessionFilter(since=since, staff_id=staff_id, mode="live", outcome="")
    rows, _total = history.query_sessions(wanted, sort="-started", limit=20)
    return [s for s in rows if not s.get("ended")]


def furthest_of(steps) -> str | None:
    """The furthest of these step codes along the eight steps (None when none is a step)."""
    reached = [s for s in steps if s in STEP_ORDER]
    return max(reached, key=STEP_ORDER.index) if reached else None


@dataclass(frozen=True)
class StoredEnd:
    """What ending a stored session did: its outcome, the follow-ups made, and the customer's earlier
    follow-ups the outcome closed (`closing.undo_resolved` puts them back)."""

    outcome: str
    due: list[FollowupDue] = field(default_factory=list)
    resolved: list[AgendaChange] = field(default_factory=list)
    #: colleagues whose follow-ups for this customer the outcome would settle, left for them to close
    colleagues: list[str] = field(default_factory=list)


def end_stored_session(services: Any, record: dict, customer: dict | None, staff: dict | None,
                       outcome: str) -> StoredEnd:
    """End a session left open (from the start-up offer, quitting or 复盘) as Live would: outcome,
    summary, follow-ups, and a resolving outcome closes the customer's earlier ones (undoable)."""
    from assistant.core.live.session import LiveSession

    session = LiveSession.resume(record, services.history.events(record["id"]), library=services.library,
                                 matcher=services.matcher, renderer=services.renderer, history=services.history,
                                 staff=staff, customer=customer, clock=services.clock,
                                 check=services.check, covered=services.covered)
    due = session.end(outcome)
    from assistant.core.history.team import publish_later

    publish_later(services.history)  # its follow-ups came after the session's own publish
    colleagues = colleagues_still_open(services.history, (customer or {}).get("id"), record["id"], staff, outcome,
                                       session.clock())
    return StoredEnd(outcome, due, list(session.resolved), colleagues)


def ended_note(end: StoredEnd, how_to_undo: str = "") -> str:
    """What staff are told after ending a stored session; `how_to_undo` names this screen's way
    to reopen the earlier follow-ups it closed."""
    text = f"已结束并记录：{end.outcome}" + (f"，安排了 {len(end.due)} 个跟进" if end.due else "")
    notes = [n for n in (settled_note(end.resolved, how_to_undo), colleagues_note(end.colleagues)) if n]
    return "\n".join([f"{text}。", *notes]) if notes else text
