"""A dialog's own keys at the bottom of the terminal.

A ModalScreen is drawn over the screen behind it, whose footer stayed visible below the dialog
and listed keys that do nothing while the dialog is open (d 已跟进, u 切换身份 under the sign-in
dialog). The app gives every dialog it pushes a footer of its own (`give_keys`), docked where the
old one was, listing the dialog's keys (their descriptions are the dialog's Chinese words).
"""

from __future__ import annotations

from textual.screen import ModalScreen, Screen, SystemModalScreen
from textual.widgets import Footer

from assistant.ui.widgets.footer import KeyFooter


class DialogFooter(KeyFooter):
    """The footer a dialog is given (its keys in Chinese, as every KeyFooter's); it stands aside
    when the dialog composes one of its own."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)  # the palette is not for dialogs

    def on_mount(self) -> None:
        if any(f is not self for f in self.screen.query(Footer)):
            self.display = False


def give_keys(screen: Screen | str) -> None:
    """Before `screen` is composed: a dialog (not Textual's own, e.g. the command palette) gets a footer."""
    if isinstance(screen, ModalScreen) and not isinstance(screen, SystemModalScreen) and not screen.is_attached:
        screen.compose_add_child(DialogFooter())
