"""The violation families session 14 did not reach, each beside an honest line that shares its words (session 15).

Gifts and rebates tied to a purchase, invented quotas and deadlines, superlatives, peers run down, vouching with one's own
pocket or everyone's purchase, the deposit-insurance cap waved off, the benchmark as what is paid, the cooling-off period
and the surrender loss waved off, other customers' business told, and reported misselling (a report that names a seller
acting on a customer is no market report). The lines were written for these tests, none is a table row. Rules alone
(`learned=False`): the learned opinion is tested elsewhere.
"""

from __future__ import annotations

import pytest

from assistant.core.compliance.text import fold


#: (honest line that must pass, violation beside it, the rule the violation breaks)
PAIRS = [
    ("春联来网点就能领，办不办业务都有", "这份年金签下来，我给您准备一套茶具", "gift-inducement"),
    ("手机银行买基金申购费打一折，系统统一的", "这只基金10万以上我送您两张超市卡", "gift-inducement"),
    ("现金存五万以上要登记一下", "新存五十万定期，给您张加油卡", "deposit-gift"),
    ("保费按合同交，犹豫期内退保退还保费", "首年佣金我退您一半，您在我这买", "rebate"),
    ("这期额度以系统为准，您想好再定", "全行就十个名额，我偷偷给您留了一个", "false-scarcity"),
    ("利率调整以公告为准，不着急定", "明天起收益全部下调，今天最后机会", "false-scarcity"),
    ("全县哪家收益最高我说不准，只讲我们这款", "市面上收益最高的就是这只", "superlative-claim"),
    ("我家里也买了这款，不过跟您不一样，不能作为理由", "整条街的老板都买了，你跟着买就对了", "trust-me-pledge"),
    ("王总您让我兜底，这个我真做不到", "少一分我拿工资给您垫上", "personal-guarantee"),
    ("存款保险同一家银行本息合计50万元以内全额赔付", "超过五十万也一样赔，您放心存", "deposit-insurance-misleading"),
    ("存款保险管的是存款，50万以内", "您放一百万在这，有存款保险兜着，一分不会少", "deposit-insurance-misleading"),
    ("业绩比较基准是测算的参考，不是承诺", "基准写多少，到期就给您多少", "benchmark-as-promise"),
    ("您说基准4个点就是4个点吧？不是哦，到手看净值", "基准4个点就是给4个点", "benchmark-as-promise"),
    ("别家的产品我不评价，各有特点", "那家行的理财去年亏了一大片", "disparage-peers"),
    ("犹豫期是十五天，这期间退保只扣工本费", "冷静期那些您不用管，签完就行", "misleading-sale-reported"),
    ("提前退保会有损失，按现金价值退", "这份保险哪年想退都不亏，退回来比交的多", "insurance-return-promise"),
    ("别人存了多少我不能说", "您隔壁的张老板在我们行有两百多万", "disclose-other-customer"),
    ("据报道，该行今年开展了反诈宣传", "据报道，有银行职员教客户用亲戚账户存，就不会被问来源", "aml-evasion"),
]


@pytest.mark.parametrize("honest, violation, rule", PAIRS)
def test_unreached_family_flags_and_its_honest_neighbour_passes(pair_holds, honest: str, violation: str, rule: str) -> None:
    pair_holds(honest, violation, rule)


def test_more_voice_to_text_slips() -> None:
    """里财/鸡准/以经 read as 理财/基准/已经, same length; 这里财务 stays."""
    assert fold("转成里财") == "转成理财"
    assert fold("鸡准写着4.0") == "基准写着4.0"
    assert fold("以经定了") == "已经定了"
    assert fold("这里财务室") == "这里财务室"
