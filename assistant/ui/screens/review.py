"""复盘: every session (live, rehearsal, drill) in a paged table with filters that combine, and
search as you type across every transcript (review_search.py). Enter opens the transcript; d the
dashboard; x exports (review_export.py).

The history is queried in thread workers (exclusive, so a newer filter cancels an older one);
workers only post messages, and a handler drops a page or a result that is no longer current.
"""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, ProgressBar, Static
from textual.worker import get_current_worker

from assistant.core.history.filters import SORT_KEYS, SessionFilter
from assistant.core.review.numbers import so_far
from assistant.ui.guard import Guarded
from assistant.ui.screens.review_export import SessionExport
from assistant.ui.screens.review_rows import COLUMNS, WIDE_WIDTHS, WIDTHS, Names, describe_filter, session_cells
from assistant.ui.screens.review_search import TranscriptSearch
from assistant.ui.widgets.footer import KeyFooter
from assistant.ui.widgets.measured_table import MeasuredTable

#: Sessions per page.
PAGE = 50
#: The role that reviews the whole team by default (others start on their own sessions).
MANAGER = "网点负责人"
#: Values `m` and `o` step through (None: all).
MODE_CYCLE = (None, "live", "rehearse", "drill")
OUTCOME_CYCLE = (None, "成交", "未成交", "待跟进", "")
#: Sort keys that start descending (newest, best first).
DESCENDING_FIRST = ("started", "ended", "score", "furthest_step")


