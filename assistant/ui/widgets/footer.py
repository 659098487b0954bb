"""A footer that never cuts a key hint in half: when the keys do not fit the width, the last ones
are left out whole (screens list their keys most important first; ctrl+p lists them all). The
quit key is never left out: it goes last, before ctrl+p, on every screen (found in a walk: 首页
hid it, and staff did not know how to leave)."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


def key_width(key: FooterKey) -> int:
    """Cells a key takes in the non-compact footer: ` key ` then `description `."""
    width = cell_len(key.key_display) + 2
    return width + cell_len(key.description) + 1 if key.description else width


#: The command palette key sits docked right with a 1-cell border and 1-cell padding.
PALETTE_EXTRA = 2
#: Actions that quit the app (the app's ctrl+q, before and after loading; a screen's own q).
QUIT_ACTIONS = ("quit", "quit_loading", "app.quit")


def is_quit(widget) -> bool:
    return isinstance(widget, FooterKey) and widget.action in QUIT_ACTIONS


class KeyFooter(Footer):
    """Textual's Footer, showing only the keys that fit whole."""

    #: Width the keys were last laid out for (recomposed when it changes).
    fitted_width = 0

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        width = self.size.width or self.app.size.width
        self.fitted_width = width
        palette = [w for w in widgets if w.has_class("-command-palette")]
        quit_keys = [w for w in widgets if is_quit(w) and not w.has_class("-command-palette")]
        keys = [w for w in widgets if not w.has_class("-command-palette") and w not in quit_keys]
        room = width - sum(key_width(p) + PALETTE_EXTRA for p in palette if isinstance(p, FooterKey))
        room -= sum(key_width(q) for q in quit_keys)
        shown = []
        for key in keys:
            need = key_width(key) if isinstance(key, FooterKey) else width  # groups: not used here
            if need > room:
                break
            room -= need
            shown.append(key)
        yield from shown
        yield from quit_keys
        yield from palette

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and event.size.width != self.fitted_width:
            self.call_after_refresh(self.recompose)
