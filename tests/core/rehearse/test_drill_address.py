"""A drill's 参考说法 speaks to the drilled customer: the scenario persona's name when the item came
from a rehearsal, else a neutral 您 — never the library's example customer 王姐 (nor its example
staff member 小李: the card's own words, as a stranger's). Found in a walk: every card drilled from
Live said 「王姐，…」."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.core.address import neutral_address
from assistant.core.playbooks.loader import load_library
from assistant.core.rehearse.drill import make_exercise, new_item

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def library():
    return load_library()


def _named_cards(library) -> list[str]:
    """Objection cards whose every reply opens with the customer's name."""
    return [ref.id for ref in library.cards.values() if ref.kind == "objection" and ref.card.responses
            and all(r.text.lstrip().startswith("{{ name }}") for r in ref.card.responses)]


def test_a_card_drilled_without_a_scenario_speaks_to_you(library):
    cards = _named_cards(library)
    assert len(cards) > 5
    example = str(library.variables["name"].example)
    for card_id in cards:
        exercise = make_exercise(new_item("u1", TODAY, card_id=card_id, source="live"), library)
        reply = exercise.model_reply or ""
        assert example not in reply and "【" not in reply and "小李" not in reply, (card_id, reply)
        assert reply[:1] not in "，,、。", (card_id, reply)
        assert exercise.customer_name is None


def test_a_card_drilled_from_a_rehearsal_names_that_scenarios_customer(library):
    card_id = _named_cards(library)[0]
    item = new_item("u1", TODAY, card_id=card_id, scenario_id="scenario-adopt-call")
    exercise = make_exercise(item, library)
    assert exercise.customer_name and (exercise.model_reply or "").startswith(exercise.customer_name)


@pytest.mark.parametrize("said, neutral", [
    ("【客户称呼】您好，我是网点的客户经理。", "您好，我是网点的客户经理。"),
    ("【客户称呼】，理解，钱的事急不得。", "理解，钱的事急不得。"),
    ("好的【客户称呼】，我记下了。谢谢【客户称呼】！", "好的，我记下了。谢谢您！"),
    ("【客户称呼】早上好！", "您早上好！"),
    ("放心吧。【客户称呼】，明天见。", "放心吧。明天见。"),
])
def test_a_reply_without_a_name_reads_as_said_to_you(said, neutral):
    assert neutral_address(said) == neutral
