"""The simulated customer: a seeded, pure pull API over a scenario (ink-style).

`start()` gives the customer's first line; `reply(text)` scores the staff reply and gives the
customer's reaction. The customer moves on when the reply covers enough of the node's key points,
raises an objection (from the node's ∩ the persona's pool) or cools down when it does not, hangs up
after `patience` poor replies in a row, and can be won back by handling the objection well.
Every random choice comes from `random.Random` seeded by (seed, turn, purpose): the same seed
gives the same transcript, and a saved state (`to_json`) resumes exactly.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

from assistant.core.errors import CoachError, UnknownIdError
from assistant.core.playbooks.models import STEP_ORDER, Persona, ScenarioNode
from assistant.core.rehearse import lines
from assistant.core.rehearse.scoring import ReplyScore, score_reply, scoring_of
from assistant.core.rehearse.targets import Target, node_target, objection_cards, objection_target

#: Chance of an objection (when one is available) after a poor reply that did not push too early.
OBJECTION_CHANCE = 0.5
#: Pass-share adjustment by persona difficulty.
DIFFICULTY_SHIFT = {"easy": -0.1, "normal": 0.0, "hard": 0.1}


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
    #: line | poor | objection | won_back | hangup | end
    kind: str = "line"
    #: The objection topic raised (kind == objection).
    objection: str | None = None
    #: The card the next reply is scored against, when it is a card.
    card_id: str | None = None


@dataclass(frozen=True)
class ReplyResult:
    """The score of the staff reply and the customer's reaction to it."""

    score: ReplyScore
    customer: CustomerTurn


@dataclass
class Turn:
    """One exchange: the customer's line and the staff reply to it (None when the call ended)."""

    customer: CustomerTurn
    reply: str | None = None
    score: ReplyScore | None = None
    hints: int = 0

    def to_dict(self) -> dict:
        return {"customer": asdict(self.customer), "reply": self.reply, "hints": self.hints,
                "score": self.score.to_dict() if self.score else None}

    @classmethod
    def from_dict(cls, d: dict) -> "Turn":
        score = ReplyScore.from_dict(d["score"]) if d.get("score") else None
        return cls(CustomerTurn(**d["customer"]), d.get("reply"), score, d.get("hints", 0))


@dataclass
class _State:
    """Everything that changes during a run (saved by to_json)."""

    node_id: str
    poor_streak: int = 0
    wins: int = 0
    raised: list[str] = field(default_factory=list)
    #: (topic, card id) of the objection the next reply must answer.
    pending: tuple[str, str] | None = None
    transcript: list[Turn] = field(default_factory=list)
    outcome: str | None = None


def furthest_step(run) -> str | None:
    """The latest of the eight steps the run's customer reached."""
    steps = [t.customer.step for t in run.transcript]
    return max(steps, key=STEP_ORDER.index) if steps else None


def cards_used(run) -> list[str]:
    """Cards the run's replies were scored against, in order of first use."""
    return list(dict.fromkeys(t.customer.card_id for t in run.transcript if t.customer.card_id))


def find_persona(scenario, persona_id: str) -> Persona:
    """The scenario's persona with this id; UnknownIdError naming the nearest one."""
    import difflib

    for p in scenario.personas:
        if p.id == persona_id:
            return p
    ids = [p.id for p in scenario.personas]
    close = difflib.get_close_matches(persona_id, ids, n=1)
    hint = f"是不是 `{close[0]}`？" if close else "可选：" + "、".join(ids)
    raise UnknownIdError(f"演练场景 `{scenario.id}` 里没有客户角色 `{persona_id}`；{hint}")


def scenario_variables(library, scenario, persona, extra: dict | None = None) -> dict:
    """Template values: library examples < the user's settings (branch) < scenario examples < persona's
    < persona traits < caller's."""
    from assistant.core.config import template_defaults

    out = {k: spec.example for k, spec in library.variables.items()}
    out.update(template_defaults())  # staff rehearse with their own branch's name, not the example's
    out.update({k: spec.example for k, spec in scenario.variables.items()})
    out.update(persona.variables)
    out.update(temperament=persona.temperament, difficulty=persona.difficulty,
               segment=persona.segment, asset_tier=persona.asset_tier)
    out.update(extra or {})
    return out


