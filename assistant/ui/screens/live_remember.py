"""「记住这句」 on the live screen: when the coach had no sure card for a customer line and the
marketer found a card by searching (/card or 话术库 → ctrl+y) and used it, offer to remember the
line (F8) as a branch trigger for that card; the matcher takes it in (grown, not rebuilt: ~0.2 s,
see `assistant.core.language.matchgrow`) in a worker and is swapped in, so the next customer who
says it gets the card; the chat says so once it is in force. The logic lives in
`assistant.core.remembered`; this mixin only tracks what happened on screen and says so.

Each step shows its key: the footer shows ctrl+l 搜话术库 (the miss note says to use it), and
after the searched card is used F8 记住这句 in its place.
"""

from __future__ import annotations

from textual import work
from textual.message import Message

from assistant.core.errors import CoachError


class MatcherRebuilt(Message):
    """A matcher that knows the branch's remembered lines as they were (`lines`), made off the
    event loop; None when it could not be made (the lines are stored: the next start uses them)."""

    def __init__(self, matcher, lines: tuple = ()) -> None:
        super().__init__()
        self.matcher, self.lines = matcher, lines


def regrown(services) -> MatcherRebuilt:
    """The services' matcher with the remembered lines as they are now (run in a worker)."""
    from assistant.core import remembered

    lines = tuple(remembered.entries(services.history, services.library))
    try:
        return MatcherRebuilt(remembered.matcher_after(services.matcher, services.library, services.history), lines)
    except Exception:  # noqa: BLE001 - the line is stored either way; say so rather than fail
        return MatcherRebuilt(None, lines)


def save_regrown(matcher) -> None:
    """After the swap: write the grown matcher's caches for the next start (best effort)."""
    from assistant.core import remembered

    try:
        remembered.save(matcher)
    except Exception:  # noqa: BLE001 - a cache not written costs the next start time, not data
        pass


def current(services, message: MatcherRebuilt) -> bool:
    """Whether the message's matcher holds the remembered lines as they are now: a worker that
    lost a race with a later F8 or Del must not swap in an older set."""
    from assistant.core import remembered

    return message.matcher is not None and tuple(remembered.entries(services.history, services.library)) == message.lines


def swap_matcher(app, services, matcher) -> None:
    """Use `matcher` everywhere: the shared services and a live conversation that holds one."""
    services.matcher = matcher
    for screen in app._screen_stacks.get("live", []):
        session = getattr(screen, "session", None)
        if session is not None:
            session.matcher = matcher


