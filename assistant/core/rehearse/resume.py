"""A rehearsal left open (the app was closed mid-way): found again and rebuilt where it stopped.

The history keeps every reply of a rehearsal as it is said (recorder.py), and a run is
deterministic for its seed (sim.py): replaying the logged replies in order rebuilds the run exactly,
scores and the customer's mood included, without storing the run's state anywhere else. The
rebuilt run goes on in the same history session, so 复盘 shows one conversation, not two halves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from assistant.core.errors import CoachError
from assistant.core.rehearse.recorder import RehearsalRecorder
from assistant.core.rehearse.sim import Rehearsal

#: A rehearsal left open longer ago than this many days is not offered again.
RESUME_DAYS = 7


class ResumeError(CoachError):
    """The rehearsal cannot be rebuilt (its scenario or customer is gone)."""


def unfinished_rehearsals(history: Any, library: Any, staff_id: str | None, now: datetime,
                          but: str | None = None) -> list[dict]:
    """My rehearsals of the last RESUME_DAYS days that were never ended and can still be played
    (their scenario is in the library, a scenario persona), newest first; `but` is a session to leave out (the one on
    the screen now). Each record gets `replies_so_far`."""
    from assistant.core.history.filters import SessionFilter

    since = (now.date() - timedelta(days=RESUME_DAYS)).isoformat()
    wanted = SessionFilter(since=since, staff_id=staff_id, mode="rehearse", outcome="")
    rows, _total = history.query_sessions(wanted, sort="-started", limit=20)
    out = []
    for s in rows:
        if s.get("ended") or s["id"] == but or s.get("scenario_id") not in library.scenarios \
                or s.get("customer_id"):  # a real customer's run is not replayed (resume_rehearsal)
            continue
        replies = _replies(history.events(s["id"]))
        if replies:  # a session exists only after a first reply; an empty one has nothing to resume
            out.append({**s, "replies_so_far": len(replies)})
    return out


def close_stale_rehearsals(history: Any, now: datetime) -> list[str]:
    """Close, once, this PC's rehearsals left open longer than RESUME_DAYS (no longer offered to
    carry on, they stayed 未结束 for ever): each gets one more version of its session record —
    ended now, `finished` False (未完成), the replies it had and their average score, as a run ended
    early records them — appended like any change; nothing already written is rewritten. Returns
    their ids. Called when the app loads."""
    from assistant.core.history.filters import SessionFilter

    until = (now.date() - timedelta(days=RESUME_DAYS + 1)).isoformat()  # the day before the window
    wanted = SessionFilter(until=until, mode="rehearse", outcome="", device=getattr(history, "origin", None))
    rows, _total = history.query_sessions(wanted, sort="started", limit=None)
    closed = []
    for s in rows:
        if s.get("ended"):
            continue
        scores = [e["score"] for e in _replies(history.events(s["id"])) if e.get("score") is not None]
        history.update_session(s["id"], ended=now.isoformat(timespec="seconds"), finished=False,
                               replies=len(scores), score=round(sum(scores) / len(scores)) if scores else None,
                               closed_as=STALE)
        closed.append(s["id"])
    return closed


#: Why a rehearsal was closed by `close_stale_rehearsals` (kept on its record: nobody ended it).
STALE = f"超过{RESUME_DAYS}天没接着练，自动记为未完成"


def _replies(events: list[dict]) -> list[dict]:
    return [e for e in kept(events) if _is_reply(e)]


def _is_reply(event: dict) -> bool:
    return event.get("speaker") == "staff" and event.get("type", "line") == "line"


def kept(events: list[dict]) -> list[dict]:
    """The events without replies taken back: a `retract` event (recorder.retract) drops the last
    reply before it and what the customer answered to it, as the run on screen dropped them."""
    out: list[dict] = []
    for e in events:
        if e.get("type") != "retract":
            out.append(e)
            continue
        last = max((i for i, x in enumerate(out) if _is_reply(x)), default=None)
        if last is not None:
            del out[last:]
    return out


@dataclass
class Resumed:
    """A rebuilt run, its recorder (writing on into the same session) and whether the replay said
    what the customer said then (False when the playbooks changed since)."""

    run: Rehearsal
    recorder: RehearsalRecorder
    same: bool


def resume_rehearsal(library: Any, history: Any, record: dict, staff_id: str | None = None,
                     variables: dict | None = None, feedback: bool = True) -> Resumed:
    """Rebuild the run of the open rehearsal session `record` by replaying its logged replies
    (`variables` and `feedback` as the screen starts a run: the staff name, exam mode)."""
    if record.get("scenario_id") not in library.scenarios:
        raise ResumeError(f"话术库里已经没有演练场景 {record.get('scenario_id')}，这场演练接不上了；请重新选场景。")
    if record.get("customer_id"):
        raise ResumeError("按真实客户资料的演练不能接着练（客户资料和以往顾虑可能变了）；请重新开始一场。")
    events = history.events(record["id"])
    replies = _replies(events)
    run = Rehearsal(library, record["scenario_id"], record["persona_id"], seed=record.get("seed") or 0,
                    variables=variables, feedback=feedback)
    run.start()
    for event in replies:
        if run.finished:
            break
        for _ in range(int(event.get("hints") or 0)):
            run.hint()
        run.reply(event["text"])
    said_then = [e["text"] for e in kept(events) if e.get("speaker") == "customer"]
    said_now = [t.customer.text for t in run.transcript]
    recorder = RehearsalRecorder(history, run, staff_id)
    recorder.session_id = record["id"]
    # what is on disk already is not written again; a line the replay says beyond it is
    recorder.mark_logged(customers=min(len(said_then), len(said_now)), replies=len(replies))
    return Resumed(run, recorder, said_then == said_now[:len(said_then)])
