"""The eight steps as one line (current one marked), and the current step's checklist."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from assistant.core.live.session import ChecklistItem
from assistant.ui.widgets.quiet import QuietVirtualSize
from assistant.ui.widgets.zhtext import ZhStatic

DIGITS = "①②③④⑤⑥⑦⑧"


class StepTracker(QuietVirtualSize, Static):
    """Draws the step line from (code, label) pairs, the current code and the furthest reached.
    When every label does not fit on one line, only the current step keeps its label."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._state: tuple[list[tuple[str, str]], str, str, str] = ([], "", "", "")

    def show(self, steps: list[tuple[str, str]], current: str, furthest: str, hint: str = "") -> None:
        """`hint` follows the steps (e.g. how many key points of this step are covered). The same
        line again changes nothing: every Enter asks, and a redraw costs a layout pass."""
        state = (steps, current, furthest, hint)
        if state == self._state:
            return
        self._state = state
        self._draw()

    def _draw(self) -> None:
        steps, _, _, hint = self._state
        self.update(self._line(*self._state, full=self._fits(steps, hint)))

    def on_resize(self) -> None:
        if self._state[0]:
            self._draw()

    def _fits(self, steps: list[tuple[str, str]], hint: str) -> bool:
        width = sum(Text(label).cell_len + 2 for _, label in steps) + Text(hint).cell_len + 1
        return width <= max(self.size.width - 2, 0)

    @staticmethod
    def _line(steps: list[tuple[str, str]], current: str, furthest: str, hint: str, full: bool) -> Text:
        line = Text()
        codes = [c for c, _ in steps]
        reached = codes.index(furthest) if furthest in codes else 0
        for i, (code, label) in enumerate(steps):
            style = "bold reverse" if code == current else ("" if i <= reached else "dim")
            line.append(f"{DIGITS[i]}{label if full or code == current else ''}", style=style)
            line.append(" ")
        line.append(f" {hint}", style="dim")
        return line


class Checklist(QuietVirtualSize, ZhStatic):
    """The key points of the current step, ☑ when one of my lines covered them (with the quote)."""

    _state: tuple | None = None

    def show(self, title: str, items: list[ChecklistItem]) -> None:
        """Draw the checklist; the same one again changes nothing (no layout pass on every Enter)."""
        state = (title, tuple(items))
        if state == self._state:
            return
        self._state = state
        text = Text(f"本步要点：{title}\n", style="bold")
        if not items:
            text.append("（这一步没有要点）", style="dim")
        for item in items:
            # no space after the box: Rich would move a long CJK label (one "word") to the next line
            text.append("☑" if item.done else "☐", style="green" if item.done else "")
            text.append(item.label)
            if item.quote:
                text.append(f"「{item.quote}」", style="dim")
            text.append("\n")
        self.update(text)
