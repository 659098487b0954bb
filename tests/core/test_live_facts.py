"""What live fills by itself (facts), who a response is for (audience), and 「接着问」 that would
only repeat the reply's own question."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from livefakes import FakeHistory, FakeMatcher, FakeRenderer, clock, fake_check, fake_covered, make_library

from assistant.core.live.facts import known_variables, lead_product, term_days
from assistant.core.live.session import LiveSession, repeats_last_question
from assistant.core.playbooks.library import CardRef
from assistant.core.playbooks.models import Card, Response

TODAY = date(2026, 12, 5)
WANG = {"id": "c1", "name": "王阿姨", "segment": "senior", "products": [
    {"name": "稳享90天", "amount": 50000, "rate": 2.6, "maturity": "2027-03-01"},
    {"name": "三年期定期", "amount": 200000, "rate": 2.15, "maturity": "2026-12-12"},
]}


def test_the_product_maturing_next_brings_its_facts():
    values = known_variables(WANG, {"name": "李娜"}, TODAY)
    assert values == {"name": "王阿姨", "staff_name": "李娜", "product": "三年期定期", "amount": 200000,
                      "rate": 2.15, "deposit_rate": 2.15, "maturity_date": "2026-12-12",
                      "remain_days": 7, "held_days": 1095 - 7}


def test_a_matured_product_is_not_the_lead_and_a_wealth_product_has_no_deposit_rate():
    lead = lead_product(WANG["products"], date(2026, 12, 20))
    assert lead["name"] == "稳享90天"
    values = known_variables({"products": [lead]}, None, date(2026, 12, 20))
    assert "deposit_rate" not in values and values["remain_days"] == 71


@pytest.mark.parametrize("name, days", [("三年期定期", 1095), ("6个月定期", 180), ("稳享90天", 90), ("活期", None)])
def test_term_from_the_product_name(name, days):
    assert term_days({"name": name}) == days


def _session(cards: list[Card]) -> LiveSession:
    from assistant.core.playbooks.render import Renderer

    lib = make_library()
    for c in cards:
        lib.cards[c.id] = CardRef(card=c, file_id="f", kind="objection", path="x.yaml", line=1)
    return LiveSession(lib, FakeMatcher(lib), Renderer(lib), FakeHistory(), staff={"id": "u1", "name": "李娜"},
                       customer=WANG, clock=clock(datetime(2026, 12, 5, 10)), check=fake_check, covered=fake_covered)


def test_rate_card_is_filled_from_the_customer_and_money_is_said_roughly():
    card = Card(id="calc", title="算账", topic="rate_low", triggers=["利息低"], responses=[Response(
        text="{{ name }}，您{{ product }}{{ amount | wan }}，{{ rate | pct }}，还有{{ remain_days }}天到期；"
             "多存一年约多{{ interest_diff(amount, rate, 2.26, 365) }}元。我是{{ staff_name }}。")])
    s = _session([card]).suggestion_for("calc")
    assert s.reply == "王阿姨，您三年期定期20万元，2.15%，还有7天到期；多存一年约多220元。我是李娜。"
    assert s.missing == ()


def test_a_staff_tip_is_shown_apart_and_never_sent():
    card = Card(id="tipped", title="到期客户", topic="maturity", triggers=["到期"], follow_up="下个月还有哪些客户到期？",
                responses=[Response(text="先查一下客户名下还有哪些产品。", audience="staff"),
                           Response(text="{{ name }}，您的定期快到期了，想好怎么安排了吗？")])
    only_tip = Card(id="only-tip", title="内部提示", topic="maturity", triggers=["提示"], follow_up="还有谁要联系？",
                    responses=[Response(text="把本月到期名单拉出来。", audience="staff")])
    session = _session([card, only_tip])
    s = session.suggestion_for("tipped")
    assert (s.audience, s.reply, s.tip) == ("customer", "王阿姨，您的定期快到期了，想好怎么安排了吗？", "先查一下客户名下还有哪些产品。")
    tip = session.suggestion_for("only-tip")
    assert (tip.audience, tip.for_customer, tip.follow_up) == ("staff", False, None)
    with pytest.raises(ValueError, match="提示"):
        session.use(tip)
    assert not [e for e in session.history.events if e["speaker"] == "staff"]


@pytest.mark.parametrize("reply, follow_up, repeats", [
    ("我们算一笔账。您这笔钱大概什么时候会用到？", "您这笔钱大概什么时候会用到？", True),
    ("好的，您主要顾虑哪一点？", "您最担心的是哪一点？", True),
    ("理解您，我们算一笔账。", "您这笔钱大概什么时候会用到？", False),
    ("您看要不要先做个测评？", "家里人怎么看？", False),
])
def test_follow_up_that_repeats_the_replys_last_question(reply, follow_up, repeats):
    assert repeats_last_question(reply, follow_up) is repeats
