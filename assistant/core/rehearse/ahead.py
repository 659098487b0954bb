"""A reply that asks the next step's question early: the customer answers it, and the flow skips that step.

Staff often put the needs question in the opening (「这笔钱您后面有什么打算吗？」). A customer who
listens answers what she was asked instead of asking the next step's own question; the answer is
the line of the node after the asked one (a probe node's next line is, by the scenarios' design,
the customer telling her situation). The skipped step is credited with this reply scored against
that step's questions, so the scorecard shows the step and which of its questions is still unasked.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.language.coverage import norm_phrase
from assistant.core.rehearse import meaning
from assistant.core.rehearse.scoring import ReplyScore, score_reply
from assistant.core.rehearse.targets import node_target

#: Steps whose questions the customer answers whenever they are asked (her plans, her situation).
#: Asking questions of later steps (which product she prefers, when to meet) closes those steps:
#: asked early, they are not an answerable question yet, so the flow does not jump on them.
ANSWERABLE_STEPS = ("probe",)


@dataclass(frozen=True)
class Ahead:
    """The node whose question the reply asked, and the reply scored against that node's points."""

    node_id: str
    step: str
    score: ReplyScore
    #: Labels of the node's asking points the reply asked.
    asked: tuple[str, ...]

    def credit(self) -> dict:
        """The credit kept on the turn (plain JSON): the skipped step and the reply's score there."""
        return {"node_id": self.node_id, "step": self.step, "score": self.score.total, "asked": list(self.asked),
                "covered": [e.label for e in self.score.covered], "missed": [label for _, label in self.score.missed]}


def asked_ahead(run, text: str, customer_line: str) -> Ahead | None:
    """The next node, when it is an answerable step followed by another step (whose line is the
    customer's answer) and `text` asks one of its questions in words of its own (not words the
    current node's points already use)."""
    node = run.nodes.get(run.node.next or "")
    if node is None or node.end or node.step not in ANSWERABLE_STEPS or node.next not in run.nodes:
        return None
    if run.nodes[node.next].step == node.step:  # still probing: that node's own line is her answer
        return None
    target = node_target(run, node)
    # Only the step's questions: its other points answer a line the customer never got to say.
    points = [kp for kp in target.key_points if meaning.asks(kp)]
    asking = {kp.id for kp in points}
    if not asking:
        return None
    score = _scored(run, text, points, customer_line, target.model_reply)
    here = {norm_phrase(e) for kp in node_target(run, run.node).key_points for e in kp.evidence}
    asked = [e for e in score.covered if e.point_id in asking and e.how not in ("earlier", "conservative")
             and norm_phrase(e.quote) not in here]
    if not asked or score.failed_compliance or score.listed:
        return None
    return Ahead(node.id, node.step, score, tuple(e.label for e in asked))


def node_done(run, text: str, customer_line: str) -> Ahead | None:
    """The current node, when the reply that settled an objection also meets this node's own bar
    (「不耽误您，一句话：我是贵公司代发的客户经理，今天就是认识一下」 answers 没时间 and introduces
    her): she need not hear the step again, so it is credited and the flow moves on."""
    node = run.node
    target = node_target(run, node)
    if not target.key_points or node.next not in run.nodes or run.nodes[node.next].end:
        return None
    score = _scored(run, text, target.key_points, customer_line, target.model_reply)
    if not run._meets_bar(score) or score.listed:
        return None
    return Ahead(node.id, node.step, score, ())


def _scored(run, text: str, points, customer_line: str, model_reply: str | None) -> ReplyScore:
    return score_reply(text, points, run.library, customer_line=customer_line, customer_name=run.customer_name,
                       model_reply=model_reply, persona=run.persona, channel=run.scenario.channel)
