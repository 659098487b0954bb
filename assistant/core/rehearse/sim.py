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
import re
from dataclasses import asdict, dataclass, field, replace

from assistant.core.errors import CoachError, UnknownIdError
from assistant.core.playbooks.models import STEP_ORDER, Persona, ScenarioNode
from assistant.core.rehearse import lines
from assistant.core.rehearse.reactions import NUMBER, TIME_OFFER as TIME_WORDS, Heard, blocking, judge
from assistant.core.rehearse.voice import Facts, Traits, fitting, plain, traits_of
from assistant.core.rehearse.scoring import ReplyScore, score_reply, scoring_of
from assistant.core.rehearse.targets import Target, node_target, objection_cards, objection_target

#: Chance of an objection (when one is available) after a poor reply that did not push too early.
OBJECTION_CHANCE = 0.5
#: Template variables that name the product a scenario offers (naming it is product talk).
#: `product` is what the customer already holds (the maturing deposit): naming it is not a push.
PRODUCT_VARIABLES = ("offer", "product_name")
HELD_VARIABLES = ("product",)
#: A customer line that brings a product up herself (then naming it is not pushing).
PRODUCT_WORD = re.compile(r"理财|基金|保险|产品|定投|存单|信用卡")
#: Who is calling: filled by the signed-in staff and the configured branch, never by the library's
#: example (a stranger's name in the model reply); without them, neutral words.
NEUTRAL_IDENTITY = {"staff_name": "客户经理", "branch": "网点"}
#: A role word before the neutral staff name (理财经理{{ staff_name }}) keeps only the role.
_ROLE_TWICE = re.compile(r"(理财经理|客户经理|大堂经理|柜员)客户经理")
#: Starting warmth by temperament.
WARMTH = {"warm": 1, "chatty": 1, "sceptical": -1, "busy": 0, "price_driven": 0, "cautious_elderly": 0}
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

    def to_dict(self) -> dict:
        return {"customer": asdict(self.customer), "reply": self.reply, "hints": self.hints,
                "score": self.score.to_dict() if self.score else None, "reactions": list(self.reactions)}

    @classmethod
    def from_dict(cls, d: dict) -> "Turn":
        score = ReplyScore.from_dict(d["score"]) if d.get("score") else None
        return cls(CustomerTurn(**d["customer"]), d.get("reply"), score, d.get("hints", 0), list(d.get("reactions", [])))


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
    """Template values: library examples (neutral words for the staff's name and branch) < the user's
    settings (branch) < scenario examples < persona's < persona traits < caller's (the staff's name)."""
    from assistant.core.config import template_defaults

    out = {k: spec.example for k, spec in library.variables.items() if k not in NEUTRAL_IDENTITY}
    out.update(NEUTRAL_IDENTITY)
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
        self.state = _State(node_id=self.scenario.start, warmth=WARMTH.get(self.persona.temperament, 0))

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
            text = _ROLE_TWICE.sub(r"\1", text)
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
                            earlier=self._covered_before(target))
        turn.reply, turn.score = text, score
        heard = self._heard(text, turn.customer.text, score)
        found = judge(heard)
        turn.reactions = [r.to_dict() for r in found]
        customer = self._react(score, text, found)
        self._learn(heard, found)
        return ReplyResult(score, self._say(customer), found)

    @property
    def facts(self) -> Facts:
        """What happened so far (product named, number cited, needs asked) and every line said."""
        f = Facts(**{k: bool(v) for k, v in self.state.facts.items() if k in Facts.__dataclass_fields__})
        f.said = {t.customer.text for t in self.transcript}
        return f

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

    def _heard(self, text: str, line: str, score: ReplyScore) -> Heard:
        from assistant.core.rehearse.targets import recommends

        held = {str(self.variables[k]) for k in HELD_VARIABLES if self.variables.get(k)}
        products = tuple(p for p in (str(self.variables[k]) for k in PRODUCT_VARIABLES if self.variables.get(k))
                         if p not in held)
        return Heard(text, line, self.persona.temperament, self.traits.age, self.facts, tuple(score.flags),
                     score.share, self._meets_bar(score), self.customer_name, products, recommends(self, text),
                     self.state.warmth, tuple(self.state.seen), self._pick_text, self._again(),
                     called=self.scenario.opening == "staff" and len(self.transcript) <= 1, listed=score.listed)

    def _again(self) -> str | None:
        """An unsaid paraphrase of what the customer is asking now (the pending card's, or the node's)."""
        if self.state.pending:
            return self._voice([self._card_lines()], "ask", "again")
        if self.transcript and self.transcript[-1].customer.kind not in ("line", "end"):
            return None
        return self._voice([[*plain(self.node.customer), *self.node.customer_lines]], "ask", "again")

    def _learn(self, heard: Heard, found) -> None:
        """Record what the reply did (facts, warmth, rules seen) after the customer reacted."""
        from assistant.core.rehearse.reactions import asks_needs, names_product

        facts = self.state.facts
        facts["needs_asked"] = facts.get("needs_asked") or asks_needs(heard.reply)
        facts["product_named"] = facts.get("product_named") or bool(names_product(heard) or heard.recommends) \
            or bool(PRODUCT_WORD.search(heard.customer_line))
        facts["number_cited"] = facts.get("number_cited") or bool(NUMBER.search(heard.reply))
        self.state.warmth = max(-3, min(3, self.state.warmth + sum(r.warmth for r in found)))
        self.state.seen += [r.rule for r in found]

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
        """A fresh line of `mood` from the first pool (node, card, …) that has one for this persona."""
        traits, facts = self.traits, self.facts
        for pool in pools:
            options = [self.render(x.text) for x in fitting(pool, mood, traits, facts)]
            fresh = [o for o in dict.fromkeys(options) if o and o not in facts.said]
            if fresh:
                return self._rng(purpose).choice(fresh)
        return None

    # ------------------------------------------------------------ reacting

    def _meets_bar(self, score: ReplyScore) -> bool:
        return not score.failed_compliance and score.share >= self.pass_share() - 1e-9

    def _react(self, score: ReplyScore, text: str, found) -> CustomerTurn:
        decisive = blocking(found)
        if decisive is not None:
            return self._blocked(decisive)
        asked, self.state.question = self.state.question, None
        if asked and not self._answers_question(asked, text):
            self.state.warmth -= 1  # she lets the question go, a little cooler
        asks = next((r for r in found if r.effect == "asks"), None)
        if asks is not None and not asked:
            self.state.question = asks.rule  # answer this first; the flow waits (no patience lost)
            return self._reaction_turn(asks, "reaction")
        ok = self._meets_bar(score)
        agreed = next((r for r in found if r.effect == "agrees"), None)
        if agreed is not None and not ok:
            return self._appointment(agreed, found)
        if self.state.pending:
            return self._prefixed(self._won_back() if ok else self._poor(pushed=False, text=text), found)
        if ok:
            self.state.poor_streak = 0
            return self._prefixed(self._advance(self._kept_deposit(score)), found)
        return self._prefixed(self._poor(pushed=self._pushed_early(text), text=text), found)

    @staticmethod
    def _answers_question(question: str, text: str) -> bool:
        """The reply gives the basis the customer asked for (按…测算, 挂牌利率, 不是承诺 …)."""
        from assistant.core.rehearse.reactions import BASIS

        return question == "number" and bool(BASIS.search(text))

    def _blocked(self, r) -> CustomerTurn:
        """A rule stopped the call moving on: the reply counts as poor; ends when patience runs out."""
        self.state.poor_streak += 1
        if r.effect == "ends":
            return self._reaction_turn(r, "hangup", ended=True)
        if self.state.poor_streak >= self.patience_max:
            turn = self._hangup()
            return CustomerTurn(f"{r.line} {turn.text}", turn.node_id, turn.step, True, "未成交", "hangup", why=r.reason)
        return self._reaction_turn(r, "reaction")

    def _reaction_turn(self, r, kind: str, ended: bool = False) -> CustomerTurn:
        node = self.node
        card = self.state.pending[1] if self.state.pending else node.card
        return CustomerTurn(r.line or "", node.id, node.step, ended, "未成交" if ended else None, kind,
                            self.state.pending[0] if self.state.pending else None, card, why=r.reason)

    def _appointment(self, r, found) -> CustomerTurn:
        """The customer accepted the time offered though the reply missed this step's points. From the
        product steps on, the call closes on the appointment (待跟进, never a hang-up); before them
        she agrees and comes back to what she was asking, with no patience lost."""
        self.state.poor_streak = 0
        node = self.node
        why = "".join(x.reason for x in found if x.effect in ("agrees", "mood"))
        if STEP_ORDER.index(node.step) >= STEP_ORDER.index("propose"):
            return CustomerTurn(f"{r.line}{lines.SEE_YOU}", node.id, node.step, True, "待跟进", "end", card_id=node.card,
                                why=f"{why}约好了时间，这次对话以约定收尾（待跟进：按约好的时间办）。")
        pool = self._card_lines() if self.state.pending else [*plain(node.customer), *node.customer_lines]
        again = self._voice([pool], "ask", "again") or self.render(node.customer[0])
        return CustomerTurn(f"{r.line}{lines.BY_THE_WAY}{again}", node.id, node.step, kind="reaction", card_id=node.card,
                            why=f"{why}不过客户刚才问的你还没回答，她又提了一次。")

    def _prefixed(self, turn: CustomerTurn, found) -> CustomerTurn:
        """A line said before the next one (agreeing to a time) joins it; the reasons come along."""
        lead = [r for r in found if r.effect in ("prefix", "agrees") and r.line]
        agreed = turn.ended and bool(lead) and lead[0].effect == "agrees"
        if turn.kind == "hangup" or (not agreed and TIME_WORDS.search(turn.text)):  # it answers the time already
            lead = []
        why = "；".join([turn.why or "", *(r.reason for r in found if r.effect in ("prefix", "agrees", "mood"))]).strip("；")
        if not lead:
            return replace(turn, why=why)
        if agreed:  # the call closes on the time she accepted, not on a time or channel of her own
            return replace(turn, text=f"{lead[0].line}{lines.SEE_YOU}", why=why)
        return replace(turn, text=f"{lead[0].line}{turn.text}", why=why)

    def pass_share(self) -> float:
        """Share of key-point weight needed at this node, shifted by the persona's difficulty."""
        base = self.node.pass_share if self.node.pass_share is not None else scoring_of(self.library).pass_share
        return min(1.0, max(0.0, base + DIFFICULTY_SHIFT.get(self.persona.difficulty, 0.0)))

    def _advance(self, skip_to: str | None = None) -> CustomerTurn:
        node = self.node
        target = skip_to or node.next
        if target is None or target not in self.nodes:
            return CustomerTurn(lines.NO_NEXT, node.id, node.step, True, node.end or "待跟进", "end")
        self.state.node_id = target
        nxt = self.node
        why = ("你顺着客户把钱留在存款里，没有再推产品：客户放心了，直接谈怎么办。" if skip_to
               else "这句讲到了这一步的要点，客户接着往下聊。")
        return replace(self._line_turn(nxt, "end" if nxt.end else "line"), why=why)

    def _kept_deposit(self, score: ReplyScore) -> str | None:
        """The closing node to go to when the reply keeps a loss-averse customer's money in deposits
        (scoring's conservative answer): she has heard her answer, so the product steps are skipped."""
        if not any(e.how == "conservative" for e in score.covered):
            return None
        return self._closing_node()

    def _line_turn(self, node: ScenarioNode, kind: str) -> CustomerTurn:
        pool = [*plain(node.customer), *node.customer_lines]
        text = self._voice([pool], "ask", "line") or self.render(self._pick(node.customer, "line"))
        return CustomerTurn(text, node.id, node.step, bool(node.end), node.end, kind, card_id=node.card)

    def _card_lines(self) -> list:
        return self.library.card(self.state.pending[1]).card.customer_lines if self.state.pending else []

    def _won_back(self) -> CustomerTurn:
        """Settled: she says so in the words of that worry (the card's lines before the node's). A
        card that leads to closing (只想存定期 → 就存定期) takes the call to the closing node."""
        pools = [self._card_lines(), self.node.customer_lines, plain(lines.WON_BACK)]
        text = self._voice(pools, "won_back", "won") or lines.WON_BACK[0]
        card = self.library.card(self.state.pending[1]).card
        self.state.pending = None
        self.state.poor_streak = 0
        self.state.wins += 1
        closing = self._closing_node() if card.next_step == "close" else None
        if closing:
            self.state.node_id = closing
        node = self.node
        return CustomerTurn(text, node.id, node.step, kind="won_back", card_id=node.card,
                            why="你把客户的顾虑答到了点子上：" + ("客户定了主意，接着谈怎么办。" if closing else "客户回到了正题。"))

    def _closing_node(self) -> str | None:
        """The first closing (not final) node after the current one, when the call is not there yet."""
        if self.node.step == "close":
            return None
        here = [n.id for n in self.scenario.nodes].index(self.node.id)
        return next((n.id for n in self.scenario.nodes[here + 1:] if n.step == "close" and not n.end), None)

    def _voiced(self, text: str) -> tuple[str, str] | None:
        """(topic, card id) of an objection the customer's own line voices (「那还是存定期吧」 is
        只想存定期): the next reply must answer it, so it becomes the pending objection."""
        from assistant.core.rehearse.meaning import concept_index

        from assistant.core.rehearse.reactions import asks_something

        index = concept_index(self.library)
        if index is None or asks_something(text):  # 「你就直接告诉我利率多少吧」 asks again; it voices no worry
            return None
        known = set(self.persona.objections)  # worries this customer has
        for hit in index.hits(text):
            for topic in index.concepts[hit.concept_id].topics:
                cards = objection_cards(self.library, topic) if topic in known and not hit.negated else []
                if cards:
                    return topic, cards[0].id
        return None

    def _hangup(self) -> CustomerTurn:
        node = self.node
        text = self._voice([plain(self.scenario.hangup or [lines.NO_NEXT])], "ask", "hangup") or lines.NO_NEXT
        return CustomerTurn(text, node.id, node.step, True, "未成交", "hangup",
                            why=f"连续{self.patience_max}句没有回应到客户，客户的耐心用完了。")

    def _poor(self, pushed: bool, text: str = "") -> CustomerTurn:
        self.state.poor_streak += 1
        node = self.node
        if self.state.poor_streak >= self.patience_max:
            return self._hangup()
        if self.state.pending:
            return self._doubtful()
        card_id = self._pick_objection(pushed, text)
        if card_id:
            return self._raise(card_id)
        mood = "annoyed" if self.state.warmth <= -2 or self.state.poor_streak >= 2 else "doubtful"
        pools = [[*node.customer_lines, *plain(node.poor, mood)], [*node.customer_lines, *plain(node.poor, "doubtful")],
                 plain(lines.POOR, mood)]
        text = self._voice(pools, mood, "poor") or self._voice(pools[1:], "doubtful", "poor") or lines.POOR[0]
        voiced = self._voiced(text)
        if voiced:
            self.state.pending = voiced
            self.state.raised.append(voiced[0])
            return CustomerTurn(text, node.id, node.step, kind="objection", objection=voiced[0], card_id=voiced[1],
                                why=f"这句没说动客户，她说出了自己的想法：{self.library.topic_label(voiced[0])}。下一句先接住它。")
        return CustomerTurn(text, node.id, node.step, kind="poor", card_id=node.card,
                            why="这句没讲到这一步的要点，客户没被说动。")

    def _doubtful(self) -> CustomerTurn:
        """The pending objection is still there: the customer says she is not convinced yet."""
        topic, card_id = self.state.pending
        text = self._voice([self._card_lines(), plain(lines.DOUBTFUL)], "doubtful", "doubt") \
            or self._voice([plain(lines.DOUBTFUL)], "ask", "doubt") or lines.AGAIN
        return CustomerTurn(text, self.node.id, self.node.step, kind="objection", objection=topic, card_id=card_id,
                            why="客户的顾虑还没打消：这句没答到客户担心的点。")

    def _raise(self, card_id: str) -> CustomerTurn:
        card = self.library.card(card_id).card
        text = self._voice([card.customer_lines], "ask", "trigger")
        self.state.raised.append(card.topic)
        self.state.pending = (card.topic, card_id)
        return CustomerTurn(text, self.node.id, self.node.step, kind="objection", objection=card.topic, card_id=card_id,
                            why=f"这句没说动客户，客户提出了顾虑：{self.library.topic_label(card.topic)}。")

    def _pick_objection(self, pushed: bool, text: str = "") -> str | None:
        """A card for an objection not yet raised (node ∩ persona) that this persona would voice now,
        and that the reply has not just answered (no 「银行会倒闭吗」 right after 存款保险 was explained)."""
        traits, facts = self.traits, self.facts
        pool = [t for t in self.node.objections if t in self.persona.objections and t not in self.state.raised]
        chance = OBJECTION_CHANCE - 0.15 * max(self.state.warmth, 0)
        if not pool or (not pushed and self._rng("objection?").random() >= chance):
            return None
        cards = [c.id for t in pool for c in objection_cards(self.library, t)
                 if any(x.text not in facts.said for x in fitting(c.customer_lines, "ask", traits, facts))
                 and not self._answered(text, c)]
        return self._rng("objection").choice(cards) if cards else None

    def _answered(self, text: str, card) -> bool:
        """The reply already speaks to this objection: it covers one of the card's points, or names
        its topic's concept (存款保险) without putting a product forward."""
        from assistant.core.language.coverage import covered
        from assistant.core.rehearse.meaning import concept_index, offers_product

        if not text:
            return False
        if card.key_points and covered(text, card.key_points).covered:
            return True
        index = concept_index(self.library)
        if index is None or offers_product(text):
            return False
        signals = set(index.by_topic.get(card.topic or "", ()))
        return any(h.concept_id in signals and not h.negated for h in index.hits(text))

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
        run.state = _State(
            node_id=data["node_id"], poor_streak=data.get("poor_streak", 0), wins=data.get("wins", 0),
            raised=list(data.get("raised", [])), pending=tuple(data["pending"]) if data.get("pending") else None,
            transcript=[Turn.from_dict(t) for t in data.get("transcript", [])], outcome=data.get("outcome"),
            warmth=data.get("warmth", 0), facts=dict(data.get("facts", {})), question=data.get("question"),
            seen=list(data.get("seen", [])),
        )
        return run
