"""Follow-ups from the playbooks' `followup` rules (FollowupRule): after a session ends
待跟进/未成交 (24 h first contact, 72 h result), after an activity, product maturity T-7,
birthdays, holidays, new contacts, and the 精英群/潜在群 deadlines; and `date_candidates`, the
byte pre-filter that tells which stored customers a date-driven rule may concern today.

Pure functions over plain dicts and rules (nothing here reads or writes a history); the agenda
that records and lists them is in followups.py.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from datetime import date, datetime, time, timedelta
from typing import Any, Callable, Iterable

from assistant.core.playbooks.models import FollowupRule

#: Date-driven follow-ups fall due at this time of day.
MORNING = time(9, 0)
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
