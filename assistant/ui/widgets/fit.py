"""Fit a header of 「a · b · c」 parts into a width without cutting a part or leaving a dangling 「·」."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

SEPARATOR = " · "


def fit_parts(lines: list[list[Text]], width: int) -> Text:
    """All parts on one line when they fit; else each of `lines` on its own row, its last parts
    left out until the row fits (a part never breaks across rows); a single part still too long
    ends in 「…」."""
    flat = [part for line in lines for part in line]
    one = Text(SEPARATOR).join(flat)
    if cell_len(one.plain) <= width:
        return one
    return Text("\n").join(_fit_row(line, width) for line in lines if line)


def _fit_row(parts: list[Text], width: int) -> Text:
    for keep in range(len(parts), 0, -1):
        row = Text(SEPARATOR).join(parts[:keep])
        if cell_len(row.plain) <= width:
            return row
    row = parts[0].copy()
    row.truncate(max(1, width), overflow="ellipsis")
    return row
