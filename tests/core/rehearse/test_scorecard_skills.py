"""The scorecard lists the skills a scenario practises: 防挖角 opens on the customer's objection (no
主动关怀 node), and its scorecard read 开场「没练到」 right after that first reply was scored. Over
every built-in scenario: after one reply, the skill of the first step is credited, and no skill the
scenario has no node for is listed as not practised."""

from __future__ import annotations

import pytest

from assistant.core.playbooks.loader import load_library
from assistant.core.playbooks.models import STEP_ORDER
from assistant.core.rehearse.scoring import scoring_of
from assistant.core.rehearse.sim import Rehearsal

LIBRARY = load_library()


@pytest.mark.parametrize("scenario_id", sorted(LIBRARY.scenarios))
def test_one_reply_credits_the_first_steps_skill_and_lists_only_the_scenarios_skills(scenario_id):
    scenario = LIBRARY.scenario(scenario_id)
    run = Rehearsal(LIBRARY, scenario_id, scenario.personas[0].id, seed=0)
    first = run.start().step
    run.reply("您好，谢谢您跟我说这些。我是幸福里支行的小王，您最近怎么样？有什么我能帮您的？")
    card = run.scorecard()
    rules = scoring_of(LIBRARY).skills
    offered = {n.step for n in scenario.nodes}
    assert all(offered.intersection(rules[key].steps) for key in card.skills)
    credited = [key for key, skill in card.skills.items() if skill["score"] is not None]
    assert any(first in rules[key].steps for key in credited)
    assert set(card.skills) == {key for key, spec in rules.items() if offered.intersection(spec.steps)}


def test_the_anti_poaching_scorecard_has_no_opening_to_miss():
    scenario = LIBRARY.scenario("scenario-anti-poaching")
    assert "care" not in {n.step for n in scenario.nodes} and STEP_ORDER[0] == "care"
    run = Rehearsal(LIBRARY, scenario.id, scenario.personas[0].id, seed=0)
    run.start()
    run.reply("谢谢您第一时间跟我说，货比三家很正常。那边是什么产品、几年期？")
    card = run.scorecard()
    assert "opening" not in card.skills and card.skills["objection"]["score"] is not None
