"""Small dialogs of live mode: edit a reply before use, a compliance warning, the outcome."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea
from textual.widgets.text_area import Selection

from assistant.core.live.session import OUTCOMES


#: A value still to fill in a rendered reply: 【金额】, 【利息差：先填金额…】.
PLACEHOLDER = re.compile(r"【[^】\n]*】")


def _location(text: str, index: int) -> tuple[int, int]:
    """(row, column) of a character index, as TextArea counts them."""
    before = text[:index]
    return before.count("\n"), index - (before.rfind("\n") + 1)


class EditReplyScreen(ModalScreen[str | None]):
    """Edit a suggested reply; returns the edited text (ctrl+s) or None (escape)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "使用", tooltip="复制改好的话术并记为已修改后使用"),
        Binding("escape", "cancel", "取消", tooltip="不使用"),
    ]

    def __init__(self, title: str, text: str, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        #: Why the dialog opened by itself (e.g. placeholders still to fill), shown under the title.
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="edit-reply"):
            yield Label(f"修改后使用：{self.title_text}（ctrl+s 使用，esc 取消）", classes="dialog-title")
            if self.hint:
                yield Label(self.hint, classes="dialog-hint", id="edit-hint")
            yield TextArea(self.text, soft_wrap=True, id="edit-text")
            with Horizontal(classes="buttons"):
                yield Button("使用（ctrl+s）", variant="primary", id="edit-save")
                yield Button("取消", id="edit-cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        placeholder = PLACEHOLDER.search(self.text)
        if placeholder:  # select the first 【…】 so typing replaces it
            area.selection = Selection(_location(self.text, placeholder.start()), _location(self.text, placeholder.end()))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "edit-save" else self.action_cancel()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


def describe_flags(text: str, flags) -> Text:
    """Each broken rule: the words that broke it, why, and a safer way to say it."""
    out = Text()
    for flag in flags:
        out.append("✗ ", style="bold red")
        out.append(f"「{getattr(flag, 'quote', '')}」", style="bold")
        out.append(f" {flag.message}\n")
        out.append("  可以这样说：", style="green")
        out.append(f"{flag.safer}\n")
    return out


class ComplianceScreen(ModalScreen[str]):
    """Shown before a line is logged as sent. Returns "edit" or "send"."""

    BINDINGS = [
        Binding("escape", "edit", "回去改", tooltip="把这句放回输入框修改"),
        Binding("ctrl+s", "send", "仍然发送", tooltip="照原样记录（会标记违规）"),
    ]

    def __init__(self, text: str, flags) -> None:
        super().__init__()
        self.text = text
        self.flags = flags

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -warning", id="compliance"):
            yield Label("⚠ 这句话不合规，发出去之前请改一改", classes="dialog-title")
            yield Static(Text(self.text, style="italic"), classes="quote")
            with VerticalScroll(id="flags-box"):
                yield Static(describe_flags(self.text, self.flags), id="flags")
            with Horizontal(classes="buttons"):
                yield Button("回去改（esc）", variant="primary", id="c-edit")
                yield Button("仍然发送（ctrl+s）", variant="error", id="c-send")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_send() if event.button.id == "c-send" else self.action_edit()

    def action_edit(self) -> None:
        self.dismiss("edit")

    def action_send(self) -> None:
        self.dismiss("send")


class OutcomeScreen(ModalScreen[str | None]):
    """Ask how the conversation ended; returns 成交/未成交/待跟进 or None."""

    BINDINGS = [
        Binding("1", "pick('成交')", "成交"),
        Binding("2", "pick('未成交')", "未成交"),
        Binding("3", "pick('待跟进')", "待跟进"),
        Binding("escape", "pick('')", "继续聊", tooltip="不结束"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="outcome"):
            yield Label("这次沟通的结果？（未成交、待跟进会自动安排 24 小时 / 72 小时跟进）", classes="dialog-title")
            with Horizontal(classes="buttons"):
                for i, outcome in enumerate(OUTCOMES, 1):
                    yield Button(f"{i} {outcome}", id=f"o-{i}", name=outcome)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_pick(event.button.name or "")

    def action_pick(self, outcome: str) -> None:
        self.dismiss(outcome or None)
