"""Realistic chat lines for the demo and the benchmark: card triggers as customer lines, rendered
responses as staff lines, scenario lines for rehearsals (a fixed Chinese set without a library).
Rendered text is cached per card, response and customer, so a million events stay fast.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from assistant.core.history.demo_data import FALLBACK_LINES
from assistant.core.playbooks.models import STEP_ORDER


@dataclass(frozen=True)
class Topic:
    """A matchable card: what customers say, and the replies staff may send."""

    card_id: str
    topic: str
    triggers: tuple[str, ...]
    replies: tuple[str, ...]


#: The demo branch's name (`coach demo` also stores it as the branch_name setting).
DEMO_BRANCH = "幸福里支行"


class Lines:
    def __init__(self, library: Any = None, staff_name: str = "李娜"):
        self.library = library
        self.staff_name = staff_name
        self._cache: dict[tuple, str] = {}
        self.topics = self._topics()
        self.step_cards = {s: self._step_card(s) for s in STEP_ORDER}
        self.scenarios = list(getattr(library, "scenarios", {}).values()) if library else []

    def _topics(self) -> list[Topic]:
        found = []
        if self.library is not None:
            for ref in self.library.cards.values():
                card = ref.card
                if ref.kind == "objection" and card.triggers and card.responses:
                    found.append(Topic(card.id, card.topic or "", tuple(card.triggers), tuple(r.text for r in card.responses)))
        if found:
            return found
        return [Topic(f"demo-{topic.replace('_', '-')}-{i}", topic, (line,), (reply,))
                for i, (topic, line, reply) in enumerate(FALLBACK_LINES)]

    def _step_card(self, step: str) -> tuple[str, tuple[str, ...]] | None:
        try:
            ref = self.library.step_card(step) if self.library is not None else None
        except Exception:  # a partial library: fall back to plain lines
            ref = None
        return (ref.card.id, tuple(r.text for r in ref.card.responses)) if ref and ref.card.responses else None

    def render(self, template: str, customer: dict | None, extra: dict | None = None, staff_name: str | None = None) -> str:
        """The template as `staff_name` (default: this Lines' staff) says it to `customer`."""
        staff_name = staff_name or self.staff_name
        key = (template, (customer or {}).get("id"), staff_name, tuple(sorted((extra or {}).items())))
        if key not in self._cache:
            self._cache[key] = self._render(template, customer, extra or {}, staff_name)
        return self._cache[key]

    def _render(self, template: str, customer: dict | None, extra: dict, staff_name: str) -> str:
        if "{" not in template or self.library is None:
            return template
        from assistant.core.playbooks.render import Renderer, variables_for_customer

        renderer = self.__dict__.get("_renderer")
        if renderer is None:
            renderer = self.__dict__["_renderer"] = Renderer(self.library, defaults=self._filled())
        variables = {"staff_name": staff_name, "branch": DEMO_BRANCH, **variables_for_customer(customer, self.library), **extra}
        return renderer.render(template, variables).text

    def _filled(self) -> dict:
        """What the demo's staff filled in before speaking: each variable's example (the product on
        offer, its risk level, its benchmark basis...), so demo transcripts never show 【推荐产品】;
        the customer's own fields and the session's staff still win over these."""
        specs = getattr(self.library, "variables", None) or {}
        return {key: spec.example for key, spec in specs.items() if getattr(spec, "example", None) not in (None, "")}

    def step_label(self, step: str) -> str:
        try:
            return self.library.step_label(step) if self.library is not None else step
        except Exception:  # a partial library
            return step

    def objection(self, rng: random.Random, customer: dict | None,
                  staff_name: str | None = None) -> tuple[Topic, str, str]:
        """(topic, what the customer said, the reply the coach suggested to `staff_name`)."""
        topic = rng.choice(self.topics)
        return topic, rng.choice(topic.triggers), self.render(rng.choice(topic.replies), customer, staff_name=staff_name)

    def step_line(self, rng: random.Random, step: str, customer: dict | None,
                  staff_name: str | None = None) -> tuple[str | None, str]:
        card = self.step_cards.get(step)
        if card is None:
            return None, "您好，最近怎么样？有什么需要我帮忙的随时说。"
        return card[0], self.render(rng.choice(card[1]), customer, staff_name=staff_name)

    def scenario_turns(self, rng: random.Random,
                       staff_name: str | None = None) -> tuple[str | None, Any, list[tuple[str, str, str]], str | None]:
        """(scenario id, persona, [(step, customer line, model reply)], the outcome its last node ends
        with) along the scenario's main path."""
        if not self.scenarios:
            return None, None, [(s, line, reply) for s, (_, line, reply) in zip(STEP_ORDER, FALLBACK_LINES)], None
        scenario = rng.choice(self.scenarios)
        persona = rng.choice(scenario.personas)
        extra = {**{k: str(v) for k, v in persona.variables.items()}, "temperament": persona.temperament}
        nodes = {n.id: n for n in scenario.nodes}
        turns, node, seen, end = [], nodes.get(scenario.start), set(), None
        while node is not None and node.id not in seen:
            seen.add(node.id)
            line = self.render(rng.choice(node.customer), None, extra, staff_name)
            reply = self.render(node.model_reply, None, extra, staff_name) if node.model_reply else ""
            turns.append((node.step, line, reply))
            end = node.end
            node = nodes.get(node.next) if node.next else None
        return scenario.id, persona, turns, end
