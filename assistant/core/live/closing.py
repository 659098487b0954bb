"""What ending a live session does to follow-ups: the new ones the library's rules call for, and
the customer's open ones from earlier sessions that a resolving outcome (成交) settles.

Those earlier follow-ups are marked done with who and when in their own history, and the changes
are returned so the screen can offer to undo them (`undo_resolved`). Only the ending staff member's
own follow-ups (and those nobody owns) are closed: issue 16 lets only the owner, or a 网点负责人
acting explicitly as such, close a colleague's, and ending a session is no such explicit act."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.core.followups import PENDING, AgendaChange, may_close, owner_of, undo

#: Outcomes that settle what the customer came for: their older open follow-ups are done with.
RESOLVING_OUTCOMES = ("成交",)


def session_end_followups(library: Any, customer: dict | None, session_id: str, outcome: str, now: datetime) -> list[dict]:
    """Follow-up records the library's rules call for when a session ends with `outcome`."""
    from assistant.core.followups import followups_for_session_end

    return followups_for_session_end(library.followup_rules, customer=customer, session_id=session_id,
                                     outcome=outcome, now=now)


def resolve_earlier_followups(history: Any, customer_id: str | None, session_id: str | None, staff: dict | None,
                              outcome: str, now: datetime) -> list[AgendaChange]:
    """Mark done the customer's open follow-ups that earlier sessions created (not dated reminders
    such as maturity or birthday), when `outcome` resolves the need; returns the changes for undo.
    A follow-up created after `now` (an older chat imported today) is left alone."""
    if outcome not in RESOLVING_OUTCOMES or not customer_id:
        return []
    stamp = now.isoformat(timespec="seconds")
    who = (staff or {}).get("name") or "员工"
    note = f"{who}：客户这次{outcome}，之前的跟进自动完成（{stamp[:16].replace('T', ' ')}）"
    changes = []
    owners: dict = {}
    for f in _settled_by(history, customer_id, session_id, outcome, now):
        if not may_close(staff, owner_of(history, f, owners)):
            continue  # a colleague's: theirs to close (colleagues_still_open names them)
        # what it was, taken before marking (a store may hand back the record it changes)
        changes.append(AgendaChange(f["id"], f.get("title") or "", f.get("status") or "open", "done", f.get("due")))
        history.mark_followup(f["id"], "done", note=note)
    return changes


def colleagues_still_open(history: Any, customer_id: str | None, session_id: str | None, staff: dict | None,
                          outcome: str, now: datetime) -> list[str]:
    """Names of the colleagues whose earlier follow-ups for this customer the outcome would settle
    but that were left open because they are not the ending staff member's to close."""
    names: list[str] = []
    owners: dict = {}
    for f in _settled_by(history, customer_id, session_id, outcome, now):
        owner = owner_of(history, f, owners)
        if may_close(staff, owner):
            continue
        getter = getattr(history, "get_staff", None)
        name = ((getter(owner) if callable(getter) else None) or {}).get("name") or "同事"
        if name not in names:
            names.append(name)
    return names


def colleagues_note(names: list[str]) -> str:
    """The line telling staff a colleague's follow-up for this customer is still open; "" if none."""
    if not names:
        return ""
    return f"{'、'.join(names)} 对这位客户的跟进仍未完成，由本人（或网点负责人）处理。"


def _settled_by(history: Any, customer_id: str | None, session_id: str | None, outcome: str,
                now: datetime) -> list[dict]:
    """The customer's open follow-ups from earlier sessions that `outcome` settles, whoever owns them."""
    if outcome not in RESOLVING_OUTCOMES or not customer_id:
        return []
    stamp = now.isoformat(timespec="seconds")
    outcomes: dict[str, str | None] = {}
    return [f for f in history.list_followups(status=PENDING, customer_id=customer_id)
            if f.get("customer_id") == customer_id and f.get("session_id") and f.get("session_id") != session_id
            and _created(f) <= stamp and not _after_a_deal(history, f["session_id"], outcomes)]


def undo_resolved(history: Any, changes: list[AgendaChange]) -> int:
    """Put back the follow-ups `resolve_earlier_followups` closed (logged as 撤销); how many.
    The reopening goes to the team folder as the closing did (colleagues see them open again)."""
    for change in changes:
        undo(history, change)
    if changes:
        from assistant.core.history.team import publish_later

        publish_later(history)
    return len(changes)


def settled_note(changes: list[AgendaChange], how_to_undo: str = "") -> str:
    """What staff are told about the earlier follow-ups an outcome closed: a line saying so (then
    how to undo it, each screen its own key) and one line per follow-up; "" when none were closed."""
    if not changes:
        return ""
    head = f"之前的 {len(changes)} 个跟进已自动标为完成" + (f"（{how_to_undo}）" if how_to_undo else "") + "："
    return "\n".join([head, *settled_lines(changes)])


def settled_lines(changes: list[AgendaChange], limit: int = 5) -> list[str]:
    """One line per closed follow-up, the rest counted after `limit`."""
    lines = [f"· {c.title or '（无标题）'}" for c in changes[:limit]]
    return lines + ([f"……另有 {len(changes) - limit} 个"] if len(changes) > limit else [])


def _after_a_deal(history: Any, session_id: str, outcomes: dict[str, str | None]) -> bool:
    """True when the session that made the follow-up itself ended in a deal: its after-sales visit
    (售后回访) is still owed, whatever the customer does next."""
    if session_id not in outcomes:
        getter = getattr(history, "session", None)
        outcomes[session_id] = ((getter(session_id) if callable(getter) else None) or {}).get("outcome")
    return outcomes[session_id] in RESOLVING_OUTCOMES


def _created(followup: dict) -> str:
    """When the follow-up was created (its first history entry), or "" when not recorded."""
    entries = followup.get("history") or []
    return str(entries[0].get("time") or "") if entries and isinstance(entries[0], dict) else ""

