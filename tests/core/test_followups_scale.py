"""Date-driven follow-ups at branch scale: `agenda` decodes only the customers a date may concern
(a pre-filter on the stored bytes), and finds exactly what a walk over every customer finds."""

from __future__ import annotations

from datetime import date, timedelta

from assistant.core.followup_rules import date_followups
from assistant.core.followups import agenda, due_customers
from assistant.core.history import History
from assistant.core.playbooks.models import FollowupRule

RULES = [
    FollowupRule(id="maturity-t7", title="到期前7天通知", after="maturity", days=-7),
    FollowupRule(id="birthday", title="生日问候", after="birthday", days=0),
    FollowupRule(id="new-contact", title="新客户回访", after="new_contact", days=1),
    FollowupRule(id="adopt-call-rounds", title="认领回访", after="new_contact", days=2),
]


def _customers(h: History) -> None:
    start = date(2024, 1, 1)
    rows = []
    for i in range(0, 1200, 3):  # every third day of three years, each date field in turn
        day = (start + timedelta(days=i)).isoformat()
        field = ("birthday", "maturity", "first_contact", "adopted")[i % 4]
        row = {"name": f"客户{i}", "products": [{"name": "定期", "maturity": day}]} if field == "maturity" else {
            "name": f"客户{i}", field: day}
        rows.append(row)
    rows.append({"name": "闰日", "birthday": "1964-02-29"})
    rows.append({"name": "无日期"})
    h.add_customers(rows)


def test_prefilter_finds_what_a_full_walk_finds():
    h = History()
    _customers(h)
    everyone = h.list_customers()
    for offset in range(0, 1100, 4):
        today = date(2024, 1, 1) + timedelta(days=offset)
        some = due_customers(h, today, RULES)
        assert len(some) < len(everyone) // 4
        full = date_followups(everyone, [], today, RULES)
        assert date_followups(some, [], today, RULES) == full, today


def test_leap_day_birthday_is_greeted_on_first_of_march():
    h = History()
    h.add_customers([{"name": "闰日", "birthday": "1964-02-29"}, {"name": "别人", "birthday": "1964-07-01"}])
    found = date_followups(due_customers(h, date(2025, 3, 1), RULES), [], date(2025, 3, 1), RULES)
    assert [f["title"] for f in found] == ["闰日：3月1日生日（生日问候）"]


def test_agenda_names_the_customer_without_listing_everyone():
    h = History()
    _customers(h)
    items = agenda(h, RULES, date(2024, 1, 7))
    assert items and all(i.customer_name and i.customer_name.startswith("客户") for i in items)
