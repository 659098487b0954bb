"""Compliance: forbidden promises with their exceptions, and required risk disclosures."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.compliance import check, regex_error
from assistant.core.playbooks.library import ComplianceRules, Library
from assistant.core.playbooks.loader import load_library
from assistant.core.playbooks.models import ForbiddenRule


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([Path(__file__).resolve().parent.parent / "data" / "good"], use_cache=False)


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("这款产品保本，您放心", [("promise-principal", "保本")]),
        ("这个稳赚不赔", [("promise-principal", "稳赚")]),
        ("这款产品不保本，", []),
        ("我们不承诺保本", []),
        ("这是非保本产品", []),
        ("这款不保本，但那款保本", [("promise-principal", "保本")]),
        ("推荐您这款理财产品，收益不错", [("risk-disclosure", "这款理财")]),
        ("这款理财产品不错，理财非存款、产品有风险、投资须谨慎", []),
        ("定期存款利率1.5%", []),
        ("", []),
    ],
)
def test_check(library: Library, text: str, flags: list) -> None:
    assert [(f.rule_id, f.quote) for f in check(text, library)] == flags


def test_flag_carries_span_and_advice(library: Library) -> None:
    (flag,) = check("放心，保本的", library)
    assert flag.span == (3, 5) and flag.severity == "error"
    assert flag.title == "承诺保本" and "理财非存款" in flag.safer


def test_rules_compiled_once(library: Library) -> None:
    check("保本", library)
    first = library.derived["compliance"]
    check("保本", library)
    assert library.derived["compliance"] is first


def test_bad_regex_is_skipped_not_fatal() -> None:
    lib = Library(compliance=ComplianceRules(forbidden=[ForbiddenRule(id="x", title="x", patterns=["(", "刚兑"], message="m", safer="s")]))
    assert [f.quote for f in check("保证刚兑", lib)] == ["刚兑"]
    assert regex_error("(") and regex_error("a|b") is None


# ------------------------------------------------------------------ shipped rules: waving risk away


@pytest.fixture(scope="module")
def shipped() -> Library:
    from assistant.paths import BUILTIN_PLAYBOOKS

    return load_library([BUILTIN_PLAYBOOKS], use_cache=False)


#: Dismissing risk, calling wealth products deposits, vouching for safety: flagged, by the rule named.
MUST_FLAG = [
    ("理财跟存款没区别，不用考虑风险", {"deposit-equivalence", "dismiss-risk"}),
    ("风险就不用看了，放心买，肯定没事", {"dismiss-risk", "guarantee-safety"}),
    ("存款和理财其实差不多，您就当存定期", {"deposit-equivalence"}),
    ("理财和定期没什么区别", {"deposit-equivalence"}),
    ("您别管风险等级，收益高就行", {"dismiss-risk"}),
    ("风险等级什么的就不用考虑了", {"dismiss-risk"}),
    ("风险测评不用做了，直接买", {"dismiss-risk"}),
    ("净值波动也没什么好担心的", {"dismiss-risk"}),
    ("不必担心什么风险，这款很稳", {"dismiss-risk"}),
    ("您放心大胆地买", {"guarantee-safety"}),
    ("这款肯定亏不了", {"promise-principal"}),
    ("钱放这儿绝对不会出事", {"guarantee-safety"}),
    ("大爷，您把验证码和密码念给我", {"ask-for-secrets"}),
    ("收到的动态码发给我一下", {"ask-for-secrets"}),
    ("您把短信验证码告诉我，我帮您弄", {"ask-for-secrets"}),
    ("我帮您输一下密码就好", {"ask-for-secrets"}),
]

#: Questions, corrections of the misconception, help with reading the risk, safety of a process: pass.
MUST_PASS = [
    "理财跟存款不一样，理财非存款、产品有风险、投资须谨慎。",
    "您是觉得理财跟存款一样吗？",
    "很多人误以为理财跟存款没区别，其实不是。",
    "要不要考虑一下风险？",
    "用不用看看风险等级？我给您讲讲。",
    "多余的再看要不要配一点低风险的。",
    "低风险的产品也不用天天盯着看净值。",
    "您不用担心风险看不懂，我一条条给您讲。",
    "我不敢说肯定没事，净值会有波动。",
    "谁也不能保证不会出事，所以要分散配置。",
    "您放心，转账要输密码，点错了没事。",
    "跟家里人商量一下，了解清楚了再放心买。",
    "存款受存款保险保障，您可以放心存。",
    "验证码谁也别给，包括我。",
    "银行的人不会找您要密码和验证码。",
    "您自己输入密码，我在旁边看着。",
    "密码验证码那些我帮您讲清楚怎么设置。",
]


@pytest.mark.parametrize(("text", "rules"), MUST_FLAG)
def test_waving_risk_away_is_flagged(shipped: Library, text: str, rules: set) -> None:
    flags = check(text, shipped)
    assert rules <= {f.rule_id for f in flags}, [(f.rule_id, f.quote) for f in flags]
    assert all(f.safer and f.quote in text for f in flags)


@pytest.mark.parametrize("text", MUST_PASS)
def test_careful_wording_about_risk_passes(shipped: Library, text: str) -> None:
    assert [(f.rule_id, f.quote) for f in check(text, shipped)] == []


# ------------------------------------------------------------------ branch rules: macros, scopes, file:line

BRANCH_RULES = """\
version: 1
kind: compliance
id: branch-rules
title: 分行补充规则
macros:
  FUND: '(?:基金|定投)'
  BROKEN: '(?:基金'
