"""What live fills by itself (facts), who a response is for (audience), and 「接着问」 that would
only repeat the reply's own question."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from livefakes import FakeHistory, FakeMatcher, FakeRenderer, clock, fake_check, fake_covered, make_library

from assistant.core.live.facts import heard_variables, known_variables, lead_product, term_days
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
                      "days": 1095, "remain_days": 7, "held_days": 1095 - 7}


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


@pytest.mark.parametrize("line, heard", [
    ("隔壁银行给3%", {"other_rate": 3}),
    ("人家给3.1", {"other_rate": 3.1}),
    ("别的银行利率3%", {"other_rate": 3}),
    ("你们才2.15，人家给3.1", {"other_rate": 3.1}),
    ("隔壁银行存5万给2.9%", {"other_rate": 2.9}),           # 5万 is an amount, not a rate
    ("他们那边3年期给到2.75", {"other_rate": 2.75}),        # 3年 is a term
    ("农行三年给到3个点", {"other_rate": 3, "other_bank": "农行"}),
    ("招商银行给百分之三", {"other_rate": 3, "other_bank": "招商银行"}),
    ("邮储给两点九", {"other_rate": 2.9, "other_bank": "邮储"}),
    ("你们利率3%太低", {}),                                # our own rate
    ("你们银行给3%", {}),
    ("放在银行利息才3%", {}),                               # a bank, not another one
    ("我在别的银行存了5万", {}),                             # no rate said
    ("利息太低了", {}),
])
def test_what_the_customer_says_about_another_banks_rate(line, heard):
    assert heard_variables(line) == heard


def test_another_banks_rate_the_customer_said_fills_the_reply_from_that_line_on():
    card = Card(id="other", title="他行报价", topic="rate_low", triggers=["隔壁银行"], responses=[Response(
        text="{{ amount | wan }}存{{ days }}天，{{ rate | pct }}和{{ other_rate | pct }}大概差"
             "{{ interest_diff(amount, rate, other_rate, days) }}元。")])
    session = _session([card])
    assert "【他行报价】" in session.suggestion_for("other").reply
    first = session.customer_said("隔壁银行给3%")
    assert first.items[0].reply == "20万元存1095天，2.15%和3%大概差5100元。" and first.items[0].missing == ()
    session.customer_said("那我再想想")
    assert session.suggestion_for("other").reply.endswith("2.15%和3%大概差5100元。")
    session.set_var("other_rate", "2.2")  # what staff type wins over what was heard
    assert session.suggestion_for("other").reply.endswith("2.15%和2.2%大概差300元。")


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


# ------------------------------------------------------------------ pasted chats, resume, agenda actions


def fake_session(customer=WANG) -> LiveSession:
    lib = make_library()
    return LiveSession(lib, FakeMatcher(lib), FakeRenderer(lib), FakeHistory(), staff={"id": "u1", "name": "李娜"},
                       customer=customer, clock=clock(), check=fake_check, covered=fake_covered)


def test_a_pasted_chat_is_logged_in_order_and_the_last_customer_line_drives_the_cards():
    session = fake_session()
    messages = session.read_chat("王阿姨 10:32\n收益太低了\n李娜 10:33\n这个保本\n王阿姨 10:35\n我再考虑考虑")
    found, mine = session.record_chat(session.suggest_chat(messages))
    assert [s.card_id for s in found.items] == ["think-it-over"]
    assert [(line.text, [f.rule_id for f in line.flags]) for line in mine] == [("这个保本", ["no-guarantee"])]
    lines = [(e["speaker"], e["text"]) for e in session.history.events if e.get("type") == "line"]
    assert lines == [("customer", "收益太低了"), ("staff", "这个保本"), ("customer", "我再考虑考虑")]
    assert session.matched_cards == ["rate-low-other-bank", "think-it-over"]
    assert session.stranger(messages) is None


def test_a_chat_with_someone_else_names_them():
    session = fake_session()
    messages = session.read_chat("张阿姨 10:32\n收益太低了\n李娜 10:33\n您好")
    assert session.stranger(messages) == "张阿姨"
    assert fake_session(customer=None).stranger(messages) == "张阿姨"


def test_a_one_line_forward_naming_a_known_customer_is_read_as_theirs():
    """「王阿姨：我的定期下周到期了」 typed or forwarded alone, nobody picked: 王阿姨 is a customer,
    so it is her message (the warning offers to switch); an unknown label stays the line's text."""
    session = fake_session(customer=None)
    session.history.add_customer(name="王阿姨")
    messages = session.read_chat("王阿姨：我的定期下周到期了")
    assert [(m.name, m.text) for m in messages] == [("王阿姨", "我的定期下周到期了")]
    assert session.stranger(messages) == "王阿姨"
    assert [m.text for m in session.read_chat("利率：2.15%太低了")] == ["利率：2.15%太低了"]
    assert [m.text for m in session.read_chat("张阿姨：我的定期下周到期了")] == ["张阿姨：我的定期下周到期了"]


