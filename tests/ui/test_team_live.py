"""Live with a team folder (real services): ending a conversation publishes it with its follow-ups,
in the background; a publish that fails is a toast, never a traceback."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from livefakes import say, settle

from assistant.core import config
from assistant.core.history import History
from assistant.core.history.team import TeamFolder, sync, wait_published
from assistant.paths import Paths
from assistant.ui.app import CoachApp
from assistant.ui.services import build_services

NOW = datetime(2026, 11, 25, 17, 0)


def pc(home: Path, team: Path, name: str, role: str) -> History:
    """One PC with its user and the team folder set (as `coach config set team_dir` does)."""
    paths = Paths(home)
    h = History(paths, clock=lambda: NOW)
    h.set_current_staff(h.add_staff(name, role)["id"])
    config.set_value("team_dir", str(team), paths)
    return h


async def test_ending_a_live_conversation_publishes_its_follow_ups_with_it(tmp_path):
    team = tmp_path / "share"
    team.mkdir()
    pc(tmp_path / "pc-li", team, "李娜", "理财经理").close()
    boss = pc(tmp_path / "pc-boss", team, "王主任", "网点负责人")
    services = build_services(Paths(tmp_path / "pc-li"))
    history = services.history
    # the end's own publish done before its follow-ups exist, as a slow thread would leave it
    history.on_session_end[:] = [lambda _s: TeamFolder(history, team).publish()]
    customer = history.add_customer(name="王秀英", segment="senior")
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        app.screen._customer_picked(customer)
        await say(pilot, "我再考虑考虑")
        sid = app.screen.session.session_id
        await say(pilot, "/end 待跟进")
        assert wait_published(history, 30)
    made = [f["id"] for f in history.list_followups() if f.get("session_id") == sid]
    assert len(made) >= 2
    sync(boss)
    assert boss.session(sid)["outcome"] == "待跟进"
    assert sorted(f["id"] for f in boss.list_followups() if f.get("session_id") == sid) == sorted(made)


async def test_a_failed_publish_after_the_end_is_a_toast(tmp_path):
    share = tmp_path / "share"
    share.write_text("not a folder: the share is gone")
    pc(tmp_path / "pc-li", share, "李娜", "理财经理").close()
    services = build_services(Paths(tmp_path / "pc-li"))
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "我再考虑考虑")
        await say(pilot, "/end 未成交")
        assert wait_published(services.history, 30)
        await settle(pilot)
        told = [n.message for n in app._notifications if n.title == "团队文件夹"]
        assert len(told) == 1 and str(share) in told[0] and "Traceback" not in told[0]
    assert History(Paths(tmp_path / "pc-li")).query_sessions()[1] == 1  # the session itself is kept
