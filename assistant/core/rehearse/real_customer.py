"""Rehearse the call you are about to make: a persona built from a real customer's profile.

The persona takes the customer's name, segment, age band (from the birthday), products (amount,
rate, maturity), how they like to be reached, and the objections they raised in past sessions
(history topics); whatever the profile does not say comes from the scenario persona closest to
them (same segment, else same temperament). So 王阿姨 (67, 20万 三年期定期 due 12月12日)
rehearses as herself, not as the scenario's 蒋阿姨.
"""

from __future__ import annotations

import datetime as dt
import re

from assistant.core.playbooks.models import Persona

#: The persona id of a real customer's persona (ids are kebab-case ASCII; the name is in the title).
PERSONA_ID = "real-customer"
#: Profile tags that say how a customer talks, first match wins.
TAG_TEMPERAMENTS = (
    (re.compile(r"忙|上班|没空|出差|老板"), "busy"),
    (re.compile(r"比价|利率|收益|精明|算账|货比"), "price_driven"),
    (re.compile(r"多疑|防骗|警惕|不信"), "sceptical"),
    (re.compile(r"谨慎|保守|稳健|怕亏|养老"), "cautious_elderly"),
    (re.compile(r"爱聊|健谈|热心|广场舞|社交"), "chatty"),
    (re.compile(r"热情|爽快|好说话"), "warm"),
)
SENIOR_FROM = 60
YOUNG_UNTIL = 35


def age_of(customer: dict, today: dt.date) -> int | None:
    """Age in whole years from the birthday, or None."""
    try:
        born = dt.date.fromisoformat(str(customer.get("birthday") or "")[:10])
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def age_band(customer: dict, today: dt.date) -> str | None:
    age = age_of(customer, today)
    if age is None:
        return "senior" if customer.get("segment") == "senior" else None
    return "senior" if age >= SENIOR_FROM else "young" if age < YOUNG_UNTIL else "middle"


def temperament_of(customer: dict, band: str | None, base: Persona) -> str:
    """From the profile's tags and notes, else elderly → cautious, else the base persona's."""
    words = " ".join([*customer.get("tags", []), customer.get("notes") or ""])
    for pattern, temperament in TAG_TEMPERAMENTS:
        if pattern.search(words):
            return temperament
    return "cautious_elderly" if band == "senior" else base.temperament


def past_objections(history, customer_id: str, known: set[str]) -> list[str]:
    """Objection topics raised in this customer's past sessions, most recent first."""
    if history is None:
        return []
    seen: list[str] = []
    for session in reversed(list(history.iter_sessions())):
        if session.get("customer_id") == customer_id:
            seen += [t for t in session.get("topics") or [] if t in known and t not in seen]
    return seen


def closest_persona(scenario, customer: dict, band: str | None) -> Persona:
    """The scenario persona most like the customer: same segment, else elderly with elderly, else first."""
    same = [p for p in scenario.personas if p.segment == customer.get("segment")]
    if same:
        return same[0]
    if band == "senior":
        older = [p for p in scenario.personas if p.temperament == "cautious_elderly" or p.segment == "senior"]
        if older:
            return older[0]
    return scenario.personas[0]


def customer_persona(library, scenario, customer: dict, history=None, today: dt.date | None = None) -> tuple[Persona, dict]:
    """(persona, template variables) for rehearsing `scenario` with this real customer."""
    from assistant.core.playbooks.render import variables_for_customer

    today = today or dt.date.today()
    band = age_band(customer, today)
    base = closest_persona(scenario, customer, band)
    topics = set(library.taxonomy.topics) if library.taxonomy else set()
    objections = list(dict.fromkeys([*past_objections(history, customer.get("id", ""), topics), *base.objections]))
    variables = {**base.variables, **_known(variables_for_customer(customer, library))}
    persona = Persona(
        id=PERSONA_ID, title=f"{customer.get('name') or '客户'}（真实客户）", segment=customer.get("segment") or base.segment,
        asset_tier=customer.get("asset_tier") or base.asset_tier, temperament=temperament_of(customer, band, base),
        difficulty=base.difficulty, objections=objections, patience=base.patience,
        variables={k: v for k, v in variables.items() if isinstance(v, (str, int, float))},
        description=describe(library, customer, band, today, objections), age=band,
        holder="holder" if customer.get("products") else "first",
    )
    return persona, persona.variables


def _known(values: dict) -> dict:
    return {k: v for k, v in values.items() if v not in (None, "", [])}


def describe(library, customer: dict, band: str | None, today: dt.date, objections: list[str]) -> str:
    """One line staff read before the call: who, what they hold and when it matures, what they raised."""
    parts = [customer.get("name") or "客户"]
    age = age_of(customer, today)
    if age is not None:
        parts.append(f"{age}岁")
    if customer.get("segment"):
        parts.append(library.segment_label(customer["segment"]))
    for p in (customer.get("products") or [])[:2]:
        held = p.get("name", "产品")
        if p.get("amount"):
            held += f" {_wan(p['amount'])}"
        if p.get("maturity"):
            m = str(p["maturity"])[:10]
            held += f"，{int(m[5:7])}月{int(m[8:10])}日到期" if len(m) == 10 else ""
        parts.append(held)
    if objections:
        parts.append("以前提过：" + "、".join(library.topic_label(t) for t in objections[:3]))
    return "；".join(parts)


def _wan(amount) -> str:
    try:
        value = float(amount) / 10000
    except (TypeError, ValueError):
        return str(amount)
    return f"{value:g}万"


def scenario_for(library, customer: dict, today: dt.date) -> str | None:
    """Which scenario fits the call to make: a maturity within 30 days → the maturity call, a
    birthday within 7 days → birthday care, else the first call to an inherited customer."""
    def soon(day: str | None, within: int) -> bool:
        try:
            d = dt.date.fromisoformat(str(day or "")[:10])
        except ValueError:
            return False
        return 0 <= (d - today).days <= within

    if any(soon(p.get("maturity"), 30) for p in customer.get("products") or ()):
        wanted = "scenario-maturity-call"
    else:
        bday = str(customer.get("birthday") or "")[5:10]
        wanted = "scenario-birthday-care" if bday and soon(f"{today.year}-{bday}", 7) else "scenario-adopt-call"
    return wanted if wanted in library.scenarios else next(iter(library.scenarios), None)
