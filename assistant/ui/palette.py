"""The command palette in Chinese: Textual's own commands renamed, its prompts and its
「No matches found」 said in Chinese."""

from __future__ import annotations

from typing import Iterable

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

#: Textual's built-in commands (by their English title) → Chinese title and help.
BUILT_IN = {
    "Theme": ("切换主题", "换一套界面配色"),
    "Quit": ("退出", "退出程序（有进行中的实战会先问怎么处理）"),
    "Keys": ("按键说明", "显示或隐藏当前界面可用的按键"),
    "Screenshot": ("截图", "把当前界面保存为 SVG 图片"),
    "Minimize": ("还原", "把放大的部分还原"),
    "Maximize": ("放大", "放大当前选中的部分"),
}
NO_MATCHES = "没有找到匹配的命令"


def chinese(commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
    """Textual's system commands with Chinese titles and help (unknown ones are left out, so
    nothing English reaches the palette)."""
    for command in commands:
        if command.title in BUILT_IN:
            title, help_text = BUILT_IN[command.title]
            yield command._replace(title=title, help=help_text)


class ChinesePalette(CommandPalette):
    """Textual's palette with a Chinese prompt and a Chinese 「no matches」 line."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("placeholder", "输入要做的事（如 实战、复盘、切换身份）…")
        super().__init__(**kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show() -> None:
            if not search_value:
                self._list_visible = False
                return
            self.query_one(CommandList).add_option(
                Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES))
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)
