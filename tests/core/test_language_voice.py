"""Who is talking (a customer's concern or a marketer's question) and how the matcher leans on it."""

from __future__ import annotations

import pytest

from assistant.core.language.matcher import Matcher
from assistant.core.language.voice import voice


@pytest.mark.parametrize(("text", "expected"), [
    ("我不加你微信", "customer"),
    ("你们天天打电话烦不烦", "customer"),
    ("客户不加我微信怎么办", "marketer"),
    ("社群怎么运营", "marketer"),
    ("客户经理跟我说能保本", "customer"),  # 客户经理 is who the customer talks about
    ("我是老客户了", "customer"),
    ("那我取出来再存进去不就是新客户了吗", "customer"),
    ("利率多少", None),
])
def test_voice(text: str, expected) -> None:
    assert voice(text) == expected


def _matcher() -> Matcher:
    return Matcher([
        ("no-wechat", "objection", "no_wechat", "不愿加微信", "加微信就不用了"),
        ("low-interaction", "group_fix", "low_interaction", "客户不加微信", "怎么让人愿意加微信"),
    ], cutoff=0, use_cache=False)


def test_the_same_words_lean_to_the_speakers_side() -> None:
    m = _matcher()
    assert m.search("我为什么要加你微信")[0].card_id == "no-wechat"
    assert m.search("客户为什么不愿意加微信")[0].card_id == "low-interaction"


def test_a_line_without_cues_is_not_leaned(monkeypatch) -> None:
    m = _matcher()
    leaned = {r.card_id: r.score for r in m.search("加微信")}
    monkeypatch.setattr("assistant.core.language.matcher.VOICE_LEAN", 1.0)
    assert {r.card_id: r.score for r in m.search("加微信")} == leaned
