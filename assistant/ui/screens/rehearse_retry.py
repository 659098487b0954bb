"""演练's 重说 (ctrl+z): a reply that did not pass can be taken back and said again, as a coach
asks for 「再说一遍」. The customer goes back to the line she had said, in the mood she was in (the
run's state from just before the reply); the attempt stays in the history marked as taken back
(recorder.retract, so a resumed run replays without it), and the scorecard counts the new reply.
Offered after every reply that did not pass while the talk goes on; not in exam mode."""

from __future__ import annotations

from copy import deepcopy

#: Said in the chat under a reply that did not pass.
OFFER = "这句没过关。按 ctrl+z 重说这一句（客户回到刚才那句），或者直接接着回客户。"
#: Said in the chat when a reply is taken back.
RETRIED = "↺ 重说这一句：上一句不计分，客户回到刚才那句。"


class RetryReply:
    """Mixed into RehearseScreen (which owns `run`, `recorder`, `chat`, `exam`, `busy` and `_head`)."""

    #: (run, its state just before the last reply, the transcript's length after it) while ctrl+z
    #: can take that reply back; None otherwise.
    retry: tuple | None = None
    _before_reply = None

    def keep_for_retry(self) -> None:
        """The run's state just before a reply is scored (what 重说 goes back to)."""
        self._before_reply = deepcopy(self.run.state)

    def offer_retry(self, result) -> None:
        """After a reply: offer 重说 when it did not pass and the customer is still talking."""
        self.retry = None
        if not (self.exam or self.run.finished or result.score is None or result.score.passed):
            self.retry = (self.run, self._before_reply, len(self.run.transcript))
            self.chat.add("system", OFFER)
        self.refresh_bindings()

    def can_retry(self) -> bool:
        """The reply offered for 重说 is still the last thing said in this run."""
        if self.retry is None or self.busy:
            return False
        run, _, length = self.retry
        return run is self.run and len(run.transcript) == length and not run.finished and not self.recorder.closed

    def action_retry(self) -> None:
        """Take the last reply back: the customer's line and mood as before it; say it again."""
        if not self.can_retry():
            self.notify("现在没有可以重说的一句：只有没过关、客户还在聊的那一句能重说。", severity="warning")
            return
        run, before, _ = self.retry
        self.retry = None
        run.state = before
        self.recorder.retract(len(before.transcript) - 1)
        self.chat.add("system", RETRIED)
        self.chat.add("customer", run.transcript[-1].customer.text)
        self._head()
        self.refresh_bindings()
