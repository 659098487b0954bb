"""Honest staff lines the rules used to flag, each beside a violation that shares its words and must still flag.

One pair per reading mechanism (issue 13, session 11): a warning or refusal frame, a clause that refuses to promise, a
question back, a fee or loss figure that is not a return, a deposit told apart from a product, a wish for safety answered
with a deposit, a product named without being pitched. The lines were written for these tests, none is a table row.
Rules alone (`learned=False`): the learned opinion is tested in tests/core/test_learned_compliance.py.
"""

from __future__ import annotations

import pytest

from assistant.core.compliance import check


#: (honest line that must pass, violation beside it, the rule the violation breaks)
PAIRS = [
    # a product named with a notice about it is not a recommendation; pitched, it needs the disclosure
    ("这只基金上个月换了基金经理，公告我截图发您了。", "这只基金近一年表现还可以。", "wealth-risk-disclosure"),
    ("这款理财赎回不收手续费，到账是T+1。", "这款理财期限一年，起购1万。", "wealth-risk-disclosure"),
    # a benchmark with its basis, a figure said not to be promised, the risk level with its meaning
    ("业绩比较基准3%，是按它投的存单和债券测算的，不是说一定能拿到。", "这款理财业绩比较基准3%，期限一年。", "wealth-risk-disclosure"),
    ("这款理财起购1元，风险等级R2，中低风险。", "这款理财起购1元，风险等级R2。", "wealth-risk-disclosure"),
    ("业绩比较基准2.9%，它九成投债券，说明书里有测算方式。", "业绩比较基准2.9%，期限半年。", "wealth-risk-disclosure"),
    ("这款理财上一期实际年化3.2%，不代表这一期也能达到。", "这款理财上一期实际年化3.2%，期限一样。", "wealth-risk-disclosure"),
    # a fee is not a return
    ("管理费年化0.2%，每天从净值里扣。", "这款理财年化3.5%，手续费才0.1%。", "predict-return"),
    ("每年有0.3%左右的销售服务费，按天扣。", "这款理财每年有4%的收益。", "predict-return"),
    # a loss figure is a risk told
    ("这只基金是R4的，回撤可能到25%，您得有心理准备。", "这只基金收益能到8%，您放心。", "predict-return"),
    # a structured deposit's contract range, hanging on what it is linked to; said certain, it is a forecast
    ("这期结构性存款挂钩沪深300，到期看指数表现，收益率在1.5%到3%之间。", "这期结构性存款挂钩黄金，肯定能拿到3%。", "predict-return"),
    # an either-or question about what the customer wants
    ("您更在意随时能取，还是利息高一点？", "这个理财随时能取，利息还高。", "deposit-equivalence"),
    ("您是想要保本的，还是能接受一点波动？", "这款理财保本，您放心。", "promise-principal"),
    # a question back about where the claim came from
    ("您听谁说的这款理财保本？", "这款理财保本的，放心买。", "promise-principal"),
    # a refusal at the clause end
    ("不好意思，私下转账的事我们不能办。", "您私下转给我，我帮您操作。", "off-book-sale"),
    ("全市利率最高的我不敢讲，挂牌利率公告栏上都有。", "我们这款理财全市利率最高。", "superlative-claim"),
    # a clause that refuses to promise what follows
    ("我没办法承诺一定能拿到这个收益。", "一定能拿到这个收益，您放心。", "promise-return"),
    # warning frames: what one meets, a wording reported banned, a hypothesis ending in a check, a notice's 请勿相信
    ("遇到号称稳赚不赔的投资，一律别碰。", "这款理财稳赚不赔。", "promise-return"),
    ("保本保收益的说法早就被叫停了。", "这款保本保收益。", "promise-principal"),
    ("要是有人说这款保险跟存款一样，您一定要问清楚。", "这款保险跟存款一样。", "insurance-as-deposit"),
    ("请勿相信群外私聊的内部产品。", "这是我们行的内部产品，外面买不到。", "off-book-sale"),
    ("别觉得风险提示是走流程，真遇到回撤就知道有用了。", "风险提示就是走个流程，不用看。", "dismiss-risk"),
    # a definition (X是指…), and a seller named in a hypothesis that ends in a check
    ("犹豫期是指投保后一段时间内可以全额退保，过了犹豫期只能拿回现金价值。", "这款保险满五年就能全额退保。", "insurance-return-promise"),
    ("如果客户经理承诺收益，请您拨打客服热线核实。", "我承诺收益，您放心买。", "promise-return"),
    # the regulator's 不允许
    ("现在规定不允许银行兜底，到期多少就是多少。", "到期了银行兜底，您放心。", "promise-return"),
    # a deposit told apart from a product; a deposit's own papers
    ("这个是存款，不是理财，到期本息都在。", "这款理财就是存款。", "deposit-equivalence"),
    ("您这个是定期存折，里面有两笔。", "这个就是定期，您放心买。", "deposit-equivalence"),
    # a wish for safety answered with a deposit
    ("要是想跟存款一样稳，那就直接存定期。", "这款理财跟存款一样稳。", "deposit-equivalence"),
    ("真的要零风险就放存款。", "这款理财零风险。", "no-risk-claim"),
    # the customer's wish said back, and a principal said not to come back whole
    ("您要的是保本，这个增额寿前几年退保会拿不足本金，不适合您。", "这个增额寿保本，您放心。", "promise-principal"),
    # the part above a universal policy's guaranteed rate said not guaranteed
    ("万能险的结算利率每月公布，会变的，合同里只写了保底利率。", "万能险有保底利率，收益稳稳的。", "insurance-return-promise"),
    # gifting said stopped
    ("我们现在不搞买理财送东西了，上面查得严。", "买理财满5万送一桶油。", "gift-inducement"),
    # steered back within the customer's level
    ("您看中的那款超出您的风险等级了，建议看R2以内的。", "超出风险等级也能买，您签个字就行。", "above-risk-level"),
    # regional words read as Mandarin: Shaanxi 嫑 (别), 么 before 有/风险/跌 (没), 额 (我; not 额度/额外), Minnan 阮 before 行/的 (咱)
    ("谁给您说基金保本您都嫑信，基金就么有保本的。", "这个么风险，放心买。", "no-risk-claim"),
    ("阮行的定期存款是保本的，有存款保险。", "阮行这款理财保本，您放心。", "promise-principal"),
    ("嫑听人说理财跟定期一样，图稳当就存定期。", "这个净值三年么跌过，以后也一样。", "past-performance"),
    ("您的额度不够，额外的费用说明书上都写了。", "密码告诉额，额帮你在机器上取了。", "ask-for-secrets"),
]


