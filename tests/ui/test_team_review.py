"""Two installations on one machine (two COACH_HOMEs) sharing a team folder: the 网点负责人 sees
every colleague's sessions in 复盘 and can read them; a staff member sees only this PC's sessions,
and the team's numbers (aggregates) in the dashboard."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from textual.widgets import Input

from assistant.core import config
from assistant.core.history import History
from assistant.core.history.filters import SessionFilter
from assistant.core.history.team import sync
from assistant.paths import Paths
from assistant.ui.app import CoachApp
from assistant.ui.screens.dashboard import DashboardScreen
from assistant.ui.screens.review import ReviewScreen
from assistant.ui.screens.transcript import TranscriptScreen
from assistant.ui.services import Services, attach_team
from livefakes import make_library

NOW = datetime(2026, 11, 25, 17, 0)


def installation(home: Path, team: Path, name: str, role: str, lines: list[str]) -> tuple[History, list[str]]:
    """One PC: its user, one ended session per line, the team folder set, and a start's publish."""
    paths = Paths(home)
    h = History(paths, clock=lambda: NOW)
    me = h.add_staff(name, role)
    h.set_current_staff(me["id"])
    ids = []
    for text in lines:
        sid = h.start_session(staff_id=me["id"])
        h.log_event(sid, "customer", text)
        h.end_session(sid, outcome="成交")
        ids.append(sid)
    config.set_value("team_dir", str(team), paths)
    sync(h)
    return h, ids


def app_of(home: Path, mode: str = "review") -> CoachApp:
    """The app on one PC: its history, synced with the team folder as build_services does at start."""
    def build() -> Services:
        history = History(Paths(home), clock=lambda: NOW)
        services = Services(make_library(), None, None, history, clock=lambda: NOW)
        services.team = attach_team(history)
        return services

    return CoachApp(mode=mode, build=build)


async def settle(pilot) -> None:
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_manager_reviews_a_colleagues_sessions_and_staff_see_only_their_own(tmp_path):
    team = tmp_path / "share"
    team.mkdir()
    _, staff_sessions = installation(tmp_path / "pc-li", team, "李娜", "理财经理", ["利息太低了", "我再考虑考虑"])
    _, boss_sessions = installation(tmp_path / "pc-boss", team, "王主任", "网点负责人", ["大额存单还有额度吗"])

    async with app_of(tmp_path / "pc-boss").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen) and screen.scope is None
        assert screen.total == 3 and {r["id"] for r in screen.rows} == set(staff_sessions + boss_sessions)
        assert {screen.names.staff[r["staff_id"]] for r in screen.rows} == {"李娜", "王主任"}
        screen.query_one("#review-search", Input).value = "利息太低"
        await settle(pilot)
        assert [h.session["id"] for h in screen.hits if not h.fuzzy] == [staff_sessions[0]]
        screen.open_session(staff_sessions[0])
        await settle(pilot)
        transcript = pilot.app.screen
        assert isinstance(transcript, TranscriptScreen) and transcript.session_id == staff_sessions[0]
        assert "利息太低了" in [e["text"] for e in transcript.events]

    async with app_of(tmp_path / "pc-li").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert screen.scope is not None and screen.total == 2
        await pilot.press("ctrl+l")  # clearing the filters does not reach colleagues' conversations
        await settle(pilot)
        assert screen.total == 2 and {r["id"] for r in screen.rows} == set(staff_sessions)
        assert "只含本机会话" in str(screen.query_one("#review-filter").render())
        screen.query_one("#review-search", Input).value = "大额存单"
        await settle(pilot)
        assert screen.searched_seq == screen.search_seq and screen.hits == []  # said on the boss's PC only
        screen.query_one("#review-search", Input).value = ""
        await settle(pilot)
        screen.query_one("#sessions").focus()
        await pilot.press("d")
        await settle(pilot)
        dash = pilot.app.screen
        assert isinstance(dash, DashboardScreen) and dash.numbers["sessions"] == 2
        await pilot.press("t")
        await settle(pilot)
        assert dash.numbers["sessions"] == 3  # the team's numbers, every PC
        assert "全网点团队合计" in str(dash.query_one("#dash-title").render())


