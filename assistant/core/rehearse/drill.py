"""Drill: a Leitner queue per staff member of the cards and steps they fumbled.

Items come from rehearsal scorecards (weak cards/steps) and from live suggestions edited heavily.
A poor result sends an item back to box 1 (due tomorrow), a pass moves it up a box; box n is due
again after INTERVALS[n] days. Scheduling is pure (`record_result` returns the new item); the
store (`History.list_drill/upsert_drill`) is passed in, so the rules are tested with a fake.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

#: Whose queue the drill items go to when nobody has picked a staff identity yet.
ANON_STAFF = "local"
#: Leitner box → days until it is due again.
INTERVALS = {1: 1, 2: 2, 3: 4, 4: 8, 5: 16}
TOP_BOX = max(INTERVALS)


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def item_id(staff_id: str, card_id: str | None = None, scenario_id: str | None = None,
            node_id: str | None = None, step: str | None = None) -> str:
    """A stable id: one item per staff member and card (or scenario node, or step)."""
    what = f"card:{card_id}" if card_id else f"node:{scenario_id}:{node_id}" if node_id else f"step:{step}"
    return f"drill:{staff_id}:{what}"


def new_item(staff_id: str, today, *, card_id=None, step=None, scenario_id=None, node_id=None,
             label: str = "", source: str = "rehearse", persona_id=None, said=None) -> dict:
    """A fresh item in box 1, due today (practise it while it is fresh); `persona_id` and `said`:
    who the fumble was with and the customer's line it answered (the exercise replays them)."""
    return {
        "id": item_id(staff_id, card_id, scenario_id, node_id, step), "staff_id": staff_id,
        "card_id": card_id, "step": step, "scenario_id": scenario_id, "node_id": node_id,
        "label": label, "source": source, "box": 1, "due": _day(today).isoformat(), "streak": 0, "history": [],
        "persona_id": persona_id, "said": said,
    }


def record_result(item: dict, score: int, today, pass_mark: int = 80) -> dict:
    """The item rescheduled after a drill answer scored `score` on `today` (a new dict)."""
    today = _day(today)
    passed = score >= pass_mark
    box = min(item.get("box", 1) + 1, TOP_BOX) if passed else 1
    return {
        **item, "box": box, "due": (today + dt.timedelta(days=INTERVALS[box])).isoformat(),
        "streak": item.get("streak", 0) + 1 if passed else 0,
        "history": [*item.get("history", []), {"date": today.isoformat(), "score": score}],
    }


def requeue(existing: dict | None, fresh: dict) -> dict:
    """A fumble seen again (rehearsal or live edit): back to box 1, due no later than now."""
    if existing is None:
        return fresh
    due = min(existing.get("due") or fresh["due"], fresh["due"])
    latest = {k: fresh[k] for k in ("scenario_id", "persona_id", "said") if fresh.get(k)}  # the newest fumble
    return {**existing, **latest, "box": 1, "streak": 0, "due": due, "label": fresh["label"] or existing.get("label", "")}


# ------------------------------------------------------------------ with a store


def enqueue(store, item: dict) -> dict:
    """Add `item` to the staff member's queue (or send the existing one back to box 1)."""
    existing = next((d for d in store.list_drill(item["staff_id"]) if d.get("id") == item["id"]), None)
    return store.upsert_drill(**requeue(existing, item))


def enqueue_from_scorecard(store, staff_id: str, scorecard, today, pass_mark: int = 80) -> list[dict]:
    """Every weak card/step of a rehearsal scorecard (below the pass mark) into the queue."""
    out = []
    for p in scorecard.practise:
        if p.score >= pass_mark:
            continue
        item = new_item(staff_id, today, card_id=p.card_id, step=p.step, scenario_id=p.scenario_id,
                        node_id=None if p.card_id else p.node_id, label=p.label,
                        persona_id=getattr(p, "persona_id", None), said=getattr(p, "said", None))
        out.append(enqueue(store, item))
    return out


def enqueue_edited_suggestion(store, staff_id: str, card_id: str, today, label: str = "") -> dict:
    """A live suggestion the staff member rewrote heavily: practise that card."""
    return enqueue(store, new_item(staff_id, today, card_id=card_id, label=label, source="live"))


def due_items(store, staff_id: str, today) -> list[dict]:
    """Items due on or before `today`, most overdue first, then lowest box."""
    tomorrow = (_day(today) + dt.timedelta(days=1)).isoformat()
    items = store.list_drill(staff_id, due_before=tomorrow)
    return sorted(items, key=lambda d: (d.get("due") or "", d.get("box", 1), d.get("id", "")))


