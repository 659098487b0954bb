"""The eight steps as one line (current one marked), and the current step's checklist."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from assistant.core.live import ChecklistItem

DIGITS = "①②③④⑤⑥⑦⑧"


class StepTracker(Static):
    """Draws the step line from (code, label) pairs, the current code and the furthest reached."""

    def show(self, steps: list[tuple[str, str]], current: str, furthest: str) -> None:
        line = Text()
        codes = [c for c, _ in steps]
        reached = codes.index(furthest) if furthest in codes else 0
        for i, (code, label) in enumerate(steps):
            style = "bold reverse" if code == current else ("" if i <= reached else "dim")
            line.append(f"{DIGITS[i]}{label}", style=style)
            line.append(" ")
        self.update(line)


class Checklist(Static):
    """The key points of the current step, ☑ when one of my lines covered them (with the quote)."""

    def show(self, title: str, items: list[ChecklistItem]) -> None:
        text = Text(f"本步要点：{title}\n", style="bold")
        if not items:
            text.append("（这一步没有要点）", style="dim")
        for item in items:
            text.append("☑ " if item.done else "☐ ", style="green" if item.done else "")
            text.append(item.label)
            if item.quote:
                text.append(f"「{item.quote}」", style="dim")
            text.append("\n")
        self.update(text)
