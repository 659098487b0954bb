"""A real question about the customer's situation is answered, even when the reply around it was weak.

Found playing 防他行策反: staff asked 「三年内会不会要用？」 and got the canned 「具体的我也没问清楚」,
as if the question had not been heard. A person answers a question about herself. The answer is
the data's: at a probe step, the next node's line is the customer telling her situation (the
scenarios' design, as ahead.py reads it). The reply still did not do this step's job, so the call
stays here; answering costs no patience. Kept out of reactions.py: the rule needs the run's nodes
and seeded line picking, not only what was heard.
"""

from __future__ import annotations

from assistant.core.language.phrasing import is_question
from assistant.core.rehearse.ahead import ANSWERABLE_STEPS
from assistant.core.rehearse.meaning import asks
from assistant.core.rehearse.reactions import NEEDS_WORDS, Heard, Reaction, clauses, time_offered
from assistant.core.rehearse.targets import node_target
from assistant.core.rehearse.voice import plain

RULE = "answers"
#: Reactions after which she does not answer: she asks, refuses, hangs up or says goodbye instead.
OVERRIDDEN_BY = ("blocks", "ends", "asks", "closes", "agrees")


def situation_question(text: str) -> str | None:
    """The reply's last real question about the customer's plans or situation (its clause), or None."""
    asked = [c for c in clauses(text) if is_question(c) and NEEDS_WORDS.search(c)]
    return asked[-1] if asked else None


def answer(run, h: Heard, found: list[Reaction]) -> Reaction | None:
    """Her answer to the reply's question about her situation, when the reply did not pass this
    step (a passing reply moves on to the node where she answers anyway) and no stronger reaction
    decides the turn; None when the data has no unsaid answer for this persona."""
    node = run.node
    nxt = run.nodes.get(node.next or "")
    if h.ok or run.state.pending or node.step not in ANSWERABLE_STEPS or nxt is None or nxt.end:
        return None
    if any(r.effect in OVERRIDDEN_BY for r in found):
        return None
    quote = situation_question(h.reply)
    if quote is None or time_offered(h.reply) or not _asked_here(run):
        return None
    line = run._voice([plain(nxt.customer)], "ask", "answer")
    if line is None:
        return None
    return Reaction(RULE, f"你问了客户自己的情况（「{quote}」）：客户先回答了你；这一步的其他要点还没讲到。",
                    RULE, line, 0, quote)


def _asked_here(run) -> bool:
    """The reply covered one of this node's questions (the one the next node's line answers): a
    question offering a time (周四晚上七点，方便吗？) or about something else is not hers to answer."""
    covered = {e.point_id for e in run.transcript[-1].score.covered}
    return any(asks(kp) and kp.id in covered for kp in node_target(run, run.node).key_points)


def told_already(run, node) -> str | None:
    """Leaving `node` for the next one after she already answered there with its line: she does not
    tell her situation a second, different way (说不准…万一要用呢, then 三年应该用不上吧); she takes
    in what the reply said, in the node's own won-back words (哦，原来还有这些讲究)."""
    if not any(r["rule"] == RULE for t in run.transcript if t.customer.node_id == node.id for r in t.reactions):
        return None
    return run._voice([node.customer_lines], "won_back", "answered")