#: Violations the rules missed, by mechanism, each beside the honest line that shares its words: a level below the product's
#: with the sale allowed anyway (也不是不行 is a yes), a 大行 named as a peer, a pension account said to pay out like a card
#: or the state said to pay for opening an account, a fixed take, a payout called certain, a private top-up, a reported quote.
PAIRS += [
    ("您是C1，R2的买不了，我不能给您操作。", "C2买R4的也不是不行，我帮您操作一下。", "above-risk-level"),
    ("我们是国有大行，存款也有存款保险。", "那几家大行服务可差了，您还是在我们这儿办。", "disparage-peers"),
    ("个人养老金账户跟普通卡不一样，钱存进去要退休才能拿。", "个人养老金账户存进去，跟普通卡一样想拿就拿。", "pension-misstatement"),
    ("开户立减金是银行的活动，不是国家补贴。", "开了这个账户，国家每年给您打五百块补贴。", "pension-misstatement"),
    ("个人养老金每年最多缴12000元，可以在个税前扣除。", "个人养老金账户里的钱，年底想用就提出来。", "pension-misstatement"),
    # a fixed take, a payout described then called certain (a deposit's is true), a private top-up in any word order
    ("国债每年固定拿2.38%的利息，到期还本。", "这款保险每年固定拿3个点。", "promise-return"),
    ("三年定期到期，本金加利息一起回到卡上，这个是肯定的。", "这款理财到期本金加收益一起回来，这是肯定的。", "promise-return"),
    ("我们不会私下给您补利息，那是违规的。", "利息我再私下给您补半个点。", "rebate"),
    # the issuer misstated: the bank said to run it itself, insurance called the bank's product (代销 said of others is no excuse)
    ("这个年金险是保险公司的产品，我们行只是代销。", "这个年金险是我们行的产品，有事直接找银行。", "issuer-misstated"),
    ("我们行的自营理财已经划给理财子公司了，现在卖的都是代销的。", "这是我们行自营的，跟外面那些代销的不一样。", "issuer-misstated"),
    ("您的额度不够，额们这边再查一下。", "这是额们信用社自己发的理财。", "issuer-misstated"),
    # likened to a deposit: 一模一样 is 一样; a deposit's own liquidity does not excuse a product thought of as one
    ("大额存单跟定期一模一样，都是存款。", "这款理财跟大额存单一模一样，就是起点低。", "deposit-equivalence"),
    ("定期存款到期连本带息取出来，一分不少。", "您把它理解成一年定存就好，到期连本带息取出来。", "deposit-equivalence"),
    # a report that quotes the words is not a market report
    ("据统计，今年以来理财产品破净率明显下降。", "据报道，某支行宣传时称“买满5万元理财送一桶油”。", "gift-inducement"),
]


