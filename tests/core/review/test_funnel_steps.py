"""The funnel counts a step reached only when a session really was at it: a 防挖角 rehearsal opens
at 回应异议 (no 主动关怀, 提问及解析 before it), a scenario may skip 推荐, a drill practises one step,
and a live customer who objects at once jumps past the steps in between."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.core.history import History
from assistant.core.history.stats import funnel
from assistant.core.live.session import LiveSession
from assistant.core.playbooks.loader import load_library
from assistant.core.playbooks.models import STEP_ORDER
from assistant.core.rehearse.recorder import RehearsalRecorder
from assistant.core.rehearse.sim import Rehearsal
from assistant.core.review import numbers as review


@pytest.fixture(scope="module")
def library():
    return load_library()


def reached(rows: list[dict]) -> dict[str, int]:
    return {r["step"]: r["reached"] for r in rows}


def test_an_anti_poaching_run_reaches_only_the_steps_it_played(library):
    history = History()
    scenario = library.scenarios["scenario-anti-poaching"]
    run = Rehearsal(library, scenario.id, scenario.personas[0].id, seed=1)
    recorder = RehearsalRecorder(history, run, staff_id="s1")
    run.start()
    run.reply(run.target().model_reply)
    recorder.finish(dt.date(2026, 11, 25))
    played = {e["step"] for e in history.events(recorder.session_id) if e.get("step")}
    assert "care" not in played  # the scenario opens at 回应异议
    [session] = history.iter_sessions()
    assert session["steps"] == [s for s in STEP_ORDER if s in played]
    practice = reached(review.dashboard(history, library=library)["funnel"]["practice"])
    assert practice["care"] == 0 and practice["propose"] == 0
    assert all(practice[s] == 1 for s in played)


def test_a_drill_and_a_skipping_session_count_only_their_steps():
    sessions = [
        {"mode": "drill", "furthest_step": "close", "steps": ["close"]},
        {"mode": "rehearse", "furthest_step": "close", "steps": ["handle_objection", "close"]},
        {"mode": "drill", "furthest_step": "handle_objection"},  # written before records kept steps
        {"mode": "live", "furthest_step": "probe"},  # the same: every step up to its furthest
    ]
    got = funnel(sessions)
    assert reached(got["drill"]) == {**dict.fromkeys(STEP_ORDER, 0), "handle_objection": 1, "close": 1}
    assert reached(got["rehearse"])["care"] == 0 and reached(got["rehearse"])["close"] == 1
    assert reached(got["live"]) == {**dict.fromkeys(STEP_ORDER, 0), "care": 1, "probe": 1}
    assert {r["step"]: r["stopped"] for r in got["rehearse"]}["close"] == 1


def test_a_live_chat_that_jumps_to_an_objection_skips_the_steps_between(library):
    from assistant.core.playbooks.render import Renderer

    history = History()
    session = LiveSession(library=library, matcher=None, renderer=Renderer(library), history=history)
    session.set_step("回应异议")
    session.end("待跟进")
    [record] = history.iter_sessions()
    assert record["steps"] == ["care", "handle_objection"]
    assert reached(funnel([record])["live"])["probe"] == 0