def save_result(store, item: dict, score: int, today, pass_mark: int = 80) -> dict:
    """Reschedule `item` by its result and store it."""
    return store.upsert_drill(**record_result(item, score, today, pass_mark))


# ------------------------------------------------------------------ one-turn exercises


@dataclass(frozen=True)
class Exercise:
    """One customer line to answer, the key points to hit, and a model reply."""

    item_id: str
    title: str
    customer: str
    key_points: list = field(default_factory=list)
    model_reply: str | None = None
    card_id: str | None = None
    step: str | None = None
    customer_name: str | None = None
    #: Who is speaking (the scenario persona the line and name come from) and on which channel:
    #: scored as in a rehearsal with her (keeping a cautious elder's money in deposits answers the
    #: risk points; a fund offered to her is capped), not as a reply to nobody.
    persona: object = None
    channel: str | None = None
    #: The numbers the model reply is worked out from (金额 30万元 · 年化收益率 1.75%…), shown with
    #: the exercise: a figure in the reference has its basis on screen, not only in the persona.
    figures: str = ""


def make_exercise(item: dict, library, seed: int = 0) -> Exercise:
    """The exercise for a drill item: a card's trigger, or a scenario node's customer line."""
    from assistant.core.playbooks.render import Renderer

    rng = random.Random(f"{seed}|{item['id']}|{len(item.get('history', []))}")
    renderer = Renderer(library)
    if item.get("node_id") and item.get("scenario_id") in library.scenarios:
        return _node_exercise(item, library, renderer, rng)
    ref = library.cards.get(item.get("card_id") or "") or (library.step_card(item["step"]) if item.get("step") else None)
    if ref is None:
        from assistant.core.errors import UnknownIdError

        raise UnknownIdError(f"练习项 {item['id']} 对应的卡片已不在话术库里；可以从练习队列里删掉它。")
    return _card_exercise(item, ref.card, library, renderer, rng)


def _card_exercise(item, card, library, renderer, rng) -> Exercise:
    from assistant.core.rehearse.targets import pick_response

    variables, name, persona, channel = _card_variables(item, library, rng)
    # The customer speaks the card's customer_lines (natural voice), never the matcher's triggers.
    spoken = [x.text for x in card.customer_lines if x.mood == "ask"]
    line = rng.choice(spoken) if spoken else (card.goal or card.title)
    response = pick_response(card, "any")
    model = _said(renderer, response.text, variables) if response else None
    said = _fumbled_line(item, persona) or _said(renderer, line, variables)
    return Exercise(item["id"], card.title, said, list(card.key_points),
                    model, card.id, card.step or item.get("step"), name, persona, channel,
                    figures_used(library, response.text if response else "", variables))


#: Variable types that are figures (a money amount, a rate, a number of days).
FIGURE_TYPES = ("money", "percent", "int")