class Rehearsal:
    """One rehearsal run of `scenario_id` with `persona_id`; deterministic for a given seed."""

    def __init__(self, library, scenario_id: str, persona_id: str, seed: int = 0,
                 variables: dict | None = None, feedback: bool = True):
        from assistant.core.playbooks.render import Renderer

        self.library = library
        self.scenario = library.scenario(scenario_id)
        self.persona = find_persona(self.scenario, persona_id)
        self.seed = seed
        #: Show per-reply feedback (False = exam mode: only the scorecard at the end).
        self.feedback = feedback
        self.extra = dict(variables or {})
        self.variables = scenario_variables(library, self.scenario, self.persona, self.extra)
        self.renderer = Renderer(library)
        self.nodes = {n.id: n for n in self.scenario.nodes}
        if self.scenario.start not in self.nodes:
            raise CoachError(f"演练场景 `{self.scenario.id}` 的 start 指向不存在的节点 `{self.scenario.start}`；请运行 coach validate 检查。")
        self.state = _State(node_id=self.scenario.start)

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
        return self.renderer.render(template, self.variables, source=self.scenario.id).text

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
        """Score the staff reply and return the customer's reaction."""
        if self.finished:
            raise RehearsalOver("这次演练已经结束了；重新开始一场吧。")
        turn = self.transcript[-1] if self.transcript else None
        if turn is None:
            self.start()
            turn = self.transcript[-1]
        target = self.target()
        score = score_reply(text, target.key_points, self.library, customer_line=turn.customer.text,
                            customer_name=self.customer_name, model_reply=target.model_reply)
        turn.reply, turn.score = text, score
        return ReplyResult(score, self._say(self._react(score, text)))

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

    # ------------------------------------------------------------ reacting

    def _react(self, score: ReplyScore, text: str) -> CustomerTurn:
        ok = not score.failed_compliance and score.share >= self.pass_share() - 1e-9
        if self.state.pending:
            return self._won_back() if ok else self._poor(pushed=False)
        if ok:
            self.state.poor_streak = 0
            return self._advance()
        return self._poor(pushed=self._pushed_early(text))

    def pass_share(self) -> float:
        """Share of key-point weight needed at this node, shifted by the persona's difficulty."""
        base = self.node.pass_share if self.node.pass_share is not None else scoring_of(self.library).pass_share
        return min(1.0, max(0.0, base + DIFFICULTY_SHIFT.get(self.persona.difficulty, 0.0)))

    def _advance(self) -> CustomerTurn:
        node = self.node
        if node.next is None or node.next not in self.nodes:
            return CustomerTurn(lines.NO_NEXT, node.id, node.step, True, node.end or "待跟进", "end")
        self.state.node_id = node.next
        nxt = self.node
        return self._line_turn(nxt, "end" if nxt.end else "line")

    def _line_turn(self, node: ScenarioNode, kind: str) -> CustomerTurn:
        text = self.render(self._pick(node.customer, "line"))
        return CustomerTurn(text, node.id, node.step, bool(node.end), node.end, kind, card_id=node.card)

    def _won_back(self) -> CustomerTurn:
        self.state.pending = None
        self.state.poor_streak = 0
        self.state.wins += 1
        node = self.node
        return CustomerTurn(self._pick(lines.WON_BACK, "won"), node.id, node.step, kind="won_back", card_id=node.card)

    def _poor(self, pushed: bool) -> CustomerTurn:
        self.state.poor_streak += 1
        node = self.node
        if self.state.poor_streak >= self.persona.patience + self.state.wins:
            text = self.render(self._pick(self.scenario.hangup or [lines.NO_NEXT], "hangup"))
            return CustomerTurn(text, node.id, node.step, True, "未成交", "hangup")
        if self.state.pending:
            return self._objection_turn(*self.state.pending)
        topic = self._pick_objection(pushed)
        if topic:
            card_id = self._pick([c.id for c in objection_cards(self.library, topic)], "card")
            self.state.raised.append(topic)
            self.state.pending = (topic, card_id)
            return self._objection_turn(topic, card_id)
        text = self.render(self._pick(node.poor or lines.POOR, "poor"))
        return CustomerTurn(text, node.id, node.step, kind="poor", card_id=node.card)

    def _objection_turn(self, topic: str, card_id: str) -> CustomerTurn:
        card = self.library.card(card_id).card
        text = self.render(self._pick(card.triggers or [lines.AGAIN], "trigger"))
        return CustomerTurn(text, self.node.id, self.node.step, kind="objection", objection=topic, card_id=card_id)

    def _pick_objection(self, pushed: bool) -> str | None:
        """An objection topic not yet raised, from node ∩ persona, that has a card to answer it."""
        pool = [t for t in self.node.objections if t in self.persona.objections
                and t not in self.state.raised and objection_cards(self.library, t)]
        if not pool or (not pushed and self._rng("objection?").random() >= OBJECTION_CHANCE):
            return None
        return self._rng("objection").choice(pool)

    def _pushed_early(self, text: str) -> bool:
        """Product talk before its time: a product recommendation, or a later product step's points."""
        from assistant.core.rehearse.targets import product_talk

        return STEP_ORDER.index(self.node.step) < STEP_ORDER.index("propose") and product_talk(self, text)

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
            "variables": self.extra, "feedback": self.feedback, "node_id": s.node_id,
            "poor_streak": s.poor_streak, "wins": s.wins, "raised": list(s.raised),
            "pending": list(s.pending) if s.pending else None, "outcome": s.outcome,
            "transcript": [t.to_dict() for t in s.transcript],
        }

    @classmethod
    def from_json(cls, library, data: dict) -> "Rehearsal":
        """A run restored from `to_json()` output."""
        run = cls(library, data["scenario_id"], data["persona_id"], data.get("seed", 0),
                  data.get("variables"), data.get("feedback", True))
        run.state = _State(
            node_id=data["node_id"], poor_streak=data.get("poor_streak", 0), wins=data.get("wins", 0),
            raised=list(data.get("raised", [])), pending=tuple(data["pending"]) if data.get("pending") else None,
            transcript=[Turn.from_dict(t) for t in data.get("transcript", [])], outcome=data.get("outcome"),
        )
        return run
