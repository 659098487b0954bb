"""A figure the reference reply says to the customer has its basis where the trainee can see it:
防他行策反's 推荐 reply worked out 相差450元 from 30万元, 1.75% and 1.9%, none of which the customer had
said (the amount and her rate nowhere, the other bank's rate only in some lines); and a drill
exercise shows the numbers its reference is worked out from (a card drilled without a scenario
quotes the example 20万元 the customer never mentions)."""

from __future__ import annotations

import re

import pytest

from assistant.core.playbooks.render import pct, wan
from assistant.core.rehearse import drill
from assistant.core.rehearse.sim import Rehearsal

SCENARIO = "scenario-anti-poaching"


@pytest.mark.parametrize("persona_index", range(3))
def test_every_line_before_the_worked_out_gap_says_its_figures(library, persona_index):
    persona = library.scenario(SCENARIO).personas[persona_index]
    run = Rehearsal(library, SCENARIO, persona.id, seed=0)
    node = run.nodes["our-offer"]
    model = run.render(node.model_reply)
    gap = re.search(r"相差([\d.]+)元", model)
    assert gap, model
    figures = [wan(run.variables["amount"]), pct(run.variables["rate"]), pct(run.variables["other_rate"])]
    assert all(f in model for f in figures), model  # the reply says what the gap is worked out from
    for line in node.customer:
        said = run.render(line)
        assert all(f in said for f in figures), said  # and the customer said those numbers first


def test_a_drilled_card_shows_the_figures_its_reference_uses(library):
    item = drill.new_item("s1", "2026-12-06", card_id="rate-low-other-bank")
    exercise = drill.make_exercise(item, library, seed=0)
    example = library.variables["amount"].example
    assert wan(example) in (exercise.model_reply or "")
    assert f"金额 {wan(example)}" in exercise.figures and "他行报价" in exercise.figures


def test_a_reply_without_figures_shows_none(library):
    assert drill.figures_used(library, "{{ name }}，您好，我是{{ branch }}的{{ staff_name }}。", {"name": "王姐"}) == ""
