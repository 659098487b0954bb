"""A correct answer to the customer's own follow-up question is not a failed reply: 秦先生 asked
「2.1%是怎么来的？」 after a reply that had covered every point of the step, and 「这个2.1%是我们今天的挂牌
利率，按一年期算的。」 scored 13 (none of the step's points, all covered the turn before) and drew
「这一步的要点还没讲到」. The points earned at the step count when the reply answers her question."""

from __future__ import annotations

from assistant.core.rehearse.sim import Rehearsal

SCENARIO, PERSONA = "scenario-anti-poaching", "rate-chaser"
FIRST = "秦先生，谢谢您第一时间跟我说，货比三家很正常。您说说那边是什么产品、几年期？我们这边能给到2.1%。"


def asked_for_the_basis(library) -> Rehearsal:
    run = Rehearsal(library, SCENARIO, PERSONA, seed=0)
    run.start()
    first = run.reply(FIRST)
    assert first.score.passed and run.state.question == "number", first.customer.text
    return run


def test_answering_where_the_number_comes_from_keeps_the_steps_points(library):
    run = asked_for_the_basis(library)
    result = run.reply("这个2.1%是我们今天的挂牌利率，按一年期算的。")
    assert not result.score.missed and result.score.passed, result.score.reasons
    assert any("回答了客户的追问" in r for r in result.score.reasons)
    assert result.customer.node_id == "clarify-terms"  # she moves on, not back to 「要点还没讲到」


def test_a_reply_that_ignores_her_question_earns_nothing_from_before(library):
    run = asked_for_the_basis(library)
    result = run.reply("您放心，我们服务特别好。")
    assert not result.score.passed and len(result.score.missed) == 3
    assert not any("回答了客户的追问" in r for r in result.score.reasons)
