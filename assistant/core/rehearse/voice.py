"""What the simulated customer may say now: `customer_lines` filtered by persona and conversation.

A line fits when every trait it names matches the persona (temperament, segment, age band,
channel, first-timer or holder), everything it needs has happened (a product named, a number
cited, needs asked) and the reply it answers said what it presupposes (`heard`: a key point the
reply covered). Triggers are never spoken: they hold typos and pinyin for the matcher.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.core.playbooks.models import CustomerLine

#: Persona temperaments that speak like an older customer when no age is given.
SENIOR_TEMPERAMENTS = ("cautious_elderly",)
SENIOR_SEGMENTS = ("senior",)


@dataclass(frozen=True)
class Traits:
    """The persona as the line filter reads it."""

    temperament: str
    segment: str
    age: str
    channel: str
    holder: str | None = None


def traits_of(persona, channel: str) -> Traits:
    """A persona's traits; its age band is derived when the playbook gives none."""
    age = persona.age
    if age is None:
        senior = persona.segment in SENIOR_SEGMENTS or persona.temperament in SENIOR_TEMPERAMENTS
        age = "senior" if senior else "middle"
    return Traits(persona.temperament, persona.segment, age, channel, persona.holder)


@dataclass
class Facts:
    """What has happened so far in the conversation (only ever becomes true)."""

    product_named: bool = False
    number_cited: bool = False
    needs_asked: bool = False
    #: Lines already said (rendered), so none is said twice.
    said: set[str] = field(default_factory=set)
    #: Key point ids the last staff reply covered (what a `heard` line may answer).
    heard: frozenset[str] = frozenset()

    def has(self, name: str) -> bool:
        return bool(getattr(self, name, False))

    def to_dict(self) -> dict:
        return {"product_named": self.product_named, "number_cited": self.number_cited,
                "needs_asked": self.needs_asked}


def fits(line: CustomerLine, traits: Traits, facts: Facts) -> bool:
    """Whether this persona would say `line` at this point of the conversation."""
    if line.temperaments and traits.temperament not in line.temperaments:
        return False
    if line.segments and traits.segment not in line.segments:
        return False
    if line.ages and traits.age not in line.ages:
        return False
    if line.channel != "any" and traits.channel not in (line.channel, "any"):
        return False
    if line.holder != "any" and traits.holder not in (None, line.holder):
        return False
    if line.heard and not facts.heard.intersection(line.heard):
        return False
    return all(facts.has(need) for need in line.after)


def fitting(lines, mood: str, traits: Traits, facts: Facts) -> list[CustomerLine]:
    """Lines of this mood the persona would say now, most specific first (more traits named)."""
    out = [x for x in lines if x.mood == mood and fits(x, traits, facts)]
    return sorted(out, key=_specificity, reverse=True)


def _specificity(line: CustomerLine) -> int:
    named = (line.temperaments, line.segments, line.ages, line.after, line.heard)
    return sum(1 for x in named if x) + (line.channel != "any") + (line.holder != "any")


def plain(texts, mood: str = "ask") -> list[CustomerLine]:
    """Untagged lines (a node's `customer` or `poor`, a scenario's `hangup`) for any persona."""
    return [CustomerLine(text=t, mood=mood) for t in texts]
