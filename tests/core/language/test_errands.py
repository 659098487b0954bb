"""Lines that raise no concern get no dimmed card: a counter errand, relief that staff averted a
loss, staff talking to an elderly customer (language.errands)."""

from __future__ import annotations

import pytest

from assistant.core.language.errands import clausal, no_concern
from assistant.core.language.matcher import Matcher
from assistant.core.language.matchprep import Entry


def quiet(line: str) -> bool:
    return no_concern(line)


@pytest.mark.parametrize("line", [
    "我来存两百块钱", "小妹啊,帮我取一点钱好吗?", "对，对！那我想再取300元，平时买些柴米油盐。", "小同志,劳烦帮我激活一下社保卡。",
    "我不取钱,我来存钱。", "我要办理开卡,怎么办啊?", "同志，我想查查这张卡的余额", "你们能帮忙清点一下零钱吗?",
    "多亏你们多问几句,不然我们家辛苦攒的钱就打水漂了!", "要不是银行员工多问一句,我的养老钱就真打水漂了!",
    "老爷爷，有什么需要帮忙的吗？", "大爷，用笔把缴费号写在纸背后，这样快些",
])
def test_errands_relief_and_staff_to_an_elder_raise_no_concern(line: str) -> None:
    assert quiet(line)


@pytest.mark.parametrize("line", [
    "我取自己的钱,不要你们管!",  # an errand with indignation: aml_checks
    "我取钱交房租，这总行了吧？你们银行是不是管得太宽了？",
    "我是广西到这边来旅游的,我存折是外地的,取钱要收手续费的吧?",  # fees
    "你们怎么关门了?不营业了?这才几点,我要取钱!",  # a complaint
    "帮我把定期转到理财里",  # a product: may be a product question
    "我想取消这个业务",  # 取消 is no 取
    "幸亏我多了个心眼,万一真是诈骗的,那后果不堪设想。",  # credits herself: fraud_fear
    "多亏你们提醒，不过这个理财我还是不想买",  # relief, then a refusal
    "我想提前取出来，家里急用钱",
    "存款利息太低了",
])
def test_a_concern_beside_the_errand_keeps_its_cards(line: str) -> None:
    assert not quiet(line)


def test_an_errand_gets_no_guess_but_a_sure_card_still_shows() -> None:
    m = Matcher([Entry("rate", "objection", "rate_low", "收益低", "存一年才这点钱"),
                 Entry("fee", "objection", "fees", "手续费", "取钱还要手续费")], use_cache=False, cutoff=0)
    assert not m.search("我来存两百块钱")
    assert [x.card_id for x in m.search("存两百块钱")][:1] == ["rate"]  # no request: its guess stays
    assert [(x.card_id, x.tier) for x in m.search("我来取钱还要手续费")][:1] == [("fee", "sure")]


def test_clauses_are_kept_as_commas_and_a_question_mark() -> None:
    assert clausal("同志，我想查查  這張卡的余额！！你们几点下班？") == "同志,我想查查,这张卡的余额,你们几点下班?"
