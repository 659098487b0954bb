"""Honest staff speech in the forms it reaches the public (news, notices, correct 话术, posts) and everyday counter talk
that the rules used to flag, each beside a violation that shares its words and must still flag (issue 13, session 11,
everyday honest sets 4-6). One pair per reading mechanism: a claim reported in general or in quotes and disowned, a
question put back and refused, a notice's own voice, an act denied, money on the account, a deposit set against a
deposit, a structured deposit's floor and cap, a disclosure said in other words, a regional word. The lines were written
for these tests, none is a data row. Rules alone (`learned=False`).
"""

from __future__ import annotations

import pytest

from assistant.core.compliance import check


#: (honest line that must pass, violation beside it, the rule the violation breaks)
PAIRS = [
    # a claim reported in general (凡/任何 + 声称…的), or in quotes and then disowned, refuted, asked about or explained
    ("凡是号称“稳赚不赔”的项目，都不是银行的产品。", "这个项目稳赚不赔。", "promise-return"),
    ("朋友圈里“保本高收益”的广告都别信。", "这款理财保本，收益也高。", "promise-principal"),
    ("老客户念叨的“保本理财”现在早就没了。", "这款是保本理财。", "promise-principal"),
    ("好几位大爷来问“保本理财”，我都请他们看存款。", "这款理财保本。", "promise-principal"),
    ("“保本”是说存款的，不是说这款理财。", "这款理财是保本的。", "promise-principal"),
    # what someone told the customer, refuted (讲错, 留神, 不对劲), or not to be listened to
    ("哪个跟您讲基金保本，那是讲错了。", "这只基金保本。", "promise-principal"),
    ("您电话里说的那个保本年化15%的项目，听着就不对劲，千万留神。", "这个项目保本，年化15%。", "promise-principal"),
    ("别听老李说他买的基金赚了多少，各人情况不一样。", "老李上个月买了二十万这款基金。", "disclose-other-customer"),
    # a question put back and refused
    ("您儿子要替您签字？这可不行，得您本人签。", "您儿子替您签个字就行。", "sign-for-customer"),
    ("让别人代您签名是不行的，得本人来。", "我替您签了，您不用跑。", "sign-for-customer"),
    # the family kept from acting for the customer is not the family kept in the dark; 一块儿 is not a son
    ("测评得您自己做，别让孩子替您答。", "这笔钱先别让孩子知道。", "secrecy-from-family"),
    ("银行卡和密码别放一块儿。", "这事先别跟您儿子讲。", "secrecy-from-family"),
    # a bank's notice in its own voice
    ("本行从未授权任何人以“内部理财”名义吸收资金。", "这是我们行的内部理财，外面买不到。", "off-book-sale"),
    # an act denied (未向其推荐), 朋友圈 is not a friend, a suspicious message shown to staff, 不放心 is no voucher
    ("经查，该员工未向客户推荐与其风险承受能力不符的产品。", "您是保守型，我给您推荐这款R4的。", "above-risk-level"),
    ("我朋友圈里发的理财都是咱行代销的，说明书可以给您。", "这是我朋友公司的理财产品，收益高。", "off-book-sale"),
    ("收到拿不准的短信电话，转发给我看看再说。", "短信里的验证码念给我一下。", "ask-for-secrets"),
    ("接到自称银行的电话不放心的话，就打官方客服问。", "我们银行的产品，您放心。", "guarantee-safety"),
    # a quota told truthfully
    ("来问的人多，但额度比较紧张，我们会如实告诉您能不能排上。", "额度比较紧张，您赶紧定。", "false-scarcity"),
    # a deposit set against a deposit; money on the account; a deposit's early withdrawal; a wish answered with a deposit
    ("七天通知存款要提前通知才能取，利率比活期高一点。", "这款理财比活期高多了，一年多赚几百块。", "wealth-vs-deposit-yuan"),
    ("您的卡消磁了，换张新卡，钱在账上一分不少。", "这款理财钱一分不少，到期全给您。", "promise-principal"),
    ("理财就别折腾了，放定期，真急用提前支取也就少点利息，本金一分不少。", "这款理财提前支取也就少点利息，本金一分不少。", "promise-principal"),
    ("想要本金有保障，可以考虑存款。", "这款理财本金有保障。", "promise-principal"),
    ("大额存单也是存款，跟定期一样受存款保险保护。", "这款理财跟定期一样。", "deposit-equivalence"),
    # a structured deposit's floor and cap, hanging on what it is linked to
    ("这期结构性存款挂钩黄金，最低收益率1.3%，最高3.1%，看金价表现。", "这期结构性存款肯定能拿到3.1%。", "predict-return"),
    # the disclosure in other words: think before buying, a benchmark said not to be a return
    ("这款理财没有犹豫期，买之前要想清楚。", "这款理财期限一年，起购1万。", "wealth-risk-disclosure"),
    ("更正一下：这款理财业绩比较基准2.8%，不是收益2.8%。", "这款理财业绩比较基准2.8%。", "wealth-risk-disclosure"),
    # a court rejecting the claim; fraudsters named as the actors; a case under investigation; a friend's pitch refuted
    ("原告主张理财经理承诺保本，但缺乏证据，法院不予支持。", "原告称理财经理承诺保本保收益。", "promise-principal"),
    ("近期有不法分子冒充银行客服，以“账户异常”为由索要验证码。", "客户经理以送油为由劝老人买理财。", "misleading-sale-reported"),
    ("该行已对涉事员工私售行为展开调查。", "该员工私售理财产品，承诺年化10%。", "misleading-sale-reported"),
    ("我妈想买她朋友推荐的高息项目，柜员劝了半小时，还帮我们报了警。", "我朋友推荐的这个项目保本，您也买点。", "promise-principal"),
    # deposits listed as the subject; a customer's wish in quotes; the customer's own new account
    ("我们只能说存款和国债是保本的，理财不行。", "存款和这款理财都是保本的。", "promise-principal"),
    ("面对想要“保本”的老年客户，应先推荐存款或国债。", "想要“保本”的话买这款理财就行。", "promise-principal"),
    ("本行对新开立个人账户设置了非柜面交易限额。", "钱转到我个人账户上，我帮您买。", "off-book-sale"),
    # a complaint found groundless; an act denied toward its listener; a practice named and judged
    ("客户投诉称理财经理承诺保本，经调取双录视频，投诉不成立。", "客户投诉称理财经理承诺保本，银行至今没有回应。", "promise-principal"),
    ("经核查，涉事员工并未向客户承诺收益。", "经理向客户承诺收益8%，客户才买的。", "promise-return"),
    ("把保险说成存款是典型的销售误导。", "这个保险就是存款，到期连本带利。", "insurance-as-deposit"),
    ("这个基金去年涨了百分之二十，不代表今年还能涨。", "这个基金去年涨了百分之二十，值得配一点。", "wealth-risk-disclosure"),
    ("这个理财急用钱能赎回，不过按当天净值，可能比买的时候少一点。", "这个理财急用钱能赎回，起购1万。", "wealth-risk-disclosure"),
    # the confusion warned against
    ("买保险主要是保障，想存钱就存定期，别把保险当存款。", "这个保险就当存款，到期连本带利。", "insurance-as-deposit"),
    # a warning, then a turn to the product pointed at: the warning does not excuse what follows the turn
    ("别听他说什么保本，这款不保本的。", "别听他说什么风险，这款保本的。", "promise-principal"),
    # a fake platform in the news is not a peer run down
    ("新闻里说的那家出事的是网上的假平台，正规银行的存款都有存款保险。", "隔壁那家银行要出事了，钱赶紧转过来。", "disparage-peers"),
    # Hunan 冒得 (没有)
    ("冒得哪个能保证收益的，说明书写的是业绩比较基准。", "这款收益肯定有保证。", "promise-return"),
]


@pytest.mark.parametrize(("honest", "violation", "rule_id"), PAIRS)
def test_the_honest_line_passes_and_its_neighbour_still_flags(lib, honest: str, violation: str, rule_id: str) -> None:
    assert [f.rule_id for f in check(honest, lib, learned=False)] == []
    assert rule_id in {f.rule_id for f in check(violation, lib, learned=False)}
