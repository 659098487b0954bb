"""A live conversation still open: offered again on start (carry on or end it with its outcome),
and asked about on quit (end it, keep it for later, or stay). Mixed into CoachApp."""

from __future__ import annotations


class OpenSessions:
    """Mixed into CoachApp (which owns `services`, `staff` and `live_screen`)."""

    def offer_resume(self, say_none: bool = False, at_start: bool = False) -> None:
        """Live sessions of mine left open (稍后继续, or the app was killed): offer to carry one on
        or end it; with several, every one is listed to pick from (`say_none`: tell when there is none).
        `at_start`: offered unasked as the app becomes ready, so a marketer already typing a line is
        told in a toast instead of a dialog that would take the rest of the line's keys."""
        from assistant.core.live.session import unfinished_sessions
        from assistant.ui.screens.live_dialogs import ResumeScreen

        if self.services is None or not self.staff:
            return
        open_ones = unfinished_sessions(self.services.history, self.staff.get("id"), self.services.clock())
        live = self.live_screen
        if live is not None and live.has_open_session():  # the one on screen is not "left open"
            open_ones = [s for s in open_ones if s["id"] != live.session.session_id]
        if not open_ones:
            if say_none:
                other = "除了正在聊的这个，" if live is not None and live.has_open_session() else ""
                self.notify(f"{other}最近 7 天没有未结束的实战。更早的在 复盘 里按 o 筛「未结束」。")
            return
        pairs = [(self._with_last_line(record) if len(open_ones) > 1 else record, self._customer_of(record))
                 for record in open_ones]
        if at_start and self._typing():
            self._say_left_open(pairs)
            return
        screen = ResumeScreen(*pairs[0], len(pairs), pairs)
        self.push_screen(screen, lambda choice: self._resume_choice(choice, screen.picked, more=len(pairs) > 1,
                                                                    pairs=pairs))

    def _typing(self) -> bool:
        """Whether the focused widget is a text box already holding what someone typed."""
        return bool(getattr(self.focused, "value", None) or getattr(self.focused, "text", None))

    def _say_left_open(self, pairs: list[tuple[dict, dict | None]]) -> None:
        """The offer as a toast (the dialog stepped aside for typing): what is open and how to get to it."""
        from assistant.ui.screens.live_dialogs import left_open_note

        self.notify(left_open_note(pairs), title="有没结束的实战", timeout=15)

    def _with_last_line(self, record: dict) -> dict:
        """The record with `last_line`, what the customer said last (tells two open chats apart)."""
        said = [e.get("text") for e in self.services.history.events(record["id"]) if e.get("speaker") == "customer"]
        return {**record, "last_line": said[-1]} if said and said[-1] else record

    def _customer_of(self, record: dict) -> dict | None:
        getter = getattr(self.services.history, "get_customer", None)
        return getter(record["customer_id"]) if getter and record.get("customer_id") else None

    def resume_live(self, record: dict) -> None:
        """Carry on this open live session in 实战 (Live refuses while another one is open there)."""
        self.switch_mode("live")
        self.call_after_refresh(lambda: self.live_screen and self.live_screen.resume(record))

    def _resume_choice(self, choice: str | None, record: dict, more: bool = False,
                       pairs: list[tuple[dict, dict | None]] | None = None) -> None:
        if choice == "aside":  # a key typed into the dialog went to the screen under it
            self._say_left_open(pairs or [(record, self._customer_of(record))])
        elif choice == "resume":
            self.resume_live(record)
        elif choice == "end":
            from assistant.ui.screens.live_dialogs import OutcomeScreen

            self.push_screen(OutcomeScreen(), lambda outcome: self._end_stored(record, outcome, more))

    def _end_stored(self, record: dict, outcome: str | None, more: bool = False) -> None:
        """End a session left open without opening it in Live; with `more` open, list the rest again."""
        if not outcome:
            return
        from assistant.core.live.stored import end_stored_session, ended_note
        from assistant.ui.screens.live_dialogs import ask_undo_settled

        def then() -> None:
            self._refresh_screen()
            if more:
                self.offer_resume()

        end = end_stored_session(self.services, record, self._customer_of(record), self.staff, outcome)
        if end.resolved:  # earlier follow-ups closed: say which, and let them be reopened here
            ask_undo_settled(self, end, then=then)
            return
        self.notify(ended_note(end))
        then()

    def _refresh_screen(self) -> None:
        refresh = getattr(self.screen, "refresh_data", None)
        if refresh:
            refresh()

    async def action_quit(self) -> None:
        """Quit; with a live conversation still open, ask: end it with its outcome, keep it for later, or stay."""
        from assistant.ui.screens.live_dialogs import QuitScreen

        live = self.live_screen
        if live is None or not live.has_open_session() or isinstance(self.screen, QuitScreen):
            self.exit()
            return
        self.push_screen(QuitScreen(live.open_summary()), self._quit_choice)

    def _quit_choice(self, choice: str | None) -> None:
        from assistant.ui.screens.live_dialogs import OutcomeScreen

        if choice == "later":
            self.exit()
        elif choice == "end":
            self.push_screen(OutcomeScreen(), self._end_and_quit)

    def _end_and_quit(self, outcome: str | None) -> None:
        """End the open session and quit; when the outcome closed earlier follow-ups, say which
        and offer to reopen them first (there is no screen left to undo from afterwards)."""
        from assistant.core.live.stored import StoredEnd
        from assistant.ui.screens.live_dialogs import ask_undo_settled

        if not outcome or self.live_screen is None:
            return
        self.live_screen.end_quietly(outcome)
        resolved = list(getattr(self.live_screen.session, "resolved", None) or [])
        if resolved:
            ask_undo_settled(self, StoredEnd(outcome, resolved=resolved), then=self.exit, done="退出")
        else:
            self.exit()
