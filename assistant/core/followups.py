"""The agenda: what is due and overdue today, each with the card or scenario to open, whose it
is and who may see and close it (done, postponed, undone). The rules that make follow-ups are in
followup_rules.py.

`agenda` records the date-driven follow-ups it finds first (with ids every PC of the team gives
the same reminder, so they are made once and can be marked done or postponed).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any, Iterable

from assistant.core.followup_rules import MORNING, date_candidates, date_followups, rules_of
from assistant.core.followup_rules import followups_for_session_end  # noqa: F401 - re-exported for live/closing.py

PENDING = ("open", "postponed")


def due_customers(history: Any, today: date, rules: Any) -> list[dict]:
    """The customers a date-driven rule may fall due for today (see `date_candidates`)."""
    state = getattr(history, "state", None)
    if state is None or not hasattr(state, "matching"):
        return history.list_customers()
    keep = date_candidates(today, rules)
    return state.matching("customers", keep, keep.patterns)


# ------------------------------------------------------------------ agenda


@dataclass(frozen=True)
class AgendaItem:
    """One thing to do today: a due or overdue follow-up, with what to open for it."""

    id: str
    title: str
    due: str
    #: "overdue" (due before today) or "due" (due today).
    state: str
    status: str
    rule_id: str | None = None
    customer_id: str | None = None
    customer_name: str | None = None
    card_id: str | None = None
    scenario_id: str | None = None
    message: str | None = None
    group_id: str | None = None
    session_id: str | None = None
    #: Whose follow-up it is: the staff member who ended the session that made it (None: anyone's).
    owner_id: str | None = None
    #: The date a date-driven follow-up was made for (a birthday, a maturity, a holiday), else None.
    anchor: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def agenda(history: Any, library: Any, today: date, viewer: dict | None = None,
           record: bool = True) -> list[AgendaItem]:
    """Due and overdue follow-ups, overdue first; records the date-driven ones it finds first.

    With `record=False` (a preview of another day) those are listed but not stored: looking at a
    coming day must not make its reminders exist before it comes.
    With a `viewer` (the signed-in staff member): a 网点负责人 sees the team's (colleagues' from the
    team folder under their owner); anyone else only this PC's (see `visible_to`)."""
    rules = rules_of(library)
    customers = due_customers(history, today, rules)  # not all 100k: only those a date may concern
    groups = history.list_groups()
    held = history.list_followups()
    known = {f["id"] for f in held} | {_subject(f) for f in held}
    new = [r for r in team_ids(history, date_followups(customers, groups, today, rules), customers, groups)
           if r["id"] not in known and _subject(r) not in known]
    if new and record:
        history.add_followups(new)
    names = _NameCache(history)
    due = history.list_followups(due_before=(today + timedelta(days=1)).isoformat(), status=PENDING)
    if not record:
        due = sorted([*due, *new], key=lambda f: f.get("due") or "")
    owners: dict[str, Any] = {"customers": names.prefetch(f.get("customer_id") for f in due)}
    items = []
    for f in due:
        state = "overdue" if f["due"][:10] < today.isoformat() else "due"
        items.append(AgendaItem(
            id=f["id"], title=f.get("title") or "", due=f["due"], state=state, status=f["status"],
            rule_id=f.get("rule_id"), customer_id=f.get("customer_id"), customer_name=names.get(f.get("customer_id")),
            card_id=f.get("card_id"), scenario_id=f.get("scenario_id"), message=f.get("message"),
            group_id=f.get("group_id"), session_id=f.get("session_id"), owner_id=owner_of(history, f, owners),
            anchor=f.get("anchor"),
        ))
    if viewer is not None:
        items = [i for i in items if visible_to(history, viewer, i.owner_id)]
    return sorted(items, key=lambda i: (i.state != "overdue", i.due))


