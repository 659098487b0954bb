"""What a reply is scored against: the key points and the model reply of a node or a card."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.core.playbooks.models import STEP_ORDER

#: Steps where products are put on the table.
PRODUCT_STEPS = ("propose", "recommend")
#: A later step's evidence shorter than this (normalized) is too generic (您看) to show a push.
MIN_PUSH_EVIDENCE = 3


@dataclass(frozen=True)
class Target:
    """Key points to cover and the rendered model reply (None when the playbook has none)."""

    key_points: list = field(default_factory=list)
    model_reply: str | None = None
    #: The card the points come from (None = the node's own points).
    card_id: str | None = None


def objection_cards(library, topic: str) -> list:
    """Cards that answer this objection topic: objection cards first, any card with triggers else."""
    cards = [r.card for r in library.cards_of(kind="objection", topic=topic) if r.card.triggers]
    return cards or [r.card for r in library.cards_of(topic=topic) if r.card.triggers]


def pick_response(card, channel: str):
    """The first response for this channel (or for any channel), else the first one."""
    fitting = [r for r in card.responses if r.channel in (channel, "any")]
    return (fitting or list(card.responses) or [None])[0]


def card_target(run, card) -> Target:
    response = pick_response(card, run.scenario.channel)
    model = run.render(response.text) if response else None
    return Target(list(card.key_points), model, card.id)


def objection_target(run, card_id: str) -> Target:
    return card_target(run, run.library.card(card_id).card)


def node_target(run, node) -> Target:
    """The node's own key points and model reply; else its card's; else its step card's."""
    model = run.render(node.model_reply) if node.model_reply else None
    if node.key_points:
        return Target(list(node.key_points), model)
    ref = run.library.cards.get(node.card) if node.card else run.library.step_card(node.step)
    if ref is None:
        return Target([], model)
    found = card_target(run, ref.card)
    return Target(found.key_points, model or found.model_reply, found.card_id)


def recommends(run, text: str) -> bool:
    """The reply recommends a wealth product (a compliance disclosure rule's `when` matches)."""
    from assistant.core.compliance import compiled_rules

    _, disclosures = compiled_rules(run.library)
    return any(p.search(text) for rule in disclosures for p in rule.when)


def product_talk(run, text: str) -> bool:
    """The reply recommends a product (a disclosure rule's `when`) or covers a later product step."""
    from assistant.core.language.coverage import covered

    if recommends(run, text):
        return True
    points = _product_points(run)
    return bool(points) and bool(covered(text, points).covered)


def _product_points(run) -> list:
    """Key points of the product steps after the current node, without words used before them."""
    from assistant.core.language.coverage import norm_phrase

    here = STEP_ORDER.index(run.node.step)
    nodes = [n for n in run.scenario.nodes if not n.end]
    before = {norm_phrase(e) for n in nodes if STEP_ORDER.index(n.step) <= here
              for kp in node_target(run, n).key_points for e in kp.evidence}
    out = []
    for n in nodes:
        if n.step not in PRODUCT_STEPS or STEP_ORDER.index(n.step) <= here:
            continue
        for kp in node_target(run, n).key_points:
            words = [e for e in kp.evidence if norm_phrase(e) not in before and len(norm_phrase(e)) >= MIN_PUSH_EVIDENCE]
            if words:
                out.append(kp.model_copy(update={"evidence": words}))
    return out