async def test_a_staff_member_who_becomes_the_manager_gets_everyones_conversations_and_filter(tmp_path):
    """The first start synced as a 柜员 (numbers only); switching to 网点负责人 reads the team folder
    again: colleagues' customers' names and transcripts, and the filter is no longer 「筛选：周敏」."""
    team = tmp_path / "share"
    team.mkdir()
    paths = Paths(tmp_path / "pc-li")
    li = History(paths, clock=lambda: NOW)
    me = li.add_staff("李娜", "理财经理")
    li.set_current_staff(me["id"])
    aunt = li.add_customer("王阿姨")
    sid = li.start_session(staff_id=me["id"], customer_id=aunt["id"])
    li.log_event(sid, "customer", "利息太低了")
    li.end_session(sid, outcome="成交")
    config.set_value("team_dir", str(team), paths)
    sync(li)
    installation(tmp_path / "pc-boss", team, "周敏", "柜员", ["大额存单还有额度吗"])

    async with app_of(tmp_path / "pc-boss").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert screen.scope is not None and "周敏" in str(screen.query_one("#review-filter").render())
        staff = pilot.app.staff
        pilot.app._staff_chosen({"id": staff["id"], "name": "周敏", "role": "网点负责人"})
        await settle(pilot)
        assert screen.scope is None and screen.filter == SessionFilter()
        assert "周敏" not in str(screen.query_one("#review-filter").render())
        assert sid in {r["id"] for r in screen.rows}
        row = next(r for r in screen.rows if r["id"] == sid)
        assert screen.names.customers.get(row["customer_id"]) == "王阿姨"
        screen.open_session(sid)
        await settle(pilot)
        assert "利息太低了" in [e["text"] for e in pilot.app.screen.events]


def panel_text(screen, ident: str) -> str:
    from io import StringIO

    from rich.console import Console

    console = Console(width=120, record=True, file=StringIO())
    console.print(screen.query_one(f"#panel-{ident}").content)
    return console.export_text()


async def test_the_team_view_on_a_staff_pc_names_nobody_and_invents_no_zero(tmp_path):
    team = tmp_path / "share"
    team.mkdir()
    installation(tmp_path / "pc-li", team, "李娜", "理财经理", ["利息太低了", "我再考虑考虑"])
    installation(tmp_path / "pc-wang", team, "王强", "大堂经理", ["大额存单还有额度吗"])

    async with app_of(tmp_path / "pc-wang").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        dash = pilot.app.screen
        assert isinstance(dash, DashboardScreen) and dash.aggregate and dash.numbers["sessions"] == 3
        panels = {ident: panel_text(dash, ident) for ident in ("staff", "cards", "scores", "streaks", "followups")}
        assert not any("李娜" in text for text in panels.values())
        assert "建议 0 次" not in panels["cards"] and "不在本机" in panels["cards"]
        assert "不在本机" in panels["followups"] and "不列出同事" in panels["staff"]
        await pilot.press("t")  # back to my own numbers: the usual panels
        await settle(pilot)
        assert not dash.aggregate and "王强" in panel_text(dash, "staff")


def test_home_lists_only_this_pcs_sessions_before_anyone_signs_in(tmp_path):
    from assistant.ui.screens.home import _recent

    team = tmp_path / "share"
    team.mkdir()
    installation(tmp_path / "pc-li", team, "李娜", "理财经理", ["利息太低了", "我再考虑考虑"])
    paths = Paths(tmp_path / "fresh")
    fresh = History(paths, clock=lambda: NOW)
    config.set_value("team_dir", str(team), paths)
    assert sync(fresh).added_sessions() == 2  # nobody signed in: the team's numbers came in
    assert _recent(fresh, make_library(), {}) == []
    manager = fresh.add_staff("王主任", "网点负责人")
    assert len(_recent(fresh, make_library(), manager)) == 2