def _subject(followup: dict) -> tuple:
    """What a date-driven follow-up is about: one rule, one customer or group, one date."""
    return followup.get("rule_id"), followup.get("customer_id"), followup.get("group_id"), followup.get("anchor")


#: Hex digits of a team-wide reminder id (identity.RANDOM_HEX: it travels as a global id).
RANDOM_HEX = 20


def team_ids(history: Any, records: list[dict], customers: list[dict], groups: list[dict]) -> list[dict]:
    """Date-driven follow-ups with an id every PC of the team gives the same reminder: made from the
    customer or group as the PC that created it names it (identity.translate), long enough to
    travel unchanged (identity.is_global). A colleague's PC and the 网点负责人's make one record,
    so closing it on either closes it for both after a sync."""
    from assistant.core.history.identity import origin_of, translate

    local = getattr(history, "origin", None)
    if not local:
        return records
    by_id = {r["id"]: r for r in [*customers, *groups]}

    def subject(ident: str | None) -> str:
        record = by_id.get(ident) if ident else None
        if record is None:
            return "all"  # a holiday: one greeting task for everyone
        origin = origin_of(record, local)
        return f"{origin}/{translate(ident, local, origin)}"

    out = []
    for r in records:
        key = f"{r.get('rule_id')}|{subject(r.get('group_id') or r.get('customer_id'))}|{r.get('anchor')}"
        out.append({**r, "id": "f-" + hashlib.sha1(key.encode()).hexdigest()[:RANDOM_HEX]})
    return out


class _NameCache(dict):
    """Customer id → name, looked up as the agenda needs them (a few, not the whole table)."""

    def __init__(self, history: Any):
        super().__init__()
        self.history = history

    def prefetch(self, idents: Iterable[str | None]) -> dict[str, dict] | None:
        """Look up many at once (a customers table not read yet is searched once, not per name);
        returns {id: customer} of those found (None when the history cannot look up many)."""
        getter = getattr(self.history, "get_customers", None)
        if getter is None:
            return None
        wanted = {i for i in idents if i and i not in self}
        found = getter(wanted) if wanted else {}
        self.update({i: (found.get(i) or {}).get("name") for i in wanted})
        return found

    def __missing__(self, ident: str | None) -> str | None:
        getter = getattr(self.history, "get_customer", None)
        customer = getter(ident) if ident and getter else None
        self[ident] = name = (customer or {}).get("name")
        return name

    def get(self, ident: Any, default: Any = None) -> Any:  # noqa: D102 - dict.get skips __missing__
        return self[ident]


def due_words(due: str | None, today: date) -> str:
    """When a follow-up is due, as staff read it on 首页 and in `coach followups`: 逾期N天 once its
    day has passed, 今天 on the day, 快到了 before it (a greeting reads 快到了 only then)."""
    try:
        day = date.fromisoformat((due or "")[:10])
    except ValueError:
        return ""
    late = (today - day).days
    return f"逾期{late}天" if late > 0 else "今天" if late == 0 else "快到了"


def postpone_to(day: date, current_due: str | None) -> str:
    """A new due moment on `day`, keeping the time of day of the old one."""
    clock = (current_due or "")[11:16] or MORNING.isoformat(timespec="minutes")
    return f"{day.isoformat()}T{clock}"


# ------------------------------------------------------------------ agenda actions


#: The role that may close a colleague's follow-up, and only when acting explicitly as such.
MANAGER = "网点负责人"


def owner_of(history: Any, followup: dict, cache: dict | None = None) -> str | None:
    """The staff id a follow-up belongs to: its own `staff_id`, else the one of the session that made
    it, else (a customer that came from a colleague's PC) the customer's (`customer_owner`)."""
    if followup.get("staff_id"):
        return followup["staff_id"]
    sid = followup.get("session_id")
    cache = {} if cache is None else cache
    if not sid:
        return customer_owner(history, followup.get("customer_id"), cache)
    if sid not in cache:
        getter = getattr(history, "session", None)
        record = getter(sid) if callable(getter) else None
        cache[sid] = (record or {}).get("staff_id")
    return cache[sid]


