"""Pilot tests of 强化练习 and the PK leaderboard, with the real library and a real History."""

from __future__ import annotations

from datetime import timedelta

from rehearse_helpers import T0, app_in, say, settle

from assistant.core.history import History
from assistant.core.rehearse.drill import new_item
from assistant.paths import get_paths
from assistant.ui.screens.drill import DrillScreen
from assistant.ui.screens.leaderboard import LeaderboardScreen

GOOD = "明白周叔，也就是说钱在他行存了一年定期，短期不用。求稳挺好的，我帮您算笔账、做个对比，多一种选择供您参考，您看行吗？"
TODAY = T0.date()


def queue(history, staff_id: str, **kw) -> dict:
    """One due item: the summarize step of the adopt-call scenario unless told otherwise."""
    fields = {"scenario_id": "scenario-adopt-call", "node_id": "summarize-situation", "step": "summarize",
              "label": "认养电话 · 问题总结"} | kw
    return history.upsert_drill(**new_item(staff_id, TODAY, **fields))


async def test_good_answer_moves_the_item_up_a_box_and_logs_a_drill_session():
    app, services, staff = app_in("drill")
    item = queue(services.history, staff["id"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DrillScreen) and [i["id"] for i in screen.items] == [item["id"]]
        assert "要讲到" in str(screen.query_one("#drill-exercise").render())
        await say(app, pilot, GOOD)
        assert screen.answered and screen.passed == 1
        head = str(screen.query_one("#drill-head").render())
        assert "最长连对 1 次" in head
    history = History(get_paths())
    saved = history.list_drill(staff["id"])[0]
    assert (saved["box"], saved["streak"]) == (2, 1)
    assert saved["due"] == (TODAY + timedelta(days=2)).isoformat()
    drills = [s for s in history.iter_sessions() if s["mode"] == "drill"]
    assert len(drills) == 1 and drills[0]["staff_id"] == staff["id"] and drills[0]["drill_item"] == item["id"]
    assert drills[0]["score"] == saved["history"][-1]["score"] and drills[0]["ended"]
    events = history.events(drills[0]["id"])
    assert [e["speaker"] for e in events] == ["customer", "staff"] and events[1]["text"] == GOOD


async def test_poor_answer_sends_it_back_to_box_one_and_enter_goes_to_the_next():
    app, services, staff = app_in("drill")
    first = queue(services.history, staff["id"])
    queue(services.history, staff["id"], node_id="first-call", step="care", label="认养电话 · 开场")
    services.history.upsert_drill(**{**first, "box": 3, "streak": 2})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert len(screen.items) == 2
        answered = screen.items[screen.index]["id"]
        await say(app, pilot, "哦。")
        assert screen.passed == 0
        saved = next(d for d in History(get_paths()).list_drill(staff["id"]) if d["id"] == answered)
        assert (saved["box"], saved["streak"]) == (1, 0)
        assert saved["due"] == (TODAY + timedelta(days=1)).isoformat()
        await say(app, pilot, "")
        assert screen.index == 1 and not screen.answered
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.exercise is None and "做完了" in str(screen.query_one("#drill-exercise").render())


async def test_nothing_due_says_where_to_get_items():
    app, services, _ = app_in("drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.exercise is None
        assert "今天没有到期的练习" in str(app.screen.query_one("#drill-exercise").render())


def rehearsal(history, staff_id: str, score: int, day) -> None:
    sid = history.start_session(mode="rehearse", staff_id=staff_id, scenario_id="scenario-adopt-call",
                                started=f"{day.isoformat()}T09:00:00")
    history.end_session(sid, score=score)


async def test_leaderboard_ranks_by_average_and_switches_period():
    app, services, me = app_in("drill")
    history = services.history
    li = history.add_staff(name="李敏", role="理财经理")
    zhao = history.add_staff(name="赵强", role="客户经理")
    rehearsal(history, me["id"], 70, TODAY)
    rehearsal(history, li["id"], 90, TODAY)
    rehearsal(history, li["id"], 80, TODAY)
    rehearsal(history, zhao["id"], 95, TODAY - timedelta(days=40))
    item = queue(history, me["id"])
    history.upsert_drill(**{**item, "streak": 3, "history": [{"date": TODAY.isoformat(), "score": 90}]})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        board = app.screen
        assert isinstance(board, LeaderboardScreen) and board.period == "week"
        assert [(r.name, r.average, r.best) for r in board.rows] == [("李敏", 85, 90), ("小王", 70, 70)]
        assert board.rows[1].streak == 3 and board.rows[1].drills == 1
        table = board.query_one("#lb-table")
        assert table.row_count == 2 and table.cursor_row == 1
        await pilot.press("a")
        await pilot.pause()
        assert [r.name for r in board.rows] == ["赵强", "李敏", "小王"]
        await pilot.press("m")
        await pilot.pause()
        assert [r.name for r in board.rows] == ["李敏", "小王"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen)
