"""复盘: the 网点负责人 corrects the outcome of a live session that has ended, a colleague's too.

The new version of the session is written on this PC and published in its own team file
(core/history/team.py): the colleague sees it after their next sync; their files are never written.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Label

from assistant.ui.screens.live_dialogs import OutcomeScreen

MANAGER = "网点负责人"


class ChangeOutcomeScreen(OutcomeScreen):
    """The outcome dialog, asking for a correction (no follow-ups are made for it)."""

    def __init__(self, current: str | None) -> None:
        super().__init__()
        #: The outcome recorded now.
        self.current = current

    def on_mount(self) -> None:
        self.query_one(".dialog-title", Label).update(
            f"把这次会话的结果改成？（现在：{self.current or '没有记录'}；改动会同步给同事，不另排跟进）")


def change_outcome(screen: Any, record: dict) -> None:
    """Ask the new outcome of an ended live session and record it (网点负责人 only)."""
    staff = screen.app.staff or {}
    if staff.get("role") != MANAGER:
        screen.app.notify("会话已经结束；只有网点负责人可以修改已结束会话的结果。", severity="warning")
        return
    if record.get("mode") != "live":
        screen.app.notify("只有实战会话的结果可以修改（演练和练习的结果按评分记录）。", severity="warning")
        return
    screen.app.push_screen(ChangeOutcomeScreen(record.get("outcome")),
                           lambda outcome: _change(screen, record, outcome) if outcome else None)


def _change(screen: Any, record: dict, outcome: str) -> None:
    from assistant.core.history.team import publish_later

    if outcome == record.get("outcome"):
        return
    history = screen.app.services.history
    history.update_session(record["id"], outcome=outcome, outcome_changed_by=(screen.app.staff or {}).get("name"))
    publish_later(history)
    screen.app.notify(f"结果已改为：{outcome}（同事下次同步后也会看到）")
    screen.reload()
