"""Tables refilled while their screen is shown (社群 once the services arrive or on 体检, the PK榜 on
w/m/a): a paint between add_row and the DataTable's idle measuring cached every line at the old
column widths, as 复盘 showed 「12-0」 and 「待跟」 until it used MeasuredTable. Each cell stays whole."""

from __future__ import annotations

import datetime as dt

import pytest
from screen_text import screen_lines
from textual.geometry import Region
from textual.widgets import DataTable

from assistant.core.history import History
from assistant.ui.app import CoachApp
from assistant.ui.screens.groups import GroupsScreen
from assistant.ui.screens.leaderboard import LeaderboardScreen
from assistant.ui.services import build_services, remember_staff

LONG = "小区业主群（物业建）"


def paint_after(cls, name: str, monkeypatch) -> None:
    """Draw every table of the screen right after `name` filled it (what a paint before idle draws)."""
    fill = getattr(cls, name)

    def fill_then_paint(self, *args):
        fill(self, *args)
        for table in self.query(DataTable):
            table.render_lines(Region(0, 0, *table.size))

    monkeypatch.setattr(cls, name, fill_then_paint)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_groups_refilled_on_screen_show_whole_names(monkeypatch, size):
    remember_staff({"id": "s1", "name": "小李", "role": "理财经理"})
    services = build_services()
    services.history.add_group(name=LONG, tier="大众", role="辅管群", members=480, created="2026-01-01",
                               last_activity="2026-11-25")
    paint_after(GroupsScreen, "action_recheck", monkeypatch)
    app = CoachApp(mode="groups", build=lambda: services)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#groups-table", DataTable)
        assert LONG in table.render_line(1).text, table.render_line(1).text
        assert any(LONG in line for line in screen_lines(app))


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_leaderboard_switched_to_another_period_shows_whole_names(monkeypatch, size):
    history = History()
    sid = history.add_staff(name="欧阳小雨", role="理财经理")["id"]
    started = (dt.datetime.now() - dt.timedelta(days=60)).isoformat(timespec="seconds")
    run = history.start_session(mode="rehearse", staff_id=sid, scenario_id="x", started=started)
    history.end_session(run, score=80, replies=2, finished=True, outcome="成交")
    paint_after(LeaderboardScreen, "action_period", monkeypatch)
    app = CoachApp(build=lambda: build_services())
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        app.push_screen(LeaderboardScreen(history, dt.date.today(), sid))
        await pilot.pause()
        await pilot.press("a")  # all time: her rehearsal two months ago
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert "欧阳小雨" in table.render_line(1).text, table.render_line(1).text
