"""`coach demo`: a demo branch so a new user sees every screen with something in it.

Five staff in all roles, 30 customers across the segments (maturities, some within 7 days;
birthdays; tags), weeks of live and rehearsal sessions, due and overdue follow-ups, a dozen WeChat
groups in varied health, group events, flags with comments, drill items. Seeded: the same day
gives the same branch. `events` makes the history about that big, appended in bulk.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from assistant.core.history.demo_data import CUSTOMER_KINDS, FLAG_COMMENTS, GROUP_EVENTS, GROUPS, PRODUCTS, STAFF, SURNAMES
from assistant.core.history.demo_lines import Lines
from assistant.core.history.demo_sessions import SessionMaker, session_starts

#: Events appended per write when building a big history.
CHUNK = 20000


def make_staff(history: Any) -> list[dict]:
    staff = [history.add_staff(name, role, id=ident) for ident, name, role in STAFF]
    history.set_current_staff("u-demo-wealth")
    return staff


def make_customers(rng: random.Random, today: date) -> list[dict]:
    out = []
    for i, (segment, suffix, tier, tags) in enumerate(CUSTOMER_KINDS):
        name = SURNAMES[i] + suffix
        products = _products(rng, today, i, tier)
        birthday = _birthday(rng, today, i)
        out.append({
            "id": f"c-demo-{i + 1:02d}", "name": name, "segment": segment, "asset_tier": tier,
            "products": products, "birthday": birthday, "tags": list(tags),
            "notes": "喜欢电话沟通" if i % 3 == 0 else "",
            "contact": {"phone": f"13{rng.randint(5, 9)}{rng.randint(10000000, 99999999)}", "wechat": f"wx_demo_{i + 1}",
                        "allow": ["wechat", "phone"] if i % 4 else ["phone", "sms"]},
            "created": (today - timedelta(days=200 - i)).isoformat(),
            **({"first_contact": (today - timedelta(days=2)).isoformat()} if i in (13, 19) else {}),
            **({"adopted": (today - timedelta(days=1)).isoformat()} if i == 3 else {}),
        })
    return out


#: What a customer of each asset tier may hold in one product: never more than the tier says
#: (a 10-20万 customer holding 50万 made the panel and the replies disagree).
AMOUNTS = {"5万以下": (20000, 30000), "5-10万": (50000, 80000), "10-20万": (100000, 150000, 200000),
           "20-50万": (200000, 300000, 500000), "50-100万": (500000, 800000), "100万以上": (1000000, 2000000)}


def _products(rng: random.Random, today: date, i: int, tier: str) -> list[dict]:
    # Customers 0-4 mature soon: two T-7 reminders due today, one overdue, two in the next days.
    days = (7, 7, 5, 9, 12)[i] if i < 5 else rng.randint(14, 400)
    name, rate = PRODUCTS[i % len(PRODUCTS)]
    amount = rng.choice(AMOUNTS[tier])
    return [{"name": name, "amount": amount, "rate": rate, "maturity": (today + timedelta(days=days)).isoformat()}]


def _birthday(rng: random.Random, today: date, i: int) -> str:
    year = rng.randint(1950, 1998)
    when = today if i == 5 else today + timedelta(days=1 if i == 6 else rng.randint(2, 360))
    try:
        return when.replace(year=year).isoformat()
    except ValueError:
        return date(year, 3, 1).isoformat()


def make_sessions(history: Any, rng: random.Random, lines: Lines, staff: list[dict], customers: list[dict],
                  now: datetime, events: int | None) -> int:
    """Sessions over the last weeks (or, for `events`, enough months to hold that many)."""
    size = 50 if events else 18
    count = max(1, (events or 60 * 18) // size)
    days = 21 if not events else min(730, max(21, count // 40))
    maker = SessionMaker(rng, lines, staff, customers)
    batch_s, batch_e, written = [], [], 0
    asked = made = 1  # sessions come out a little shorter than asked: scale by what they gave so far
    for index, start in enumerate(session_starts(rng, now, days, count)):
        if events:
            size = max(8, round((events - written - len(batch_e)) / (count - index) * asked / made))
        want = rng.randint(size * 2 // 3, size * 4 // 3)
        record, evs = maker.make(start, want)
        asked, made = asked + want, made + len(evs)
        batch_s.append(record)
        batch_e.extend(evs)
        if len(batch_e) >= CHUNK:
            history.append_bulk(batch_s, batch_e)
            written += len(batch_e)
            batch_s, batch_e = [], []
    history.append_bulk(batch_s, batch_e)
    return written + len(batch_e)


def make_followups(history: Any, rng: random.Random, library: Any, now: datetime) -> int:
    """Session-end follow-ups of the last ten days: some done on time, some late, some still open."""
    from assistant.core.followup_rules import followups_for_session_end

    rows = []
    recent, _ = history.query_sessions(_filter(since=(now - timedelta(days=10)).date(), mode="live"), limit=None)
    customers = {c["id"]: c for c in history.list_customers()}
    for s in recent:
        if s.get("outcome") not in ("待跟进", "未成交"):
            continue
        ended = datetime.fromisoformat(s["ended"])
        for record in followups_for_session_end(library, customers.get(s.get("customer_id")), s["id"], s["outcome"], ended):
            due = datetime.fromisoformat(record["due"])
            rows.append(_settle(rng, record, due, now))
    history.add_followups(rows)
    return len(rows)


def _settle(rng: random.Random, record: dict, due: datetime, now: datetime) -> dict:
    if due > now or rng.random() < 0.3:
        return record  # open: due later, or overdue
    late = rng.random() < 0.25
    done_at = due + timedelta(hours=rng.randint(2, 30)) if late else due - timedelta(hours=rng.randint(1, 20))
    done_at = min(done_at, now)
    return {**record, "status": "done", "done_at": done_at.isoformat(timespec="seconds"),
            "history": [{"time": done_at.isoformat(timespec="seconds"), "status": "done", "note": "已联系客户"}]}


def _filter(**kwargs):
    from assistant.core.history.filters import SessionFilter

    return SessionFilter(**kwargs)


def make_groups(history: Any, today: date) -> int:
    ago = lambda n: (today - timedelta(days=n)).isoformat() if n is not None else None  # noqa: E731
    ids = []
    for name, tier, role, subrole, members, created, activity, promotion, deal, tag, stage in GROUPS:
        record = {"name": name, "tier": tier, "role": role, "members": members, "created": ago(created),
                  "last_activity": ago(activity), "last_promotion": ago(promotion), "last_deal": ago(deal),
                  "owner": "李娜" if role == "主管群" else "物业/商户群主", "tag": tag, "notes": ""}
        record.update({k: v for k, v in (("subrole", subrole), ("assist_stage", stage)) if v})
        ids.append(history.add_group(**record)["id"])
    for i, (kind, text, who) in enumerate(GROUP_EVENTS):
        when = datetime.combine(today - timedelta(days=i % 3), datetime.min.time()).replace(hour=10 + i)
        history.log_group_event(ids[0 if kind == "product_question" else i % len(ids)], kind, text=text, who=who,
                                time=when.isoformat(timespec="seconds"))
    return len(ids)


def make_flags_and_drill(history: Any, rng: random.Random, lines: Lines, today: date) -> None:
    rows, _ = history.query_sessions(_filter(staff_id="u-demo-wealth", mode="live"), limit=len(FLAG_COMMENTS))
    for s, comment in zip(rows, FLAG_COMMENTS):
        history.add_flag(s["id"], rng.randint(1, 6), "u-demo-head", comment)
    for i, topic in enumerate(lines.topics[:8]):
        staff_id = ("u-demo-wealth", "u-demo-account")[i % 2]
        history.upsert_drill(id=f"drill:{staff_id}:card:{topic.card_id}", staff_id=staff_id, card_id=topic.card_id,
                             step="handle_objection", label=topic.triggers[0], source="rehearse",
                             box=1 + i % 4, streak=i % 3, due=(today + timedelta(days=i % 3 - 1)).isoformat(),
                             history=[{"date": (today - timedelta(days=3)).isoformat(), "score": 60 + 5 * i}])


def build_demo(history: Any, library: Any = None, now: datetime | None = None, events: int | None = None,
               seed: int = 7) -> dict:
    """Fill an empty history with the demo branch; returns what was made."""
    now = now or datetime.now()
    rng = random.Random(seed)
    staff = make_staff(history)
    customers = make_customers(rng, now.date())
    history.add_customers(customers)
    lines = Lines(library)
    written = make_sessions(history, rng, lines, staff, customers, now, events)
    followups = make_followups(history, rng, library, now) if library is not None else 0
    groups = make_groups(history, now.date())
    make_flags_and_drill(history, rng, lines, now.date())
    return {"staff": len(staff), "customers": len(customers), "sessions": history.session_count(),
            "events": written, "followups": followups, "groups": groups}
