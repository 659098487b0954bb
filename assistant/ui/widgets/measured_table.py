"""A DataTable whose lines drawn before its columns were measured are drawn again afterwards.

Why this exists: Textual's DataTable (8.2.8) measures auto-width columns on idle, after add_row.
A paint between the two (on first start, when the rows arrive while the screen is drawn) caches
every line at the headers' widths (复盘 at 80x24 showed 「12-0」 and 「待跟」); the measuring then
widens the columns but changes nothing the line, row and cell caches key on, so the cut lines
stayed until the cursor moved. Textual bumps `_update_count` (part of every cache key) for its
other changes to what a line shows; here it is bumped when the measuring widened a column too.
"""

from __future__ import annotations

from typing import Iterable

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class MeasuredTable(DataTable):
    """A DataTable redrawn when measuring new rows changes its columns' widths."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        before = [column.content_width for column in self.columns.values()]
        super()._update_dimensions(new_rows)
        if [column.content_width for column in self.columns.values()] != before:
            self._update_count += 1  # lines cached at the old widths no longer match a key
            self.refresh()
