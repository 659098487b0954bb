"""社群: every registered WeChat group, what the group doctor finds today, and what to say.

The findings come from assistant.core.groups (rules carried in the playbooks); this screen only
draws them and turns a choice into an action (copy the message, put it on the agenda, open the
card or scenario, log what happened in a group).
"""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from assistant.core.labels import EVENT_LABELS
from assistant.ui.widgets.footer import KeyFooter
from assistant.ui.widgets.measured_table import MeasuredTable  # filled while shown: see its docstring
from assistant.ui.widgets.zhtext import ZhStatic

SEVERITY_STYLE = {"error": ("‼ 紧急", "bold red"), "warning": ("! 注意", "bold yellow"), "info": ("· 建议", "cyan")}
EVENT_TYPES = [(label, kind) for kind, label in EVENT_LABELS.items()]


class GroupsScreen(Screen):
    """Groups on the left, today's findings in the middle, the selected finding's details below."""

    DEFAULT_CSS = """
    #groups-title { height: 1; padding: 0 1; background: $primary 20%; }
    #groups-body { height: 1fr; }
    #groups-left { width: 52; padding: 0 1; }
    #groups-right { width: 1fr; padding: 0 1; }
    #groups-table { height: 1fr; }
    #findings-table { height: 1fr; min-height: 5; }
    #finding-box { height: 1fr; border: round $primary 50%; padding: 0 1; }
    GroupsScreen.-narrow #groups-body { layout: vertical; }
    GroupsScreen.-narrow #groups-left { width: 1fr; height: 8; }
    GroupsScreen.-narrow #finding-box { height: 2fr; }
    """

    BINDINGS = [
        Binding("c", "copy_message", "复制话术", tooltip="把这条建议要发的话复制到剪贴板"),
        Binding("f", "add_followup", "进日程", tooltip="把这条发现变成跟进日程上的待办"),
        Binding("o", "open_reference", "看卡片", tooltip="打开帮这件事的话术卡片或演练场景"),
        Binding("l", "log_event", "记一笔", tooltip="记录群里发生的事：有人@问产品、成交、晋级…"),
        Binding("i", "import_csv", "导入", tooltip="从 CSV 导入微信群"),
        Binding("r", "recheck", "体检", tooltip="按今天的日期重新检查所有群"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: Today's findings, in the order of the findings table.
        self.findings: list = []
        #: Registered groups, in the order of the groups table.
        self.groups: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Static("社群体检", id="groups-title")
        with Horizontal(id="groups-body"):
            with Vertical(id="groups-left"):
                yield Label("我的微信群", classes="section")
                yield MeasuredTable(id="groups-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="groups-right"):
                yield Label("今天要处理的", classes="section")
                yield MeasuredTable(id="findings-table", cursor_type="row")
                with VerticalScroll(id="finding-box"):
                    yield ZhStatic("", id="finding-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        groups = self.query_one("#groups-table", DataTable)
        groups.add_columns("群名", "层级", "类型", "人数", "活跃")
        findings = self.query_one("#findings-table", DataTable)
        findings.add_columns("", "群", "发现")
        self.app.when_ready(self, lambda _services: self.action_recheck())

    def on_screen_resume(self) -> None:
        if self.app.services is not None:
            self.action_recheck()

    # ------------------------------------------------------------ data

    def action_recheck(self) -> None:
        """Run the group doctor for today and redraw both tables."""
        from assistant.commands.groups import doctor

        services = self.app.services
        today = services.clock().date()
        self.groups = list(services.history.list_groups())
        self.findings = doctor(services.history, services.library, today, services.renderer)
        self._fill_groups()
        self._fill_findings()
        title = f"社群体检 · {today:%m月%d日} · {len(self.groups)} 个群 · {len(self.findings)} 条发现"
        self.query_one("#groups-title", Static).update(title)

    def _fill_groups(self) -> None:
        table = self.query_one("#groups-table", DataTable)
        table.clear()
        for g in self.groups:
            role = (g.get("subrole") or g.get("role") or "").removesuffix("群")[:2]  # 产品标签群 → 产品
            table.add_row(g.get("name", ""), g.get("tier", ""), role, str(g.get("members", "")),
                          str(g.get("last_activity") or "")[5:10], key=g["id"])

    def _fill_findings(self) -> None:
        table = self.query_one("#findings-table", DataTable)
        table.clear()
        if not self.groups:
            self._detail(Text("还没有登记微信群。按 i 从 CSV 导入（表头：name,tier,role,members,created,…）。"))
            return
        if not self.findings:
            self._detail(Text("所有群都健康，今天没有要处理的。", style="green"))
            return
        for i, f in enumerate(self.findings):
            label, style = SEVERITY_STYLE.get(f.severity, ("·", ""))
            table.add_row(Text(label, style=style), f.group_name, f.title, key=str(i))
        self._show(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "findings-table" and event.row_key.value is not None:
            self._show(int(event.row_key.value))
        elif event.data_table.id == "groups-table" and event.row_key.value is not None:
            self._focus_group(event.row_key.value)

    def _focus_group(self, group_id: str) -> None:
        """Highlight the group's first finding, if it has one."""
        for i, f in enumerate(self.findings):
            if f.group_id == group_id:
                self.query_one("#findings-table", DataTable).move_cursor(row=i)
                return

    def _show(self, index: int) -> None:
        f = self.findings[index]
        text = Text()
        text.append(f"{f.group_name} · {f.title}\n", style="bold")
        text.append(f"情况：{f.evidence}\n")
        text.append(f"怎么做：{f.action}\n", style="bold")
        if f.message:
            text.append("\n可以这样发（c 复制）：\n", style="dim")
            text.append(f.message.strip() + "\n")
        library = self.app.services.library
        refs = [x for x in (f.card and f"卡片「{library.title_of('card', f.card)}」",
                            f.scenario and f"演练「{library.title_of('scenario', f.scenario)}」") if x]
        if refs:
            text.append(f"\n参考（o 打开）：{'，'.join(refs)}", style="dim")
        if f.followup_days is not None:
            text.append(f"\n按 f 加入日程：{f.followup_days} 天后提醒", style="dim")
        self._detail(text)

    def _detail(self, text: Text) -> None:
        self.query_one("#finding-detail", Static).update(text)

    def _selected(self):
        table = self.query_one("#findings-table", DataTable)
        if not self.findings or table.cursor_row is None or table.cursor_row >= len(self.findings):
            return None
        return self.findings[table.cursor_row]

    # ------------------------------------------------------------ actions

    def action_copy_message(self) -> None:
        """Copy the selected finding's message (OSC 52: some terminals ignore it)."""
        f = self._selected()
        if f is None or not f.message:
            self.notify("这条发现没有现成的话术。", severity="warning")
            return
        self.app.copy_to_clipboard(f.message.strip())
        self.notify("已复制（如果粘贴不出来，说明终端不支持剪贴板，请手动选中复制）。")

    def action_add_followup(self) -> None:
        """Put the selected finding on the follow-up agenda."""
        f = self._selected()
        if f is None:
            return
        services = self.app.services
        days = f.followup_days if f.followup_days is not None else 0
        due = (services.clock() + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)
        services.history.add_followup(customer_id=None, rule_id=f.rule_id, due=due.isoformat(timespec="minutes"),
                                      title=f"{f.group_name}：{f.title}", card_id=f.card,
                                      scenario_id=f.scenario, group_id=f.group_id)
        self.notify(f"已加入日程：{due:%m月%d日} {f.group_name}：{f.title}")

    def action_open_reference(self) -> None:
        """Open the card (话术库) or scenario (演练) that helps with the selected finding."""
        f = self._selected()
        if f is None:
            return
        if f.card:
            self.app.open_card(f.card)
        elif f.scenario:
            self.app.open_scenario(f.scenario)
        else:
            self.notify("这条发现没有对应的卡片。", severity="warning")

    def action_log_event(self) -> None:
        """Ask what happened in which group, log it, and re-check."""
        if not self.groups:
            self.notify("先导入或添加微信群。", severity="warning")
            return
        self.app.push_screen(GroupEventDialog(self.groups), self._event_logged)

    def _event_logged(self, result: dict | None) -> None:
        if not result:
            return
        history, today = self.app.services.history, self.app.services.clock().date().isoformat()
        history.log_group_event(result["group_id"], result["type"], text=result["text"], who=result["who"])
        fields = {"last_activity": today}
        if result["type"] in ("deal", "promotion"):
            fields["last_deal" if result["type"] == "deal" else "last_promotion"] = today
        history.update_group(result["group_id"], **fields)
        self.notify("已记录。")
        self.action_recheck()

    def action_import_csv(self) -> None:
        """Ask for a CSV path and import it; bad rows are listed with their line numbers."""
        self.app.push_screen(ImportDialog(), self._import)

    def _import(self, path: str | None) -> None:
        if not path:
            return
        from pathlib import Path

        from assistant.core.errors import CoachError
        from assistant.core.groups import parse_groups_csv

        try:
            result = parse_groups_csv(Path(path).expanduser())
        except CoachError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        history = self.app.services.history
        existing = {g["name"]: g["id"] for g in history.list_groups()}
        for group in result.groups:
            if group["name"] in existing:
                history.update_group(existing[group["name"]], **group)
            else:
                history.add_group(**group)
        message = f"导入 {len(result.groups)} 个群。"
        if result.problems:
            message += "\n" + "\n".join(result.problems[:8])
        self.notify(message, severity="warning" if result.problems else "information", timeout=12)
        self.action_recheck()


class GroupEventDialog(ModalScreen[dict | None]):
    """Which group, what happened, the words and who."""

    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, groups: list[dict]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("记一笔：群里发生了什么", classes="dialog-title")
            yield Select([(g["name"], g["id"]) for g in self.groups], prompt="选择群", id="ev-group")
            yield Select(EVENT_TYPES, value="product_question", allow_blank=False, id="ev-type")
            yield Input(placeholder="原话（例如：这个理财怎么买？）", id="ev-text")
            yield Input(placeholder="谁（昵称，可不填）", id="ev-who")
            with Horizontal(classes="buttons"):
                yield Button("记录", variant="primary", id="ev-ok")
                yield Button("取消", id="ev-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ev-cancel":
            self.dismiss(None)
            return
        group = self.query_one("#ev-group", Select)
        if group.is_blank():
            self.notify("请先选一个群。", severity="warning")
            return
        self.dismiss({"group_id": group.value, "type": self.query_one("#ev-type", Select).value,
                      "text": self.query_one("#ev-text", Input).value.strip(),
                      "who": self.query_one("#ev-who", Input).value.strip()})

    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportDialog(ModalScreen[str | None]):
    """Ask for the CSV file's path."""

    BINDINGS = [Binding("escape", "cancel", "取消")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("导入微信群 CSV", classes="dialog-title")
            yield Static("表头可用 name,tier,role,members,created,last_activity,last_promotion,last_deal,owner,tag,notes 或中文列名。",
                         classes="quote")
            yield Input(placeholder="文件路径，例如 ~/Downloads/群.csv", id="csv-path")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
