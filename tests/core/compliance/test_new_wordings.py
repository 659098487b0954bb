"""Violations a new writer phrases without the usual words, each beside an honest line that shares them (session 14).

One pair per family the rules learned from own-voice sets 19-34: two figures side by side, a policy sold as a deposit by
its yearly payments, secrecy in dialect words, a return settled, risk shrugged off, off-book lending, sign now read later,
regret, the past carried forward, the bank making good a loss, personal forecasts, someone else's card, secrets asked
for, above the level, another customer's holdings, bank failure waved off, answers steered. The lines were written for
these tests, none is a table row. Rules alone (`learned=False`): the learned opinion is tested elsewhere.
"""

from __future__ import annotations

import pytest

from assistant.core.compliance.text import fold


#: (honest line that must pass, violation beside it, the rule the violation breaks)
PAIRS = [
    ("一年期定期1.45%，三年期1.75%，您看存多久合适", "一年期定期才1.45%，这款理财基准2.8%，您算算", "wealth-vs-deposit-yuan"),
    ("零存整取是每个月存一笔，到期一起取", "这是咱行的一款新存单，每年存三万，存满五年第十年取", "insurance-as-deposit"),
    ("您跟屋里人商量好了再来办", "这个你嫑跟屋里人说，买了再讲", "secrecy-from-family"),
    ("这是固定收益类的理财，收益会随净值波动", "这款给的是固定收益，一年三个点定死了", "promise-return"),
    ("风险提示那段您别划过去，我念给您听", "风险提示那段都是模板，跟您没啥关系", "dismiss-risk"),
    ("月息两分的民间借贷别碰，法院都不保护", "我表哥厂里周转，月息一分五，私下借给他", "off-book-sale"),
    ("说明书您带回去看，想好了再来签", "您先签了，那些条款回家再慢慢看", "pressure-sign-now"),
    ("犹豫期里觉得不合适，后悔了可以退", "上回犹豫了没买的那个大爷，现在悔得肠子都青了", "pressure-regret"),
    ("过去三年年化6%，过往业绩不代表未来", "过去三年年化6%，照这个势头明年也一样", "past-performance"),
    ("净值型理财到期按净值兑付，行里不会兜底", "真要是亏了，行里会先给您垫上", "no-rigid-payment"),
    ("我估计明天上午就能到账", "我估摸着这只明年能跑个六个点", "predict-return"),
    ("取现五万以上要登记，照实填用途就行", "拿你闺女的卡转，省得查你", "aml-evasion"),
    ("验证码谁要都别给，包括我", "短信里那个数字念给我听听", "ask-for-secrets"),
    ("您是谨慎型，股票型的不适合您", "您虽说是谨慎型，这只股票型的挺适合您", "above-risk-level"),
    ("别的客户买了什么，我不能告诉您", "有个老板在我这买了三百多万", "disclose-other-customer"),
    ("银行也可能出风险，所以才有存款保险", "我们行打死也倒不了", "bank-failure-promise"),
    ("测评按您的实际情况答，别往高了选", "收入那题您往高了填，不然买不了", "risk-assessment-steering"),
    ("理财跟存款不是一回事", "这个理财跟存款是一码事", "deposit-equivalence"),
    ("存款本金是没问题的，有存款保险", "这只基金本金是保住的，顶多少赚点", "promise-principal"),
    ("哪里要签我指给您，字得您自己签", "这张我先帮您签了，下回来补个字", "sign-for-customer"),
]


@pytest.mark.parametrize("honest, violation, rule", PAIRS)
def test_new_wording_flags_and_its_honest_neighbour_passes(pair_holds, honest: str, violation: str, rule: str) -> None:
    pair_holds(honest, violation, rule)


def test_voice_to_text_slips_are_read_as_the_domain_word() -> None:
    """Same length, so quotes stay exact; not inside another word (生活其实)."""
    assert fold("跟村单一个性质") == "跟存单一个性质"
    assert fold("当活其存款用") == "当活期存款用"
    assert fold("这个是保笨的") == "这个是保本的"
    assert fold("测平过期了") == "测评过期了"
    assert fold("生活其实很简单") == "生活其实很简单"
    assert fold("莫看它名字") == "别看它名字"
    assert fold("电子合同我帮您点") == "电子合同我帮您点"  # 同 as "with" (同你讲 → 跟你讲), not inside 合同
    assert fold("同你讲") == "跟你讲"
    for text in ("跟村单一个性质", "冷净期那事儿", "风线不风线的"):
        assert len(fold(text)) == len(text)