async def outcome_of(pilot, sid: str, key: str) -> None:
    """In 复盘: the cursor on session `sid`, e, then the outcome dialog's `key` (1 成交 2 未成交 3 待跟进)."""
    from textual.widgets import DataTable

    await settle(pilot)
    screen = pilot.app.screen
    table = screen.query_one("#sessions", DataTable)
    table.focus()
    table.move_cursor(row=[r["id"] for r in screen.rows].index(sid))
    await pilot.press("e")
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)


async def test_the_manager_corrects_a_colleagues_outcome_and_it_reaches_them(tmp_path):
    """e on an ended session: the 网点负责人 changes its outcome; the new version is the manager's
    (published in the manager's own team file), the colleague has it after their next sync."""
    from assistant.core.history.team import TeamFolder

    team = tmp_path / "share"
    team.mkdir()
    li, (sid,) = installation(tmp_path / "pc-li", team, "李娜", "理财经理", ["利息太低了"])
    installation(tmp_path / "pc-boss", team, "王主任", "网点负责人", [])
    theirs = TeamFolder(li, team).own_file.read_bytes()

    async with app_of(tmp_path / "pc-boss").run_test(size=(120, 40)) as pilot:
        await outcome_of(pilot, sid, "2")
        boss = pilot.app.services.history
        assert boss.session(sid)["outcome"] == "未成交" and boss.session(sid)["updated_by"] == boss.origin

    sync(History(Paths(tmp_path / "pc-boss"), clock=lambda: NOW))
    sync(li)
    assert li.session(sid)["outcome"] == "未成交"
    assert TeamFolder(li, team).own_file.read_bytes() == theirs


async def test_staff_cannot_change_an_ended_sessions_outcome(tmp_path):
    team = tmp_path / "share"
    team.mkdir()
    li, (sid,) = installation(tmp_path / "pc-li", team, "李娜", "理财经理", ["利息太低了"])
    async with app_of(tmp_path / "pc-li").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pilot.app.screen.query_one("#sessions").focus()
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReviewScreen)  # no dialog: only the manager corrects
        await pilot.press("2")
        await settle(pilot)
    assert History(Paths(tmp_path / "pc-li")).session(sid)["outcome"] == "成交"


async def test_the_manager_ends_a_colleagues_open_session_and_its_follow_ups_reach_them(tmp_path):
    """e on a colleague's session left open (real services): it ends on the manager's PC with the
    follow-ups Live makes; all of it is published at once and reaches the colleague's next sync."""
    import threading

    from assistant.ui.services import build_services

    team = tmp_path / "share"
    team.mkdir()
    li, _ = installation(tmp_path / "pc-li", team, "李娜", "理财经理", [])
    aunt = li.add_customer("王阿姨", segment="senior")
    sid = li.start_session(staff_id=li.current_staff()["id"], customer_id=aunt["id"])
    li.log_event(sid, "customer", "利息太低了，我再想想")
    sync(li)
    installation(tmp_path / "pc-boss", team, "王主任", "网点负责人", [])

    app = CoachApp(mode="review", build=lambda: build_services(Paths(tmp_path / "pc-boss")))
    async with app.run_test(size=(120, 40)) as pilot:
        await outcome_of(pilot, sid, "3")
        assert pilot.app.services.history.session(sid)["outcome"] == "待跟进"
    for thread in threading.enumerate():
        if thread.name == "team-publish":
            thread.join()

    sync(li)  # the manager's PC was not synced again: what arrives is what the app published
    assert li.session(sid)["outcome"] == "待跟进"
    assert [e["text"] for e in li.events(sid)][-1] == "结束：待跟进"
    assert len([f for f in li.list_followups() if f.get("session_id") == sid]) == 2
