"""The simulated customer: a seeded, pure pull API over a scenario (ink-style).

`start()` gives the customer's first line; `reply(text)` scores the staff reply and gives the
customer's reaction. The customer moves on when the reply covers enough of the node's key points,
raises an objection (from the node's ∩ the persona's pool) or cools down when it does not, hangs up
after `patience` poor replies in a row, and can be won back by handling the objection well.
Every random choice comes from `random.Random` seeded by (seed, turn, purpose): the same seed
gives the same transcript, and a saved state (`to_json`) resumes exactly.

The run's data is in turns.py, who it is with in casting.py, how the customer takes a reply in
listening.py (reaction rules) and where the conversation goes next in flow.py (the node flow).
"""

from __future__ import annotations

import random

from assistant.core.errors import CoachError
from assistant.core.playbooks.models import Persona, ScenarioNode
from assistant.core.rehearse.casting import NEUTRAL_IDENTITY, ROLE_TWICE, find_persona, scenario_variables
from assistant.core.rehearse.flow import NodeFlow
from assistant.core.rehearse.listening import Listening
from assistant.core.rehearse.answering import answer
from assistant.core.rehearse.reactions import judge
from assistant.core.rehearse.scoring import score_reply
from assistant.core.rehearse.targets import Target, node_target, objection_target
from assistant.core.rehearse.turns import (CustomerTurn, RehearsalOver, ReplyResult, RunState, Turn, cards_used,
                                           furthest_step)
from assistant.core.rehearse.voice import Facts, Traits, fitting, traits_of

#: Names other modules import from here (the run's data and casting live in turns.py and casting.py).
__all__ = ["CustomerTurn", "Rehearsal", "RehearsalOver", "ReplyResult", "Turn", "cards_used", "find_persona",
           "furthest_step", "scenario_variables"]

#: A follow-up question the customer asks (a reaction rule), in words for the score's reasons.
QUESTIONS = {"number": "数字的来源"}
#: Starting warmth by temperament.
WARMTH = {"warm": 1, "chatty": 1, "sceptical": -1, "busy": 0, "price_driven": 0, "cautious_elderly": 0}


