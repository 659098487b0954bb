"""The customer's situation inside a marketer's question, and how the matcher reads it."""

from __future__ import annotations

import pytest

from assistant.core.language.frames import Situation, situation
from assistant.core.language.matcher import Matcher


@pytest.mark.parametrize(("text", "expected"), [
    ("客户说利率太低怎么回", Situation("利率太低", True)),
    ("客户说“现在利息太低了”，我该怎么回", Situation("现在利息太低了", True)),
    ("客户嫌手续费高怎么说服", Situation("嫌手续费高", True)),
    ("老客户总是担心理财亏本，我们应该如何解释？", Situation("总是担心理财亏本", True)),
    ("遇到亏了钱的客户怎么安抚", Situation("亏了钱", False)),
    ("客户不愿意加微信怎么办", Situation("不愿意加微信", False)),
    # The situation before the customer: what is left without the staff's frame words.
    ("产品净值一跌，客户就来网点闹，怎么办？", Situation("产品净值一跌，就来闹", False)),
    ("面对客户的‘利率太低’质疑，如何回应", Situation("利率太低", True)),
    ("产品到期收益没达到预期，客户很不满意，怎么沟通", Situation("产品到期收益没达到预期，很不满意", False)),
    # 有哪些话术 asks like 有什么; the question may come first and the customer after it.
    ("对于总嫌收益低的客户，有哪些话术？", Situation("总嫌收益低", False)),
    ("怎么去说服犹豫不决的客户", Situation("犹豫不决", False)),
    ("如何安抚亏了钱的老客户？", Situation("亏了钱", False)),
])
def test_the_situation_is_read_out_of_the_question(text: str, expected: Situation) -> None:
    assert situation(text) == expected


@pytest.mark.parametrize("text", [
    "老客户多久联系一次合适",  # no customer situation: a staff question of its own
    "客户经理如何维护老客户",  # 客户经理 is staff, not the customer
    "利息太低了",  # the customer speaking
    "群里没人说话怎么办",
    "若你是大堂经理，遇到这种情况你会怎么处理？",  # nothing left once the frame is gone
    "该怎么去说服这样的客户？",  # 这样的: the situation was said before, not here
    "如何维护老客户",
])
def test_no_situation(text: str) -> None:
    assert situation(text) is None


def _matcher() -> Matcher:
    return Matcher([
        ("rate-low", "objection", "rate_low", "嫌利息低", "利息太低了"),
        ("rate-low", "objection", "rate_low", "嫌利息低", "这点利息没意思"),
        ("probe", "conversion", "step_probe", "问出需求", "客户说不需要怎么回"),
        ("wechat", "group_fix", "low_interaction", "客户不加微信", "客户不愿意加微信怎么办"),
        ("no-wechat", "objection", "no_wechat", "不愿加微信", "我不加微信"),
    ], cutoff=0, use_cache=False)


def test_a_quoted_concern_finds_the_customer_card() -> None:
    # Read whole, 客户说…怎么回 is a staff question and its frame words find the staff card.
    assert _matcher().search("客户说利息太低了怎么回")[0].card_id == "rate-low"


def test_a_bare_state_keeps_the_staff_card_first() -> None:
    assert _matcher().search("客户不愿意加微信怎么办")[0].card_id == "wechat"
