"""Defects found playing rehearsals in tmux (issue 14: "feels like talking to a person who
listens"), one test each, on the shipped playbooks."""

from __future__ import annotations

import pytest

from assistant.core.rehearse.sim import Rehearsal


@pytest.fixture(scope="module")
def library():
    from assistant.core.playbooks.loader import load_library

    return load_library()


def _at(library, scenario: str, persona: str, node: str, seed: int = 0) -> Rehearsal:
    """A run brought to `node` by the model replies."""
    run = Rehearsal(library, scenario, persona, seed=seed)
    run.start()
    while run.node.id != node:
        run.reply(run.target().model_reply)
    return run


def test_a_summary_that_keeps_her_money_in_deposits_is_not_answered_with_what_products(library):
    """王阿姨 (67) heard 「…其余的接着存定期，您看行吗？」 and asked 「那你们现在有什么产品？收益大概多少？」."""
    run = _at(library, "scenario-maturity-call", "cautious-retiree", "summarize-need")
    turn = run.reply("明白，您这笔钱暂时不用，想稳当，也要留点灵活，万一家里有事能取。到期后放活期利息很低，"
                     "留一部分随时能取，其余的接着存定期，您看行吗？").customer
    assert turn.node_id == "close-appointment" and "产品" not in turn.text
    assert "存款" in turn.why