def customer_owner(history: Any, customer_id: str | None, cache: dict | None = None) -> str | None:
    """Who looks after a customer made on a colleague's PC (it came through the team folder): the
    staff member of their latest session, else the one staff member made on that PC. None for this
    PC's own customers (anyone here may take them) and when nobody is known."""
    if not customer_id or getattr(history, "state", None) is None:
        return None
    local = history.origin
    cache = {} if cache is None else cache
    known = cache.get("customers")  # the agenda's customers, fetched at once
    customer = known.get(customer_id) if known is not None else history.get_customer(customer_id)
    device = (customer or {}).get("origin") or local
    if device == local:
        return None
    if "by customer" not in cache:  # one pass over the sessions for every item of the agenda
        cache["by customer"] = _latest_staff(history)
        cache["by device"] = {}
        for staff in history.list_staff():
            cache["by device"].setdefault(staff.get("origin") or local, []).append(staff["id"])
    staff = cache["by device"].get(device, [])
    latest = cache["by customer"].get(customer_id)
    return latest if latest in staff else (staff[0] if len(staff) == 1 else None)


def _latest_staff(history: Any) -> dict[str, str]:
    """Customer id → the staff id of their latest session."""
    latest: dict[str, tuple[str, str]] = {}
    for s in history.iter_sessions():
        cid, sid = s.get("customer_id"), s.get("staff_id")
        if cid and sid and (s.get("started") or "") >= latest.get(cid, ("", ""))[0]:
            latest[cid] = (s.get("started") or "", sid)
    return {cid: sid for cid, (_, sid) in latest.items()}


def visible_to(history: Any, viewer: dict, owner_id: str | None) -> bool:
    """A 网点负责人 sees every follow-up; anyone else those nobody owns, their own and those of staff
    made on this PC (a shared counter PC), never a colleague's that came through the team folder."""
    if viewer.get("role") == MANAGER or owner_id is None or owner_id == viewer.get("id"):
        return True
    local = getattr(history, "origin", None)
    getter = getattr(history, "get_staff", None)
    staff = (getter(owner_id) if getter else None) or {}
    return (staff.get("origin") or local) == local


def may_close(staff: dict | None, owner_id: str | None, as_manager: bool = False) -> bool:
    """Only the owner closes a follow-up; a 网点负责人 may close someone else's when acting as such.
    A follow-up nobody owns (maturity, birthday, holiday reminders) is anyone's to close."""
    me = (staff or {}).get("id")
    if owner_id is None or owner_id == me:
        return True
    return as_manager and (staff or {}).get("role") == MANAGER


@dataclass(frozen=True)
class AgendaChange:
    """What an agenda action changed, enough to undo it."""

    followup_id: str
    title: str
    before: str
    after: str
    before_due: str | None = None


def close_followup(history: Any, item: dict, staff: dict | None, as_manager: bool = False) -> AgendaChange:
    """Mark an agenda item done, as `staff` (PermissionError when it is a colleague's); undo with `undo`."""
    if not may_close(staff, item.get("owner_id"), as_manager):
        raise PermissionError("这是同事的跟进：只有本人或网点负责人（以负责人身份）可以标为完成。")
    who = (staff or {}).get("name") or ""
    note = f"{who}（以网点负责人身份）" if as_manager and item.get("owner_id") != (staff or {}).get("id") else who
    history.mark_followup(item["id"], "done", note=note)
    return AgendaChange(item["id"], item.get("title") or "", item.get("status") or "open", "done", item.get("due"))


def undo(history: Any, change: AgendaChange) -> None:
    """Put a follow-up back as it was before `change` (the undo is logged in its history too)."""
    history.mark_followup(change.followup_id, change.before, note="撤销", due=change.before_due)
