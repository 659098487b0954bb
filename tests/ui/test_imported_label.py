"""A chat imported for review is 实战·导入 wherever a session's mode is shown: Home's recent list, 复盘's
rows and transcript head, the md and CSV exports (labels.session_mode_label) — never plain 实战 / live."""

from __future__ import annotations

import csv
import io

from livefakes import settle
from test_home_screen import at, home_ready, known_staff, recent_lines

from assistant.core.history import History
from assistant.core.history.export import export_text
from assistant.core.labels import session_mode_label
from assistant.ui.app import CoachApp


def test_the_label():
    assert session_mode_label({"mode": "live", "source": "import"}) == "实战·导入"
    assert session_mode_label({"mode": "live"}) == "实战"
    assert session_mode_label({"mode": "drill"}) == "强化"


async def test_home_recent_list_says_imported():
    from livefakes import fake_services

    history = known_staff()
    sid = history.start_session(mode="live", staff_id="u1", started=at(0, 9), source="import")
    history.end_session(sid, ended=at(0, 9), outcome="未成交")
    app = CoachApp(build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await home_ready(pilot)
        await settle(pilot)
        assert recent_lines(app) == ["11-25 09:00  实战·导入  未成交"]


def test_exports_say_imported():
    history = History()
    sid = history.start_session(mode="live", source="import")
    history.log_event(sid, "customer", "利息太低了")
    rows = list(csv.DictReader(io.StringIO(export_text(history, "csv"))))
    assert [r["方式"] for r in rows] == ["实战·导入"]
    head = next(line for line in export_text(history, "md").splitlines() if line.startswith("## "))
    assert " · 实战·导入 · " in head


def test_stats_and_the_dashboard_count_imports_with_the_rest_and_say_how_many():
    from assistant.core.history import stats
    from assistant.core.review import numbers
    from assistant.ui.screens.dashboard_views import overview

    history = History()
    open_one = history.start_session(mode="live")
    history.log_event(open_one, "customer", "利息太低了")
    sid = history.start_session(mode="live", source="import")
    history.log_event(sid, "customer", "利息太低了")
    history.end_session(sid, ended=history.now())  # imported without an outcome: over, not open
    n = stats.compute(history)
    assert n["imported"] == 1 and n["outcomes"] == {"live": {"未结束": 1, "已结束": 1}}
    d = numbers.dashboard(history, now=history.clock())
    assert "实战 2，其中导入 1" in overview(d).plain