def test_the_one_line_forward_finds_the_customer_in_a_real_store_by_its_bytes():
    """On the real store the name is looked up through the rows' bytes (a branch of 100k customers
    decoded in full took ~1.5 s on the Enter); 王阿姨(VIP) on record is still 王阿姨."""
    from assistant.core.history import History

    session = fake_session(customer=None)
    session.history = History()
    session.history.add_customer(name="王阿姨(VIP)")
    session.history.add_customer(name="李叔")
    assert [(m.name, m.text) for m in session.read_chat("王阿姨：我的定期下周到期了")] == [("王阿姨", "我的定期下周到期了")]
    assert [m.text for m in session.read_chat("张阿姨：我的定期下周到期了")] == ["张阿姨：我的定期下周到期了"]


def test_a_session_left_open_resumes_where_it_was():
    session = fake_session()
    session.customer_said("收益太低了")
    session.use(session.suggestion_for("rate-low-other-bank"))
    session.set_step("推荐产品")  # back by hand: the step now trails the furthest
    record = session.history.sessions[session.session_id]
    again = LiveSession.resume(record, session.history.events(session.session_id), library=session.library,
                               matcher=session.matcher, renderer=session.renderer, history=session.history)
    assert (again.session_id, again.step, again.furthest) == (session.session_id, "recommend", "handle_objection")
    assert again.furthest == session.furthest
    assert again.cards_used == ["rate-low-other-bank"]
    # the record holds topics only once ended: a resumed session that ends still names what was heard
    assert not record.get("topics") and again.topics == session.topics != []
    assert again.matched_cards == session.matched_cards


def test_unfinished_sessions_are_mine_recent_live_and_not_ended():
    from assistant.core.live.session import unfinished_sessions

    history = FakeHistory()
    mine = history.start_session(mode="live", staff_id="u1", started="2026-12-04T10:00:00")
    history.start_session(mode="live", staff_id="u2", started="2026-12-04T10:00:00")
    history.start_session(mode="rehearse", staff_id="u1", started="2026-12-04T10:00:00")
    history.start_session(mode="live", staff_id="u1", started="2026-11-01T10:00:00")  # too old to offer
    ended = history.start_session(mode="live", staff_id="u1", started="2026-12-04T11:00:00")
    history.end_session(ended, outcome="成交", ended="2026-12-04T11:05:00")
    assert [s["id"] for s in unfinished_sessions(history, "u1", datetime(2026, 12, 5, 9))] == [mine]


def test_only_the_owner_or_a_manager_acting_as_such_closes_a_followup():
    from assistant.core.followups import close_followup, may_close, undo

    me, boss = {"id": "u1", "name": "李娜", "role": "理财经理"}, {"id": "u9", "name": "王行长", "role": "网点负责人"}
    assert may_close(me, "u1") and may_close(me, None) and not may_close(me, "u2")
    assert not may_close(boss, "u1") and may_close(boss, "u1", as_manager=True)
    assert not may_close(me, "u2", as_manager=True)
    history = FakeHistory()
    f = history.add_followup(title="回访", due="2026-12-05T09:00", status="open")
    item = {**f, "owner_id": "u1"}
    with pytest.raises(PermissionError, match="网点负责人"):
        close_followup(history, item, {"id": "u2", "role": "理财经理"})
    change = close_followup(history, item, boss, as_manager=True)
    assert history.followups[0]["status"] == "done"
    undo(history, change)
    assert history.followups[0]["status"] == "open" and history.followups[0]["due"] == "2026-12-05T09:00"


def test_var_is_logged_in_words_not_codes():
    session = fake_session()
    session.customer_said("收益太低了")
    session.set_var("days", "90")
    assert session.history.events[-1]["text"] == "设置 期限天数 = 90"


def test_a_resumed_session_gets_the_cards_of_the_customers_last_line_back_and_logs_nothing():
    session = fake_session()
    session.customer_said("收益太低了")
    session.staff_said("您听我说")
    events = session.history.events(session.session_id)
    record = session.history.sessions[session.session_id]
    again = LiveSession.resume(record, events, library=session.library, matcher=session.matcher,
                               renderer=session.renderer, history=session.history)
    found = again.resumed_cards(events)
    assert found.query == "收益太低了" and found.items[0].card_id == "rate-low-other-bank"
    assert len(session.history.events(session.session_id)) == len(events)
    assert again.resumed_cards([]) is None
