"""How the simulated customer takes a reply: what she heard, which reaction rules decide her answer,
and the line she says when a rule speaks (a question back, a refusal, an accepted time).

A mixin of sim.Rehearsal: it reads the run's state, node, persona and seeded line picking
(`_voice`, `_pick_text`) and hands the flow's moves (flow.NodeFlow) the replies that pass or fail.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.core.playbooks.models import STEP_ORDER
from assistant.core.rehearse import lines
from assistant.core.rehearse.reactions import NUMBER, TIME_OFFER as TIME_WORDS, Heard, blocking
from assistant.core.rehearse.scoring import COPY_MOSTLY, ReplyScore, over_length
from assistant.core.rehearse.turns import CustomerTurn
from assistant.core.rehearse.voice import plain

#: Template variables that name the product a scenario offers (naming it is product talk).
#: `product` is what the customer already holds (the maturing deposit): naming it is not a push.
PRODUCT_VARIABLES = ("offer", "product_name")
HELD_VARIABLES = ("product",)
#: Reactions that only repeat or puzzle: at the last straw she just hangs up, without them.
REPEATS = ("ignored", "echoed", "listed")
#: Warmth at or below which a customer put off by the call takes a goodbye as the end of it (未成交).
COLD = -2
#: A customer line that brings a product up herself (then naming it is not pushing).
PRODUCT_WORD = re.compile(r"理财|基金|保险|产品|定投|存单|信用卡")


class Listening:
    """The customer's reaction to a scored reply (mixed into sim.Rehearsal)."""

    def _heard(self, text: str, line: str, score: ReplyScore) -> Heard:
        from assistant.core.rehearse.meaning import same_topic
        from assistant.core.rehearse.targets import recommends

        held = {str(self.variables[k]) for k in HELD_VARIABLES if self.variables.get(k)}
        products = tuple(p for p in (str(self.variables[k]) for k in PRODUCT_VARIABLES if self.variables.get(k))
                         if p not in held)
        return Heard(text, line, self.persona.temperament, self.traits.age, self.facts, tuple(score.flags),
                     score.share, self._meets_bar(score), self.customer_name, products, recommends(self, text),
                     self.state.warmth, tuple(self.state.seen), self._pick_text, self._again(),
                     called=self.scenario.opening == "staff" and len(self.transcript) <= 1, listed=score.listed,
                     echoed=score.copied >= COPY_MOSTLY,
                     on_topic=same_topic(self.library, text, line) or bool(self._late_points(text)),
                     too_long=over_length(text, self.library))

    def _again(self) -> str | None:
        """An unsaid paraphrase of what the customer is asking now (the pending card's, or the node's)."""
        if self.state.pending:
            return self._voice([self._card_lines()], "ask", "again")
        if self.transcript and self.transcript[-1].customer.kind not in ("line", "end"):
            return None
        return self._voice([self._asked_at_entry(self.node), _asking(self.node)], "ask", "again")

    def _asked_at_entry(self, node) -> list:
        """The node's `heard` lines that the reply leading to it met (her question came in their
        words: 「到期就到期呗，钱不是自动回来吗？」), conditions dropped: asked again, she stays on it
        instead of falling back to a line that asks nothing (「嗯，你说吧，什么事？」, found in tmux)."""
        return _answering(node, self._entry_points(node))

    def _entry_points(self, node) -> frozenset[str]:
        """Key point ids the reply that led to `node` covered."""
        at = next((i for i, t in enumerate(self.transcript) if t.customer.node_id == node.id), 0)
        return self._heard_points(self.transcript[at - 1]) if at > 0 else frozenset()

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

    def _meets_bar(self, score: ReplyScore) -> bool:
        return not score.failed_compliance and score.share >= self.pass_share() - 1e-9

    def _react(self, score: ReplyScore, text: str, found) -> CustomerTurn:
        decisive = blocking(found)
        if decisive is not None:
            return self._blocked(decisive)
        closes = next((r for r in found if r.effect == "closes"), None)
        if closes is not None and not self._wraps_up(score, text):
            return self._parting(closes, found)
        asked, self.state.question = self.state.question, None
        if asked and not self._answers_question(asked, text):
            self.state.warmth -= 1  # she lets the question go, a little cooler
        asks = next((r for r in found if r.effect == "asks"), None)
        if asks is not None and not asked:
            self.state.question = asks.rule  # answer this first; the flow waits (no patience lost)
            return self._reaction_turn(asks, "reaction")
        ok = self._meets_bar(score) or self._deposit_answer(text, score)
        answered = next((r for r in found if r.effect == "answers"), None)
        if answered is not None and not ok:  # her answer instead of a canned doubt (answering.py)
            return self._prefixed(self._reaction_turn(answered, "reaction"), found)
        if asked and not ok and self._answers_question(asked, text):
            return self._prefixed(self._answered_only(), found)
        agreed = next((r for r in found if r.effect == "agrees"), None)
        if agreed is not None and not ok:
            return self._appointment(agreed, found)
        if self.state.pending:
            return self._prefixed(self._won_back() if ok else self._poor(pushed=False, text=text), found)
        if ok:
            self.state.poor_streak = 0
            return self._prefixed(self._moved_on(score, text), found)
        late = self._late_answer(text)
        if late is not None:
            return self._prefixed(late, found)
        return self._prefixed(self._poor(pushed=self._pushed_early(text), text=text), found)

    def _late_points(self, text: str) -> dict:
        """Points of the step before (id → KeyPoint) that this node's `heard` lines answer and `text`
        covers now: the reply makes up for what the last one left out (found in tmux: 沈总 had said
        「行，你说吧，我听着」; 「我的号码您存一下，有事随时找我」 then drew 「你倒是说正事啊」)."""
        from assistant.core.language.coverage import covered

        node = self.node
        wanted = {p for x in node.customer_lines if x.heard and x.mood == "ask" for p in x.heard} - self._entry_points(node)
        if self.state.pending or not wanted:
            return {}
        points = {kp.id: kp for n in self.scenario.nodes if n.next == node.id for kp in n.key_points if kp.id in wanted}
        done = {e.point_id for e in covered(text, list(points.values())).covered} if points else set()
        return {k: v for k, v in points.items() if k in done}

    def _late_answer(self, text: str) -> CustomerTurn | None:
        """She answers what the reply made up for, in the node's words for it (好，号码我存了), with no
        patience lost: this step's own points are still to come."""
        late = self._late_points(text)
        node = self.node
        pool = _answering(node, late.keys())
        said = self._voice([pool], "ask", "late") if pool else None
        if said is None:
            return None
        label = next(iter(late.values())).label
        return CustomerTurn(said, node.id, node.step, kind="line", card_id=node.card,
                            why=f"你补上了上一步的「{label}」，客户接上了这句；这一步的要点还没讲到。")

    @staticmethod
    def _answers_question(question: str, text: str) -> bool:
        """The reply gives the basis the customer asked for (按…测算, 挂牌利率, 不是承诺 …)."""
        from assistant.core.rehearse.reactions import BASIS

        return question == "number" and bool(BASIS.search(text))

    def _answered_only(self) -> CustomerTurn:
        """The reply gave the basis she asked for and no more: no patience lost (found playing 秦先生:
        「是今天总行的挂牌利率」 was followed by 「连续2句没有回应到客户」); she comes back to her point."""
        if self.state.pending:
            turn = self._doubtful()
        else:
            node = self.node
            turn = CustomerTurn(self._again() or self.render(node.customer[0]), node.id, node.step, kind="poor",
                                card_id=node.card)
        return replace(turn, why="你说清了数字的来源，客户听明白了；不过这一步的要点还没讲到，客户回到了自己关心的事。")

    def _blocked(self, r) -> CustomerTurn:
        """A rule stopped the call moving on: the reply counts as poor; ends when patience runs out."""
        self.state.poor_streak += 1
        if r.effect == "ends":
            return self._reaction_turn(r, "hangup", ended=True)
        if self.state.poor_streak >= self.patience_max:
            from assistant.core.rehearse.parting import takes_leave

            turn = self._hangup()  # her reaction may take leave already (我先忙了，回头再说): not twice;
            # a repeat of her last words before hanging up reads as a script (你没听我说吗？… 不用了，再见。)
            said = r.line if takes_leave(r.line or "") else turn.text if r.rule in REPEATS else f"{r.line} {turn.text}"
            what = r.reason if said != turn.text else r.reason.split("：")[0] + "。"  # what she did not say goes
            return CustomerTurn(said, turn.node_id, turn.step, True, "未成交", "hangup", why=_sentences([what, turn.why]))
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
        pools = [self._card_lines()] if self.state.pending else [self._asked_at_entry(node), _asking(node)]
        again = self._voice(pools, "ask", "again") or self.render(node.customer[0])
        return CustomerTurn(f"{r.line}{lines.BY_THE_WAY}{again}", node.id, node.step, kind="reaction", card_id=node.card,
                            why=f"{why}不过客户刚才问的你还没回答，又问了一次。")

    def _wraps_up(self, score: ReplyScore, text: str) -> bool:
        """A goodbye that also does this node's job right before the scenario's end (月底我再联系您约
        时间 at 先培育): the scenario's own closing line answers it (好，加上了，回头联系)."""
        nxt = self.nodes.get(self.node.next or "")
        return self.state.pending is None and nxt is not None and nxt.end is not None \
            and (self._meets_bar(score) or self._deposit_answer(text, score))

    def _parting(self, r, found) -> CustomerTurn:
        """Staff said goodbye: she says hers (in the persona's words; a time offered with it is
        agreed or countered first) and the call ends as 待跟进, whatever step it had reached; a
        customer already cold, with no time agreed, ends it as 未成交."""
        from assistant.core.rehearse.parting import fitting_goodbyes

        node = self.node
        when = next((x for x in found if x.rule == "time"), None)
        cold = when is None and self.state.warmth <= COLD
        mood = "annoyed" if cold else "ask"
        goodbyes = fitting_goodbyes(self.scenario.channel, self.persona.temperament, mood)
        bye = self._voice([goodbyes], mood, "goodbye") or lines.NO_NEXT
        if cold:  # she had cooled down and nothing was agreed: there is nothing to follow up on
            return CustomerTurn(bye, node.id, node.step, True, "未成交", "end", card_id=node.card,
                                why=f"你主动结束了这通对话（「{r.quote}」）：客户之前已经冷下来了，又没约下次时间，这次算未成交。")
        # The time reaction's own reason says how the time went (agreed, or hers instead): the
        # panel lists a reason once, so it is the second sentence here.
        later = when.reason if when else "没约下次联系的具体时间：跟进时先约个时间。"
        return CustomerTurn(f"{when.line}{bye}" if when else bye, node.id, node.step, True, "待跟进", "end",
                            card_id=node.card, why=_sentences([r.reason, later]))

    def _prefixed(self, turn: CustomerTurn, found) -> CustomerTurn:
        """A line said before the next one (agreeing to a time) joins it; the reasons come along."""
        lead = [r for r in found if r.effect in ("prefix", "agrees") and r.line]
        agreed = turn.ended and bool(lead) and lead[0].effect == "agrees"
        dropped = []
        if turn.kind == "hangup" or (not agreed and TIME_WORDS.search(turn.text)):  # it answers the time already
            lead, dropped = [], lead
        moods = () if turn.kind == "hangup" else ("mood",)  # no 「热络了一点」 beside a hang-up
        reasons = [_time_taken(r) if r in dropped and r.rule == "time" else r.reason
                   for r in found if r.effect in ("prefix", "agrees", *moods)]
        why = _sentences([turn.why or "", *reasons])
        if not lead:
            return replace(turn, why=why)
        if agreed:  # the call closes on the time she accepted, not on a time or channel of her own
            return replace(turn, text=f"{lead[0].line}{lines.SEE_YOU}", why=why)
        # A worry after her counter-time turns on 不过 (found in tmux: 「…周六上午吧。我在别的银行有私行经理」)
        but = lines.BY_THE_WAY if turn.kind == "objection" or turn.step == "handle_objection" else ""
        return replace(turn, text=f"{lead[0].line}{but}{turn.text}", why=why)


def _answering(node, points) -> list:
    """The node's `heard` lines answering any of `points`, their condition dropped (already met)."""
    return [x.model_copy(update={"heard": []}) for x in node.customer_lines if x.heard and set(points) & set(x.heard)]


def _asking(node) -> list:
    """The node's own question, to ask again: not a line answering an earlier reply (`heard`:
    「号码我存了」 said twice would thank for a number twice)."""
    return [*plain(node.customer), *(x for x in node.customer_lines if not x.heard)]


def _time_taken(r) -> str:
    """The reason of a time reaction whose own line (agreeing, or a counter-time) went unsaid
    because her next line speaks of the time itself."""
    return f"你给了具体时间「{r.quote}」：客户顺着定下了时间。"


def _sentences(parts) -> str:
    """Reasons joined by ；, which the feedback panel splits into one line each."""
    return "；".join(p for p in parts if p and p.strip("；，")).strip("；")
