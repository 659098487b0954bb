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

from textual._compositor import Compositor, ReflowResult
from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar
from textual.widget import Widget


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

    #: The size the compositor arranges the children in next (set as it measures the region).
    _placing: Size | None = None

    def _get_scrollable_region(self, region: Region) -> Region:
        child = super()._get_scrollable_region(region)  # type: ignore[misc]
        self._placing = child.size
        return child

    def arrange(self, size: Size, optimal: bool = False):
        """Textual's arrangement; when the compositor places the children (not when a height is
        measured) with a stable scrollbar gutter, the vertical scrollbar is shown or hidden here,
        as the arranged height asks. Textual decides it after the pass (`_refresh_scrollbars`)
        and asks for another pass to place the bar; with the gutter reserved the content is as
        wide either way, so this pass can place it."""
        arrangement = super().arrange(size, optimal)  # type: ignore[misc]
        placing, self._placing = self._placing, None
        styles = self.styles  # type: ignore[attr-defined]
        if placing == size and styles.scrollbar_gutter == "stable" and styles.overflow_y == "auto":
            show = arrangement.total_region.bottom > size.height
            if show != self.show_vertical_scrollbar:  # type: ignore[attr-defined]
                self.set_reactive(Widget.show_vertical_scrollbar, show)  # type: ignore[attr-defined]
                bar = self.vertical_scrollbar
                bar.display = show
                bar._layout_required = False  # this pass places it
        return arrangement

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:  # type: ignore[has-type]
            bar = QuietScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)  # type: ignore[attr-defined]
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)  # type: ignore[attr-defined]
        return self._vertical_scrollbar


class FullMapCompositor(Compositor):
    """Textual's compositor, whose full layout pass also marks its map of every widget current.
    A widget updated while not visible (a card scrolled out of view, a hidden chat row) marks
    that map stale; Textual 8.2's `reflow` rebuilds it but leaves the mark, so the paint's first
    region lookup arranged the whole screen a second time (~2 ms CPU an Enter on Live)."""

    def reflow(self, parent: Widget, size: Size) -> ReflowResult:
        result = super().reflow(parent, size)
        self._full_map_invalidated = False  # the map `reflow` just built covers every widget
        return result