def figures_used(library, template: str, variables: dict) -> str:
    """The figure variables `template` uses, in order, with their labels and values as a reply says
    them (金额 30万元 · 年化收益率 1.75%); empty when it uses none."""
    import re

    from assistant.core.playbooks.render import pct, wan

    shown = []
    for name in dict.fromkeys(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", template)):  # first use first
        spec = library.variables.get(name)
        if spec is None or spec.type not in FIGURE_TYPES or variables.get(name) in (None, ""):
            continue
        value = variables[name]
        said = wan(value) if spec.type == "money" else pct(value) if spec.type == "percent" else str(value)
        shown.append(f"{spec.label} {said}")
    return " · ".join(shown)


def _said(renderer, template: str, variables: dict) -> str:
    """A line as said in the drill: the neutral staff identity without a doubled role word
    (理财经理客户经理), and to 您 when there is no customer's name to say."""
    from assistant.core.address import neutral_address
    from assistant.core.rehearse.casting import NEUTRAL_IDENTITY, ROLE_TWICE

    text = renderer.render(template, variables).text
    if variables.get("staff_name") == NEUTRAL_IDENTITY["staff_name"]:
        text = ROLE_TWICE.sub(r"\1", text)
    return text if variables.get("name") else neutral_address(text)


def _card_variables(item, library, rng) -> tuple[dict, str | None, object, str | None]:
    """(variables, name, persona, channel): a persona of the scenario the item came from (its name
    is checked), else the examples without a customer's name (the reply says 您, not the example
    王姐) nor a staff member's (the neutral identity, not the example 小李)."""
    from assistant.core.config import template_defaults
    from assistant.core.rehearse.casting import NEUTRAL_IDENTITY, scenario_variables

    scenario = library.scenarios.get(item.get("scenario_id") or "")
    if scenario is None:
        variables = {k: spec.example for k, spec in library.variables.items() if k not in NEUTRAL_IDENTITY}
        variables.pop("name", None)
        return {**variables, **NEUTRAL_IDENTITY, **template_defaults()}, None, None, None
    persona = _fumbled_persona(scenario, item) or rng.choice(scenario.personas)
    variables = scenario_variables(library, scenario, persona)
    return variables, _name(variables), persona, scenario.channel


def _fumbled_persona(scenario, item: dict):
    """The persona the fumble was with (None for an item from before they were kept, or a real
    customer's rehearsal: then one is picked)."""
    return next((p for p in scenario.personas if p.id == item.get("persona_id")), None)


def _fumbled_line(item: dict, persona) -> str | None:
    """The customer's line the fumble answered, on the first practice with her: the situation it
    came from (later practices vary the line)."""
    if persona is None or item.get("history") or persona.id != item.get("persona_id"):
        return None
    return item.get("said") or None


def _node_exercise(item, library, renderer, rng) -> Exercise:
    from assistant.core.rehearse.sim import Rehearsal
    from assistant.core.rehearse.targets import node_target

    scenario = library.scenarios[item["scenario_id"]]
    persona = _fumbled_persona(scenario, item) or rng.choice(scenario.personas)
    run = Rehearsal(library, scenario.id, persona.id, seed=rng.randrange(1000))
    node = run.nodes.get(item["node_id"]) or run.node
    target = node_target(run, node)
    line = _fumbled_line(item, persona) or run.render(rng.choice(node.customer))
    return Exercise(item["id"], f"{scenario.title} · {library.step_label(node.step)}", line, target.key_points,
                    target.model_reply, target.card_id, node.step, run.customer_name, persona, scenario.channel,
                    figures_used(library, _reference_template(library, node), run.variables))


def _reference_template(library, node) -> str:
    """The template a node's model reply is rendered from (its own, else its card's first reply)."""
    if node.model_reply:
        return node.model_reply
    ref = library.cards.get(node.card) if node.card else library.step_card(node.step)
    return " ".join(r.text for r in ref.card.responses) if ref else ""


def _name(variables: dict) -> str | None:
    return str(variables["name"]) if variables.get("name") else None


def score_exercise(exercise: Exercise, text: str, library):
    """Score a drill answer like a rehearsal reply (ReplyScore)."""
    from assistant.core.rehearse.scoring import score_reply

    return score_reply(text, exercise.key_points, library, customer_line=exercise.customer,
                       customer_name=exercise.customer_name, model_reply=exercise.model_reply,
                       persona=exercise.persona, channel=exercise.channel)


# ------------------------------------------------------------------ feeding the queue from live


#: A used suggestion whose sent text keeps less than this similarity (0–100) was rewritten heavily.
HEAVY_EDIT_BELOW = 60


def heavily_edited(suggested: str, sent: str) -> bool:
    """True when the staff member rewrote most of a suggestion before sending it."""
    from rapidfuzz import fuzz

    from assistant.core.language.coverage import norm_phrase

    return fuzz.ratio(norm_phrase(suggested), norm_phrase(sent)) < HEAVY_EDIT_BELOW


# ------------------------------------------------------------------ "surprise me"


def surprise(library, items: list[dict], seed: int = 0) -> tuple[str, str] | None:
    """(scenario id, persona id) that trains the weakest drill item; a random pick without items."""
    rng = random.Random(f"surprise|{seed}")
    for item in sorted(items, key=lambda d: (d.get("box", 1), d.get("due") or "")):
        found = _scenario_for(library, item, rng)
        if found:
            return found
    scenarios = list(library.scenarios.values())
    if not scenarios:
        return None
    scenario = rng.choice(scenarios)
    return scenario.id, rng.choice(scenario.personas).id


def _scenario_for(library, item: dict, rng) -> tuple[str, str] | None:
    """The item's own scenario, or one that uses its card or can raise its objection topic."""
    scenario = library.scenarios.get(item.get("scenario_id") or "")
    card_ref = library.cards.get(item.get("card_id") or "")
    topic = card_ref.card.topic if card_ref else None
    candidates = [scenario] if scenario else [
        s for s in library.scenarios.values()
        if any(n.card == item.get("card_id") or (topic and topic in n.objections) for n in s.nodes)]
    if not candidates:
        return None
    chosen = rng.choice(candidates)
    fitting = [p for p in chosen.personas if topic and topic in p.objections] or list(chosen.personas)
    return chosen.id, rng.choice(fitting).id
