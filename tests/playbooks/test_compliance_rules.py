"""The shipped compliance rules on real staff talk: recommendations need the risk disclosure,
questions about what the customer already holds or knows do not, and ordinary careful wording
(不保本, 产品有风险, 过往业绩不代表未来) is never flagged.

Runs `assistant.core.compliance.check` against the built-in `playbooks/compliance/rules.yaml`.
"""

from __future__ import annotations

import pytest

from assistant.core.compliance import check, compiled_rules, regex_error
from assistant.core.compliance.rules import library_macros
from assistant.core.playbooks.loader import load_library
from assistant.paths import BUILTIN_PLAYBOOKS

DISCLOSURE = "wealth-risk-disclosure"
RISK_WORDS = "理财非存款、产品有风险、投资须谨慎。"

#: Staff recommending a wealth product or fund: without the risk words this must be flagged.
RECOMMENDATIONS = [
    "我给您推荐一款理财，风险等级R2。",
    "推荐您看看我们行新发的这只基金。",
    "建议您把一部分钱配到稳健理财里。",
    "建议您拿20万买点理财。",
    "您可以考虑一下这款理财，期限半年。",
    "可以考虑配一点净值型产品。",
    "给您配一只债券基金，波动小一些。",
    "这款理财是R2级的，期限113天。",
    "这只基金近一年表现还可以。",
    "这期理财下周一开始募集。",
    "这款产品的业绩比较基准是2.8%。",
    "稳享90天，业绩比较基准3.1%，起购1万。",
    "买这个理财的话，起购金额是1万。",
    "您就买这款理财吧，期限和您用钱的时间正好对得上。",
    "我们行有款理财挺适合您的。",
    "这笔钱到期后转成理财怎么样？",
    "您可以把闲钱放到理财里。",
    "新发的这期净值型产品期限一年。",
    "您不妨试试我们行的理财。",
    "建议您每个月定投一点基金。",
    "我建议您选这款中低风险的理财。",
    "这款理财很适合您这种稳健型的客户。",
    "给您挑了一款理财，您看看。",
    "帮您选了两只基金，一只稳一点，一只进取一点。",
    "推荐您配置一部分净值产品。",
    "这只理财您可以买一点。",
    "业绩基准是百分之二点八，期限九十天。",
    "稳享113天理财，R2级，起购1万。",
    "咱们行的理财募集期到12月10日。",
]

#: Questions about, or mentions of, what the customer holds or knows; careful wording; no rule applies.
NORMAL_TALK = [
    "您之前买过理财吗？",
    "您现在手上有没有理财？",
    "以前买过一点理财",
    "理财和存款有什么不一样您了解吗",
    "您手上的理财产品什么时候到期？",
    "您做过基金定投吗？",
    "您买理财主要看重什么，收益还是灵活？",
    "您之前买的那款理财收益怎么样？",
    "您家里有人买基金吗？",
    "您对净值型产品了解多少？",
    "您手上这款理财下周到期，到期资金会自动回到您卡上。",
    "您这个理财是在哪个银行买的？",
    "您说的这个理财是哪家银行的？",
    "大额存单20万起购，利率比普通定期高一点。",
    "您现在的钱主要放在哪儿，存款还是理财？",
    "您说的那个基金亏了多少？",
    "您上次说基金亏了，现在还拿着吗？",
    "您有没有配置一些理财？",
    "我是您的理财经理小王，有事随时找我。",
    "周六我们网点有个理财沙龙，欢迎您来听听。",
    "推荐您来参加我们的理财小课堂。",
    "不保本，这个我得先跟您说清楚。",
    "没有保本这一说，净值会有波动。",
    "产品有风险，投资须谨慎。",
    "过往业绩不代表未来表现。",
    "现在的理财都是净值型的，到期按实际净值兑付。",
    "保本理财已经没有了，资管新规以后都是净值型。",
    "您要是想保本的话，定期存款和大额存单更合适。",
    "存款受存款保险保障，理财不保本。",
    "定期存款利率1.5%，三年期的。",
    "理财不是存款，收益会有波动。",
    "理财不能等同于存款。",
    "历史业绩只能参考，不代表这一期。",
    "我不敢跟您说零风险，任何投资都有风险。",
    "现在已经打破刚兑了，没有刚性兑付这回事。",
    "您先把说明书和风险揭示书看一看，考虑好了再办。",
    "跟家里人商量一下挺好的。",
    "业绩比较基准不是承诺收益，您别当成到手的数。",
    "这个我没法保证，收益会有波动。",
    "您考虑清楚再定，不着急。",
    "不是吓唬您，最近冒充客服的骗子真的多。",
    "家里人有空就一起来，没空不用让孩子专门请假。",
    "手机丢了出了事马上找我挂失。",
    "上期的表现只能参考，这期不一定一样。",
    "大额存单保本保息，有存款保险。",
    "今天不办也没关系，额度到12月10日都有。",
    "我没法跟您保证收益，只能说清楚风险等级。",
    "谁也不敢说稳赚。",
]

