"""Rehearsals are on disk as they happen: each line and scored reply before the next one."""

from __future__ import annotations

import datetime as dt

from assistant.core.history import History
from assistant.core.playbooks.loader import load_library
from assistant.core.rehearse.recorder import RehearsalRecorder
from assistant.core.rehearse.sim import Rehearsal


def first_scenario(library):
    scenario = next(iter(library.scenarios.values()))
    return scenario.id, scenario.personas[0].id


def test_each_turn_is_logged_when_it_happens_and_finish_closes_the_session():
    library = load_library()
    scenario_id, persona_id = first_scenario(library)
    history = History()
    run = Rehearsal(library, scenario_id, persona_id, seed=3)
    recorder = RehearsalRecorder(history, run, staff_id="s1")
    run.start()
    recorder.sync()
    assert recorder.session_id is None  # not a practice before the first reply
    run.reply("嗯")
    recorder.sync()
    recorder.sync()  # idempotent: nothing logged twice
    speakers = [e["speaker"] for e in History().events(recorder.session_id)]
    assert speakers == ["customer", "staff", "customer"]
    card, queued = recorder.finish(dt.date(2026, 11, 25))
    session = History().session(recorder.session_id)
    assert session["mode"] == "rehearse" and session["score"] == card.total
    assert session["scenario_id"] == scenario_id and session["ended"]
    assert queued, "a poor reply queues its card or step for drill"
    assert recorder.finish()[1] == []  # closing twice does not queue twice


def test_a_rehearsal_without_a_reply_is_not_recorded_nor_ranked():
    from assistant.core.rehearse.leaderboard import leaderboard

    library = load_library()
    scenario_id, persona_id = first_scenario(library)
    history = History()
    for seed in range(3):  # three accidental starts
        run = Rehearsal(library, scenario_id, persona_id, seed=seed)
        recorder = RehearsalRecorder(history, run, staff_id="s1")
        run.start()
        recorder.sync()
        card, queued = recorder.finish(dt.date(2026, 11, 25))
        assert recorder.session_id is None and queued == [] and card.replies == 0
    run = Rehearsal(library, scenario_id, persona_id, seed=9)
    recorder = RehearsalRecorder(history, run, staff_id="s1")
    run.start()
    run.reply(run.target().model_reply)
    card, _ = recorder.finish(dt.date(2026, 11, 25))
    sessions = list(History().iter_sessions())
    assert len(sessions) == 1 and sessions[0]["replies"] == 1
    [row] = leaderboard(History())
    # one reply and the run was closed before the customer ended it: 未完成, counted but not scored
    assert not run.finished and (row.rehearsals, row.average, row.abandoned) == (0, None, 1)
