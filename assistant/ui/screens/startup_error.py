"""When the app cannot start its services (a corrupt or locked history, unreadable playbooks):
says what is wrong and how to recover, in place of screens that would wait forever."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer

from assistant.ui.widgets.zhtext import ZhStatic


class StartupErrorScreen(Screen):
    """The message of the failure (it names the file and the command that fixes it); q quits."""

    BINDINGS = [Binding("q", "app.quit", "退出", tooltip="退出，按提示修复后再打开")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            text = Text("打不开：\n\n", style="bold red")
            text.append(self.message)
            text.append("\n\n按 q 退出，按上面的办法处理后再打开。已经保存的记录都没有动。", style="dim")
            yield ZhStatic(text, id="startup-error", classes="startup-error")
        yield Footer()
