"""How a card becomes this customer's reply: which response fits the segment and step, the
variables from the customer record, and whether 「接着问」 would only repeat the reply."""

from __future__ import annotations

import re
from typing import Any

from assistant.core.language.textnorm import normalize


def pick_response(card: Any, segment: str | None, step: str | None, audience: str = "customer") -> Any:
    """The first response for `audience` meant for this segment and step, else its first general
    one. Asked for the customer, a card that only has staff tips answers with its first tip."""
    all_responses = list(card.responses)
    responses = [r for r in all_responses if getattr(r, "audience", "customer") == audience]
    for r in responses:
        if (not r.segments or segment in r.segments) and (not r.steps or step in r.steps):
            return r
    if responses:
        return responses[0]
    return all_responses[0] if all_responses and audience == "customer" else None


def repeats_last_question(reply: str, follow_up: str | None) -> bool:
    """True when the reply already ends by asking (nearly) what `follow_up` asks: 「接着问」 would
    only repeat it."""
    if not follow_up:
        return False
    questions = [q for q in re.split(r"(?<=[？?])", reply) if q.strip().endswith(("？", "?"))]
    if not questions:
        return False
    last = normalize(re.split(r"[。！!；;，,]", questions[-1])[-1])
    asked = normalize(follow_up)
    if not last or not asked:
        return False
    from rapidfuzz import fuzz

    same_ending = len(last) >= 3 and len(asked) >= 3 and last[-3:] == asked[-3:]
    return last in asked or asked in last or same_ending or fuzz.ratio(last, asked) >= 60


def customer_variables(customer: dict | None, specs: dict) -> dict[str, Any]:
    """Template variables filled from the customer record (each VariableSpec.customer_field)."""
    from assistant.core.playbooks.render import variables_for_customer

    return dict(variables_for_customer(customer, specs) or {})
