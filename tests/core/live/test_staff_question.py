"""A line typed into Live's 客户说 box that reads as the staff member's own question (live.asking):
its cards show as for any line, but it is logged as asked, not as the customer's, and leaves the
session's topics, step and facts alone. A line the customer could have said stays hers."""

from __future__ import annotations

import pytest
from livefakes import FakeHistory, FakeMatcher, FakeRenderer, clock, fake_check, fake_covered, make_library

from assistant.core.live.asking import ASKED_NOTE, asked_by_staff
from assistant.core.live.session import LiveSession
from assistant.core.playbooks.library import CardRef
from assistant.core.playbooks.models import Card, Response

STAFF_CARD = Card(id="followup-timing", title="什么时候跟进", topic="followup_timing", step="nurture",
                  triggers=["老客户多久联系一次", "代发员工怎么约出来"], responses=[Response(text="24 小时内首次跟进。")])


@pytest.mark.parametrize("line, staff_card, sure", [
    ("老客户多久联系一次合适？", True, False),  # talks about customers, asks, a staff-side card
    ("代发单位的员工怎么约出来", True, True),  # no voice either way: a sure staff-side card
    ("客户说利息太低怎么回", False, True),  # a question about what a customer said
    ("客户不加我微信怎么办", True, True),  # 我 inside a question about a customer
])
def test_staff_questions(line, staff_card, sure):
    assert asked_by_staff(line, staff_card, sure)


@pytest.mark.parametrize("line, staff_card, sure", [
    ("你们多久联系一次老客户？", True, True),  # said to the bank: a customer's
    ("我换手机号了，得去网点改不", True, True),  # 网点 is work talk, but she speaks as 我
    ("老客户都不给优惠，你们也太势利了", False, True),  # a customer's complaint, objection card
    ("老年人不会用手机银行，怕按错了", True, True),  # asks nothing
    ("一位储户在网点问：“我是存长的还是存短的？”", True, True),  # the question is quoted, not asked
    ("怎么联系", True, False),  # no voice, only a guess
    ("代发单位的员工怎么约出来", False, True),  # the best card answers a customer
    ("社群里发的那个活动怎么报名？", True, False),  # 社群, 商户, 老年人: customers say them too
    ("商户收款码怎么办？", True, True),
    ("老年人能买这个吗？", True, True),
])
def test_lines_the_customer_could_have_said_stay_hers(line, staff_card, sure):
    assert not asked_by_staff(line, staff_card, sure)


@pytest.fixture
def session() -> LiveSession:
    lib = make_library()
    lib.cards[STAFF_CARD.id] = CardRef(card=STAFF_CARD, file_id="f", kind="followup", path="x.yaml", line=1)
    return LiveSession(lib, FakeMatcher(lib), FakeRenderer(lib), FakeHistory(), staff={"id": "u1", "name": "小李"},
                       clock=clock(), check=fake_check, covered=fake_covered)


def test_a_staff_question_shows_its_cards_but_is_logged_as_asked(session):
    found = session.typed("老客户多久联系一次合适？")
    assert found.asked and found.items[0].card_id == "followup-timing"
    assert found.notice == ASKED_NOTE
    session.record_customer(found.query, found)
    event = session.history.events[-1]
    assert (event["speaker"], event["type"]) == ("staff", "ask")
    assert event["matches"][0]["card_id"] == "followup-timing"
    assert session.topics == [] and session.matched_cards == [] and session.step == "care"
    assert all(e["speaker"] != "customer" for e in session.history.events)


def test_a_customer_line_typed_is_still_hers(session):
    found = session.typed("收益太低了")
    assert not found.asked and found.notice is None
    session.record_customer(found.query, found)
    assert session.history.events[0]["speaker"] == "customer"
    assert session.topics == ["rate_low"] and session.step == "handle_objection"


def test_a_pasted_chat_line_is_the_customers_whatever_it_reads_like(session):
    """The chat's sender decides: only the typed line is read for the staff's own question."""
    messages = session.read_chat("王姐 10:01\n老客户多久联系一次合适？")
    found, _ = session.record_chat(session.suggest_chat(messages))
    assert not found.asked and session.history.events[0]["speaker"] == "customer"



def test_the_export_says_an_asked_line_was_a_question_to_the_coach():
    from assistant.core.history.export import TYPES, _md_line

    row = {"speaker": "staff", "type": "ask", "text": "老客户多久联系一次合适？", "time": "2026-11-25T10:00:00",
           "suggested": ["followup-timing"], "used_card": None, "edited": False, "flags": [], "score": None}
    assert _md_line(row, {"followup-timing": "什么时候跟进"}).startswith("- 10:00 **员工问教练**：老客户多久联系一次合适？")
    assert TYPES["ask"] == "问教练"
