"""Ending a Live conversation (/end, ctrl+g, quitting with it open), publishing it to the team
folder, and carrying on one left open."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.message import Message

from assistant.core.live.closing import colleagues_note, colleagues_still_open, settled_note
from assistant.core.live.moments import said_label
from assistant.core.live.session import LiveSession
from assistant.ui.screens.live_dialogs import OutcomeScreen
from assistant.ui.screens.live_replies import FLAGGED
from assistant.ui.widgets.customer import CustomerPanel


class SessionEnds:
    """Mixed into LiveScreen (which owns `session`, `services`, `chat`, `settled` and the panels)."""

    def action_end(self) -> None:
        """Ask the outcome, then end the session and show the follow-ups."""
        if self.session:
            self.app.push_screen(OutcomeScreen(), self.finish)

    def finish(self, outcome: str | None) -> None:
        if not outcome:
            return
        due = self.session.end(outcome)
        self._publish()
        lines = [f"本次结束：{outcome}。"]
        lines += [f"· {d.title}：{_when(d.due)} 前" for d in due] or ["不需要安排跟进。"]
        self.settled = list(self.session.resolved)
        lines += [n for n in (settled_note(self.settled, "输入 /undo 撤销"), self._colleagues_note(outcome)) if n]
        self.notify(f"已记录：{outcome}" + (f"，安排了 {len(due)} 个跟进" if due else ""))
        self.clear_for_next(lines)

    def _colleagues_note(self, outcome: str) -> str:
        """As every other ending path says it (core's ended_note): a colleague's follow-up still open."""
        s = self.session
        names = colleagues_still_open(self.services.history, (s.customer or {}).get("id"), s.session_id, s.staff,
                                      outcome, s.clock())
        return colleagues_note(names)

    def clear_for_next(self, summary: list[str] | None = None) -> None:
        """A fresh conversation with nobody: empty transcript and panel, the last outcome kept as one note."""
        self.session = self._new_session(None)
        self.shown, self.named, self.pasted, self.last_customer_line = (), None, None, ""
        self.chat.clear()
        if summary:
            self.chat.add("coach", "\n".join(summary) + "\n可以开始下一位客户了。")
        else:
            self._show_intro()
        self.query_one(CustomerPanel).show(None)
        self._show_speaker()
        self.query_one("#suggestions").display = False
        self._refresh_steps()

    def has_open_session(self) -> bool:
        """True when this conversation has logged something and has not ended."""
        return bool(self.session and self.session.session_id and not self.session.ended)

    def open_summary(self) -> str:
        name = (self.session.customer or {}).get("name") if self.session else None
        return f"和{name}的实战" if name else "这次实战"

    def end_quietly(self, outcome: str) -> None:
        """End the open session with its outcome (quitting): follow-ups are made as with /end."""
        self.session.end(outcome)
        self._publish()  # a normal exit waits for it a few seconds (history/background.py)

    def _publish(self) -> None:
        """The session, its end and the follow-ups just made go to the team folder in the
        background: nobody waits for it (over a second with 100k customers)."""
        from assistant.core.history.team import publish_later

        publish_later(self.services.history, report=lambda problem: self.post_message(self.PublishFailed(problem)))

    def on_live_screen_publish_failed(self, message: Message) -> None:
        self.notify(message.problem, title="团队文件夹", severity="warning")

    def resume(self, record: dict) -> None:
        """Carry on a session left open: same id, customer, step; its last lines back on screen."""
        if self.session is None or self.has_open_session():
            self.notify("先结束当前的实战（ctrl+g），再接着上次的。", severity="warning")
            return
        history = self.services.history
        customer = history.get_customer(record["customer_id"]) if record.get("customer_id") else None
        events = history.events(record["id"])
        s = self.services
        self.session = LiveSession.resume(record, events, library=s.library, matcher=s.matcher, renderer=s.renderer,
                                          history=history, staff=self.app.staff, customer=customer, clock=s.clock,
                                          check=s.check, covered=s.covered)
        self.chat.clear()
        now = s.clock()
        for e in [e for e in events if e.get("type") in ("line", "use", "ask")][-self.CHAT_ROWS + 1:]:
            speaker = "ask" if e.get("type") == "ask" else e.get("speaker", "system")
            self.chat.add(speaker, e.get("text", ""), said_label(e, now), self._resumed_note(e))
        self.chat.add("system", "— 接着上次的对话继续 —")  # one line: at 80x24 a coach bubble hid her last line
        self.query_one(CustomerPanel).show(customer, s.library.segment_label, s.clock().date())
        self._show_speaker()
        self._refresh_steps()
        self._show_resumed_cards(events)

    def _show_resumed_cards(self, events: list[dict]) -> None:
        """The cards the customer's last line had when the session was left, on screen again."""
        found = self.session.resumed_cards(events)
        if found is not None and found.items:
            self.last_customer_line = found.query
            self._show_suggestions(found, empty="")

    def _resumed_note(self, event: dict) -> Text | str:
        """The mark a logged line of mine had on screen before quitting: ⚠ with the rules it broke
        (as a pasted line shows them), or which card was used."""
        if event.get("type") == "use":
            label = "已修改后使用" if event.get("edited") else "已使用"
            return f"{label}「{self._card_title(event.get('used_card'))}」· 已复制"
        if event.get("speaker") != "staff" or not event.get("flags"):
            return ""
        text = event.get("text", "")
        logged = set(event["flags"])  # the rules as they stood then: a rule changed since is not re-judged
        return self._flagged_note(text, tuple(f for f in self.session.check_line(text) if f.rule_id in logged)) or FLAGGED

    def _card_title(self, card_id: str | None) -> str:
        try:
            return self.services.library.card(card_id).card.title
        except (KeyError, AttributeError):
            return card_id or ""


def _when(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{moment.month}月{moment.day}日 {moment:%H:%M}"
