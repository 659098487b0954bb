"""「客户为什么这么说」 says 客户, never 她: 秦先生 (盯利率的秦先生, 防挖角) read 「她说出了自己的想法」."""

from __future__ import annotations

from assistant.core.rehearse.sim import Rehearsal


def test_why_a_male_customer_answered_does_not_call_him_she(library):
    run = Rehearsal(library, "scenario-anti-poaching", "rate-chaser", seed=6614)
    run.start()
    turn = run.reply("秦先生您好，隔壁给的利率确实高一点，您比一比很正常。")
    why = turn.customer.why or ""
    assert "说出了自己的想法" in why and "她" not in why, why
