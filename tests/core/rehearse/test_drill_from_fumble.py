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


def test_a_node_answered_well_is_not_drilled_for_its_steps_other_node(library):
    """秦先生's opening (回应异议) answered at 100, the gift objection (回应异议 too) fumbled: only the
    gift objection goes to the drill, though the step's average is below the pass mark."""
    run = Rehearsal(library, SCENARIO, "rate-chaser", seed=690)
    run.start()
    good = ["秦先生，谢谢您第一时间跟我说，货比三家很正常。您说说那边是什么产品、几年期？我们这边能给到2.1%。",
            "秦先生，这个2.1%是我们今天的挂牌利率，按一年期算的。您看那边是几年期的？",
            "秦先生，这类活动一般要新资金、有起存门槛，而且三年锁定，提前支取利息按活期算。这笔钱三年内会不会有要用的时候？",
            "我理解秦先生，您是说这笔钱万一要用，得能灵活取。真锁三年，中途提前支取利息就损失了。这些年您有事都找我，咱们一起看看怎么安排，好吗？",
            "秦先生，按您这60万元存一年算，1.75%和1.95%一年相差1200元。我们可以分几笔阶梯存，大额存单还能转让，您这一档还有体检、观影权益。您看这样怎么样？"]
    for reply in good:
        assert run.reply(reply).score.passed
    for reply in ("嗯", "好"):
        if not run.finished:
            run.reply(reply)
    card = run.scorecard()
    assert card.steps["handle_objection"] < 80
    assert [p.node_id for p in card.practise if p.step == "handle_objection"] == ["gift-objection"]
