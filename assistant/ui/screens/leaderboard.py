"""PK 竞赛: rehearsal average and best scores and drill streaks by staff over a period (this week,
this month, all), for the 网点负责人 to run the branch contest. The rows come from
`assistant.core.rehearse.leaderboard`; this screen only lays them out."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from assistant.core.rehearse.leaderboard import leaderboard
from assistant.ui.widgets.footer import KeyFooter
from assistant.ui.widgets.measured_table import MeasuredTable  # refilled on w/m/a: see its docstring

#: period key → Chinese name.
PERIODS = {"week": "本周", "month": "本月", "all": "全部"}
#: 未完成: rehearsals given up, counted but not scored (not in 演练场次 or the averages).
COLUMNS = ("名次", "姓名", "演练场次", "未完成", "平均分", "最高分", "练习题数", "最长连对")


def period_range(period: str, today: dt.date) -> tuple[str | None, str | None]:
    """(since, until) as ISO dates: from Monday, from the 1st, or everything up to today."""
    if period == "week":
        return (today - dt.timedelta(days=today.weekday())).isoformat(), today.isoformat()
    if period == "month":
        return today.replace(day=1).isoformat(), today.isoformat()
    return None, None


def _cell(value) -> str:
    return "—" if value is None else str(value)


class LeaderboardScreen(Screen):
    """w / m / a switch the period; my own row is highlighted."""

    DEFAULT_CSS = """
    LeaderboardScreen #lb-head { height: auto; padding: 0 1; background: $primary 15%; }
    LeaderboardScreen #lb-table { height: 1fr; }
    LeaderboardScreen #lb-empty { padding: 1 2; color: $text-muted; }
    """

    BINDINGS = [
        Binding("w", "period('week')", "本周", tooltip="本周（周一起）的成绩"),
        Binding("m", "period('month')", "本月", tooltip="本月的成绩"),
        Binding("a", "period('all')", "全部", tooltip="全部历史成绩"),
        Binding("escape", "back", "返回", tooltip="回到强化练习"),
    ]

    def __init__(self, history, today: dt.date, staff_id: str | None = None, period: str = "week") -> None:
        super().__init__()
        self.history = history
        self.today = today
        self.staff_id = staff_id
        #: week | month | all
        self.period = period
        #: The standings shown, best first.
        self.rows: list = []

    def compose(self) -> ComposeResult:
        yield Static("", id="lb-head")
        yield MeasuredTable(id="lb-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="lb-empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*COLUMNS)
        self.action_period(self.period)

    def action_period(self, period: str) -> None:
        """Show the standings of `period` (week, month or all)."""
        self.period = period
        since, until = period_range(period, self.today)
        self.rows = leaderboard(self.history, since, until)
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for rank, r in enumerate(self.rows, 1):
            name = Text(r.name, style="bold green") if r.staff_id == self.staff_id else r.name
            given_up = Text(f"{r.abandoned} 次" if r.abandoned else "—", style="dim")
            table.add_row(str(rank), name, str(r.rehearsals), given_up, _cell(r.average), _cell(r.best),
                          str(r.drills), str(r.streak), key=r.staff_id)
        mine = next((i for i, r in enumerate(self.rows) if r.staff_id == self.staff_id), 0)
        if self.rows:
            table.move_cursor(row=mine)
        table.focus()
        since, _ = period_range(self.period, self.today)
        span = f"{since} 起" if since else "全部历史"
        self.query_one("#lb-head", Static).update(Text.assemble(
            ("PK 竞赛 · ", "bold"), (PERIODS[self.period], "bold reverse"), f"（{span}）",
            ("  按平均分排名（未完成的演练不计分）；w 本周 · m 本月 · a 全部", "dim")))
        self.query_one("#lb-empty", Static).update("" if self.rows else "这段时间还没有人演练或练习。")

    def action_back(self) -> None:
        """Back to where the leaderboard was opened."""
        self.app.pop_screen()
