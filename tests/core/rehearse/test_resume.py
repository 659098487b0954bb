"""A rehearsal left open (the app closed mid-way) is found again and rebuilt exactly where it stopped,
writing on into the same session; ended ones, colleagues' and real customers' runs are not offered."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.core.history import History
from assistant.core.rehearse.recorder import RehearsalRecorder
from assistant.core.rehearse.resume import ResumeError, resume_rehearsal, unfinished_rehearsals
from assistant.core.rehearse.sim import Rehearsal

SCENARIO, PERSONA = "scenario-deposit-to-wealth", "careful-auntie"
REPLIES = ["今天天气真好啊，您吃饭了吗？",
           "蒋阿姨您好，现在一年期定期年利率是1.45%。我先问一句，这笔钱大概多久用不上？"]


def left_open(library, history, staff_id="s1", seed=7, replies=REPLIES, **kw) -> Rehearsal:
    """A run with `replies` said and the app closed before it ended (nothing finished)."""
    run = Rehearsal(library, SCENARIO, PERSONA, seed=seed, **kw)
    recorder = RehearsalRecorder(history, run, staff_id=staff_id)
    run.start()
    for i, text in enumerate(replies):
        if i == 1:
            run.hint()  # a hint asked before the second reply is part of the run
        run.reply(text)
        recorder.sync()
    return run


def test_an_open_rehearsal_is_offered_and_rebuilt_exactly_then_goes_on_in_the_same_session(library):
    then = left_open(library, History())
    [record] = unfinished_rehearsals(History(), library, "s1", dt.datetime.now())
    assert record["replies_so_far"] == 2 and record["seed"] == 7

    resumed = resume_rehearsal(library, History(), record, "s1")
    run = resumed.run
    assert resumed.same
    assert [t.customer.text for t in run.transcript] == [t.customer.text for t in then.transcript]
    assert [t.score.total for t in run.transcript if t.score] == [t.score.total for t in then.transcript if t.score]
    assert [t.hints for t in run.transcript] == [t.hints for t in then.transcript]
    assert run.state.poor_streak == then.state.poor_streak and run.state.warmth == then.state.warmth

    resumed.recorder.sync()  # nothing new: nothing written twice
    assert len(History().events(record["id"])) == 5
    run.reply("蒋阿姨，您喜欢存定期踏实，我完全尊重您的选择。我帮您分几份错开存期，您看好吗？")
    resumed.recorder.sync()
    events = History().events(record["id"])
    assert [e["speaker"] for e in events] == ["customer", "staff"] * 3 + ["customer"]
    assert [e["seq"] for e in events] == list(range(7))
    resumed.recorder.finish(dt.date.today())
    assert History().session(record["id"])["replies"] == 3
    assert unfinished_rehearsals(History(), library, "s1", dt.datetime.now()) == []


def test_only_my_open_rehearsals_of_scenario_personas_are_offered_but_the_one_on_screen(library):
    history = History()
    left_open(library, history, staff_id="s2")  # a colleague's
    real = left_open(library, history, customer_id="c-1")  # a real customer's: not replayed
    mine = left_open(library, history, seed=8)
    rows = unfinished_rehearsals(History(), library, "s1", dt.datetime.now())
    assert [r["seed"] for r in rows] == [8]
    screen_now = rows[0]["id"]
    assert unfinished_rehearsals(History(), library, "s1", dt.datetime.now(), but=screen_now) == []
    real_record = next(s for s in History().iter_sessions() if s.get("customer_id") == "c-1")
    with pytest.raises(ResumeError):
        resume_rehearsal(library, History(), real_record, "s1")
    assert real.transcript and mine.transcript


def test_a_rehearsal_from_last_month_is_not_offered(library):
    left_open(library, History())
    later = dt.datetime.now() + dt.timedelta(days=30)
    assert unfinished_rehearsals(History(), library, "s1", later) == []


def test_a_rehearsal_left_open_past_the_window_is_closed_once_as_unfinished(library):
    """They stayed 未结束 for ever; closed on load by appending a version, never rewriting one."""
    from assistant.core.labels import status_label
    from assistant.core.rehearse.resume import close_stale_rehearsals

    left_open(library, History())
    history = History()
    [record] = list(history.iter_sessions())
    journal = history.paths.history_dir
    before = {p.name: p.read_bytes() for p in journal.rglob("*") if p.is_file()}
    assert close_stale_rehearsals(history, dt.datetime.now() + dt.timedelta(days=7)) == []  # still offered
    later = dt.datetime.now() + dt.timedelta(days=9)
    assert close_stale_rehearsals(history, later) == [record["id"]]
    closed = History().session(record["id"])
    scores = [e["score"] for e in History().events(record["id"]) if e["speaker"] == "staff"]
    assert closed["ended"] and closed["finished"] is False and closed["replies"] == 2
    assert status_label(closed) == "未完成" and closed["score"] == round(sum(scores) / 2)  # kept, not counted
    summary = ("ended", "finished", "replies", "score", "closed_as", "updated", "updated_by")
    assert {k: v for k, v in closed.items() if k not in summary} == {k: v for k, v in record.items() if k not in summary}
    after = {p.name: p.read_bytes() for p in journal.rglob("*") if p.is_file()}
    assert all(after[name].startswith(old) for name, old in before.items())  # appended, nothing rewritten
    assert close_stale_rehearsals(History(), later) == []  # once
