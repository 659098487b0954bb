"""A drill item replays the situation it came from: who the fumble was with (the rehearsal's
persona, not one picked at random — 许老板's fumble was drilled with 杨阿姨) and, the first time, the
line she had said."""

from __future__ import annotations

from rehearse_fakes import FakeStore

from assistant.core.rehearse import drill
from assistant.core.rehearse.sim import Rehearsal

SCENARIO, PERSONA = "scenario-anti-poaching", "loyal-but-tempted"


def fumbled(library) -> tuple[FakeStore, list[str]]:
    """许老板's run with two weak replies queued into a store; what she said before each."""
    run = Rehearsal(library, SCENARIO, PERSONA, seed=3)
    lines = [run.start().text]
    for reply in ("嗯嗯。", "好的。"):
        lines.append(run.reply(reply).customer.text)
    store = FakeStore()
    queued = drill.enqueue_from_scorecard(store, "s1", run.scorecard(), "2026-12-06")
    assert queued
    return store, lines[:-1]


def test_every_exercise_of_the_fumble_is_with_the_persona_it_came_from(library):
    store, _ = fumbled(library)
    for item in store.list_drill("s1"):
        assert item["persona_id"] == PERSONA
        for seed in range(6):
            exercise = drill.make_exercise(item, library, seed=seed)
            assert exercise.customer_name == "许老板" and exercise.persona.id == PERSONA


def test_the_first_practice_answers_the_line_she_said(library):
    store, said = fumbled(library)
    for item in store.list_drill("s1"):
        assert drill.make_exercise(item, library, seed=0).customer in said


def test_an_item_from_before_personas_were_kept_still_makes_an_exercise(library):
    item = drill.new_item("s1", "2026-12-06", scenario_id=SCENARIO, node_id="tempted")
    assert drill.make_exercise(item, library, seed=0).customer_name in {"杨阿姨", "秦先生", "许老板"}
