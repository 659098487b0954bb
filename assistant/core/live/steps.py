"""The eight steps of a live session: where it is, how far it got, and the current step's
checklist ticked by my own lines. A mixin of `LiveSession`, which holds the state (`step`,
`furthest`, `reached`, `ticks`) and the `_log` every move is written with."""

from __future__ import annotations

from typing import Any

from assistant.core.language import negation
from assistant.core.live.results import ChecklistItem
from assistant.core.playbooks.models import STEP_ORDER


def _card(ref: Any) -> Any:
    """A library CardRef or a bare Card: the pydantic Card either way."""
    return getattr(ref, "card", ref)


class StepsMixin:
    """Step moves and the key-point checklist (needs `library`, `step`, `furthest`, `reached`, `ticks`,
    `covered`, `_label` and `_log` from the session)."""

    def resolve_step(self, name: str) -> str:
        """A step code from a code, a Chinese label, or a 1–8 number; unknown → ValueError."""
        name = name.strip()
        if name in STEP_ORDER:
            return name
        if name.isdigit() and 1 <= int(name) <= len(STEP_ORDER):
            return STEP_ORDER[int(name) - 1]
        for code in STEP_ORDER:
            if self.step_label(code) == name:
                return code
        partial = [c for c in STEP_ORDER if name and name in self.step_label(c)]
        if len(partial) == 1:
            return partial[0]
        known = "、".join(f"{i}.{self.step_label(c)}" for i, c in enumerate(STEP_ORDER, 1))
        raise ValueError(f"没有「{name}」这个步骤。八步：{known}")

    def step_label(self, code: str) -> str:
        return self._label("step_label", code)

    def set_step(self, name: str) -> str:
        code = self.resolve_step(name)
        self._move(code, reason="手动")
        return code

    def next_step(self) -> str:
        index = STEP_ORDER.index(self.step)
        return self.set_step(STEP_ORDER[min(index + 1, len(STEP_ORDER) - 1)])

    def _advance(self, step: str | None, reason: str = "客户的话") -> None:
        """Move forward only. The rule: a card (matched, or used: its `next_step`) only ever moves
        the conversation forward; only staff move it back (/step, the tracker), so answering an
        objection at ⑥ never sends the tracker back to ⑤ because the card's next step says so."""
        if step in STEP_ORDER and STEP_ORDER.index(step) > STEP_ORDER.index(self.step):
            self._move(step, reason=reason)

    def _move(self, step: str, reason: str) -> None:
        if step == self.step:
            return
        self.step = step
        if STEP_ORDER.index(step) > STEP_ORDER.index(self.furthest):
            self.furthest = step
        if step not in self.reached:
            self.reached.append(step)
        self._log("system", f"步骤：{self.step_label(step)}（{reason}）", type="step")

    def key_points(self, step: str | None = None) -> list:
        ref = _step_card(self.library, step or self.step)
        return list(_card(ref).key_points) if ref is not None else []

    def checklist(self) -> list[ChecklistItem]:
        """The current step's key points, ticked when one of my lines covered them."""
        done = self.ticks.get(self.step, {})
        return [ChecklistItem(kp.id, kp.label, kp.id in done, done.get(kp.id)) for kp in self.key_points()]

    def _tick(self, text: str) -> tuple[str, ...]:
        points = self.key_points()
        if not points:
            return ()
        done = self.ticks.setdefault(self.step, {})
        new = []
        for ev in self.covered(text, points):
            kp_id = _evidence_id(ev)
            if kp_id and kp_id not in done:
                done[kp_id] = _evidence_quote(ev)
                new.append(kp_id)
        return tuple(new)


def covered_unless_negated(text: str, key_points: list) -> Any:
    """Coverage of `key_points` where a key word the line negates or waves away (有什么好商量的,
    风险就不用考虑了) ticks nothing: the same check rehearsal scoring uses."""
    return negation.covered_unless_negated(text, key_points, [])[0]


def _evidence_id(ev: Any) -> str | None:
    for attr in ("key_point_id", "key_point", "id"):
        value = ev.get(attr) if isinstance(ev, dict) else getattr(ev, attr, None)
        if value is not None:
            return getattr(value, "id", value)
    return None


def _evidence_quote(ev: Any) -> str:
    for attr in ("quote", "words", "matched"):
        value = ev.get(attr) if isinstance(ev, dict) else getattr(ev, attr, None)
        if value:
            return value if isinstance(value, str) else "、".join(value)
    return ""


def _step_card(library: Any, step: str) -> Any:
    try:
        return library.step_card(step)
    except (KeyError, AttributeError):
        return None
