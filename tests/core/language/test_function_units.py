"""Function words are no topic: units made only of them weigh little, and a line that only thanks
gets no dimmed card."""

from __future__ import annotations

import pytest

from assistant.core.language import textnorm
from assistant.core.language.matcher import DEFAULT_CUTOFF, Matcher, shows_guess
from assistant.core.language.matchprep import FUNCTION_WEIGHT, chinese_units, unit_weight

CARDS = [("insured", "objection", "insurance_product", "保险", "单位帮我买了"),
         ("rate", "objection", "rate_low", "利息", "利息太低了"),
         ("fee", "objection", "fee", "手续费", "手续费太贵"),
         ("loss", "objection", "past_loss", "亏过", "以前买理财亏过钱"),
         ("busy", "objection", "too_busy", "没空", "我现在没空")]


def test_function_only_pairs_and_words_are_marked_and_light() -> None:
    norm = "帮我查一下余额"
    units = chinese_units(norm, textnorm.syllables(norm), [("帮", "bang"), ("余额", "yue")])
    assert {"f:b:bang wo", "f:b:yi xia", "f:t:bang", "f:u:bang"} <= units
    assert {"b:yu e", "t:yue", "u:yu"} <= units and "b:bang wo" not in units
    assert unit_weight("f:b:bang wo") == FUNCTION_WEIGHT < unit_weight("b:yu e")


@pytest.mark.parametrize("line", ["帮我看一下余额", "你们帮我看一下"])
def test_a_shared_function_pair_alone_does_not_reach_the_cutoff(line: str) -> None:
    # 帮我 is in one trigger of five: its IDF looked like content (帮我查一下余额 scored 32.5 and
    # 你们帮我看一下 35.8 here). 帮我查一下余额 is now also a counter errand, shown no guess at all
    # (language.errands), so the pair is read in a line that is none.
    found = Matcher(CARDS, use_cache=False, cutoff=0).search(line)
    assert [m.card_id for m in found] == ["insured"]
    assert found[0].score < DEFAULT_CUTOFF * 0.75


def test_content_still_finds_its_card() -> None:
    [top, *_] = Matcher(CARDS, use_cache=False).search("你们利息太低了吧")
    assert (top.card_id, top.tier) == ("rate", "sure")


@pytest.mark.parametrize("line, only", [
    ("真是太感谢你们了，及时阻止了我", True), ("谢谢!谢谢!你们真是太好了!", True),
    ("不用了，谢谢", False), ("谢谢，不过我再考虑考虑", False), ("谢谢你，可我还是担心亏本", False),
    ("谢谢你还惦记着。最近忙着给孩子张罗出国留学的事", False), ("谢谢，我已经有理财了", False),
    ("利息太低了", False),
])
def test_only_thanks(line: str, only: bool) -> None:
    assert textnorm.only_thanks(textnorm.normalize(line)) is only


def test_a_thanking_line_keeps_a_sure_card_and_loses_its_guesses() -> None:
    m = Matcher(CARDS, use_cache=False)
    assert [(r.card_id, r.tier) for r in m.search("以前买过理财")] == [("loss", "maybe")]
    assert m.search("真是太感谢你们了，以前买过理财") == []
    assert [(r.card_id, r.tier) for r in m.search("利息太低了，谢谢")] == [("rate", "sure")]
    assert m.search("不用了，谢谢，利息太低")[0].tier == "maybe"  # declines: her guess stays


def test_a_customer_gets_no_guess_from_a_staff_card() -> None:
    m = Matcher([*CARDS, ("seniors", "segment", "segment_senior", "老年客户", "退休老人有什么需求")], use_cache=False)
    staff = [r.card_id for r in m.search("小区里的退休老人的需求怎么挖")]
    assert staff[:1] == ["seniors"]  # a marketer's question finds it
    # The same words with no voice cue, or a marketer's own story (我), still guess it; said by a
    # customer to the staff (您), nothing shows.
    assert [(r.card_id, r.tier) for r in m.search("家里有退休老人，有点需求")] == [("seniors", "maybe")]
    assert [(r.card_id, r.tier) for r in m.search("我家里有退休老人，有点需求")] == [("seniors", "maybe")]
    assert m.search("您好，我家里有退休老人，有点需求") == []
    assert shows_guess(False, False, "segment") and shows_guess(True, False, "objection")
    assert not shows_guess(True, False, "segment") and not shows_guess(False, True, "objection")
