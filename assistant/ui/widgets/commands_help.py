"""The live /commands as a two-column table: usage | what it does, aligned by display width
(core's help_text pads with str.ljust, which counts a Chinese character as one column)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from assistant.core.live.commands import COMMANDS, help_text


class Listing(Group):
    """A group of renderables that also says its text plainly (a bubble's `text`)."""

    def __init__(self, plain: str, *renderables) -> None:
        super().__init__(*renderables)
        self.plain = plain


def commands_table() -> Table:
    """One row per command; the description wraps in its own column."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column()
    for usage, what in COMMANDS.values():
        table.add_row(Text(usage, style="bold"), Text(what))
    return table


def with_commands(message: str) -> Listing | str:
    """A message that ends with the command list (「没有 /x 这个命令。可用的命令：」), its list as the table."""
    head, _, rest = message.partition("\n")
    return Listing(message, Text(head), commands_table()) if rest == help_text() else message
