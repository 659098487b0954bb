"""Widgets whose new size does not ask for a second layout pass.

Textual's layout pass hands every widget its new size and virtual size; `virtual_size` is a
layout reactive, so each widget that grew or shrank in the pass (a card with a longer reply, the
chat and its scrollbar when the cards below changed height) asks for another whole-screen layout
pass right after the one that measured it. For a widget whose virtual size is only what the pass
measured, nothing changes on that second pass: it costs a tree walk and a paint per Enter.
Textual's own scroll pass stores sizes this quiet way (`layout=False`). The scrollbars Textual
makes for a scrolling container are made quiet too.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scrollbar import ScrollBar


class QuietVirtualSize:
    """Mix in before a Textual widget class: its virtual size is stored without a layout request."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)  # type: ignore[misc]


class QuietScrollBar(QuietVirtualSize, ScrollBar):
    """A scrollbar whose new length does not ask for another layout pass, and whose new thumb is
    drawn by the paint of the pass that moved it (see `paint_in_pass`)."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        paint_in_pass(self)
        return changed


def paint_in_pass(bar: ScrollBar | None) -> None:
    """Called inside a layout pass, which paints next: the repaint the pass asked of the bar
    (its thumb and length are set in the pass, by Textual's `_arrange_scrollbars` and
    `_scroll_update`) goes into that paint. Else the bar posts it from its own task: one more
    paint of the screen per Enter, a frame after the one that drew everything else."""
    if bar is None or not bar._repaint_required:
        return
    compositor = bar.screen._compositor
    if bar in compositor.visible_widgets:
        compositor.update_widgets({bar})
        bar._repaint_required = False


class QuietScrolling(QuietVirtualSize):
    """Mix in before a scrolling container: it and its vertical scrollbar are quiet. The scrollbar
    is made as Textual's `Widget.vertical_scrollbar` makes it (Textual 8.2), of the quiet class."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        changed = super()._size_updated(size, virtual_size, container_size, layout)  # type: ignore[misc]
        paint_in_pass(self._vertical_scrollbar)  # type: ignore[attr-defined]
        return changed

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:  # type: ignore[has-type]
            bar = QuietScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)  # type: ignore[attr-defined]
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)  # type: ignore[attr-defined]
        return self._vertical_scrollbar
