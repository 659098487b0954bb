"""首页: today's follow-ups (due and overdue) first, then those due in the next days, recent
sessions, and the ways in."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from assistant.core.labels import session_mode_label, status_label
from assistant.ui.guard import Guarded
from assistant.ui.widgets.footer import KeyFooter

WAYS = (("1", "live", "实战", "边聊边给话术"), ("2", "rehearse", "演练", "和模拟客户练"),
        ("3", "review", "复盘", "看历史会话和数字"), ("4", "library", "话术库", "浏览、搜索话术"),
        ("5", "groups", "社群", "微信群体检"), ("6", "drill", "练习", "今天的强化练习"))
#: How many days ahead 即将到期 looks (after today).
UPCOMING_DAYS = 3


class HomeScreen(Guarded, Screen):
    """The agenda is an OptionList: the due follow-ups, then (under a 即将到期 header) those due in the
    next UPCOMING_DAYS days; Enter opens the follow-up's card or scenario, d marks it done."""

    BINDINGS = [
        # the ways in are listed with their keys on the right, so the footer keeps room for d and u
        *(Binding(key, f"app.go('{mode}')", title, show=False, tooltip=hint) for key, mode, title, hint in WAYS),
        Binding("enter", "open_followup", "打开", show=False, tooltip="打开这条跟进对应的话术或演练"),
        Binding("d", "done_followup", "已跟进", tooltip="把选中的跟进标为已完成（按 z 撤销）"),
        Binding("z", "undo", "撤销", tooltip="撤销刚才的「已跟进」（只在有可撤销的操作时出现）"),
        Binding("u", "app.switch_staff", "切换身份", tooltip="换一个人使用"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: Today's agenda: due and overdue follow-ups (AgendaItem dicts), overdue first.
        self.items: list[dict] = []
        #: Open follow-ups due after today and within UPCOMING_DAYS days, soonest first.
        self.upcoming: list[dict] = []
        #: The last agenda change (z undoes it), or None.
        self.last_change = None

    def compose(self) -> ComposeResult:
        yield Static(Text("网点营销教练", style="bold"), id="greeting")
        with Horizontal(id="home-body"):
            with Vertical(id="agenda-box"):
                yield Label("今日跟进（到期和逾期）", classes="section")
                yield OptionList(id="agenda")
                yield Label("最近会话（回车看对话；未结束的接着聊）", classes="section")
                yield OptionList(id="recent")
            yield Static(self._ways(), id="ways")
        yield KeyFooter()

    @staticmethod
    def _ways() -> Text:
        text = Text("从这里开始\n", style="bold")
        for key, _, title, hint in WAYS:
            text.append(f" {key} ", style="bold reverse")
            text.append(f" {title}", style="bold")
            text.append(f"  {hint}\n", style="dim")
        text.append("\nF1 回首页 · ctrl+p 命令面板", style="dim")
        return text

    def on_mount(self) -> None:
        self.query_one("#agenda", OptionList).set_options([Option("正在加载…（见下方进度）", disabled=True)])
        self.app.when_ready(self, lambda _services: self.refresh_data())

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """The agenda's keys wait for the agenda: hidden (and inert) while loading; z is in the
        footer exactly while there is a 「已跟进」 to undo (the notice that says so goes away); d only
        while the agenda has the focus."""
        if action == "undo" and self.last_change is None:
            return False
        if action == "done_followup" and self.focused is not self.query_one("#agenda"):
            return False  # the agenda's highlight is not drawn then: d would close an unseen item
        return self.app.services is not None or action not in ("done_followup", "undo", "open_followup")

    def on_screen_resume(self) -> None:
        if self.app.services is not None:
            self.refresh_data()

    def refresh_data(self) -> None:
        services = self.app.services
        staff = self.app.staff or {}
        now = services.clock()
        self.query_one("#greeting", Static).update(
            Text.assemble(("网点营销教练", "bold"), f"  {staff.get('name', '')} {staff.get('role', '')}  ·  {now:%m月%d日}"))
        from assistant.core.followups import agenda  # pydantic models load off the first paint

        # a 网点负责人 sees the team's follow-ups (colleagues' under their name), staff this PC's
        self.items = [item.as_dict() for item in agenda(services.history, services.library, now.date(), viewer=staff)]
        self.upcoming = upcoming(services.history, now, viewer=staff)
        self._name_owners(services.history, staff)
        self._fill_agenda()
        rows = _recent(services.history, services.library, staff)
        recent = self.query_one("#recent", OptionList)
        recent.set_options([Option(line, id=sid) for sid, line in rows] or [Option(Text(NO_SESSIONS, style="dim"), disabled=True)])
        recent.highlighted = 0 if rows else None

    def _name_owners(self, history, staff: dict) -> None:
        """`owner_name` on each follow-up that is a colleague's (shown after its title)."""
        names: dict[str, str] = {}
        for f in self.items + self.upcoming:
            owner = f.get("owner_id")
            if owner and owner != staff.get("id"):
                if owner not in names:
                    names[owner] = (history.get_staff(owner) or {}).get("name") or "同事"
                f["owner_name"] = names[owner]

    def _fill_agenda(self) -> None:
        """Option ids say which list a line belongs to: d3 is self.items[3], u0 is self.upcoming[0]."""
        today = self.app.services.clock().date()
        options = [Option(_agenda_line(f, today), id=f"d{i}") for i, f in enumerate(self.items)]
        if not options:
            options.append(Option("今天没有到期的跟进。按 1 开始实战。", disabled=True))
        if self.upcoming:
            options.append(Option(Text(f"即将到期（{UPCOMING_DAYS}天内）", style="bold"), disabled=True))
            options += [Option(_upcoming_line(f), id=f"u{i}") for i, f in enumerate(self.upcoming)]
        listing = self.query_one("#agenda", OptionList)
        listing.set_options(options)
        listing.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)

    def _current(self) -> dict | None:
        listing = self.query_one("#agenda", OptionList)
        if listing.highlighted is None:
            return None
        ident = listing.get_option_at_index(listing.highlighted).id or ""
        rows = self.items if ident.startswith("d") else self.upcoming if ident.startswith("u") else []
        return rows[int(ident[1:])] if rows else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "recent":
            self.open_session(event.option.id)
        else:
            self.action_open_followup()

    def open_session(self, session_id: str | None) -> None:
        """Show a recent conversation as 复盘 shows it; a rehearsal of mine left open is carried on."""
        from assistant.ui.screens.review_rows import Names
        from assistant.ui.screens.transcript import TranscriptScreen

        services = self.app.services
        if not session_id or services is None:
            return
        record = services.history.session(session_id)
        if self._my_open_rehearsal(record):
            self.app.switch_mode("rehearse")
            self.app.call_after_refresh(self._carry_on, session_id)
            return
        if self._mine_open(record, "live"):  # any age: the start offer lists only the last 7 days
            self.app.resume_live(record)
            return
        self.app.push_screen(TranscriptScreen(session_id, Names.load(services.history, services.library)))

    def _my_open_rehearsal(self, record: dict | None) -> bool:
        """An unended rehearsal of mine with a scenario persona (core/rehearse/resume.py replays those)."""
        return self._mine_open(record, "rehearse") and not record.get("customer_id")

    def _mine_open(self, record: dict | None, mode: str) -> bool:
        return bool(record) and record.get("mode") == mode and not record.get("ended") \
            and record.get("staff_id") == (self.app.staff or {}).get("id")

    def _carry_on(self, session_id: str) -> None:
        screen = next((s for s in reversed(self.app.screen_stack) if hasattr(s, "resume_session")), None)
        if screen is not None:
            screen.resume_session(session_id)

    def action_open_followup(self) -> None:
        """Open the selected follow-up's scenario (in 演练), or its card in 实战 rendered for its
        customer and the signed-in staff member (never the library's example values)."""
        item = self._current()
        if item is None:
            return
        if item.get("scenario_id"):  # rehearse the call about to be made: as this very customer
            self.app.open_scenario(item["scenario_id"], item.get("customer_id"))
            return
        self.app.action_go("live")
        if item.get("card_id") or item.get("customer_id"):
            self.app.call_after_refresh(lambda: self.app.live_screen and self.app.live_screen.open_followup(item))

    def action_done_followup(self) -> None:
        """Mark the selected follow-up done (it leaves the agenda; z undoes it). A colleague's only
        by a 网点负责人 who confirms acting as such."""
        from assistant.core.followups import MANAGER, may_close

        item = self._current()
        if item is None or self.app.services is None:
            return
        staff = self.app.staff or {}
        if may_close(staff, item.get("owner_id")):
            self._close(item, as_manager=False)
        elif staff.get("role") == MANAGER:
            from assistant.ui.screens.live_dialogs import ConfirmScreen

            owner = self._staff_name(item.get("owner_id"))
            question = f"这是{owner}的跟进。以网点负责人身份把它标为已完成吗？（会记下是你标的）"
            self.app.push_screen(ConfirmScreen(question, "以负责人身份标完成"),
                                 lambda yes: self._close(item, as_manager=True) if yes else None)
        else:
            owner = self._staff_name(item.get("owner_id"))
            self.notify(f"这是{owner}的跟进，只有{owner}本人或网点负责人可以标为已完成。", severity="warning")

    def _staff_name(self, staff_id: str | None) -> str:
        getter = getattr(self.app.services.history, "get_staff", None)
        record = getter(staff_id) if getter and staff_id else None
        return (record or {}).get("name") or "同事"

    def _close(self, item: dict, as_manager: bool) -> None:
        from assistant.core.followups import close_followup

        try:
            self.last_change = close_followup(self.app.services.history, item, self.app.staff, as_manager)
        except PermissionError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.notify(f"已完成：{item.get('title', '')}。按 z 撤销")
        self.refresh_bindings()
        self.refresh_data()

    def action_undo(self) -> None:
        """Undo the last 「已跟进」: the follow-up is back on the agenda as it was."""
        from assistant.core.followups import undo

        if self.last_change is None or self.app.services is None:
            self.notify("没有可以撤销的操作。", severity="warning")
            return
        change, self.last_change = self.last_change, None
        self.refresh_bindings()
        undo(self.app.services.history, change)
        self.notify(f"已撤销：{change.title} 回到了待跟进。")
        self.refresh_data()


def _agenda_line(f: dict, today: date) -> Table:
    """逾期3天 (how late: a date read as one more day to come) or 今天 15:00 (the time), then the title."""
    from assistant.core.followups import due_words

    due = str(f.get("due", ""))
    if f.get("state") == "overdue":
        return _line(Text(due_words(due, today), style="bold red"), f)
    return _line(Text(f"今天 {due[11:16]}", style="bold"), f)


def _upcoming_line(f: dict) -> Table:
    """A follow-up due later: its day and time (dim), title and what it opens."""
    due = str(f.get("due", ""))
    return _line(Text(f"{due[5:10]} {due[11:16]}", style="dim"), f)


def _line(when: Text, f: dict) -> Table:
    """When, then the title and what it opens in a column of its own: a long title wraps under
    itself (hanging), never leaving the time alone on a line."""
    title = Text(f.get("title", ""))
    target = "演练" if f.get("scenario_id") else ("话术" if f.get("card_id") else "")
    if target:
        title.append(f"  → {target}", style="dim")
    if f.get("owner_name"):
        title.append(f"  · {f['owner_name']}", style="dim")
    grid = Table.grid(padding=(0, 1), expand=True)  # the title gets every cell the row has
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(when, ZhCell(title))
    return grid


class ZhCell:
    """A table cell wrapped by Chinese line-breaking rules (Rich folds at the exact width, so a
    title's 「：」 or 「）」 could start a line under the time)."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console, options):
        from assistant.core.textwrap_zh import break_offsets

        for line in self.text.divide(break_offsets(self.text.plain, options.max_width)):
            line.rstrip()  # a space at a break stays at the end of its line
            yield line  # a Text ends its own line

    def __rich_measure__(self, console, options) -> Measurement:
        return Measurement(min(4, self.text.cell_len), self.text.cell_len)


def upcoming(history, now: datetime, days: int = UPCOMING_DAYS, viewer: dict | None = None) -> list[dict]:
    """Open or postponed follow-ups due after today and by the end of the `days`-th day, soonest
    first; with a `viewer`, those the agenda would show them (core/followups.py visible_to)."""
    from assistant.core.followups import PENDING, owner_of, visible_to

    tomorrow = (now.date() + timedelta(days=1)).isoformat()
    until = (now.date() + timedelta(days=days + 1)).isoformat()
    rows = history.list_followups(due_before=until, status=PENDING)  # sorted by due time
    rows = [f for f in rows if str(f.get("due", "")) >= tomorrow]
    if viewer is None:
        return rows
    owners: dict = {}
    rows = [{**f, "owner_id": owner_of(history, f, owners)} for f in rows]
    return [f for f in rows if visible_to(history, viewer, f["owner_id"])]


def session_status(s: dict) -> str:
    """未结束 until the session ends; then its outcome (or 已结束) and its score: as 复盘 says it."""
    return status_label(s)


#: Recent sessions listed (the list takes the rows the agenda leaves, and scrolls past them).
RECENT_ROWS = 30
#: What the recent list says before the first session.
NO_SESSIONS = "还没有会话记录。按 1 开始实战，或按 2 先演练一次。"


def _recent(history, library, staff: dict, limit: int = RECENT_ROWS) -> list[tuple[str, Text]]:
    """My latest sessions (a 网点负责人 sees everyone's, with who): when, mode, with whom, how it ended."""
    from assistant.core.history.filters import SessionFilter
    from assistant.ui.screens.review_rows import Names, when

    everyone = staff.get("role") == "网点负责人" or not staff.get("id")
    f = SessionFilter() if everyone else SessionFilter(staff_id=staff["id"])
    if not staff.get("id"):  # nobody signed in yet: this PC's sessions, not colleagues' from the team folder
        f = SessionFilter(device=getattr(history, "origin", None))
    sessions, _total = history.query_sessions(f, sort="-started", limit=limit)
    names = Names.load(history, library) if sessions else Names()
    rows = []
    for s in sessions:
        head = Text(f"{when(s.get('started'))}  {session_mode_label(s)}  ")
        if everyone:
            head.append(f"{names.staff.get(s.get('staff_id'), '')}  ", style="dim")
        who = names.who(s)
        who = Text(f"{who}  ", style="bold") if who != "—" else Text()  # a drill may have no scenario
        rows.append((s["id"], _recent_row(head, who, session_status(s))))
    return rows


def _recent_row(head: Text, who: Text, status: str) -> Table:
    """One line at any width: a long customer or scenario name ends in 「…」, never the status
    and score after it (at 80 columns 「未过关 · 75分」 wrapped under a drill's scenario)."""
    grid = Table.grid(expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(no_wrap=True)
    grid.add_row(head, who, status)
    return grid
