"""/help on the Live screen: the commands and the card keys in a dialog of its own, scrollable.
In the chat log, at 80×24 with cards shown, only its last three rows were in view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.ui.widgets.commands_help import commands_table
from assistant.ui.widgets.zhtext import ZhLabel

#: Under the commands: what works on the cards and in the box (the footer shows the ctrl keys).
CARD_KEYS = ("话术出来后：输入 1、2、3 回车复制那条，e 回车改后用。ctrl+t 切换「客户说／我说」，"
             "ctrl+o 选客户，ctrl+g 结束，ctrl+p 打开命令面板。\n"
             "教练没认出或没把握（只有「可能是」）时：ctrl+l 带着这句去话术库找（或 /card 关键词），"
             "找到的卡片用了之后按 F8「记住这句」，以后客户这样说就直接提示那张卡片。")


class HelpScreen(ModalScreen[None]):
    """The /commands, one row each; ↑↓ and PgUp/PgDn scroll when the terminal is short."""

    BINDINGS = [
        Binding("escape", "close", "关闭"),
        Binding("enter", "close", "关闭", show=False),
        Binding("q", "close", "关闭", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield ZhLabel("命令：在输入框里输入，回车（esc 关闭，↑↓ 翻看）", classes="dialog-title")
            yield Static(commands_table(), id="help-commands")
            yield ZhLabel(CARD_KEYS, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help").focus()  # the arrows scroll it at once

    def action_close(self) -> None:
        self.dismiss(None)
