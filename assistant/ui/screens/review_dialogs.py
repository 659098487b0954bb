"""Dialogs of the review screens: every session filter at once, export (format, path, masking),
and a comment on a flagged moment."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from assistant.core.history.filters import SessionFilter
from assistant.core.playbooks.models import STEP_ORDER
from assistant.core.review.export import FORMATS
from assistant.ui.screens.review_rows import MODES, Names
from assistant.ui.widgets.zhtext import ZhLabel

#: The export formats as staff read them in the list (the file name keeps the suffix).
FORMAT_LABELS = {"csv": "CSV 表格（Excel 打开）", "jsonl": "JSON 行（给程序读）", "md": "Markdown 文字稿（按会话）"}
OUTCOMES = [("成交", "成交"), ("未成交", "未成交"), ("待跟进", "待跟进"), ("未结束", "")]


def _day(value: str, label: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{label}「{value}」不是日期，应为 YYYY-MM-DD") from None


def _score(value: str, label: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{label}「{value}」不是数字") from None


class FilterScreen(ModalScreen[SessionFilter | None]):
    """All the session filters in one dialog; returns the new SessionFilter (None: unchanged)."""

    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen #filter-dialog { width: 96%; max-width: 110; height: auto; max-height: 100%; padding: 0 1;
                                  border: round $primary; background: $surface; }
    FilterScreen #filter-dialog > Label { text-style: bold; margin-bottom: 1; }
    FilterScreen #filter-grid { grid-size: 4; grid-columns: 7 1fr 7 1fr; grid-rows: 1; grid-gutter: 1 1; height: auto; }
    FilterScreen #filter-grid Input, FilterScreen #filter-grid Select { margin: 0; width: 1fr; }
    FilterScreen #filter-grid Horizontal { height: 1; }
    FilterScreen #filter-grid Horizontal Input { margin-right: 1; }
    FilterScreen #filter-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+s", "apply", "应用", tooltip="按这些条件筛选会话"),
        Binding("escape", "cancel", "取消", tooltip="不改筛选条件"),
    ]

    def __init__(self, current: SessionFilter, names: Names) -> None:
        super().__init__()
        self.current = current
        self.names = names

    def _select(self, ident: str, options: list[tuple[str, str]], value, prompt: str) -> Select:
        known = value is not None and any(v == value for _, v in options)
        return Select(options, prompt=prompt, id=ident, allow_blank=True, value=value if known else Select.NULL,
                      compact=True)

    def compose(self) -> ComposeResult:
        f, n = self.current, self.names
        lib = n.library
        topics = [(t.label, code) for code, t in lib.taxonomy.topics.items()] if lib and lib.taxonomy else []
        segments = [(label, code) for code, label in lib.taxonomy.segments.items()] if lib and lib.taxonomy else []
        # Not the shared .dialog class: its Input/Select margins (app CSS wins over DEFAULT_CSS) would
        # leave the one-line fields of this grid no height.
        with Vertical(id="filter-dialog"):
            yield Label("筛选会话（ctrl+s 应用，esc 取消；空着表示不限）")
            with Grid(id="filter-grid"):
                yield Label("从")
                yield Input(str(f.since or ""), placeholder="YYYY-MM-DD", id="f-since", compact=True)
                yield Label("到")
                yield Input(str(f.until or ""), placeholder="YYYY-MM-DD", id="f-until", compact=True)
                yield Label("员工")
                yield self._select("f-staff", [(v, k) for k, v in n.staff.items()], f.staff_id, "全部员工")
                yield Label("客户")
                yield self._select("f-customer", sorted(((v, k) for k, v in n.customers.items())), f.customer_id, "全部客户")
                yield Label("方式")
                yield self._select("f-mode", [(v, k) for k, v in MODES.items()], f.mode, "全部方式")
                yield Label("结果")
                yield self._select("f-outcome", OUTCOMES, f.outcome, "全部结果")
                yield Label("客群")
                yield self._select("f-segment", segments, f.segment, "全部客群")
                yield Label("话题")
                yield self._select("f-topic", topics, f.topic, "全部话题")
                yield Label("到过")
                yield self._select("f-step", [(n.step(c), c) for c in STEP_ORDER], f.step, "不限步骤")
                yield Label("得分")
                with Horizontal():
                    yield Input("" if f.score_min is None else f"{f.score_min:g}", placeholder="最低", id="f-score-min",
                                compact=True)
                    yield Input("" if f.score_max is None else f"{f.score_max:g}", placeholder="最高", id="f-score-max",
                                compact=True)
            yield Label("", id="filter-error")
            with Horizontal(classes="buttons"):
                yield Button("应用（ctrl+s）", variant="primary", id="filter-apply")
                yield Button("全部清除", id="filter-clear")
                yield Button("取消", id="filter-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"filter-apply": self.action_apply, "filter-clear": lambda: self.dismiss(SessionFilter()),
         "filter-cancel": self.action_cancel}[event.button.id]()

    def _value(self, ident: str):
        select = self.query_one(f"#{ident}", Select)
        return None if select.is_blank() else select.value

    def read(self) -> SessionFilter:
        """The filter the dialog shows; ValueError says which field is wrong."""
        text = lambda ident: self.query_one(f"#{ident}", Input).value  # noqa: E731
        return SessionFilter(
            since=_day(text("f-since"), "「从」"), until=_day(text("f-until"), "「到」"),
            staff_id=self._value("f-staff"), customer_id=self._value("f-customer"), mode=self._value("f-mode"),
            outcome=self._value("f-outcome"), segment=self._value("f-segment"), topic=self._value("f-topic"),
            step=self._value("f-step"), score_min=_score(text("f-score-min"), "最低分"),
            score_max=_score(text("f-score-max"), "最高分"))

    def action_apply(self) -> None:
        try:
            self.dismiss(self.read())
        except ValueError as exc:
            self.query_one("#filter-error", Label).update(str(exc))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportScreen(ModalScreen[dict | None]):
    """Format, file and masking for an export; returns {fmt, path, mask, view} or None."""

    DEFAULT_CSS = """
    ExportScreen #export-dialog { width: 80%; max-width: 90; }
    ExportScreen Select, ExportScreen Input { margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "export", "导出", tooltip="写出文件"),
        Binding("escape", "cancel", "取消", tooltip="不导出"),
    ]

    def __init__(self, title: str, folder: Path, stem: str, views: list[tuple[str, str]] | None = None,
                 maskable: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.folder = folder
        self.stem = stem
        self.views = views
        self.maskable = maskable

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-dialog"):
            yield Label(f"导出：{self.title_text}（ctrl+s 导出，esc 取消）", classes="dialog-title")
            if self.views:
                yield Select(self.views, value=self.views[0][1], allow_blank=False, id="export-view")
            yield Select([(FORMAT_LABELS.get(f, f), f) for f in FORMATS], value="csv", allow_blank=False,
                         id="export-format")
            yield Input(str(self.folder / f"{self.stem}.csv"), id="export-path")
            if self.maskable:
                yield Checkbox("隐去手机号、身份证、银行卡和客户姓名（建议保持勾选）", True, id="export-mask")
            with Horizontal(classes="buttons"):
                yield Button("导出（ctrl+s）", variant="primary", id="export-ok")
                yield Button("取消", id="export-cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "export-format":
            path = self.query_one("#export-path", Input)
            path.value = str(Path(path.value).with_suffix(f".{event.value}"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_export() if event.button.id == "export-ok" else self.action_cancel()

    def action_export(self) -> None:
        mask = self.query_one("#export-mask", Checkbox).value if self.maskable else True
        view = self.query_one("#export-view", Select).value if self.views else None
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.notify("请填写导出到哪个文件。", severity="warning")
            return
        suffix = Path(path).suffix.lstrip(".")  # a typed .md/.jsonl/.csv wins over the list
        fmt = suffix if suffix in FORMATS else self.query_one("#export-format", Select).value
        self.dismiss({"fmt": fmt, "mask": mask, "view": view, "path": path})

    def action_cancel(self) -> None:
        self.dismiss(None)


class CommentScreen(ModalScreen[str | None]):
    """A comment on one moment of a conversation; returns the text (enter) or None (escape)."""

    BINDINGS = [Binding("escape", "cancel", "取消", tooltip="不加批注")]

    def __init__(self, moment: str) -> None:
        super().__init__()
        self.moment = moment

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="comment-dialog"):
            yield ZhLabel(f"给这一句加批注（回车保存，esc 取消）：\n{self.moment}", classes="dialog-title")
            yield Input(placeholder="例如：这里先认同客户，再算账会更好", id="comment-text")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
