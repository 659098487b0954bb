"""Follow-up rules as tables with a fixed clock (rule shapes as in playbooks/followup/rules.yaml)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from assistant.core.followup_rules import (
    birthday_followups,
    followups_for_session_end,
    group_followups,
    holiday_followups,
    holidays_of,
    maturity_followups,
)
from assistant.core.followups import agenda, postpone_to
from assistant.core.history import History
from assistant.core.playbooks.models import FollowupRule

NOW = datetime(2026, 11, 25, 15, 30)
TODAY = NOW.date()
RULES = [
    FollowupRule(id="first-contact-24h", title="24小时内首次回访", after="session_end", hours=24,
                 outcomes=["待跟进", "未成交"], card="rate-low-other-bank"),
    FollowupRule(id="result-72h", title="72小时内出结果", after="session_end", hours=72, outcomes=["待跟进", "未成交"]),
    FollowupRule(id="maturity-t7", title="到期前7天通知", after="maturity", days=-7, scenario="maturity-call"),
    FollowupRule(id="birthday", title="生日问候", after="birthday", days=0, scenario="birthday-care"),
    FollowupRule(id="holiday", title="节日问候", after="holiday", days=-2),
    FollowupRule(id="elite-group-3d", title="精英群3天无成交", after="group_elite", days=3),
    FollowupRule(id="potential-group-2w", title="潜在群两周无晋级", after="group_potential", days=14),
]
CUSTOMER = {"id": "c1", "name": "王阿姨"}


@pytest.mark.parametrize("outcome, due", [
    ("待跟进", ["2026-11-26T15:30", "2026-11-28T15:30"]),
    ("未成交", ["2026-11-26T15:30", "2026-11-28T15:30"]),
    ("成交", []),
])
def test_session_end(outcome, due):
    made = followups_for_session_end(RULES, customer=CUSTOMER, session_id="s1", outcome=outcome, now=NOW)
    assert [f["due"] for f in made] == due
    if made:
        assert made[0]["title"] == "王阿姨：24小时内首次回访" and made[0]["card_id"] == "rate-low-other-bank"
        assert made[0]["session_id"] == "s1" and made[0]["customer_id"] == "c1"


@pytest.mark.parametrize("maturity, found", [
    ("2026-12-02", True),   # exactly T-7 today
    ("2026-11-28", True),   # T-7 passed, not matured yet: still to do
    ("2026-11-25", True),   # matures today
    ("2026-12-03", False),  # T-8: not yet
    ("2026-11-24", False),  # already matured
])
def test_maturity_t7(maturity, found):
    customer = {**CUSTOMER, "products": [{"name": "三年期定期", "amount": 200000, "maturity": maturity}]}
    made = maturity_followups([customer], TODAY, RULES)
    assert bool(made) is found
    if found:
        assert made[0]["scenario_id"] == "maturity-call" and made[0]["id"].startswith("f-")


@pytest.mark.parametrize("birthday, found", [("1958-11-25", True), ("1958-11-26", False), ("1960-02-29", False)])
def test_birthday(birthday, found):
    assert bool(birthday_followups([{**CUSTOMER, "birthday": birthday}], TODAY, RULES)) is found


@pytest.mark.parametrize("year, spring, dragon_boat, mid_autumn", [
    (2026, date(2026, 2, 17), date(2026, 6, 19), date(2026, 9, 25)),
    (2031, date(2031, 1, 23), date(2031, 6, 24), date(2031, 10, 1)),  # 中秋 on 国庆
    (2033, date(2033, 1, 31), date(2033, 6, 1), date(2033, 9, 8)),
])
def test_lunar_holidays_come_from_the_calendar_any_year(year, spring, dragon_boat, mid_autumn):
    assert holidays_of(year) == {"元旦": date(year, 1, 1), "妇女节": date(year, 3, 8), "劳动节": date(year, 5, 1),
                                 "国庆节": date(year, 10, 1), "春节": spring, "端午节": dragon_boat, "中秋节": mid_autumn}


def test_holiday_greetings_do_not_stop_after_a_table_runs_out():
    titles = [f["title"] for f in holiday_followups(date(2031, 9, 29), RULES)]
    assert titles == ["国庆节（10月1日）：节日问候", "中秋节（10月1日）：节日问候"]


def test_holiday_two_days_before():
    assert holiday_followups(date(2026, 9, 23), RULES)[0]["title"].startswith("中秋节")
    assert holiday_followups(date(2026, 9, 20), RULES) == []


@pytest.mark.parametrize("group, found", [
    ({"id": "g1", "name": "精英一群", "tier": "精英", "created": "2026-11-20", "last_deal": "2026-11-21"}, True),
    ({"id": "g1", "name": "精英一群", "tier": "精英", "created": "2026-11-20", "last_deal": "2026-11-23"}, False),
    ({"id": "g2", "name": "潜在一群", "tier": "潜在", "created": "2026-11-01"}, True),
    ({"id": "g2", "name": "潜在一群", "tier": "潜在", "created": "2026-11-01", "last_promotion": "2026-11-20"}, False),
    ({"id": "g3", "name": "大众群", "tier": "大众", "created": "2025-01-01"}, False),
])
def test_group_deadlines(group, found):
    assert bool(group_followups([group], TODAY, RULES)) is found


def test_agenda_due_and_overdue_with_what_to_open(coach_home):
    h = History(clock=lambda: NOW)
    c = h.add_customer("王阿姨", birthday="1958-11-25",
                       products=[{"name": "定期", "amount": 100000, "maturity": "2026-12-02"}])
    for record in followups_for_session_end(RULES, c, "s1", "待跟进", datetime(2026, 11, 23, 10, 0)):
        h.add_followup(**record)
    items = agenda(h, RULES, TODAY)
    assert [(i.state, i.rule_id) for i in items] == [
        ("overdue", "first-contact-24h"), ("due", "maturity-t7"), ("due", "birthday")]
    assert items[0].card_id == "rate-low-other-bank" and items[0].customer_name == "王阿姨"
    assert items[1].scenario_id == "maturity-call"
    h.mark_followup(items[1].id, "done", "已电话通知")
    again = agenda(h, RULES, TODAY)
    assert [i.rule_id for i in again] == ["first-contact-24h", "birthday"]  # made once, done stays done
    assert postpone_to(date(2026, 11, 27), items[0].due) == "2026-11-27T10:00"


def test_a_preview_of_another_day_lists_its_reminders_and_stores_none(coach_home):
    h = History(clock=lambda: NOW)
    c = h.add_customer("王阿姨", birthday="1958-11-25",
                       products=[{"name": "定期", "amount": 100000, "maturity": "2026-12-02"}])
    held = h.add_followup(title="王阿姨：回访", due="2026-11-20T09:00", rule_id="first-contact-24h", customer_id=c["id"])
    before = h.list_followups()
    items = agenda(h, RULES, TODAY, record=False)
    assert [(i.state, i.rule_id) for i in items] == [
        ("overdue", "first-contact-24h"), ("due", "maturity-t7"), ("due", "birthday")]
    assert items[0].id == held["id"] and items[2].anchor == "2026-11-25"
    assert h.list_followups() == before  # looking wrote nothing
    assert len(agenda(h, RULES, TODAY)) == 3 and len(h.list_followups()) == 3  # the day itself records them


@pytest.mark.parametrize("due, words", [
    ("2026-11-22T09:00", "逾期3天"), ("2026-11-24T18:00", "逾期1天"), ("2026-11-25T09:00", "今天"),
    ("2026-11-25T23:59", "今天"), ("2026-11-26T09:00", "快到了"), ("", ""),
])
def test_due_words_say_overdue_today_or_coming(due, words):
    from assistant.core.followups import due_words

    assert due_words(due, TODAY) == words
