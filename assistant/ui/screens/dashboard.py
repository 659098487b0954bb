"""数据看板: the numbers a branch manager asks for, under the review screen's filters.

The eight-step funnel (live and practice side by side), the funnel by staff and by segment,
objection topics this week vs last, winning and never-used cards, rehearsal score trend, drill
streaks, follow-up discipline. Numbers come from assistant.core.review.numbers in a thread worker; the
card counts need the events, so they follow in a second message (last four weeks unless a date
range is set). Every view exports (x) with the current filters.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from assistant.core.history.filters import SessionFilter
from assistant.ui.screens import dashboard_views as views
from assistant.ui.screens.review_rows import Names, describe_filter
from assistant.ui.widgets.footer import KeyFooter

#: panel id → title
PANELS = {"funnel": "八步漏斗：到达人数（停 = 停在这一步）", "topics": "异议话题：本周至今 vs 上周同期",
          "staff": "按员工：漏斗形状（每格一步，越高越多人到达）", "segment": "按客群",
          "cards": "卡片：赢单的 vs 出现却没人用的", "scores": "演练得分趋势（每周平均）",
          "streaks": "强化练习", "followups": "跟进纪律：按时完成的比例"}
#: The views a staff PC may export from the team view (no colleague named, nothing it lacks).
AGGREGATE_VIEWS = ("funnel", "segment", "topics")
#: Days of events the card counts read when no start date is set.
CARD_WINDOW_DAYS = 28


class DashboardScreen(Screen):
    """Panels in a grid (two columns from 140 cells wide); Esc back to the sessions."""

    #: Two columns only where each panel still fits its tables without cutting them.
    HORIZONTAL_BREAKPOINTS = [(0, "-one-col"), (140, "-two-col")]

    DEFAULT_CSS = """
    DashboardScreen #dash-title { height: auto; padding: 0 1; background: $primary 20%; }
    DashboardScreen #dash-grid { grid-size: 1; grid-rows: auto; height: auto; grid-gutter: 0 1; }
    DashboardScreen.-two-col #dash-grid { grid-size: 2; }
    DashboardScreen .panel { height: auto; border: round $primary 50%; padding: 0 1; }
    """

    BINDINGS = [
        Binding("escape", "back", "返回", tooltip="回到会话列表"),
        Binding("x", "export", "导出", tooltip="导出一个视图（按当前筛选）"),
        Binding("f", "filters", "筛选", tooltip="改筛选条件（和会话列表共用）"),
        Binding("g", "refresh", "刷新", tooltip="重新统计"),
        Binding("t", "team", "团队/我的", tooltip="本机会话的数字 ↔ 全网点团队的合计（只有数字，看不到同事的对话）"),
    ]

    class Numbers(Message):
        """The dashboard dict for request `seq` (cards still None)."""

        def __init__(self, seq: int, numbers: dict) -> None:
            super().__init__()
            self.seq, self.numbers = seq, numbers

    class Cards(Message):
        """The events-based card counts for request `seq`, or progress while they are read."""

        def __init__(self, seq: int, cards: dict | None, percent: int | None = None, window: str = "") -> None:
            super().__init__()
            self.seq, self.cards, self.percent, self.window = seq, cards, percent, window

    def __init__(self, f: SessionFilter, names: Names, scope: str | None = None) -> None:
        super().__init__()
        #: The review screen's filter when opened (changed here with f).
        self.filter = f
        #: The review's scope (this PC's device id for staff; None for the manager: everyone's).
        self.scope = scope
        #: Showing the whole team's numbers (every PC, every staff member) instead of the filter's.
        self.team = False
        self.names = names
        #: The numbers shown (None until the worker answers).
        self.numbers: dict | None = None
        self.seq = 0
        self.shown_seq = -1
        #: The request whose numbers have been painted (benchmarks wait for it).
        self.painted_seq = -1

    def compose(self) -> ComposeResult:
        yield Static("数据看板 · 统计中…", id="dash-title")
        with VerticalScroll(id="dash-scroll"):
            with Grid(id="dash-grid"):
                for ident, title in PANELS.items():
                    panel = Static("", id=f"panel-{ident}", classes="panel")
                    panel.border_title = title
                    yield panel
        yield KeyFooter()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.seq += 1
        self.compute(self.seq, self.effective(), not self.aggregate)

    def effective(self) -> SessionFilter:
        """The filter the numbers are computed under: the user's scope, or the whole team's."""
        if self.team:
            return replace(self.filter, staff_id=None, customer_id=None, device=None)
        return replace(self.filter, device=self.scope) if self.scope else self.filter

    @property
    def aggregate(self) -> bool:
        """The team view on a staff PC: numbers only, no colleague named, nothing this PC lacks."""
        return self.team and self.scope is not None

    def action_team(self) -> None:
        """Switch between the current filter's numbers and the whole team's (aggregates only)."""
        self.team = not self.team
        self.action_refresh()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def compute(self, seq: int, f: SessionFilter, with_cards: bool = True) -> None:
        """Session-based numbers first (posted at once), then the card counts from the events
        (not in the team view on a staff PC: colleagues' events are not there)."""
        from assistant.core.review import numbers as review
        services, worker = self.app.services, get_current_worker()
        now = services.clock()
        numbers = review.dashboard(services.history, f, now=now, library=services.library)
        self.post_message(self.Numbers(seq, numbers))
        if not with_cards:
            return
        window_f, window = f, ""
        if not f.since:
            window_f = replace(f, since=(now - timedelta(days=CARD_WINDOW_DAYS - 1)).date())
            window = f"最近 {CARD_WINDOW_DAYS} 天"
        sessions = services.history.query_sessions(window_f, sort="started", limit=None)[0]
        progress = lambda done, total: self.post_message(self.Cards(seq, None, int(100 * done / total)))  # noqa: E731
        cards = review.card_numbers(services.history, sessions, lambda: worker.is_cancelled, progress)
        if cards is not None:
            self.post_message(self.Cards(seq, cards, window=window))

    def on_dashboard_screen_numbers(self, message: Numbers) -> None:
        if message.seq != self.seq:
            return
        self.numbers = message.numbers
        self.shown_seq = message.seq
        self._draw()
        self.call_after_refresh(setattr, self, "painted_seq", message.seq)

    def on_dashboard_screen_cards(self, message: Cards) -> None:
        if message.seq != self.seq or self.numbers is None or self.aggregate:
            return
        if message.cards is None:
            self.query_one("#panel-cards", Static).update(views.cards_panel(self.numbers, self.names, message.percent))
            return
        self.numbers = {**self.numbers, "cards": message.cards, "cards_window": message.window}
        self.query_one("#panel-cards", Static).update(views.cards_panel(self.numbers, self.names))

    def _draw(self) -> None:
        d, n = self.numbers, self.names
        scope = "全网点团队合计 · " if self.team else ""
        title = f"数据看板 · {scope}{describe_filter(self.effective(), n)} · {d['today']}\n"
        self.query_one("#dash-title", Static).update(title + views.overview(d).plain)
        columns = 2 if self.has_class("-two-col") else 1
        inner = self.app.size.width // columns - 5  # borders, padding, gutter
        panels = {"funnel": views.funnel_panel(d, n, inner), "topics": views.topics_panel(d["topics"], n),
                  "staff": views.groups_panel(d["by_staff"], n), "segment": views.groups_panel(d["by_segment"], n),
                  "cards": views.cards_panel(d, n), "scores": views.scores_panel(d["scores"]),
                  "streaks": views.streaks_panel(d["streaks"]), "followups": views.followups_panel(d["followups"])}
        if self.aggregate:
            panels.update({"staff": views.note("团队视图只有合计，不列出同事；按员工看请找网点负责人。"),
                           "cards": views.team_cards_panel(d, n), "scores": views.team_scores_panel(d["scores"]),
                           "streaks": views.team_streaks_panel(d["streaks"]),
                           "followups": views.note("跟进：" + views.NOT_HERE)})
        for ident, renderable in panels.items():
            self.query_one(f"#panel-{ident}", Static).update(renderable)

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_filters(self) -> None:
        from assistant.ui.screens.review_dialogs import FilterScreen

        self.app.push_screen(FilterScreen(self.filter, self.names), self._filter_chosen)

    def _filter_chosen(self, f: SessionFilter | None) -> None:
        if f is not None:
            self.filter = f
            self.action_refresh()

    def action_export(self) -> None:
        """Export one view as a table (csv/jsonl/md) with the current filters."""
        from assistant.core.review.export import VIEWS
        from assistant.ui.screens.review_dialogs import ExportScreen

        if self.numbers is None:
            self.notify("还在统计，请稍候再导出。", severity="warning")
            return
        services = self.app.services
        stem = f"coach-dashboard-{services.clock():%Y%m%d-%H%M}"
        choices = [(label, key) for key, (label, _) in VIEWS.items() if not self.aggregate or key in AGGREGATE_VIEWS]
        self.app.push_screen(ExportScreen(describe_filter(self.filter, self.names), services.history.paths.home / "exports",
                                          stem, views=choices, maskable=False), self._export_chosen)

    def _export_chosen(self, choice: dict | None) -> None:
        from assistant.core.errors import CoachError
        from assistant.core.review.export import VIEWS, view_rows, write_file, write_table

        if not choice:
            return
        view, services = choice["view"], self.app.services
        rows = view_rows(self.numbers, view)
        try:
            count = write_file(choice["path"], lambda out: write_table(rows, choice["fmt"], out, title=VIEWS[view][0],
                                                                       library=services.library))
        except CoachError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"已导出「{VIEWS[view][0]}」{count} 行到 {choice['path']}", timeout=10)