class ReviewScreen(Guarded, TranscriptSearch, SessionExport, Screen):
    """The sessions table with its filter line, or, while searching, the transcript hits."""

    DEFAULT_CSS = """
    ReviewScreen #review-title { height: 1; padding: 0 1; background: $primary 20%; }
    ReviewScreen #review-filter { height: 1; padding: 0 1; color: $text-muted; }
    ReviewScreen #review-search { margin: 0 1; background: $boost; }
    ReviewScreen #search-bar { height: auto; max-height: 2; padding: 0 1; display: none; }
    ReviewScreen #search-progress { display: none; }
    ReviewScreen.-searching #search-progress { display: block; }
    ReviewScreen #sessions, ReviewScreen #hits { height: 1fr; }
    ReviewScreen #hits { display: none; }
    ReviewScreen.-search-mode #hits, ReviewScreen.-search-mode #search-bar { display: block; }
    ReviewScreen.-search-mode #sessions { display: none; }
    """

    BINDINGS = [
        # first: shown only just after an ending closed earlier follow-ups, and never cut off the footer
        Binding("u", "undo_settled", "撤销自动完成", tooltip="刚才结束会话时自动标为完成的跟进，恢复为未完成"),
        Binding("f", "filters", "筛选", tooltip="日期、员工、客户、方式、结果、客群、话题、步骤、得分一起筛"),
        Binding("enter", "open", "查看", tooltip="打开选中的会话，看当时的对话"),
        Binding("m", "cycle_mode", "方式", show=False, tooltip="依次只看：实战 / 演练 / 强化 / 全部"),
        Binding("o", "cycle_outcome", "结果", show=False, tooltip="依次只看：成交 / 未成交 / 待跟进 / 未结束 / 全部"),
        Binding("ctrl+l", "clear_filters", "清除筛选", show=False, tooltip="去掉所有筛选条件"),
        Binding("s", "cycle_sort", "排序", tooltip="换一列排序（也可以点表头）"),
        Binding("r", "reverse_sort", "倒序", show=False, tooltip="排序方向反过来"),
        Binding("pagedown", "page(1)", "下一页", priority=True, show=False, tooltip="下一页（每页 50 个会话）"),
        Binding("pageup", "page(-1)", "上一页", priority=True, show=False, tooltip="上一页"),
        Binding("slash", "focus_search", "搜索", tooltip="搜索所有对话内容（输入即搜）"),
        Binding("escape", "escape", "取消", show=False, tooltip="取消正在进行的搜索；再按一次清空搜索"),
        Binding("d", "dashboard", "数据看板", tooltip="漏斗、异议、卡片、得分、练习、跟进（按当前筛选）"),
        Binding("x", "export", "导出", tooltip="导出当前筛选下的对话记录（默认隐去个人信息）"),
        # e is in the footer exactly when it does something for the highlighted row (check_action);
        # before i, so at 80 columns (the footer also keeps ^q 退出) it is i that goes to ctrl+p
        Binding("e", "end_session", "结束", tooltip="结束选中的未结束实战会话，记录结果"),
        Binding("c", "resume_session", "接着聊", tooltip="在实战里接着聊选中的未结束会话（自己的）"),
        Binding("e", "change_outcome", "改结果", tooltip="网点负责人：修改已结束实战会话的结果（会同步给同事）"),
        Binding("i", "import_chat", "导入聊天", tooltip="粘贴一段真实的微信聊天，导入成一次会话来复盘"),
    ]

    #: Left out of a narrow footer first (still in ctrl+p): a header click sorts too, and exporting is
    #: rarer than carrying on or ending the highlighted chat.
    FOOTER_SPARE = ("cycle_sort", "export")

    class Page(Message):
        """One page of sessions for query number `seq`; `unseen` are sessions with new comments for me."""

        def __init__(self, seq: int, rows: list[dict], total: int, unseen: set[str]) -> None:
            super().__init__()
            self.seq, self.rows, self.total, self.unseen = seq, rows, total, unseen

    class SearchProgress(Message):
        """How far search number `seq` has read (0–100)."""

        def __init__(self, seq: int, percent: int) -> None:
            super().__init__()
            self.seq, self.percent = seq, percent

    class Searched(Message):
        """The hits of search number `seq` (partial when `cancelled`; more to come unless `final`)."""

        def __init__(self, seq: int, hits: list, cancelled: bool, final: bool = True) -> None:
            super().__init__()
            self.seq, self.hits, self.cancelled, self.final = seq, hits, cancelled, final

    def __init__(self) -> None:
        super().__init__()
        #: The filters that combine (all must hold).
        self.filter = SessionFilter()
        #: A SORT_KEYS field; leading "-" for descending.
        self.sort = "-started"
        #: Zero-based page number.
        self.page = 0
        #: Sessions matching the filter; and the sessions on the page shown.
        self.total = 0
        self.rows: list[dict] = []
        #: Query number asked for, and the one on screen (equal when the table is current).
        self.seq = 0
        self.shown_seq = -1
        #: The query whose page has been painted (set after the refresh; benchmarks wait for it).
        self.painted_seq = -1
        #: Search number asked for, the one whose hits are shown, and those hits.
        self.search_seq = 0
        self.searched_seq = -1
        self.hits: list = []
        #: Put the cursor back on the same row when the next page arrives (a refresh, not a new filter).
        self.keep_cursor = False
        #: Sessions with comments the current user has not seen (None: read it with the next page).
        self.unseen: set[str] | None = None
        self.names = Names()
        self.services = None
        #: This PC's device id when the user is not the branch manager: only this PC's sessions are
        #: listed, searched, opened and exported (colleagues' arrive through the team folder for
        #: the manager; staff see the team's numbers in the dashboard, t). None: everyone's.
        self.scope: str | None = None
        #: Whom the filter and scope were set for ((id, role)), and the team sync the names come from.
        self.user: tuple | None = None
        self.generation = 0
        #: The earlier follow-ups the last session ended here closed (u reopens them; review_outcome.py).
        self.settled: list = []
        #: The capped columns have their widths for 120 columns and more (set with the columns).
        self.wide_columns = False

    def compose(self) -> ComposeResult:
        yield Static("复盘 · 加载中…", id="review-title")
        yield Input(placeholder="/ 或直接打中文：搜索所有对话，如「利息太低」（Esc 取消）", id="review-search", compact=True,
                    select_on_focus=False)
        yield Static("", id="review-filter")
        yield ProgressBar(total=100, show_eta=False, id="search-progress")
        yield Static("", id="search-bar")
        table = MeasuredTable(id="sessions", cursor_type="row", zebra_stripes=True)
        self._add_columns(table)
        yield table
        yield OptionList(id="hits")
        yield KeyFooter()

    def _add_columns(self, table: DataTable) -> None:
        """The columns, the capped ones as wide as this terminal allows (see review_rows.WIDTHS)."""
        self.wide_columns = self.app.size.width >= 120
        widths = WIDE_WIDTHS if self.wide_columns else WIDTHS
        for key, label in COLUMNS:
            table.add_column(label, key=key, width=widths.get(key))

    def on_resize(self) -> None:
        """A terminal made narrower (or wider) across 120 columns gets the columns for its width:
        they were fixed when the screen was made, and at 80 得分, 批注 and 客群 went off the edge."""
        if (self.app.size.width >= 120) != self.wide_columns:
            table = self.query_one("#sessions", DataTable)
            row = table.cursor_row
            table.clear(columns=True)
            self._add_columns(table)
            self._fill(table, row)

    def on_mount(self) -> None:
        self.query_one("#sessions", DataTable).focus()
        self.app.when_ready(self, self._ready)

    def _ready(self, services) -> None:
        self.services = services
        self.names = Names.load(services.history, services.library)
        self.generation = getattr(services, "team_generation", 0)
        self._team_notes(services)
        self.reload()

    def _follow_user(self) -> None:
        """Filter and scope for whoever uses the app now (u / F9 may have switched since the last
        query): staff start on their own sessions (ctrl+l shows this PC's), the manager on everyone's.
        Names are read again when colleagues' records came in since (a team sync after the switch)."""
        staff = self.app.staff or {}
        user = (staff.get("id"), staff.get("role"))
        if user != self.user:
            self.user, self.page = user, 0
            self.filter = SessionFilter(staff_id=staff["id"]) if staff.get("id") and staff.get("role") != MANAGER else SessionFilter()
        self.scope = self._scope_for(staff)
        generation = getattr(self.services, "team_generation", 0)
        if generation != self.generation:
            self.generation = generation
            self.names = Names.load(self.services.history, self.services.library)

    def team_synced(self) -> None:
        """Colleagues' records came in (the app read the team folder again): show them."""
        if self.services is not None:
            self.keep_cursor = True
            self.reload()

    def _scope_for(self, staff: dict) -> str | None:
        """Staff (and nobody chosen yet) see this PC's sessions; the branch manager sees everyone's."""
        return None if staff.get("role") == MANAGER else self.services.history.origin

    def _team_notes(self, services) -> None:
        """Say once what the team folder sync could not do (which colleague, why)."""
        for problem in getattr(getattr(services, "team", None), "problems", ()):
            self.notify(problem, title="团队文件夹", severity="warning", timeout=15)

    def visible(self, f: SessionFilter) -> SessionFilter:
        """`f` within what this user may read (see `scope`)."""
        return replace(f, device=self.scope) if self.scope else f

    def on_screen_resume(self) -> None:
        self.on_resize()  # the terminal may have changed size while another screen was on top
        if self.services is not None:
            self.unseen = None  # a transcript may have marked comments seen
            self.keep_cursor = True  # back from a transcript: stay on the row just read
            self.reload()

    # ------------------------------------------------------------ the sessions table

    def reload(self) -> None:
        """Ask for the current page under the current filter and sort (the table updates when it arrives)."""
        if self.services is None:
            return
        self.seq += 1
        self._follow_user()
        self._describe()
        me = (self.app.staff or {}).get("id")
        self.run_query(self.seq, self.visible(self.filter), self.sort, self.page * PAGE, me, self.unseen)

    @work(thread=True, exclusive=True, group="review-query", exit_on_error=False)
    def run_query(self, seq: int, f: SessionFilter, sort: str, offset: int, me: str | None,
                  unseen: set[str] | None) -> None:
        """One page from the history's session index; posts it, changes nothing.

        The sessions with comments new to me are read once (state.json is parsed whole) and kept.
        """
        history = self.services.history
        rows, total = history.query_sessions(f, sort, offset, PAGE)
        rows = [so_far(history, s) for s in rows]  # an open session: the step reached so far
        if unseen is None:
            unseen = {fl["session_id"] for fl in history.unseen_flags(me)} if me else set()
        if not get_current_worker().is_cancelled:
            self.post_message(self.Page(seq, rows, total, unseen))

    def on_review_screen_page(self, message: Page) -> None:
        if message.seq != self.seq:
            return  # a newer filter is on its way
        if message.rows == [] and message.total and self.page:
            self.page = max(0, (message.total - 1) // PAGE)  # the filter shrank below this page
            self.reload()
            return
        self.rows, self.total, self.unseen = message.rows, message.total, message.unseen
        table = self.query_one("#sessions", DataTable)
        self._fill(table, table.cursor_row if self.keep_cursor else 0)
        self.keep_cursor = False
        self.shown_seq = message.seq
        self._describe()
        self.call_after_refresh(setattr, self, "painted_seq", message.seq)

    def _fill(self, table: DataTable, row: int) -> None:
        """The page's rows (`self.rows`), the cursor on `row`."""
        me, unseen = (self.app.staff or {}).get("id"), self.unseen or set()
        table.clear()
        for s in self.rows:
            new = s["id"] in unseen and s.get("staff_id") == me
            table.add_row(*session_cells(s, self.names, "●新" if new else ""), key=s["id"])
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1), animate=False)

    def _describe(self) -> None:
        pages = max(1, -(-self.total // PAGE))
        label = dict(COLUMNS).get(self.sort.lstrip("-"), self.sort)
        arrow = "↓" if self.sort.startswith("-") else "↑"
        loading = "" if self.shown_seq == self.seq else " · 查询中…"
        self.query_one("#review-title", Static).update(
            f"复盘 · {self.total:,} 个会话 · 第 {min(self.page + 1, pages)}/{pages} 页（PgUp/PgDn）· 按{label}{arrow}{loading}")
        mine = " · 只含本机会话（团队合计见数据看板 d→t）" if self.scope and self._has_team() else ""
        self.query_one("#review-filter", Static).update(
            f"筛选：{describe_filter(self.filter, self.names)}{mine}  [f 修改 · m 方式 · o 结果 · ctrl+l 清除]")

    def _has_team(self) -> bool:
        return getattr(self.services, "team", None) is not None

    def apply_filter(self, f: SessionFilter | None) -> None:
        """Show the first page under filter `f` (None: keep the current one)."""
        if f is None:
            return
        self.filter, self.page, self.keep_cursor = f, 0, False
        self.reload()
        if self.query_one("#review-search", Input).value.strip():
            self._start_search()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(str(event.column_key.value))

    def sort_by(self, key: str) -> None:
        """Sort by a column; the same column again flips the direction."""
        if key not in SORT_KEYS:
            self.notify("这一列不能排序。", severity="warning")
            return
        if self.sort.lstrip("-") == key:
            self.action_reverse_sort()
            return
        self.sort, self.page = ("-" if key in DESCENDING_FIRST else "") + key, 0
        self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open_session(event.row_key.value)

    def action_open(self) -> None:
        """Open the highlighted session (the table's own Enter does the same)."""
        table = self.query_one("#sessions", DataTable)
        if self.rows and 0 <= table.cursor_row < len(self.rows):
            self.open_session(self.rows[table.cursor_row]["id"])

    def action_import_chat(self) -> None:
        """Paste a real chat and import it as a session (core/live/importer.py does the work)."""
        from assistant.ui.screens.import_chat import open_import

        open_import(self)

    def _highlighted(self) -> dict | None:
        table = self.query_one("#sessions", DataTable)
        return self.rows[table.cursor_row] if self.rows and 0 <= table.cursor_row < len(self.rows) else None

    def action_end_session(self) -> None:
        """End the highlighted live session that was left open, with its outcome."""
        from assistant.ui.screens.review_outcome import end_open_session

        if row := self._highlighted():
            end_open_session(self, row)

    def action_resume_session(self) -> None:
        """Carry on the highlighted open live session of mine in 实战."""
        if row := self._highlighted():
            self.app.resume_live(self.app.services.history.session(row["id"]) or row)

    def action_change_outcome(self) -> None:
        """The 网点负责人 corrects an ended live session's outcome (a colleague's too: it travels
        in the team folder)."""
        from assistant.ui.screens.review_outcome import change_outcome

        if row := self._highlighted():
            change_outcome(self, row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()  # e 结束 / e 改结果 follow the highlighted row

    def action_undo_settled(self) -> None:
        from assistant.ui.screens.review_outcome import undo_settled

        undo_settled(self)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """u 撤销自动完成 is there (footer and key) only while an ending here has something to undo;
        e only for a live session: 结束 while open, 改结果 once ended and I am the 网点负责人; c
        (接着聊) for an open live session of mine."""
        if action in ("end_session", "change_outcome", "resume_session"):
            from assistant.ui.screens.review_outcome import MANAGER

            row = self._highlighted() if self.is_mounted else None
            if not row or row.get("mode", "live") != "live":
                return False
            if action == "end_session":
                return not row.get("ended")
            if action == "resume_session":
                return not row.get("ended") and row.get("staff_id") == (self.app.staff or {}).get("id")
            return bool(row.get("ended")) and (self.app.staff or {}).get("role") == MANAGER
        return action != "undo_settled" or bool(self.settled)

    def open_session(self, session_id: str, seq: int | None = None, words: list[str] | None = None) -> None:
        """Show one conversation as it happened."""
        from assistant.ui.screens.transcript import TranscriptScreen

        self.app.push_screen(TranscriptScreen(session_id, self.names, seq=seq, words=words or []))

    # ------------------------------------------------------------ actions

    def action_filters(self) -> None:
        """Every filter in one dialog."""
        from assistant.ui.screens.review_dialogs import FilterScreen

        if self.services is not None:
            self.app.push_screen(FilterScreen(self.filter, self.names), self.apply_filter)

    def _cycle(self, field: str, values: tuple) -> None:
        current = getattr(self.filter, field)
        following = values[(values.index(current) + 1) % len(values)] if current in values else values[0]
        self.apply_filter(replace(self.filter, **{field: following}))

    def action_cycle_mode(self) -> None:
        self._cycle("mode", MODE_CYCLE)

    def action_cycle_outcome(self) -> None:
        self._cycle("outcome", OUTCOME_CYCLE)

    def action_clear_filters(self) -> None:
        self.apply_filter(SessionFilter())

    def action_cycle_sort(self) -> None:
        """The next sortable column."""
        keys = [k for k, _ in COLUMNS if k in SORT_KEYS]
        current = self.sort.lstrip("-")
        self.sort_by(keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0])

    def action_reverse_sort(self) -> None:
        self.sort = self.sort[1:] if self.sort.startswith("-") else "-" + self.sort
        self.page = 0
        self.reload()

    def action_page(self, step: int) -> None:
        pages = max(1, -(-self.total // PAGE))
        page = min(max(0, self.page + step), pages - 1)
        if page != self.page:
            self.page = page
            self.reload()

    def action_focus_search(self) -> None:
        self.query_one("#review-search", Input).focus()

    def action_dashboard(self) -> None:
        """The numbers under the current filter."""
        from assistant.ui.screens.dashboard import DashboardScreen

        if self.services is not None:
            self.app.push_screen(DashboardScreen(self.filter, self.names, scope=self.scope))
