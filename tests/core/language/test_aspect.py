"""A loss told as done also signals a loss that happened (past_loss), one feared does not."""

import pytest

from assistant.core.language.aspect import told_done
from assistant.core.language.concepts import TONE_STRENGTH, ConceptIndex, ConceptSpec

INDEX = ConceptIndex([
    ConceptSpec("loss", "亏钱", ("亏", "缩水"), ("risk_fear", "past_loss")),
    ConceptSpec("past-experience", "以前吃过亏", ("上次",), ("past_loss",)),
])


def _at(text: str, member: str) -> bool:
    start = text.index(member)
    return told_done(text, start, start + len(member))


@pytest.mark.parametrize("text", ["那为什么亏了22%？", "没想到竟然出现亏本", "半年就缩水了一万多", "结果还是亏"])
def test_done(text: str) -> None:
    assert _at(text, "亏" if "亏" in text else "缩水")


@pytest.mark.parametrize("text", ["万一亏了怎么办", "会不会亏", "亏了谁负责", "我怕亏了", "亏了吗"])
def test_feared_or_asked(text: str) -> None:
    assert not _at(text, "亏")


def test_a_loss_told_as_done_also_counts_as_one_that_happened() -> None:
    assert set(INDEX.strengths("买的理财缩水了一万")) == {"loss", "past-experience"}
    assert INDEX.strengths("买的理财缩水了一万")["past-experience"] == 1.0  # 缩水了: three characters
    assert set(INDEX.strengths("万一缩水了怎么办")) == {"loss"}
    assert set(INDEX.strengths("不会亏吧")) == {"loss"}


def test_without_the_concept_it_maps_to_nothing_is_added() -> None:
    alone = ConceptIndex([ConceptSpec("loss", "亏钱", ("亏",), ("risk_fear",))])
    assert set(alone.strengths("亏了两万")) == {"loss"}


RATES = ConceptIndex([
    ConceptSpec("low-yield", "嫌收益低", ("利息太低",), ("rate_low",)),
    ConceptSpec("rate-cut", "降息", ("降息",), ("rate_cut",)),
])


@pytest.mark.parametrize("text", ["存了5年的定期，利息比去年少了小一千！", "钱存在银行，利息越来越不够看了", "这利率和三年前差太远了"])
def test_rates_compared_with_the_past_are_rates_going_down(text: str) -> None:
    assert "rate-cut" in RATES.strengths(text)
    whole, clauses = RATES.clause_strengths(text)
    assert any("rate-cut" in one for one in clauses)  # in the clause saying it


@pytest.mark.parametrize("text", ["利息太低了", "以前我在别的银行存", "越来越多人排队"])
def test_no_comparison_of_rates_with_the_past(text: str) -> None:
    assert "rate-cut" not in RATES.strengths(text)


TONE = ConceptIndex([
    ConceptSpec("indignant", "质问", ("凭什么要说",), ("complaint",)),
    ConceptSpec("group-spam", "群消息", ("刷屏",), ("group_spam",)),
])


@pytest.mark.parametrize("text", ["民生银行真的要把我气哭了", "对华南银行的服务太失望了", "工作人员这样做太过分了"])
def test_a_grievance_against_the_bank_leans_to_a_complaint(text: str) -> None:
    assert TONE.strengths(text)["indignant"] == TONE_STRENGTH


@pytest.mark.parametrize("text", ["客户带着气来网点怎么办", "他当场就发火了", "大发雷霆，大声辱骂"])
def test_anger_shown_is_a_complaint_whoever_is_named(text: str) -> None:
    assert TONE.strengths(text)["indignant"] == TONE_STRENGTH


@pytest.mark.parametrize("text", ["非常感谢！你们的服务真的太细致周到了。", "我有点失望，收益没想的多", "银行几点开门"])
def test_thanks_or_a_disappointment_not_aimed_at_the_bank_is_no_complaint(text: str) -> None:
    assert "indignant" not in TONE.strengths(text)



#: aspect.INSTEAD: what a member stands for depends on what else the line names.
INSTEAD = ConceptIndex([
    ConceptSpec("withdraw-early", "提前支取", ("没到期",), ("early_withdrawal",)),
    ConceptSpec("lockup", "锁定期", ("封闭期",), ("lockup_liquidity",)),
    ConceptSpec("risk", "风险", ("安不安全",), ("risk_fear",)),
    ConceptSpec("online", "手机银行", ("网银",), ("online_security",)),
    ConceptSpec("confusing", "看不懂", ("什么意思",), ("complex_product",)),
    ConceptSpec("fraud", "怕被骗", ("骗子",), ("fraud_fear",)),
    ConceptSpec("trust", "信不过", ("信不过",), ("distrust_staff",)),
    ConceptSpec("loss", "亏钱", ("亏钱",), ("risk_fear", "past_loss")),
    ConceptSpec("past-experience", "以前吃过亏", ("上次",), ("past_loss",)),
])


@pytest.mark.parametrize("text, said", [
    ("理财没到期可以取出吗", "lockup"),  # 没到期 of a wealth product: its lock-up
    ("定期存款没到期可以取出吗", "withdraw-early"),
    ("没到期能取吗", "withdraw-early"),  # nothing named: as said
    ("微信绑卡到底安不安全", "online"),  # the safety of a channel
    ("手机上买理财安不安全", "risk"),  # a product named: its risk
    ("这个到底安不安全", "risk"),
    ("银行给我打电话是什么意思？", "fraud"),  # a call or message not understood
    ("收到一条短信让我点链接，这是什么意思", "fraud"),
    ("电话里说的这个理财是什么意思", "confusing"),
    ("R2是什么意思", "confusing"),
    ("说好的低风险，怎么它就亏钱了？", "past-experience"),  # a loss after a broken promise
    ("说好的保本，万一亏钱呢", "loss"),  # still feared
    ("理财经理都是骗子", "trust"),  # the bank's own sales staff called liars: distrust of them
    ("你们这些客户经理就是骗子", "trust"),
    ("自称客户经理打电话来的是不是骗子", "fraud"),  # an impostor on the phone: fraud
    ("你是不是骗子啊", "fraud"),
])
def test_a_member_stands_for_what_the_line_is_about(text: str, said: str) -> None:
    assert set(INSTEAD.strengths(text)) == {said}
