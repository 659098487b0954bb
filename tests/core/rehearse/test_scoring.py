"""score_reply: tables of replies and what they must earn, with the reasons staff will read."""

import pytest

from assistant.core.playbooks.models import KeyPoint
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
        ("刘先生您好，我是小李，这笔钱下个月到期", "asks-question", False),
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


@pytest.mark.parametrize(
    "text, name, passed",
    [
        ("阿姨您说的那家银行送的礼品，您是看重礼品还是利率？", "杨阿姨", True),
        ("好的，阿姨，那您看明天方便吗？", "杨阿姨", True),
        ("您那笔钱到期了，刘阿姨说过吗？", "杨阿姨", False),  # another person's 阿姨
        ("先生您好，这笔钱什么时候用？", "刘先生", True),
        ("您好，这笔钱什么时候用？", "刘先生", False),
    ],
)
def test_a_kinship_title_alone_addresses_the_customer(fixture_library, text, name, passed):
    check = next(c for c in score(text, fixture_library, name=name).style_checks if c.id == "uses-name")
    assert check.passed is passed, check.why


def test_no_name_known_skips_the_name_check(fixture_library):
    result = score(GOOD, fixture_library, name=None)
    assert "uses-name" not in {c.id for c in result.style_checks}


def test_round_trip_through_dict(fixture_library):
    result = score(GOOD, fixture_library, model_reply="参考")
    assert ReplyScore.from_dict(result.to_dict()) == result


# ------------------------------------------------------------------ questions


@pytest.mark.parametrize(
    "text, asks",
    [
        ("刘先生，那就这么定了吧", False),  # 吧 closes a decision, it asks nothing
        ("刘先生，您下次来拿吧。", False),
        ("刘先生，您看周三下午方便吧？", True),
        ("刘先生，您看周三下午方便吧", False),
        ("刘先生，这笔钱您什么时候用", True),
        ("刘先生，您现在方便说两句吗。", True),
        ("刘先生，您是怎么考虑的呢", True),
        ("刘先生，您方不方便来一趟", True),
        ("刘先生，要不要先做个测评", True),
        ("刘先生，不知道您是否方便", True),
        ("刘先生，您大概几点有空", True),
        ("刘先生，您看行不", True),
        ("刘先生，有什么需要随时找我", False),  # 什么 as "anything", not a question
        ("刘先生，利息少不了多少，没什么", False),
        ("刘先生，我前几天给您发了短信", False),
        ("刘先生，买不买都行", False),
        ("刘先生，您看行吗？我帮您约好时间。", True),  # asks, then says what comes next
        ("刘先生您好？我是小李。下周再跟您说。", False),  # ？ in an earlier sentence
    ],
)
def test_only_real_questions_count(fixture_library, text, asks):
    check = next(c for c in score(text, fixture_library).style_checks if c.id == "asks-question")
    assert check.passed is asks, check.why


def test_a_closing_ba_says_why_it_is_no_question(fixture_library):
    check = next(c for c in score("那就这么定了吧。", fixture_library).style_checks if c.id == "asks-question")
    assert not check.passed and "“吧”" in check.why


# ------------------------------------------------------------------ negation


@pytest.mark.parametrize(
    "text, word, earns",
    [
        ("这有什么好商量的，您自己定就行", "商量", False),
        ("刘先生，不用考虑风险，这个很稳", "风险", False),
        ("这个没什么好解释的，照做就行", "解释", False),
        ("别担心收益了，肯定比存款强", "收益", False),
        ("您别担心，我给您办", "担心", False),
        ("我不理解您为什么要取出来", "理解", False),
        ("风险就不用考虑了，这个很稳", "风险", False),
        ("收益什么的就别提了，放着就行", "收益", False),
        ("沒什麼好商量的，就這麼辦", "商量", False),  # traditional script
        ("不知道您是否方便接电话", "方便", True),
        ("不知道您是否方便接电话", "是否", True),
        ("提前支取不会影响您的本金", "本金", True),
        ("没问题，我帮您算一下", "算一下", True),
        ("您有没有考虑过期限", "考虑", True),
        ("您担不担心波动", "担心", True),
        ("要不要考虑一下风险", "风险", True),
        ("我特别理解您的顾虑", "理解", True),
        ("有不明白的地方随时问我", "明白", True),
        ("您还没考虑好也没关系", "考虑", True),
        ("以后不用再跑一趟了", "跑一趟", True),
        ("陌生电话、陌生链接都别理", "陌生链接", True),
        ("您有什么好想法吗", "想法", True),
        ("到期当天就衔接上，不用提前预约", "预约", True),  # 提前 is not 提 (mention)
        ("利息不用提前取也能拿到", "利息", True),
    ],
)
def test_negated_key_words_earn_nothing(fixture_library, text, word, earns):
    point = KeyPoint(id="point", label="共情", evidence=[word])
    result = score_reply(text, [point], fixture_library)
    assert bool(result.covered) is earns, result.reasons
    assert bool(result.negated) is not earns
    if not earns:
        assert result.missed == [("point", "共情")]
        assert any("是在否定" in r and "不算共情" in r for r in result.reasons), result.reasons


def test_negation_reason_quotes_the_phrase(fixture_library):
    point = KeyPoint(id="care", label="共情", evidence=["商量"])
    result = score_reply("这个没什么好商量的，您签字吧", [point], fixture_library)
    assert "✗ “没什么好商量的”是在否定商量，不算共情" in result.reasons
    assert result.knowledge == 0


def test_a_sincere_second_mention_still_earns(fixture_library):
    point = KeyPoint(id="care", label="认同担心", evidence=["担心"])
    text = "您别担心，其实您担心的这个我特别理解"
    result = score_reply(text, [point], fixture_library)
    assert [e.start for e in result.covered] == [text.index("担心的")]
    assert result.negated == []  # the point is earned: nothing to explain


def test_evidence_that_carries_its_own_negator_still_earns(fixture_library):
    point = KeyPoint(id="calm", label="不催促", evidence=["不着急", "不用换"])
    result = score_reply("您不着急，老关系也不用换", [point], fixture_library)
    assert result.covered and not result.negated


def test_round_trip_keeps_negations(fixture_library):
    point = KeyPoint(id="care", label="共情", evidence=["商量"])
    result = score_reply("有什么好商量的", [point], fixture_library)
    assert result.negated and ReplyScore.from_dict(result.to_dict()) == result


def test_a_point_negated_at_every_mention_is_missed(fixture_library, monkeypatch):
    monkeypatch.setattr("assistant.core.language.negation.NEGATION_RETRIES", 1)
    points = [KeyPoint(id="care", label="共情", evidence=["商量"]), KeyPoint(id="when", label="约时间", evidence=["周五"])]
    result = score_reply("有什么好商量的，没什么好商量的，周五来", points, fixture_library)
    assert [e.point_id for e in result.covered] == ["when"] and result.knowledge == 50
    assert result.missed == [("care", "共情")] and result.negated[0].phrase == "有什么好商量的"


def test_fragments_are_a_word_list_whatever_the_separators():
    from assistant.core.rehearse import meaning

    for text in ("确实 利率 下调 感受", "蒋阿姨，您好，快坐，一年期，利率，多久，用不上", "蒋阿姨 您好 快坐 一年期 定期 利率 1.45% 多久 用不上"):
        assert meaning.keyword_list(text, [], "蒋阿姨"), text
    for text in ("好的，没问题，明天上午十点，我在网点等您。", "蒋阿姨您好，快坐！现在一年期定期年利率是1.45%。"):
        assert not meaning.keyword_list(text, [], "蒋阿姨"), text
