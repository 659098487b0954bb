"""A rehearsal given up (未完成) is not scored on any screen: the PK leaderboard ranks by finished runs
and counts the rest in its 未完成 column, and 复盘's row shows no score for it."""

from __future__ import annotations

import datetime as dt

from rehearse_helpers import app_in, settle
from screen_text import screen_lines

from assistant.ui.screens.leaderboard import LeaderboardScreen
from assistant.ui.screens.review_rows import Names, session_cells


def _run(history, staff_id: str, score: int, finished: bool) -> str:
    sid = history.start_session(mode="rehearse", staff_id=staff_id, scenario_id="scenario-adopt-call")
    history.end_session(sid, outcome="成交" if finished else None, score=score, replies=3, finished=finished)
    return sid


async def test_the_leaderboard_at_80_columns_ranks_finished_runs_and_counts_abandoned_ones():
    app, services, me = app_in("drill")
    history = services.history
    _run(history, me["id"], 90, True)
    _run(history, me["id"], 10, False)
    _run(history, me["id"], 20, False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(LeaderboardScreen(history, dt.date.today(), me["id"], period="all"))
        await settle(app, pilot)
        [row] = app.screen.rows
        assert (row.rehearsals, row.average, row.abandoned) == (1, 90, 2)
        text = "\n".join(screen_lines(app))
        assert "未完成" in text and "2 次" in text and "不计分" in text


def test_a_given_up_run_shows_no_score_in_the_sessions_list(tmp_path):
    from assistant.core.history import History

    history = History()
    sid = _run(history, "u1", 20, False)
    cells = session_cells(history.session(sid), Names({}, {}, None))
    assert str(cells[4]) == "未完成" and cells[6] == ""


def test_the_scorecard_of_a_given_up_run_says_it_is_not_scored():
    from types import SimpleNamespace

    from assistant.core.playbooks.loader import load_library
    from assistant.core.rehearse.sim import Rehearsal
    from assistant.ui.screens.scorecard import UNSCORED, scorecard_text

    library = load_library()
    scenario = library.scenarios["scenario-adopt-call"]
    run = Rehearsal(library, scenario.id, scenario.personas[0].id, seed=1)
    run.start()
    run.reply("您好")
    card = run.scorecard()
    assert not card.finished and UNSCORED in scorecard_text(card, library).plain
    head = scorecard_text(card, library).plain.splitlines()[0]
    assert "未完成，不计分" in head and "未过关" not in head and "过关" not in head  # neither passed nor failed
    finished = SimpleNamespace(**{**card.__dict__, "finished": True})
    assert UNSCORED not in scorecard_text(finished, library).plain
    assert "未过关（80分过关）" in scorecard_text(finished, library).plain.splitlines()[0]
