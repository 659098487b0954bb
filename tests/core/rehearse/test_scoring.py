"""score_reply: tables of replies and what they must earn, with the reasons staff will read."""

import pytest

from assistant.core.models import KeyPoint
from assistant.core.rehearse.scoring import ReplyScore, copied_spans, score_reply

POINTS = [
    KeyPoint(id="self-intro", label="报上身份", evidence=["我是", "理财经理"]),
    KeyPoint(id="reason", label="说明来意", evidence=["到期", "提醒您"]),
]
LINE = "喂？我要开会，什么事？"
GOOD = "刘先生您好，我是理财经理小李，您那笔理财快到期了，提醒您一下，耽误您一分钟可以吗？"


def score(text, lib, **kw):
    return score_reply(text, POINTS, lib, customer_line=kw.pop("line", LINE), customer_name=kw.pop("name", "刘先生"), **kw)


@pytest.mark.parametrize(
    "text, low, high, passed",
    [
        (GOOD, 95, 100, True),
        ("我是理财经理，您的产品快到期了。", 80, 90, True),  # all points, no question, no name
        ("刘先生您好，最近忙吗？", 15, 30, False),  # polite but covers nothing
        ("喂？我要开会，什么事？", 0, 5, False),  # a copy of the customer
        ("保本的，您放心，我是理财经理，到期了提醒您，可以吗？", 0, 0, False),  # compliance fail
        ("", 0, 0, False),
    ],
)
def test_score_table(fixture_library, text, low, high, passed):
    result = score(text, fixture_library)
    assert low <= result.total <= high, result.reasons
    assert result.passed is passed


def test_covered_points_quote_the_reply(fixture_library):
    result = score(GOOD, fixture_library)
    assert {e.point_id for e in result.covered} == {"self-intro", "reason"}
    for e in result.covered:
        assert GOOD[e.start : e.end] == e.quote
    assert any("「理财经理」" in r for r in result.reasons)


def test_compliance_fail_gives_safer_wording(fixture_library):
    result = score("这个保本，您放心。", fixture_library)
    assert result.total == 0 and result.failed_compliance
    assert result.flags[0].rule_id == "promise-principal"
    assert any("理财非存款" in r for r in result.reasons)


def test_empty_reply_says_why(fixture_library):
    result = score("  ", fixture_library)
    assert result.total == 0 and result.reasons == ["没有回复内容，得 0 分。"]
    assert [m[0] for m in result.missed] == ["self-intro", "reason"]


def test_evidence_only_inside_copied_words_does_not_count(fixture_library):
    line = "我是想问问我那笔到期的钱怎么办"
    copy = "我是想问问我那笔到期的钱怎么办？您好"
    result = score(copy, fixture_library, line=line)
    assert result.covered == [] and result.total < 10
    assert not next(c for c in result.style_checks if c.id == "not-copy").passed


@pytest.mark.parametrize("line", ["好。", "嗯，好的"])
def test_short_customer_lines_are_not_copied(line):
    assert copied_spans("好的王姐，我是理财经理小李", line) == []


def test_copied_spans_map_to_the_original_text():
    spans = copied_spans("您说『我要开会了』对吧", "我要开会了，什么事")
    assert spans == [(3, 8)]


@pytest.mark.parametrize(
    "text, check_id, passed",
    [
        ("刘先生您好，我是小李，这笔钱什么时候用？", "asks-question", True),
        ("刘先生您好，我是小李，这笔钱什么时候用", "asks-question", False),
        ("刘总，您那笔钱下周到期，方便说两句吗", "uses-name", True),
        ("你那笔钱下周到期了，要不要续", "polite", False),
        ("短", "length", False),
        ("长" * 300, "length", False),
    ],
)
def test_style_checks(fixture_library, text, check_id, passed):
    result = score(text, fixture_library)
    check = next(c for c in result.style_checks if c.id == check_id)
    assert check.passed is passed and check.why


def test_no_name_known_skips_the_name_check(fixture_library):
    result = score(GOOD, fixture_library, name=None)
    assert "uses-name" not in {c.id for c in result.style_checks}


def test_round_trip_through_dict(fixture_library):
    result = score(GOOD, fixture_library, model_reply="参考")
    assert ReplyScore.from_dict(result.to_dict()) == result
