"""Follow-ups from the playbooks' `followup` rules (FollowupRule): after a session ends
待跟进/未成交 (24 h first contact, 72 h result), product maturity T-7, birthdays, holidays, new
contacts, and the 精英群/潜在群 deadlines; and the agenda: what is due and overdue today, each
with the card or scenario to open.

Pure functions over plain dicts and rules, except `agenda`, which also records the date-driven
follow-ups it finds (with stable ids, so they are made once and can be marked done or postponed).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from datetime import date, datetime, time, timedelta
from typing import Any, Callable, Iterable

from assistant.core.playbooks.models import FollowupRule

#: Date-driven follow-ups fall due at this time of day.
MORNING = time(9, 0)
PENDING = ("open", "postponed")
DEFAULT_OUTCOMES = ("待跟进", "未成交")

#: Holidays staff send greetings for: fixed dates, and lunar ones as (lunar month, day), which
#: lunar_python turns into this year's date (春节 正月初一, 端午 五月初五, 中秋 八月十五).
FIXED_HOLIDAYS = {"元旦": "01-01", "妇女节": "03-08", "劳动节": "05-01", "国庆节": "10-01"}
LUNAR_HOLIDAYS = {"春节": (1, 1), "端午节": (5, 5), "中秋节": (8, 15)}


def rules_of(source: Any) -> list[FollowupRule]:
    """The rules of a Library (its `followup_rules`) or an iterable of rules."""
    rules = getattr(source, "followup_rules", source)
    return list(rules or [])


def _offset(rule: FollowupRule) -> timedelta:
    return timedelta(hours=rule.hours or 0, days=rule.days or 0)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def _to_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _record(rule: FollowupRule, customer: dict | None, due: datetime, title: str, **extra: Any) -> dict:
    return {
        "customer_id": (customer or {}).get("id"), "rule_id": rule.id, "due": _stamp(due), "title": title,
        "card_id": rule.card, "scenario_id": rule.scenario, "message": rule.message, "status": "open", **extra,
    }


def _name(customer: dict | None) -> str:
    return (customer or {}).get("name") or "客户"


# ------------------------------------------------------------------ event-driven


def followups_for_session_end(rules: Any, customer: dict | None = None, session_id: str | None = None,
                              outcome: str | None = None, now: datetime | None = None) -> list[dict]:
    """Follow-ups for a session that ended with `outcome` (e.g. 24 h first contact, 72 h result)."""
    now = now or datetime.now()
    out = []
    for rule in rules_of(rules):
        if rule.after == "session_end" and outcome in (rule.outcomes or DEFAULT_OUTCOMES):
            out.append(_record(rule, customer, now + _offset(rule), f"{_name(customer)}：{rule.title}",
                               session_id=session_id))
    return sorted(out, key=lambda r: r["due"])


def followups_for_event(rules: Any, customer: dict | None, event: str, when: datetime) -> list[dict]:
    """Follow-ups after an activity (a salon, a movie night) the customer came to."""
    return sorted((_record(r, customer, when + _offset(r), f"{_name(customer)}：{r.title}（{event}）")
                   for r in rules_of(rules) if r.after == "event"), key=lambda r: r["due"])


# ------------------------------------------------------------------ date-driven


def _window(rule: FollowupRule, anchor: date, today: date, grace: int = 0) -> datetime | None:
    """The due moment when `today` lies between it and the anchor (plus grace days), else None."""
    due = datetime.combine(anchor, MORNING) + _offset(rule)
    last = max(anchor, due.date()) + timedelta(days=grace)
    return due if due.date() <= today <= last else None


#: Hex digits of a team-wide reminder id (identity.RANDOM_HEX: it travels as a global id).
RANDOM_HEX = 20


def _auto_id(rule: FollowupRule, key: str, anchor: date) -> str:
    """Stable and short (staff type it): the same rule, customer and date give the same id."""
    digest = hashlib.sha1(f"{rule.id}|{key}|{anchor.isoformat()}".encode()).hexdigest()[:8]
    return f"f-{digest}"


def maturity_followups(customers: Iterable[dict], today: date, rules: Any) -> list[dict]:
    """T-7 (or the rule's offset) before each product's maturity, from the day it falls due until maturity."""
    out = []
    for rule in (r for r in rules_of(rules) if r.after == "maturity"):
        for customer in customers:
            for product in customer.get("products") or ():
                maturity = _to_date(product.get("maturity"))
                due = maturity and _window(rule, maturity, today)
                if due:
                    title = f"{_name(customer)}：{product.get('name', '产品')} {maturity.month}月{maturity.day}日到期（{rule.title}）"
                    out.append(_record(rule, customer, due, title, id=_auto_id(rule, customer["id"], maturity),
                                       anchor=maturity.isoformat()))
    return out


def _next_birthday(birthday: date, today: date) -> date:
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidate = birthday.replace(year=year)
        except ValueError:  # 29 February
            candidate = date(year, 3, 1)
        if candidate >= today - timedelta(days=1):
            return candidate
    return birthday


def birthday_followups(customers: Iterable[dict], today: date, rules: Any) -> list[dict]:
    out = []
    for rule in (r for r in rules_of(rules) if r.after == "birthday"):
        for customer in customers:
            born = _to_date(customer.get("birthday"))
            if not born:
                continue
            anchor = _next_birthday(born, today)
            due = _window(rule, anchor, today)
            if due:
                title = f"{_name(customer)}：{anchor.month}月{anchor.day}日生日（{rule.title}）"
                out.append(_record(rule, customer, due, title, id=_auto_id(rule, customer["id"], anchor),
                                   anchor=anchor.isoformat()))
    return out


@lru_cache(maxsize=8)
def holidays_of(year: int) -> dict[str, date]:
    """The greeting holidays of a Gregorian year with their dates."""
    from lunar_python import Lunar  # ~10 ms to import: only when a holiday rule is applied

    out = {name: date.fromisoformat(f"{year}-{md}") for name, md in FIXED_HOLIDAYS.items()}
    for name, (month, day) in LUNAR_HOLIDAYS.items():
        solar = Lunar.fromYmd(year, month, day).getSolar()  # always in the same Gregorian year
        out[name] = date(solar.getYear(), solar.getMonth(), solar.getDay())
    return out


def holidays_near(today: date, days: int = 14) -> list[tuple[str, date]]:
    found = []
    for year in (today.year, today.year + 1):
        for name, when in holidays_of(year).items():
            if today - timedelta(days=1) <= when <= today + timedelta(days=days):
                found.append((name, when))
    return sorted(found, key=lambda x: x[1])


def holiday_followups(today: date, rules: Any) -> list[dict]:
    """One greeting task per holiday (to the staff member's customers and groups), not one per customer."""
    out = []
    for rule in (r for r in rules_of(rules) if r.after == "holiday"):
        for name, when in holidays_near(today):
            due = _window(rule, when, today)
            if due:
                out.append(_record(rule, None, due, f"{name}（{when.month}月{when.day}日）：{rule.title}",
                                   id=_auto_id(rule, "all", when), anchor=when.isoformat()))
    return out


#: Which customer date starts a new_contact rule: when staff got the contact, or adopted the customer.
NEW_CONTACT_ANCHOR = {"adopt-call-rounds": "adopted"}


def new_contact_followups(customers: Iterable[dict], today: date, rules: Any) -> list[dict]:
    """From the customer's `first_contact` date (or `adopted` for the adopt-call rounds), not `created`:
    importing a customer list must not flood the agenda."""
    out = []
    for rule in (r for r in rules_of(rules) if r.after == "new_contact"):
        field_name = NEW_CONTACT_ANCHOR.get(rule.id, "first_contact")
        for customer in customers:
            created = _to_date(customer.get(field_name))
            due = created and _window(rule, created, today, grace=3)
            if due:
                out.append(_record(rule, customer, due, f"{_name(customer)}：{rule.title}",
                                   id=_auto_id(rule, customer["id"], created), anchor=created.isoformat()))
    return out


GROUP_RULES = {"group_elite": "精英", "group_potential": "潜在"}


def group_followups(groups: Iterable[dict], today: date, rules: Any) -> list[dict]:
    """精英群 N days without a deal, 潜在群 N days without a promotion (counted from the last one)."""
    out = []
    for rule in (r for r in rules_of(rules) if r.after in GROUP_RULES):
        since_field = "last_deal" if rule.after == "group_elite" else "last_promotion"
        for group in groups:
            if group.get("tier") != GROUP_RULES[rule.after]:
                continue
            anchor = _to_date(group.get(since_field)) or _to_date(group.get("created"))
            due = anchor and datetime.combine(anchor, MORNING) + _offset(rule)
            if due and due.date() <= today:
                out.append(_record(rule, None, due, f"{group.get('name', '群')}：{rule.title}",
                                   id=_auto_id(rule, group["id"], anchor), group_id=group["id"],
                                   anchor=anchor.isoformat()))
    return out


def date_followups(customers: list[dict], groups: list[dict], today: date, rules: Any) -> list[dict]:
    """Every date-driven follow-up falling due by `today` (stable ids: made once)."""
    rules = rules_of(rules)
    return [*maturity_followups(customers, today, rules), *birthday_followups(customers, today, rules),
            *holiday_followups(today, rules), *new_contact_followups(customers, today, rules),
            *group_followups(groups, today, rules)]


def date_candidates(today: date, rules: Any) -> Callable[[bytes], bool]:
    """Whether a customer's stored JSON may be due for a date-driven rule today: a birthday on a
    month-day, or a maturity / first-contact / adoption date, near enough to `today` (every rule's
    offset plus the grace days, and a day either side). A pre-filter on the bytes (a few
    `bytes.find` a row), so `agenda` decodes a few customers instead of all of them;
    `date_followups` still decides."""
    import math

    offsets = [abs(_offset(r)) for r in rules_of(rules) if r.after in ("maturity", "birthday", "new_contact")]
    reach = math.ceil(max(offsets, default=timedelta()) / timedelta(days=1)) + 3 + 2
    days = [today + timedelta(days=d) for d in range(-reach, reach + 1)]
    month_days = {d.strftime("%m-%d").encode() for d in days}
    if b"03-01" in month_days:
        month_days.add(b"02-29")  # greeted on 1 March in other years
    exact = {d.isoformat().encode() for d in days}

    def keep(raw: bytes) -> bool:
        for key, wanted, cut in _DATE_KEYS:
            at = raw.find(key)
            while at >= 0:
                start = at + len(key)
                if raw[start + cut:start + 10] in (month_days if wanted else exact):
                    return True
                at = raw.find(key, start)
        return False

    # The same test as byte patterns, one a key: a store can search a big table's bytes with them
    # (every row `keep` accepts matches one) instead of calling `keep` on every row.
    keep.patterns = [re.compile(re.escape(key) + b"." * cut + b"(?:" + b"|".join(
        re.escape(v) for v in sorted(month_days if wanted else exact)) + b")", re.DOTALL) for key, wanted, cut in _DATE_KEYS]
    return keep


#: (the key as stored, True for a month-day of any year, where the compared part starts).
_DATE_KEYS = ((b'"birthday":"', True, 5), (b'"maturity":"', False, 0), (b'"first_contact":"', False, 0),
              (b'"adopted":"', False, 0))


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

    def as_dict(self) -> dict:
        return asdict(self)


def agenda(history: Any, library: Any, today: date, viewer: dict | None = None) -> list[AgendaItem]:
    """Due and overdue follow-ups, overdue first; records the date-driven ones it finds first.

    With a `viewer` (the signed-in staff member): a 网点负责人 sees the team's (colleagues' from the
    team folder under their owner); anyone else only this PC's (see `visible_to`)."""
    rules = rules_of(library)
    customers = due_customers(history, today, rules)  # not all 100k: only those a date may concern
    groups = history.list_groups()
    held = history.list_followups()
    known = {f["id"] for f in held} | {_subject(f) for f in held}
    new = [r for r in team_ids(history, date_followups(customers, groups, today, rules), customers, groups)
           if r["id"] not in known and _subject(r) not in known]
    if new:
        history.add_followups(new)
    names = _NameCache(history)
    due = history.list_followups(due_before=(today + timedelta(days=1)).isoformat(), status=PENDING)
    owners: dict[str, Any] = {"customers": names.prefetch(f.get("customer_id") for f in due)}
    items = []
    for f in due:
        state = "overdue" if f["due"][:10] < today.isoformat() else "due"
        items.append(AgendaItem(
            id=f["id"], title=f.get("title") or "", due=f["due"], state=state, status=f["status"],
            rule_id=f.get("rule_id"), customer_id=f.get("customer_id"), customer_name=names.get(f.get("customer_id")),
            card_id=f.get("card_id"), scenario_id=f.get("scenario_id"), message=f.get("message"),
            group_id=f.get("group_id"), session_id=f.get("session_id"), owner_id=owner_of(history, f, owners),
        ))
    if viewer is not None:
        items = [i for i in items if visible_to(history, viewer, i.owner_id)]
    return sorted(items, key=lambda i: (i.state != "overdue", i.due))


def _subject(followup: dict) -> tuple:
    """What a date-driven follow-up is about: one rule, one customer or group, one date."""
    return followup.get("rule_id"), followup.get("customer_id"), followup.get("group_id"), followup.get("anchor")


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