class Rehearsal(Listening, NodeFlow):
    """One rehearsal run of `scenario_id` with `persona_id`; deterministic for a given seed."""

    def __init__(self, library, scenario_id: str, persona_id: str, seed: int = 0,
                 variables: dict | None = None, feedback: bool = True, persona: Persona | None = None,
                 customer_id: str | None = None):
        from assistant.core.playbooks.render import Renderer

        self.library = library
        self.scenario = library.scenario(scenario_id)
        #: A persona of the scenario, or one built from a real customer (real_customer.customer_persona).
        self.persona = persona or find_persona(self.scenario, persona_id)
        self.own_persona = persona is not None
        #: The real customer this run rehearses (None for a scenario persona).
        self.customer_id = customer_id
        self.seed = seed
        #: Show per-reply feedback (False = exam mode: only the scorecard at the end).
        self.feedback = feedback
        self.extra = dict(variables or {})
        self.variables = scenario_variables(library, self.scenario, self.persona, self.extra)
        self.renderer = Renderer(library)
        self.nodes = {n.id: n for n in self.scenario.nodes}
        if self.scenario.start not in self.nodes:
            raise CoachError(f"演练场景 `{self.scenario.id}` 的 start 指向不存在的节点 `{self.scenario.start}`；请运行 coach validate 检查。")
        self.state = RunState(node_id=self.scenario.start, warmth=WARMTH.get(self.persona.temperament, 0))

    # ------------------------------------------------------------ reading

    @property
    def transcript(self) -> list[Turn]:
        return self.state.transcript

    @property
    def finished(self) -> bool:
        return self.state.outcome is not None

    @property
    def outcome(self) -> str | None:
        return self.state.outcome

    @property
    def node(self) -> ScenarioNode:
        return self.nodes[self.state.node_id]

    @property
    def customer_name(self) -> str | None:
        name = self.variables.get("name")
        return str(name) if name else None

    def render(self, template: str) -> str:
        text = self.renderer.render(template, self.variables, source=self.scenario.id).text
        if self.variables.get("staff_name") == NEUTRAL_IDENTITY["staff_name"]:
            text = ROLE_TWICE.sub(r"\1", text)
        return text

    def target(self) -> Target:
        """What the next reply is scored against: the pending objection's card, or the node."""
        if self.state.pending:
            return objection_target(self, self.state.pending[1])
        return node_target(self, self.node)

    def hint(self) -> str:
        """The next key point to hit and the model reply for it."""
        target = self.target()
        if self.transcript:
            self.transcript[-1].hints += 1
        todo = [kp for kp in target.key_points if kp.id not in self._covered_here()]
        point = f"要点：{todo[0].label}。" if todo else ""
        model = f"参考说法：{target.model_reply}" if target.model_reply else "这一步没有参考说法。"
        return point + model

    def _covered_before(self, target: Target) -> set[str]:
        """Points of `target` that earlier replies at this node (against the same points) covered."""
        ids = {kp.id for kp in target.key_points}
        out: set[str] = set()
        for t in self.transcript[:-1]:
            s = t.score
            if s and t.customer.node_id == self.state.node_id and {e.point_id for e in s.covered} | {m[0] for m in s.missed} == ids:
                out |= {e.point_id for e in s.covered}
        return out

    def _question_answered(self, text: str) -> str | None:
        """What the customer's pending follow-up question asked, when `text` answers it (else None)."""
        asked = self.state.question
        return QUESTIONS.get(asked, asked) if asked and self._answers_question(asked, text) else None

    def _covered_here(self) -> set[str]:
        turns = [t for t in self.transcript[:-1] if t.score and t.customer.node_id == self.state.node_id]
        return {e.point_id for t in turns[-1:] for e in t.score.covered}

    # ------------------------------------------------------------ playing

    def start(self) -> CustomerTurn:
        """The customer's first line (the same line again when already started)."""
        if self.transcript:
            return self.transcript[-1].customer
        return self._say(self._line_turn(self.node, "line"))

    def reply(self, text: str) -> ReplyResult:
        """Score the staff reply and return the customer's reaction (with every rule that fired)."""
        if self.finished:
            raise RehearsalOver("这次演练已经结束了；重新开始一场吧。")
        turn = self.transcript[-1] if self.transcript else None
        if turn is None:
            self.start()
            turn = self.transcript[-1]
        target = self.target()
        score = score_reply(text, target.key_points, self.library, customer_line=turn.customer.text,
                            customer_name=self.customer_name, model_reply=target.model_reply,
                            persona=self.persona, channel=self.scenario.channel,
                            earlier=self._covered_before(target), answered=self._question_answered(text))
        turn.reply, turn.score = text, score
        heard = self._heard(text, turn.customer.text, score)
        found = judge(heard)
        answered = answer(self, heard, found)  # needs the run's nodes: not one of judge's pure rules
        found += [answered] if answered else []
        turn.reactions = [r.to_dict() for r in found]
        customer = self._react(score, text, found)
        self._learn(heard, found)
        return ReplyResult(score, self._say(customer), found)

    @property
    def facts(self) -> Facts:
        """What happened so far (product named, number cited, needs asked) and every line said."""
        f = Facts(**{k: bool(v) for k, v in self.state.facts.items() if k in Facts.__dataclass_fields__})
        f.said = {t.customer.text for t in self.transcript}
        f.heard = self._heard_points()
        return f

    def _heard_points(self, turn: Turn | None = None) -> frozenset[str]:
        """Key point ids a reply (default the last) covered, with those of a step it did ahead."""
        turn = turn or (self.transcript[-1] if self.transcript else None)
        if not (turn and turn.reply and turn.score):
            return frozenset()
        ids = {e.point_id for e in turn.score.covered}
        if turn.skipped and turn.skipped.get("node_id") in self.nodes:
            labels = set(turn.skipped.get("covered", ()))
            ids |= {kp.id for kp in self.nodes[turn.skipped["node_id"]].key_points if kp.label in labels}
        return frozenset(ids)

    @property
    def traits(self) -> Traits:
        return traits_of(self.persona, self.scenario.channel)

    @property
    def patience_max(self) -> int:
        """Poor replies in a row the customer takes before hanging up (a fixed number per persona)."""
        return self.persona.patience

    @property
    def patience_left(self) -> int:
        return max(0, self.patience_max - self.state.poor_streak)

    def _say(self, customer: CustomerTurn) -> CustomerTurn:
        self.transcript.append(Turn(customer))
        if customer.ended:
            self.state.outcome = customer.outcome
        return customer

    def _rng(self, purpose: str) -> random.Random:
        return random.Random(f"{self.seed}|{self.scenario.id}|{self.persona.id}|{len(self.transcript)}|{purpose}")

    def _pick(self, options, purpose: str):
        """A seeded choice, avoiding what the customer already said when there is another option."""
        said = {t.customer.text for t in self.transcript}
        fresh = [o for o in options if self.render(o) not in said] or list(options)
        return self._rng(purpose).choice(fresh)

    def _pick_text(self, options, purpose: str) -> str:
        """A reaction line (plain text), never one already said when another is left."""
        said = {t.customer.text for t in self.transcript}
        fresh = [o for o in options if o not in said] or list(options)
        return self._rng(purpose).choice(fresh)

    def _voice(self, pools, mood: str, purpose: str) -> str | None:
        """A fresh line of `mood` from the first pool (node, card, …) that has one for this persona.
        A line answering what the reply said (`heard` met: 号码我存了 after a number) goes first."""
        traits, facts = self.traits, self.facts
        for pool in pools:
            lines = fitting(pool, mood, traits, facts)
            for group in ([x for x in lines if x.heard], lines):
                options = [self.render(x.text) for x in group]
                fresh = [o for o in dict.fromkeys(options) if o and o not in facts.said]
                if fresh:
                    return self._rng(purpose).choice(fresh)
        return None

    # ------------------------------------------------------------ results and state

    def scorecard(self):
        """The scorecard of the run so far (see scorecard.build)."""
        from assistant.core.rehearse.scorecard import build

        return build(self)

    def to_json(self) -> dict:
        """Everything needed to resume this run (plain JSON types)."""
        s = self.state
        return {
            "version": 1, "scenario_id": self.scenario.id, "persona_id": self.persona.id, "seed": self.seed,
            "persona": self.persona.model_dump() if self.own_persona else None, "customer_id": self.customer_id,
            "variables": self.extra, "feedback": self.feedback, "node_id": s.node_id,
            "poor_streak": s.poor_streak, "wins": s.wins, "raised": list(s.raised),
            "pending": list(s.pending) if s.pending else None, "outcome": s.outcome,
            "warmth": s.warmth, "facts": dict(s.facts), "question": s.question, "seen": list(s.seen),
            "transcript": [t.to_dict() for t in s.transcript],
        }

    @classmethod
    def from_json(cls, library, data: dict) -> "Rehearsal":
        """A run restored from `to_json()` output."""
        own = Persona(**data["persona"]) if data.get("persona") else None
        run = cls(library, data["scenario_id"], data["persona_id"], data.get("seed", 0),
                  data.get("variables"), data.get("feedback", True), own, data.get("customer_id"))
        run.state = RunState(
            node_id=data["node_id"], poor_streak=data.get("poor_streak", 0), wins=data.get("wins", 0),
            raised=list(data.get("raised", [])), pending=tuple(data["pending"]) if data.get("pending") else None,
            transcript=[Turn.from_dict(t) for t in data.get("transcript", [])], outcome=data.get("outcome"),
            warmth=data.get("warmth", 0), facts=dict(data.get("facts", {})), question=data.get("question"),
            seen=list(data.get("seen", [])),
        )
        return run
