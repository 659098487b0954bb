"""A real question about the customer's situation is answered even after a weak reply (answering.py)."""

from __future__ import annotations

import pytest

from assistant.core.playbooks.loader import load_library
from assistant.core.rehearse.answering import situation_question
from assistant.core.rehearse.session import report
from assistant.core.rehearse.sim import Rehearsal

OPENING = "秦先生，谢谢您跟我说，货比三家正常。那边是什么产品、几年期、有没有起存条件？"
ASKED = "三年内会不会要用？"


@pytest.fixture(scope="module")
def library():
    return load_library()


def _asked(library, seed: int) -> Rehearsal:
    run = Rehearsal(library, "scenario-anti-poaching", "rate-chaser", seed=seed)
    run.start()
    run.reply(OPENING)
    assert run.node.id == "clarify-terms"
    return run


@pytest.mark.parametrize("seed", range(4))
def test_asked_whether_she_needs_the_money_she_answers_not_a_canned_doubt(library, seed):
    """Found playing 防他行策反: 「三年内会不会要用？」 drew 「具体的我也没问清楚，反正说是利息高」."""
    run = _asked(library, seed)
    res = run.reply(ASKED)
    assert not res.score.passed and run.node.id == "clarify-terms"  # the step's job is still to do
    said = res.customer.text
    answers = [run.render(t) for t in run.nodes["restate-needs"].customer]
    assert said in answers, said
    assert res.customer.why.startswith("你问了客户自己的情况（「三年内会不会要用？」）")
    assert run.state.poor_streak == 0  # answering costs no patience
    turn = report(run)["turns"][-2]
    assert turn["reaction"]["rule"] == "answers" and turn["reaction"]["quote"] == ASKED


def test_moving_on_she_does_not_tell_her_situation_a_second_way(library):
    run = _asked(library, 0)
    first = run.reply(ASKED).customer.text
    res = run.reply(run.target().model_reply)
    assert run.node.id == "restate-needs"
    told = [run.render(t) for t in run.nodes["restate-needs"].customer]
    assert res.customer.text not in told and res.customer.text != first
    won_back = [x.text for x in run.nodes["clarify-terms"].customer_lines if x.mood == "won_back"]
    assert res.customer.text in won_back


def test_a_time_offered_or_a_question_about_something_else_is_not_answered(library):
    """「这周四晚上七点…方便吗？」 asks for a time, not about her; 「您吃饭了吗」 is small talk."""
    run = _asked(library, 0)
    res = run.reply("您吃饭了吗？")
    assert all(r.rule != "answers" for r in res.reactions)
    assert situation_question("这周四晚上七点的场次，您带孩子来就行，方便吗？")  # words alone would answer it
    run2 = Rehearsal(library, "scenario-movie-invite", "wary-dad", seed=3)
    run2.start()
    run2.reply("何先生您好，我是招商银行的小李，打扰您一分钟。我们给持卡客户办了个免费观影活动，不推销任何产品，您看有兴趣吗？")
    res2 = run2.reply("何先生，这周四晚上七点的场次，您带孩子来就行，我给您留两个座，方便吗？")
    assert all(r.rule != "answers" for r in res2.reactions)


def test_the_question_is_read_with_phrasing():
    assert situation_question("我们有款产品挺好。这笔钱您打算什么时候用？") == "这笔钱您打算什么时候用？"
    assert situation_question("您不用着急，慢慢考虑。") is None  # needs words, no question