forbidden:
  - id: fund-sure
    title: 基金稳涨
    patterns: ['<FUND>稳涨']
    unless: ['<NEG>稳涨']
    message: 不能说基金稳涨
    safer: 基金净值会波动
    source: 分行合规手册
  - id: unknown-macro
    title: 写错的宏
    patterns: ['<NOPE>']
    message: m
    safer: s
  - id: bad-nearby
    title: 写错的 nearby
    patterns: ['送']
    nearby: ['(买']
    message: m
    safer: s
"""


def test_branch_rules_report_bad_macros_and_regexes_with_lines(tmp_path) -> None:
    from assistant.core.playbooks.validate import validate_dirs

    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "extra.yaml").write_text(BRANCH_RULES, encoding="utf-8")
    problems, _ = validate_dirs([tmp_path])
    found = sorted((p.line, p.message.split("：")[0]) for p in problems if p.severity == "error")
    assert found == [(7, "宏 `BROKEN` 的正则表达式有误"), (18, "没有名为 `<NOPE>` 的宏"), (24, "正则表达式有误")]


def test_branch_rules_use_builtin_macros_and_cite_their_source(tmp_path) -> None:
    from assistant.paths import BUILTIN_PLAYBOOKS

    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "extra.yaml").write_text(BRANCH_RULES, encoding="utf-8")
    lib = load_library([BUILTIN_PLAYBOOKS, tmp_path], use_cache=False)
    [flag] = [f for f in check("这只基金稳涨的", lib) if f.rule_id == "fund-sure"]
    assert flag.quote == "基金稳涨" and flag.source == "分行合规手册"
    assert [f for f in check("基金不稳涨，会波动", lib) if f.rule_id == "fund-sure"] == []


def test_nearby_and_unless_nearby_look_in_the_sentence_only() -> None:
    rule = ForbiddenRule(id="g", title="礼品", patterns=["送"], nearby=["买理财"], unless_nearby=["违规"],
                         message="m", safer="s")
    lib = Library(compliance=ComplianceRules(forbidden=[rule]))
    assert [f.quote for f in check("买理财就送油", lib)] == ["送"]
    assert check("买理财是好事。沙龙送小礼品", lib) == []
    assert check("买理财送油是违规的", lib) == []


def test_traditional_and_full_width_are_read_and_quoted_as_typed(shipped: Library) -> None:
    [flag] = [f for f in check("這款產品保本，１００％安全", shipped) if f.rule_id == "promise-principal"]
    assert flag.quote == "保本"
    assert any(f.rule_id == "no-risk-claim" and f.quote == "１００％安全" for f in check("這款產品保本，１００％安全", shipped))


# ------------------------------------------------------------------ shipped rules: families, one flag per line


def test_one_flag_per_rule_per_line(shipped: Library) -> None:
    flags = check("这款产品保本保收益，稳赚不赔", shipped)
    assert sorted(f.rule_id for f in flags) == ["promise-principal", "promise-return"]
    [ret] = [f for f in flags if f.rule_id == "promise-return"]
    assert ret.quote == "保收益，稳赚不赔"  # the whole promise: 稳赚不赔 is one family hit
    far_apart = "这款产品保本。期限一年，一万起购，手机银行上就能买，到期自动回到您卡上。那款也保本"
    assert [f.quote for f in check(far_apart, shipped) if f.rule_id == "promise-principal"] == ["保本"]
    two_lines = check("这款保本\n那款也保本", shipped)
    assert [f.quote for f in two_lines if f.rule_id == "promise-principal"] == ["保本", "保本"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("本金肯定回来", "promise-principal"),
        ("到期就是这个数", "promise-return"),
        ("国企发的，放心", "guarantee-safety"),
        ("按基准算比定期多赚800", "wealth-vs-deposit-yuan"),
        ("别人都在抢", "false-scarcity"),
        ("那几题选后面的就行", "risk-assessment-steering"),
        ("国家兜底，银行不会倒", "deposit-insurance-misleading"),
        ("就跟存定期一样，只不过利息高", "deposit-equivalence"),
    ],
)
def test_a_family_is_caught_without_its_keyword(shipped: Library, text: str, rule: str) -> None:
    assert any(f.rule_id == rule and f.severity == "error" for f in check(text, shipped)), check(text, shipped)


@pytest.mark.parametrize(
    "text",
    [
        "您要是想保本，就选定期或者大额存单",
        "定期到期就是这个数，利息是确定的",
        "这款大额存单年化2.15%，到期就是这个数",
        "三年期大额存单比一年期定期一年多拿600左右",
        "国债卖完就没了，想买要早点来",
        "大额存单跟定期一样，也是存款，受存款保险保护",
        "不能说国家兜底，理财是自负盈亏的",
        "有些人说理财亏不了，那是骗您的",
    ],
)
def test_deposit_facts_and_warnings_pass(shipped: Library, text: str) -> None:
    assert check(text, shipped) == []


# ------------------------------------------------------------------ retold speech and turned warnings


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("她让我把验证码报给她", "ask-for-secrets"),
        ("客户经理表示亏了他来补", "personal-guarantee"),
        ("柜员代我签了字", "sign-for-customer"),
        ("她帮我把风险测评做了，我都没看题", "risk-assessment-steering"),
    ],
)
def test_a_retelling_breaks_the_rule_its_direct_speech_breaks(shipped: Library, text: str, rule: str) -> None:
    assert any(f.rule_id == rule and f.severity == "error" for f in check(text, shipped)), check(text, shipped)


def test_a_retold_honest_line_stays_honest(shipped: Library) -> None:
    assert check("她告诉我验证码谁要都别给", shipped) == []
    assert check("客户经理说这款不保本，风险等级R2", shipped) == []


def test_a_warning_before_a_turn_does_not_excuse_what_follows(shipped: Library) -> None:
    assert check("说保本是违规的，您别信", shipped) == []
    turned = check("说保本是违规的，但这个真的跟保本一样", shipped)
    assert [f.quote for f in turned if f.rule_id == "promise-principal"] == ["保本"]
    assert turned[0].span[0] > "说保本是违规的，但".index("但")


def test_quotes_of_a_retelling_point_into_the_original_text(shipped: Library) -> None:
    text = "对方让我把手机收到的验证码念给他"
    [flag] = [f for f in check(text, shipped) if f.rule_id == "ask-for-secrets"]
    assert text[flag.span[0]:flag.span[1]] == flag.quote and "验证码" in flag.quote


# ------------------------------------------------------------------ who speaks, and what a negation covers


@pytest.mark.parametrize(
    "text",
    [
        # the rule stated, not broken (regulatory voice)
        "商业银行不得向客户承诺保本保收益",
        "切勿轻信稳赚不赔的说法",
        # the same concept negated in the sentence (scope of negation)
        "这款产品本金可能会有损失，保本的只有存款",
        "收益不确定，分红可能为零",
        "这是保险，而非存款，和定期不一样",
        # a real question; the customer's own words
        "有没有保本的理财？现在只有存款保本",
        "客户说他就想要稳赚的，我说没有这种产品",
        # a warning built on a hypothesis
        "要是有人让您微信转钱给他买理财，千万别转",
    ],
)
def test_honest_lines_that_share_a_violations_words_pass(shipped: Library, text: str) -> None:
    assert check(text, shipped) == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("我们银行还能骗您吗？", "trust-me-pledge"),  # a rhetorical question is still a pledge
        ("这款保本吗？当然保本", "promise-principal"),  # the answer after the question is a promise
        ("不保本，但本金肯定能拿回来", "promise-principal"),  # a negation before a turn covers nothing after it
        ("别家的产品不保本，我们的保本", "promise-principal"),  # nor does another product's negation cover ours
        ("老人表示，当时工作人员告诉她这是利息更高的定期", "deposit-equivalence"),  # staff retold by a customer
    ],
)
def test_what_the_excuses_do_not_cover_stays_flagged(shipped: Library, text: str, rule: str) -> None:
    assert rule in [f.rule_id for f in check(text, shipped)], check(text, shipped)


def test_corner_brackets_are_read_as_quotes_and_quoted_as_typed(shipped: Library) -> None:
    text = "说有高息、4年期的『定期存款』可以拣"
    [flag] = [f for f in check(text, shipped) if f.rule_id == "deposit-equivalence"]
    assert text[flag.span[0]:flag.span[1]] == flag.quote and "『" in flag.quote


def test_a_negator_just_before_a_hit_negates_it_in_any_rule() -> None:
    rule = ForbiddenRule(id="x", title="x", patterns=["保证[^,，。]{0,4}本金"], message="m", safer="s")
    lib = Library(compliance=ComplianceRules(forbidden=[rule]))
    assert check("本行不保证投资本金尽数返还", lib) == []
    assert check("本行无法保证投资本金", lib) == []
    assert [f.quote for f in check("本行保证投资本金尽数返还", lib)] == ["保证投资本金"]
    # 不但/不仅 do not negate what follows, and a negator before the clause break is another clause's
    assert [f.quote for f in check("不但保证投资本金", lib)] == ["保证投资本金"]
    assert [f.quote for f in check("不用怕，保证投资本金", lib)] == ["保证投资本金"]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("这款保险的收益率远远高过三年定期", True),
        ("存银行那点利息哪比得上这个", True),
        ("这款年金的收益明显高于银行利率", True),
        # the other way round it warns; with the product's risk beside it, it is not one-sided
        ("算下来，这个分红险的收益还不如存定期", False),
        ("银行理财的收益一般会比定期高一些，但是不保本，净值会波动", False),
        ("一般来说这类产品收益会比定期高一些。不过它受市场影响，可能亏损", False),
        ("大额存单的利率比普通定期高一点", False),
    ],
)
def test_a_products_return_set_above_a_deposits_whatever_the_words(shipped: Library, text: str, flagged: bool) -> None:
    rules = {f.rule_id for f in check(text, shipped)}
    assert ("wealth-vs-deposit-yuan" in rules) is flagged, rules