#: Session 13 (issue 13): a refusal closing the clause or standing as the next clause (not a condition: 不行的话), a staff
#: member refusing the act that follows, someone else's claim knocked down (您问的/外面中介说/有宝子说/你说“…”), a loan's or a
#: card instalment's rate and a credit line (costs, not returns or scarcity), an account's money after a service event and a
#: deposit told apart from a product, a refund inside the cooling-off period, a gift said not tied to buying.
PAIRS += [
    ("密码放我这儿保管是不行的，您自己收好。", "密码放我这儿保管，不行的话您再拿回去。", "ask-for-secrets"),
    ("签空白单子这个不行，填好了再签。", "签空白的就行，不行的话再补。", "sign-for-customer"),
    ("我们不能在单子上帮您勾已阅读，您自己看完再勾。", "我帮您勾已阅读了，您签字就行。", "sign-for-customer"),
    ("您问的那个高息存款，说要先转到私人卡上，肯定有问题。", "您说的那个高息存款我们也有，利息比挂牌高。", "deposit-equivalence"),
    ("外面中介说能走银行内部渠道拿高息，跟我们行没关系。", "我们行有内部渠道，收益比外面高。", "off-book-sale"),
    ("你说“就当存个定期”，这个不对的，理财到期不一定是原来的钱。", "这款理财您就当存个定期。", "deposit-equivalence"),
    ("您讲基准就是收益 不是的哈 差别很大", "业绩比较基准就是您到手的收益。", "benchmark-as-promise"),
    ("房贷合同上年化利率3.1%，等额本息。", "这款理财年化5%，房贷利率才3.1%，买它划算。", "predict-return"),
    ("您的授信额度还剩20万没用。", "额度还剩20万，今天不买就没了。", "false-scarcity"),
    ("您买的是三年期大额存单 不是理财 是保本的", "大额存单不是理财，这款理财也是保本的。", "promise-principal"),
    ("您这张卡很久没用变成久悬户了，钱不会少，来网点激活就行。", "这款理财放着，钱不会少。", "promise-principal"),
    ("犹豫期里退的话保费全额退给您，过了犹豫期按现金价值退。", "手续费我给您退一半。", "rebate"),
    ("我们的小礼品谁来都有，不跟购买挂钩。", "买满5万理财送一桶油。", "gift-inducement"),
    ("话术里不许出现“稳赚”这种词。", "这款稳赚，您放心。", "promise-return"),
    ("门口的鸡蛋是讲座的，不存款也能领。", "存满5万就领一篮鸡蛋。", "deposit-gift"),
    ("大额存单它是存款，受存款保险保护，这点和理财不一样。", "这款理财就是存款，只是叫法不一样。", "deposit-equivalence"),
    ("收入那栏照实写，填高了吃亏的是您自己。", "收入那栏写高一点，测出来等级就够了。", "risk-assessment-steering"),
    ("您问存多少送什么 我们现在不搞存款送礼了", "存5万送一桶油，今天就能领。", "deposit-gift"),
    ("查征信要您本人授权签字，不需要验证码发给我。", "验证码发给我，我帮您查征信。", "ask-for-secrets"),
]

@pytest.mark.parametrize(("honest", "violation", "rule_id"), PAIRS)
def test_the_honest_line_passes_and_its_neighbour_still_flags(lib, honest: str, violation: str, rule_id: str) -> None:
    assert check(honest, lib, learned=False) == []
    assert rule_id in {f.rule_id for f in check(violation, lib, learned=False)}
