"""The customer's lines on the Live screen: a typed line or a pasted chat is matched in a worker,
then drawn with its cards in one batch (one layout pass per Enter; issue 16's speed target)."""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.message import Message

from assistant.core.errors import CoachError
from assistant.core.live.chat import CUSTOMER, ChatMessage, bubble_time, same_person
from assistant.core.live.session import Suggestions
from assistant.ui.guard import problem_text
from assistant.ui.widgets.suggestion import SuggestionCard

NOTHING_FITS = "没有找到有把握的话术（匹配度都不够）。按 ctrl+l 带着这句话去话术库改关键词搜，或用 /card 关键词。"
ACKNOWLEDGED = "客户只是在应答，不是异议，不用话术。趁热往下走：问一句本步还没问到的要点，或按 ctrl+n 进入下一步。"


class CustomerLines:
    """Mixed into LiveScreen (which owns `session`, `services`, `chat`, the Matched / ChatMatched /
    Shown messages and the counters `seq`, `shown_seq`, `unmatched`)."""

    def _customer_line(self, text: str) -> None:
        """The line is drawn with its cards, in one layout pass (see `on_live_screen_matched`)."""
        self.last_customer_line = text
        self.seq += 1
        self.unmatched.append((self.seq, text, self._now()))
        self.match(self.seq, text)

    def _chat_paste(self, messages: list[ChatMessage]) -> None:
        """A stretch of chat: each message in its own bubble, all logged in order once matched."""
        # each of my lines checked once: marked now, logged with the same flags once matched
        flags = [self.session.check_line(m.text) if m.speaker != CUSTOMER else () for m in messages]
        self._draw_chat(messages, flags)
        customer_lines = [m.text for m in messages if m.speaker == CUSTOMER]
        if customer_lines:
            self.last_customer_line = customer_lines[-1]
        self.named = self.session.stranger(messages)  # not the selected customer: ctrl+y offers to switch
        self.logged_before_paste = self.has_open_session()
        self.seq += 1
        self.match_chat(self.seq, messages, flags)

    def _draw_chat(self, messages: list[ChatMessage], flags: list[tuple]) -> None:
        """Each message in its bubble, at the time the chat says; my flagged lines marked in place."""
        now = self.services.clock()
        for m, checked in zip(messages, flags):  # the sender is the bubble's side; a name in a note is noise
            mine = m.speaker != CUSTOMER
            note = self._flagged_note(m.text, checked) if mine else ""
            self.chat.add("staff" if mine else "customer", m.text, bubble_time(m.time, now) or self._now(), note)

    @work(exclusive=True, thread=True, group="match", exit_on_error=False)
    def match_chat(self, seq: int, messages: list[ChatMessage], flags: list[tuple]) -> None:
        """Match every customer message of a pasted chat off the event loop."""
        self.post_message(self.ChatMatched(seq, self.session.suggest_chat(messages), flags))

    def on_live_screen_chat_matched(self, message: Message) -> None:
        if message.seq != self.seq:
            return
        found, _mine = self.session.record_chat(message.pairs, message.flags)  # flagged lines were marked in place
        self.pasted = (message.pairs, message.flags) if self.named else None  # ctrl+y may start a session with it
        if found is not None:
            self.last_customer_line = found.query  # the line the cards answer (ctrl+l takes it)
            if self.named:  # said over the cards, whose replies address someone else
                notice = self._stranger_notice(self.named)
                found = replace(found, notice=f"{notice}\n{found.notice}" if found.notice else notice)
            self._show_suggestions(found, empty=ACKNOWLEDGED if found.acknowledgement else NOTHING_FITS)
        self._refresh_steps()
        self.shown_seq = message.seq
        self._post_shown(message.seq)

    @work(exclusive=True, thread=True, group="match", exit_on_error=False)
    def match(self, seq: int, text: str) -> None:
        """Match off the event loop; typing never waits. Only posts the answer."""
        self.post_message(self.Matched(seq, text, self.session.typed(text)))

    async def on_live_screen_matched(self, message: Message) -> None:
        """Draw the customer's line (and any sent before it whose matching a newer line cut short)
        with the cards of the newest, all in one batch: one layout pass per Enter, not three."""
        if message.seq != self.seq:
            return  # a newer line is being matched: it draws and logs this one too
        with self.app.batch_update():
            for seq, text, when in self.unmatched:  # my own question (asked) is set apart from her lines
                self.chat.add("ask" if seq == message.seq and message.suggestions.asked else "customer", text, when)
                if seq != message.seq:  # superseded: logged as said, without cards
                    self._record(text, Suggestions(text))
            self.unmatched.clear()
            found = self._record(message.text, message.suggestions)
            self._note_missed(message.text, found)
            self._show_suggestions(found, empty=ACKNOWLEDGED if found.acknowledgement else NOTHING_FITS)
            self._refresh_steps()
            await self.chat.settled()  # a bubble mounted (the conversation's first lines) is in that pass
        self.shown_seq = message.seq
        self._post_shown(message.seq)

    def _post_shown(self, seq: int) -> None:
        """Post Shown after the paint of what was just drawn, in one layout pass. Each changed
        widget would ask the screen for that pass from its own task, later, so the screen may not
        know of it yet when the callback is queued (it would run before the paint); asking the
        screen itself for a pass instead drew the screen twice per Enter (its pass, then the
        widgets'). Sending the widgets' requests now, ahead of the callback, gives one pass. Only
        the parts an Enter changes are walked (the chat with its hidden rows, the cards, the steps)."""
        for part in (self.chat, self.suggestions, *self._steps):
            for widget in part.walk_children(with_self=True):
                widget._check_refresh()  # Textual's idle hook: posts the widget's Layout / Update to the screen
        self.call_after_refresh(self.post_message, self.Shown(seq))
        self.call_after_refresh(self.app.collect_after_paint)

    def _record(self, text: str, suggestions: Suggestions) -> Suggestions:
        """Log the customer's line; when the history cannot be written, say so and still show the cards."""
        try:
            return self.session.record_customer(text, suggestions)
        except (OSError, CoachError) as exc:
            self.show_problem(problem_text(exc) or str(exc))
            return suggestions

    def _show_suggestions(self, found: Suggestions, empty: str) -> None:
        self.shown, self.selected, self.shown_for = found.items[:3], 0, found
        self.suggestions.show(found, empty)

    def _rerender(self) -> None:
        """After /var or a new customer, draw the same cards with the new details, under the same
        「客户说：…」 line and notice; its ⚠ about the chat's customer is said anew for the customer now
        selected, or dropped once that is the chat's customer."""
        if self.shown:
            items = tuple(self.session.suggestion_for(s.card_id, s.score) for s in self.shown)
            items = tuple(replace(n, matched=o.matched, spans=o.spans, tier=o.tier, trigger=o.trigger)
                          for n, o in zip(items, self.shown))
            lines = [line for line in (self.shown_for.notice or "").split("\n") if line and not line.startswith("⚠")]
            if self.named and not same_person(self.named, (self.session.customer or {}).get("name") or ""):
                lines.insert(0, self._stranger_notice(self.named))  # still someone else: said anew
            notice = "\n".join(lines) or None
            self._show_suggestions(replace(self.shown_for, items=items, notice=notice), empty="")

    def on_suggestion_card_chosen(self, message: SuggestionCard.Chosen) -> None:
        self.selected = message.card.index - 1
        self.suggestions.select(message.card.index)