class RememberLine:
    """Mixed into LiveScreen (which owns `session`, `services`, `chat`, `_show_suggestions`)."""

    #: (customer line, card ids the coach offered) while the coach had no sure card for it.
    missed: tuple[str, frozenset[str]] | None = None
    #: Card ids the marketer found by searching since that line.
    searched: frozenset[str] = frozenset()
    #: (line, card id, card title) waiting for F8.
    remember_offer: tuple[str, str, str] | None = None
    #: (line, card title) remembered, said as in force once the rebuilt matcher is swapped in.
    remembering: tuple[str, str] | None = None

    def _note_missed(self, text: str, found) -> None:
        """After the coach answered a customer line: remember it when no card was sure."""
        from assistant.core.remembered import coach_missed

        self.searched = frozenset()
        missed = not getattr(found, "acknowledgement", False) and coach_missed(found.items)
        self._set_offer(None, (text, frozenset(s.card_id for s in found.items)) if missed else None)

    def _note_searched(self, found) -> None:
        """Cards the marketer found by searching (/card)."""
        self.searched = self.searched | {s.card_id for s in found.items}

    def show_card_from_library(self, card_id: str) -> None:
        """话术库 ctrl+y: show that card here, ready to use (1⏎ / e⏎)."""
        from assistant.core.live.session import Suggestions

        if self.session is None:
            return
        self.searched = self.searched | {card_id}
        self._show_suggestions(Suggestions(query="", items=(self.session.suggestion_for(card_id),)), empty="")
        self.chat.add("system", f"从话术库选了「{self.services.library.card(card_id).card.title}」：按 1 回车使用，e 回车修改。")

    def _offer_remember(self, suggestion) -> None:
        """After a card was used: offer 「记住这句」 when it came from a search after a miss."""
        if self.missed is None or suggestion.card_id not in self.searched:
            return
        from assistant.core.remembered import clean_line

        line, guessed = self.missed
        self._set_offer((line, suggestion.card_id, suggestion.title), self.missed)
        self.ready_matcher()
        # Quote what will be stored (numbers masked), so staff see no ID number is kept.
        self.chat.add("coach", f"{missed_note(clean_line(line), bool(guessed))}按 F8「记住这句」："
                               f"以后客户这样说，直接提示「{suggestion.title}」。")

    def _set_offer(self, offer: tuple[str, str, str] | None, missed: tuple[str, frozenset[str]] | None) -> None:
        """F8 is in the footer exactly while there is a line to remember (a 6-second notice was
        easy to miss), in the place of ctrl+l 搜话术库; the footer is redrawn only when that
        changes, not on every Enter (a redrawn footer costs the Enter two more layout passes)."""
        changed = (offer is None) != (self.remember_offer is None)
        self.remember_offer, self.missed = offer, missed
        if changed:
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "remember_line":
            return self.remember_offer is not None
        if action == "search_shown":
            return self.remember_offer is None
        return super().check_action(action, parameters)

    def action_search_shown(self) -> None:
        """ctrl+l as the footer shows it: the same search as ever."""
        self.action_search_library()

    def action_remember_line(self) -> None:
        """Remember the missed customer line as a trigger of the card just used."""
        from assistant.core import remembered

        if self.remember_offer is None:
            self.notify("现在没有要记住的句子：教练没认出客户的话、你从话术库找到卡片并使用后，才能记住。", severity="warning")
            return
        line, card_id, title = self.remember_offer
        try:
            record = remembered.remember(self.services.history, card_id, line, library=self.services.library,
                                         staff=self.app.staff, session_id=getattr(self.session, "session_id", None))
        except CoachError as exc:
            self.notify(str(exc), severity="error")
            return
        self._set_offer(None, None)
        self.remembering = (record["text"], title)
        self.rebuild_matcher()

    @work(exclusive=True, thread=True, group="remember-ready", exit_on_error=False)
    def ready_matcher(self) -> None:
        """While F8 is offered: read back what growing the matcher needs (~0.5–1 s once), so F8
        is in force in ~0.2 s."""
        from assistant.core import remembered

        remembered.ready(self.services.matcher)

    @work(exclusive=True, thread=True, group="remember", exit_on_error=False)
    def rebuild_matcher(self) -> None:
        """The matcher with every remembered line, off the event loop: grown from the one in use
        (~0.2 s; ~1 s when `ready_matcher` has not run), then its caches written for the next start."""
        message = regrown(self.services)
        self.post_message(message)
        if message.matcher is not None:
            save_regrown(message.matcher)

    def on_matcher_rebuilt(self, message: MatcherRebuilt) -> None:
        if current(self.services, message):
            swap_matcher(self.app, self.services, message.matcher)
        elif message.matcher is not None:
            return  # a later F8 or Del is being taken in: its message says when
        if self.remembering is not None:
            line, title = self.remembering
            self.remembering = None
            if message.matcher is None:
                self.chat.add("system", f"已记住「{line}」→「{title}」，但这次没能更新匹配：下次打开教练时生效。")
                return
            self.chat.add("system", f"已生效：客户再说「{line}」，直接提示「{title}」。"
                                    "在话术库（类别选「记住的说法」）可以查看或删除。")


def missed_note(line: str, guessed: bool) -> str:
    """What the coach did with the line: nothing at all, or only dimmed 可能是 guesses."""
    if guessed:
        return f"教练刚才对「{line}」没有把握，只给了「可能是」的卡片。"
    return f"教练刚才没认出「{line}」。"
