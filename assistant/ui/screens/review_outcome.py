"""复盘's outcomes: end a live session that was left open (its earlier follow-ups a 成交 closes
can be reopened with u while on the screen), and the 网点负责人 corrects the outcome of one that
has ended, a colleague's too.

A corrected session is written on this PC and published in its own team file
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


def end_open_session(screen: Any, record: dict) -> None:
    """Ask the outcome of a live session left open, then end it as Live would (with its follow-ups)."""
    if record.get("mode") != "live" or record.get("ended"):
        screen.app.notify("只有没结束的实战会话需要结束。", severity="warning")
        return
    screen.app.push_screen(OutcomeScreen(), lambda outcome: _end(screen, record, outcome) if outcome else None)


def _end(screen: Any, record: dict, outcome: str) -> None:
    """End it; what the outcome closed among earlier follow-ups is kept on the screen for u (撤销)."""
    from assistant.core.live.stored import end_stored_session, ended_note

    app, services = screen.app, screen.app.services
    live = getattr(app, "live_screen", None)
    if live is not None and live.has_open_session() and live.session.session_id == record["id"]:
        live.finish(outcome)  # the conversation open in Live right now: Live clears for the next customer
        screen.reload()
        return
    record = services.history.session(record["id"]) or record
    customer = services.history.get_customer(record["customer_id"]) if record.get("customer_id") else None
    staff = services.history.get_staff(record["staff_id"]) if record.get("staff_id") else app.staff
    end = end_stored_session(services, record, customer, staff, outcome)
    screen.settled = list(end.resolved)
    screen.refresh_bindings()  # u 撤销 shows in the footer only while there is something to undo
    app.notify(ended_note(end, "按 u 撤销"), timeout=10 if end.resolved else 5)
    screen.reload()


def undo_settled(screen: Any) -> None:
    """Reopen the earlier follow-ups the last ending on this screen closed."""
    from assistant.core.live.closing import undo_resolved

    changes, screen.settled = screen.settled, []
    screen.refresh_bindings()
    if not changes:
        screen.app.notify("没有可以撤销的跟进。", severity="warning")
        return
    count = undo_resolved(screen.app.services.history, changes)
    screen.app.notify(f"已撤销：{count} 个跟进恢复为未完成，首页的跟进里能看到。")
