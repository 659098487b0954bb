"""A mode whose screen is still being written: says so, and how to get back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static


class PlaceholderScreen(Screen):
    """建设中: the app runs while this mode is being built."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(f"【{self.title_text}】建设中\n\n按 F1 回到首页", classes="placeholder")
        yield Footer()
