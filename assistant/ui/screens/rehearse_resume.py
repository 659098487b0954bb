"""演练, carrying on a rehearsal left open when the app was closed: the picker offers it first, the
run is rebuilt off the event loop (core: rehearse/resume.py replays the logged replies), and the chat
shows the conversation so far with each reply's score. Mixed into RehearseScreen."""

from __future__ import annotations

from textual import work
from textual.message import Message

from assistant.core.errors import CoachError
from assistant.ui.widgets.chat_input import ChatInput

RESUMED = "上次没练完，从停下的地方接着练"


class Rebuilt(Message):
    """The rebuild worker's answer: the resumed run, or why it could not be rebuilt."""

    def __init__(self, resumed=None, error: str | None = None) -> None:
        super().__init__()
        self.resumed, self.error = resumed, error


class ResumeRuns:
    """Mixed into RehearseScreen (which owns services, run, recorder, chat, feedback and busy)."""

    def unfinished(self) -> list[dict]:
        """My rehearsals left open, newest first, except the one on the screen now."""
        from assistant.core.rehearse.resume import unfinished_rehearsals

        s = self.services
        current = self.recorder.session_id if self.recorder is not None else None
        return unfinished_rehearsals(s.history, s.library, self.staff_id, s.clock(), but=current)

    def resume_session(self, session_id: str) -> None:
        """From the home screen's recent list: carry on this open rehearsal (once the library is loaded)."""
        from assistant.ui.screens.rehearse_picker import ScenarioPicker

        if self.services is None:
            self.pending_resume = session_id
            return
        self.pending_resume = None
        if isinstance(self.app.screen, ScenarioPicker):  # it opened by itself a moment earlier
            self.app.screen.dismiss(None)
        if self.recorder is not None and self.recorder.session_id == session_id:
            return  # the run on this screen (F1 went home mid-way): it is here already
        if self.busy:
            self.notify("正在评分，稍等一下再换。", severity="warning")
            return
        self.resume(session_id)

    def resume(self, session_id: str) -> None:
        """Close the run on the screen (if any) and rebuild the open session `session_id`."""
        record = self.services.history.session(session_id)
        if record is None:
            self.notify("找不到这场演练的记录了。按 ctrl+o 选场景。", severity="warning")
            return
        self._close()
        self.run, self.recorder, self.card, self.queued, self._my_bubble = None, None, None, [], None
        self.busy = True
        self.chat.remove_children()
        self.chat.add("coach", "正在接上次的演练…")
        self.rebuild(record, self._staff_variables())

    @work(thread=True, exclusive=True, group="rehearse", exit_on_error=False)
    def rebuild(self, record: dict, variables: dict) -> None:
        """Replay the logged replies off the event loop (the first scoring loads the word splitter)."""
        from assistant.core.rehearse.resume import resume_rehearsal

        s = self.services
        try:
            resumed = resume_rehearsal(s.library, s.history, record, self.staff_id, variables, feedback=not self.exam)
            self.post_message(Rebuilt(resumed))
        except CoachError as exc:
            self.post_message(Rebuilt(error=str(exc)))
        except Exception as exc:  # a message, never a traceback
            self.post_message(Rebuilt(error=f"{type(exc).__name__}: {exc}"))

    def on_rebuilt(self, message: Rebuilt) -> None:
        self.busy = False
        if message.error:
            self.chat.remove_children()
            self.chat.add("coach", f"这场演练接不上：{message.error}\nctrl+o 选场景。")
            return
        resumed = message.resumed
        self.run, self.recorder = resumed.run, resumed.recorder
        self.recorder.sync()  # a customer line the replay said beyond what was on disk
        with self.app.batch_update():
            self._show_so_far()
        if self.run.finished:  # the app stopped after the last line and before the session was closed
            self._finish()
        elif not resumed.same:
            self.notify("话术库改过：客户的话和上次不完全一样，前面的回复按现在的话术重新评分。", severity="warning")
        self.query_one(ChatInput).focus()

    def _show_so_far(self) -> None:
        """The brief, every line said so far with my replies scored, and where it stands."""
        run = self.run
        self.chat.remove_children()
        self.chat.add("coach", self._brief(RESUMED))
        for turn in run.transcript:
            self.chat.add("customer", turn.customer.text)
            if turn.reply is not None and turn.score is not None:
                self._my_bubble = self.chat.add("staff", turn.reply)
                self._mark_my_bubble(turn.reply, turn.score)
        self._my_bubble = None
        replies = sum(1 for t in run.transcript if t.reply is not None)
        self.feedback.show_note(self._how() + f"\n\n接上了：前面已答 {replies} 句，客户在等你回下一句。")
        self._head()
