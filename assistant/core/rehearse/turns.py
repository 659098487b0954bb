"""What a rehearsal run is made of: the customer's turns, the replies to them, and the run's state.

Plain data shared by the engine (sim, listening, flow) and the modules that read a run (recorder,
scorecard, session); nothing here plays the customer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from assistant.core.errors import CoachError
from assistant.core.playbooks.models import STEP_ORDER, steps_of
from assistant.core.rehearse.scoring import ReplyScore


class RehearsalOver(CoachError):
    """A reply after the customer has ended the conversation."""


@dataclass(frozen=True)
class CustomerTurn:
    """What the customer says now, where the conversation stands, and whether it is over."""

    text: str
    node_id: str
    step: str
    ended: bool = False
    outcome: str | None = None
    #: line | poor | objection | won_back | hangup | end | reaction (a rule of reactions.py spoke)
    kind: str = "line"
    #: The objection topic raised (kind == objection).
    objection: str | None = None
    #: The card the next reply is scored against, when it is a card.
    card_id: str | None = None
    #: Why the customer said this (staff-facing): the reaction rule and its reason, or the flow.
    why: str | None = None


@dataclass(frozen=True)
class ReplyResult:
    """The score of the staff reply and the customer's reaction to it."""

    score: ReplyScore
    customer: CustomerTurn
    #: Every reaction rule that fired on the reply (reactions.Reaction), strongest first.
    reactions: list = field(default_factory=list)


@dataclass
class Turn:
    """One exchange: the customer's line and the staff reply to it (None when the call ended)."""

    customer: CustomerTurn
    reply: str | None = None
    score: ReplyScore | None = None
    hints: int = 0
    #: Reactions (as dicts: rule, reason, effect, line, warmth, quote) the reply drew.
    reactions: list[dict] = field(default_factory=list)
    #: A step this reply also did besides its own target (ahead.Ahead.credit: node_id, step, score,
    #: asked, covered, missed): the next step's question asked ahead and answered, or the node an
    #: objection's answer also completed. The flow moved past it; the scorecard credits it.
    skipped: dict | None = None

    def to_dict(self) -> dict:
        return {"customer": asdict(self.customer), "reply": self.reply, "hints": self.hints,
                "score": self.score.to_dict() if self.score else None, "reactions": list(self.reactions),
                "skipped": self.skipped}

    @classmethod
    def from_dict(cls, d: dict) -> "Turn":
        score = ReplyScore.from_dict(d["score"]) if d.get("score") else None
        return cls(CustomerTurn(**d["customer"]), d.get("reply"), score, d.get("hints", 0), list(d.get("reactions", [])),
                   d.get("skipped"))


@dataclass
class RunState:
    """Everything that changes during a run (saved by to_json)."""

    node_id: str
    poor_streak: int = 0
    wins: int = 0
    raised: list[str] = field(default_factory=list)
    #: (topic, card id) of the objection the next reply must answer.
    pending: tuple[str, str] | None = None
    transcript: list[Turn] = field(default_factory=list)
    outcome: str | None = None
    #: How warm the customer is, −3 (cold) … +3 (friendly); starts from the temperament.
    warmth: int = 0
    #: What happened so far (voice.Facts fields).
    facts: dict = field(default_factory=dict)
    #: A question the customer asked that the next reply must answer ("number": its basis).
    question: str | None = None
    #: Reaction rules that fired so far (escalation: a second violation ends the call).
    seen: list[str] = field(default_factory=list)


def furthest_step(run) -> str | None:
    """The latest of the eight steps the run's customer reached."""
    steps = [t.customer.step for t in run.transcript]
    return max(steps, key=STEP_ORDER.index) if steps else None


def reached_steps(run) -> list[str]:
    """The steps the run's customer really reached, in the eight steps' order (a scenario may open
    at 回应异议 and skip others: the funnel counts only these)."""
    return steps_of(t.customer.step for t in run.transcript)


def cards_used(run) -> list[str]:
    """Cards the run's replies were scored against, in order of first use."""
    return list(dict.fromkeys(t.customer.card_id for t in run.transcript if t.customer.card_id))