#: Real breaches stay flagged, by the rule named (the exceptions above must not open holes).
BREACHES = [
    # Vague comfort and a vague comparison with a deposit are still a guarantee and a deposit
    # comparison, even with the risk sentence after them.
    ("到期以后可以买点理财，比活期强。", "wealth-vs-deposit-yuan"),
    ("这个理财挺稳的，波动小。理财非存款，产品有风险，投资须谨慎。", "guarantee-safety"),
    ("这款理财保本，您放心。", "promise-principal"),
    ("您想保本就买这款。", "promise-principal"),
    ("您要是想保本的话，这款就行。", "promise-principal"),
    ("本金绝对安全，不会少的。", "promise-principal"),
    ("这款跟定期一样保本。", "deposit-equivalence"),
    ("收益肯定能拿到3%。", "promise-return"),
    ("这个稳赚不赔。", "promise-return"),
    ("这款零风险。", "no-risk-claim"),
    ("今天不买就没了。", "false-scarcity"),
    ("到期一定刚兑。", "no-rigid-payment"),
    ("理财就是存款，放心。", "deposit-equivalence"),
    ("业绩比较基准就是您到手的收益。", "benchmark-as-promise"),
    ("不买您肯定会后悔。", "pressure-regret"),
    ("我这是吓唬您吗？不买真会后悔。", "pressure-regret"),
    ("这事先别告诉您儿子。", "secrecy-from-family"),
    ("亏了算我的。", "personal-guarantee"),
    ("上期达到了，所以这期肯定也能到。", "past-performance"),
]


@pytest.fixture(scope="module")
def lib():
    return load_library([BUILTIN_PLAYBOOKS], use_cache=False)


def _flags(text: str, lib) -> list[tuple[str, str]]:
    return [(f.rule_id, f.quote) for f in check(text, lib)]


def test_every_rule_pattern_compiles(lib) -> None:
    rules = lib.compliance
    patterns = [p for r in rules.forbidden for p in (*r.patterns, *r.unless)]
    patterns += [p for r in rules.disclosures for p in r.when]
    macros = library_macros(lib)
    assert [p for p in patterns if regex_error(p, macros)] == []
    forbidden, disclosures = compiled_rules(lib)
    assert sum(len(d.when) for d in disclosures) == sum(len(r.when) for r in rules.disclosures)


@pytest.mark.parametrize("text", RECOMMENDATIONS)
def test_recommendation_needs_the_disclosure(lib, text: str) -> None:
    assert DISCLOSURE in [rule for rule, _ in _flags(text, lib)]
    assert _flags(text + RISK_WORDS, lib) == []


@pytest.mark.parametrize("text", NORMAL_TALK)
def test_normal_talk_is_not_flagged(lib, text: str) -> None:
    assert _flags(text, lib) == []


@pytest.mark.parametrize(("text", "rule"), BREACHES)
def test_breaches_stay_flagged(lib, text: str, rule: str) -> None:
    assert rule in [r for r, _ in _flags(text, lib)]


def test_safer_wording_is_itself_compliant(lib) -> None:
    rules = [*lib.compliance.forbidden, *lib.compliance.disclosures]
    bad = {r.id: _flags(r.safer, lib) for r in rules if _flags(r.safer, lib)}
    assert bad == {}


def test_every_rule_cites_its_source_and_is_listed_in_coverage(lib) -> None:
    from pathlib import Path

    rules = [*lib.compliance.forbidden, *lib.compliance.disclosures]
    assert [r.id for r in rules if not r.source] == []
    coverage = (Path(BUILTIN_PLAYBOOKS) / "COVERAGE.md").read_text(encoding="utf-8")
    assert [r.id for r in rules if f"`{r.id}`" not in coverage] == []
