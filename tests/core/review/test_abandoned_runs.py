"""A rehearsal given up before the customer ended the call (未完成) is not scored: it is left out of
every score aggregate — the leaderboard, the dashboard's score trend, `coach history stats`'s
averages, the 「惊喜」 pick of my weakest scenario — and shows only as a count, 「未完成 N 次」.
Found in a walk: two runs ended after one bad reply each pulled a 网点负责人's average down to 40."""

from __future__ import annotations

from datetime import date, datetime

from assistant.core.history import History, stats
from assistant.core.labels import abandoned_note, counted_score, status_label
from assistant.core.rehearse.leaderboard import leaderboard
from assistant.core.review import numbers as review

NOW = datetime(2026, 11, 25, 10, 0, 0)


def _run(h: History, score: int, finished: bool, day: str = "2026-11-24", scenario: str = "sc-a") -> str:
    sid = h.start_session(mode="rehearse", staff_id="u1", scenario_id=scenario, started=f"{day}T10:00:00")
    h.end_session(sid, outcome="成交" if finished else None, score=score, replies=3, finished=finished,
                  ended=f"{day}T10:20:00")
    return sid


def _history() -> History:
    h = History(clock=lambda: NOW)
    h.add_staff("李娜", "理财经理", id="u1")
    _run(h, 90, True)
    _run(h, 20, False)
    _run(h, 30, False, scenario="sc-b")
    return h


def test_the_leaderboard_averages_finished_runs_and_counts_the_rest():
    [row] = leaderboard(_history())
    assert (row.rehearsals, row.average, row.best, row.abandoned) == (1, 90, 90, 2)


def test_someone_with_only_abandoned_runs_is_listed_without_a_score():
    h = History(clock=lambda: NOW)
    h.add_staff("王强", "客户经理", id="u1")
    _run(h, 20, False)
    [row] = leaderboard(h)
    assert (row.rehearsals, row.average, row.best, row.abandoned) == (0, None, None, 1)


def test_the_score_trend_leaves_abandoned_runs_out_and_counts_them():
    sessions = _history().query_sessions(review.SessionFilter(), sort="started", limit=None)[0]
    trend = review.score_trend(sessions, {"u1": "李娜"}, date(2026, 11, 25))
    [row] = trend["staff"]
    assert row["weeks"][-1] == 90 and row["abandoned"] == 2


def test_history_stats_averages_finished_runs_only():
    sessions = _history().query_sessions(review.SessionFilter(), sort="started", limit=None)[0]
    [row] = stats.rehearsal_scores(sessions, {"u1": "李娜"})
    assert (row["sessions"], row["average"], row["best"], row["last"], row["abandoned"]) == (1, 90, 90, 90, 2)


def test_my_weakest_scenario_is_not_one_i_only_gave_up_on():
    from assistant.ui.screens.rehearse_picker import _weakest

    h = _history()
    _run(h, 70, True, scenario="sc-c")
    assert _weakest(h, "u1", {"sc-a", "sc-b", "sc-c"}) == ("sc-c", 70)


def test_an_abandoned_run_reads_unfinished_without_a_score():
    gave_up = {"mode": "rehearse", "ended": "x", "replies": 2, "score": 56, "finished": False}
    assert status_label(gave_up) == "未完成" and counted_score(gave_up) is None
    assert counted_score({**gave_up, "finished": True}) == 56
    assert abandoned_note(2) == "未完成 2 次" and abandoned_note(0) == ""
