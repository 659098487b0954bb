"""Log a rehearsal to the history as it happens (the screen), not only when it ends.

A rehearsal becomes a session at its first reply: one nobody replied in is not a practice (no
session, no score, nothing on the leaderboard or in drill). From then on each customer line and
each scored reply is on disk as soon as it is said, so a crash loses nothing already practised;
`finish` closes the session and queues the weak spots for drill.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from assistant.core.rehearse.drill import ANON_STAFF, enqueue_from_scorecard
from assistant.core.rehearse.scoring import scoring_of
from assistant.core.rehearse.turns import cards_used, furthest_step, reached_steps


#: The transcript's line where a reply was taken back and said again.
RETRACTED = "↺ 重说上一句（上一句不计分）"


class RehearsalRecorder:
    """Mirror of one run in the history: call `sync()` after every `start()`/`reply()`."""

    def __init__(self, history, run, staff_id: str | None = None) -> None:
        self.history = history
        self.run = run
        self.staff_id = staff_id
        #: The history session id of this run (None until the first reply).
        self.session_id: str | None = None
        #: (turn index, "customer" | "reply") already on disk.
        self._logged: set[tuple[int, str]] = set()
        self.closed = False

    def _open(self) -> None:
        p, run = self.run.persona, self.run
        self.session_id = self.history.start_session(
            mode="rehearse", staff_id=self.staff_id, persona_id=p.id, scenario_id=run.scenario.id,
            customer_id=run.customer_id, segment=p.segment, seed=run.seed,
        )

    def mark_logged(self, customers: int, replies: int) -> None:
        """The first `customers` customer lines and `replies` replies are on disk already (a run
        rebuilt from its session: resume.py)."""
        self._logged |= {(i, "customer") for i in range(customers)} | {(i, "reply") for i in range(replies)}

    def sync(self) -> None:
        """Append whatever the run said since the last call (nothing before the first reply)."""
        if self.session_id is None:
            if not any(t.reply is not None for t in self.run.transcript):
                return
            self._open()
        for index, turn in enumerate(self.run.transcript):
            if (index, "customer") not in self._logged:
                self._log_customer(turn.customer)
                self._logged.add((index, "customer"))
            if turn.reply is not None and (index, "reply") not in self._logged:
                self._log_reply(turn)
                self._logged.add((index, "reply"))

    def retract(self, index: int) -> None:
        """The reply of turn `index` is taken back (演练's 重说): a `retract` event says so, so that
        resume.py replays the run without it, and the turn's next reply and the customer's answer
        to it are logged anew. What was said stays on disk: 复盘 shows the attempt and the retry."""
        if self.session_id is not None and (index, "reply") in self._logged:
            self.history.log_event(self.session_id, "system", RETRACTED, type="retract")
        self._logged -= {(index, "reply"), (index + 1, "customer")}

    def _log_customer(self, c) -> None:
        self.history.log_event(self.session_id, "customer", c.text, step=c.step, type="line", node_id=c.node_id,
                               kind=c.kind, topic=c.objection, card_id=c.card_id, why=c.why)

    def _log_reply(self, turn) -> None:
        s, c = turn.score, turn.customer
        self.history.log_event(
            self.session_id, "staff", turn.reply, step=c.step, type="line", score=s.total, reasons=s.reasons,
            flags=[f.rule_id for f in s.flags], model_reply=s.model_reply, hints=turn.hints,
            covered=[e.point_id for e in s.covered], missed=[m[0] for m in s.missed],
            reactions=[{"rule": r["rule"], "reason": r["reason"]} for r in turn.reactions],
        )

    def finish(self, today: dt.date | None = None):
        """Close the session with the scorecard; returns (scorecard, drill items queued)."""
        self.sync()
        card = self.run.scorecard()
        if self.closed:
            return card, []
        self.closed = True
        if self.session_id is None:  # nobody replied: not a practice, nothing to record
            return card, []
        self.history.end_session(
            self.session_id, outcome=self.run.outcome, furthest_step=furthest_step(self.run), score=card.total,
            steps=reached_steps(self.run),
            replies=card.replies,
            topics=list(self.run.state.raised), cards_used=cards_used(self.run), finished=self.run.finished,
            skills={k: v["score"] for k, v in card.skills.items()}, practise=[asdict(x) for x in card.practise],
        )
        if not card.replies:
            return card, []
        staff = self.staff_id or ANON_STAFF
        queued = enqueue_from_scorecard(self.history, staff, card, today or dt.date.today(),
                                        scoring_of(self.run.library).pass_mark)
        return card, queued
