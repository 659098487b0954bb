"""Where the conversation goes after a reply: on to the next node, an objection raised, settled or
still doubted, a poor reply's line, or the end of the call.

A mixin of sim.Rehearsal: it reads the run's state, node, persona and seeded line picking
(`_voice`, `_rng`) and returns the customer's next turn.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.core.playbooks.models import STEP_ORDER, ScenarioNode
from assistant.core.rehearse import lines
from assistant.core.rehearse.ahead import asked_ahead, node_done
from assistant.core.rehearse.answering import told_already
from assistant.core.rehearse.scoring import ReplyScore, scoring_of
from assistant.core.rehearse.targets import objection_cards
from assistant.core.rehearse.turns import CustomerTurn
from assistant.core.rehearse.voice import fitting, plain

#: Chance of an objection (when one is available) after a poor reply that did not push too early.
OBJECTION_CHANCE = 0.5
#: Least concept-member strength (language.concepts.member_strength) for a poor line of the
#: customer's to voice a worry: a bare 收钱 or 怕 says too little (found playing 伏姐: 「反正能收钱
#: 就行」 became 嫌手续费高, then 「我刚问你呢，这个要收手续费吗？」).
VOICED_STRENGTH = 1.0
#: Steps that put a product forward.
PRODUCT_STEPS = ("propose", "recommend")
#: Pass-share adjustment by persona difficulty.
DIFFICULTY_SHIFT = {"easy": -0.1, "normal": 0.0, "hard": 0.1}


class NodeFlow:
    """The node flow of one run (mixed into sim.Rehearsal)."""

    def pass_share(self) -> float:
        """Share of key-point weight needed at this node, shifted by the persona's difficulty."""
        base = self.node.pass_share if self.node.pass_share is not None else scoring_of(self.library).pass_share
        return min(1.0, max(0.0, base + DIFFICULTY_SHIFT.get(self.persona.difficulty, 0.0)))

    def _advance(self, skip_to: str | None = None, why: str | None = None) -> CustomerTurn:
        node = self.node
        target = skip_to or node.next
        if target is None or target not in self.nodes:
            return CustomerTurn(lines.NO_NEXT, node.id, node.step, True, node.end or "待跟进", "end")
        told = None if skip_to else told_already(self, node)
        self.state.node_id = target
        nxt = self.node
        why = why or ("你顺着客户把钱留在存款里，没有再推产品：客户放心了，直接谈怎么办。" if skip_to
                      else "这句讲到了这一步的要点，客户接着往下聊。")
        turn = self._line_turn(nxt, "end" if nxt.end else "line")
        return replace(turn, text=told, why=why + "客户刚才已经说过自己的情况。") if told and not nxt.end else replace(turn, why=why)

    def _moved_on(self, score: ReplyScore, text: str) -> CustomerTurn:
        """The reply passed this node: on to the closing node (money kept in deposits), past the next
        step when the reply already asked its question (she answers it; the step is credited on this
        turn), else to the next node."""
        # Only the deposit answer passed it (see _deposit_answer), or a passing reply that also keeps
        # her money in deposits: found in tmux, 王阿姨 (67) heard 「其余的接着存定期，您看行吗？」 and
        # asked 「那你们现在有什么产品？收益大概多少？」 as if nothing had been proposed.
        carried = not self._meets_bar(score) or (self._deposit_answer(text, score) and self._products_next())
        kept = self._kept_deposit(score) or (self._closing_node() if carried else None)
        if kept:
            return self._advance(kept)
        turn = self.transcript[-1]
        ahead = asked_ahead(self, text, turn.customer.text)
        if ahead is None:
            return self._advance(why=_onward(score))
        turn.skipped = ahead.credit()
        self.state.node_id = ahead.node_id
        label = self.library.step_label(ahead.step)
        todo = f"，还可以补：{ahead.score.missed[0][1]}" if ahead.score.missed else ""
        return self._advance(why=f"你这句已经做到了「{ahead.asked[0]}」，客户直接回答了你的问题。"
                                 f"「{label}」这一步算你做过了（按这句算{ahead.score.total}分{todo}）。")

    def _products_next(self) -> bool:
        """The next node puts products forward (what a customer who chose deposits has left behind)."""
        nxt = self.nodes.get(self.node.next or "")
        return nxt is not None and nxt.step in PRODUCT_STEPS

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
        decided = card.next_step == "close" or self._settled_on_deposits()
        closing = self._closing_node() if decided else None
        done = None if closing else self._node_done()
        if closing or done:
            self.state.node_id = closing or self.node.next
        node = self.node
        why = ("客户定了主意，接着谈怎么办。" if closing else
               "这句也讲到了这一步的要点（按这句算{}分），客户接着往下聊。".format(done.score.total) if done else "客户回到了正题。")
        return CustomerTurn(text, node.id, node.step, kind="won_back", card_id=node.card, why="你把客户的顾虑答到了点子上：" + why)

    def _node_done(self):
        """The node this settling reply also completed (credited on its turn), else None."""
        turn = self.transcript[-1] if self.transcript else None
        if not (turn and turn.reply):
            return None
        done = node_done(self, turn.reply, turn.customer.text)
        if done is not None:
            turn.skipped = done.credit()
        return done

    def _deposit_answer(self, text: str, score: ReplyScore) -> bool:
        """Once a loss-averse customer has said what she wants (from the summary step on, or in a
        worry), keeping her money in deposits answers her, whatever the step's own points: found in
        tmux, 李叔 (70) said 「我就想稳稳当当的」 and 「那就还是续存定期」 drew 「你就说你想干嘛吧」."""
        from assistant.core.rehearse.meaning import keeps_in_deposits

        told = self.state.pending is not None or STEP_ORDER.index(self.node.step) >= STEP_ORDER.index("summarize")
        return told and not score.failed_compliance and not score.listed and self._loss_averse() \
            and keeps_in_deposits(text, scoring_of(self.library))

    def _settled_on_deposits(self) -> bool:
        """The reply that settled her worry keeps a loss-averse customer's money in deposits: she has
        decided (那就按你说的), so the call goes on to how to do it, not back to the product steps."""
        from assistant.core.rehearse.meaning import keeps_in_deposits

        turn = self.transcript[-1] if self.transcript else None
        return bool(turn and turn.reply and turn.score) and self._loss_averse() \
            and keeps_in_deposits(turn.reply, scoring_of(self.library))

    def _loss_averse(self) -> bool:
        spec = scoring_of(self.library).conservative
        return spec is not None and (self.persona.temperament in spec.temperaments or self.traits.age == "senior"
                                     or any(topic in ("risk_fear", "prefer_deposit") for topic in self.state.raised))

    def _closing_node(self) -> str | None:
        """The first closing (not final) node after the current one, when the call is not there yet."""
        return self.scenario.closing_after(self.node.id)

    def _voiced(self, text: str) -> tuple[str, str] | None:
        """(topic, card id) of an objection the customer's own line voices (「那还是存定期吧」 is
        只想存定期): the next reply must answer it, so it becomes the pending objection."""
        from assistant.core.rehearse.meaning import concept_index

        from assistant.core.rehearse.reactions import asks_something

        index = concept_index(self.library)
        if index is None or asks_something(text):  # 「你就直接告诉我利率多少吧」 asks again; it voices no worry
            return None
        from assistant.core.language.concepts import member_strength

        known = set(self.persona.objections)  # worries this customer has
        for hit in index.hits(text):
            if member_strength(hit.member) < VOICED_STRENGTH:  # 收钱 in 反正能收钱就行 is no worry about fees
                continue
            for topic in index.concepts[hit.concept_id].topics:
                cards = objection_cards(self.library, topic) if topic in known and not hit.negated else []
                if cards:
                    return topic, cards[0].id
        return None

    def _hangup(self) -> CustomerTurn:
        node = self.node
        text = self._voice([plain(self.scenario.hangup or [lines.NO_NEXT])], "ask", "hangup") or lines.NO_NEXT
        return CustomerTurn(text, node.id, node.step, True, "未成交", "hangup",
                            why=f"连续{self.patience_max}句没讲到客户要的点上，客户的耐心用完了。")

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
                                why=f"这句没说动客户，客户说出了自己的想法：{self.library.topic_label(voiced[0])}。下一句先接住它。")
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


def _onward(score: ReplyScore) -> str | None:
    """Why she went on after a reply that met the node's bar but not the pass mark (else the
    default): found in tmux, 58分 ✗未过关 beside 「这句讲到了这一步的要点」 read as a contradiction."""
    if score.passed:
        return None
    gap = f"还漏了「{score.missed[0][1]}」" if score.missed else "表达还要再练"
    return f"这句讲到了这一步的一部分要点，够客户接着往下聊；不过{gap}，这句没过关。"
