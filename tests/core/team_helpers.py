"""Shared by the team tests: small histories, full exports, and a comparable picture of a history."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import orjson

from assistant.core.history import History
from assistant.core.history.exchange import write_full
from assistant.paths import Paths

NOW = datetime(2026, 12, 1, 10, 0)
TABLES = ("staff", "customers", "followups", "groups", "group_events", "drill", "flags")


def history(path: Path, now: datetime = NOW) -> History:
    return History(Paths(path), clock=lambda: now)


def branch(h: History, name: str, sessions: int = 2) -> dict:
    """A staff member with a customer, sessions with events, a follow-up and a comment."""
    staff = h.add_staff(name, "理财经理")
    customer = h.add_customer(f"{name}的客户", segment="senior")
    ids = []
    for i in range(sessions):
        sid = h.start_session(staff_id=staff["id"], customer_id=customer["id"])
        h.log_event(sid, "customer", f"利息太低了{i}")
        h.log_event(sid, "staff", "我理解您的顾虑")
        h.end_session(sid, outcome="成交" if i % 2 else "未成交", score=70 + i)
        ids.append(sid)
    h.add_followup(customer_id=customer["id"], session_id=ids[0], due="2026-12-02T10:00", title="回访")
    h.add_flag(ids[0], 1, staff["id"], "先共情再讲收益")
    return {"staff": staff, "customer": customer, "sessions": ids}


def export(h: History, path: Path) -> Path:
    with open(path, "wb") as out:
        write_full(h, out)
    return path


def picture(h: History) -> dict:
    """Everything an import can change, in a form that compares equal when the content is equal."""
    def c(r):
        return orjson.dumps(r, option=orjson.OPT_SORT_KEYS)
    sessions = {s["id"]: c(s) for s in h.iter_sessions()}
    events = sorted(c(e) for e in h.iter_events())
    transcripts = {sid: [c(e) for e in h.events(sid)] for sid in sessions}  # in the order shown
    tables = {t: sorted(c(r) for r in h.state.all(t)) for t in TABLES}
    return {"sessions": sessions, "events": events, "transcripts": transcripts, "tables": tables}


def journal_bytes(h: History) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(h.paths.history_dir.glob("*.jsonl"))}
