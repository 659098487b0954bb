"""A suggestion: the card's title, topic and score, the customer's words it matched
(highlighted), the reply rendered for this customer, and what to ask next."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from assistant.core.live import Suggestion


def highlight(text: str, spans: tuple[tuple[int, int], ...]) -> Text:
    """The customer's line with the matched spans marked."""
    out = Text(text)
    for start, end in spans:
        if 0 <= start < end <= len(text):
            out.stylize("bold reverse", start, end)
    return out


class SuggestionCard(Static):
    """Suggestion number `index` (1-based). Clicking it posts `Chosen`; the screen copies and logs."""

    class Chosen(Message):
        """The user clicked this suggestion."""

        def __init__(self, card: "SuggestionCard") -> None:
            super().__init__()
            self.card = card

        @property
        def control(self) -> "SuggestionCard":
            return self.card

    def __init__(self, index: int, suggestion: Suggestion, query: str = "") -> None:
        super().__init__(self._content(index, suggestion, query), classes="suggestion")
        self.index = index
        self.suggestion = suggestion

    @staticmethod
    def _content(index: int, s: Suggestion, query: str) -> Text:
        head = Text.assemble((f" {index} ", "bold reverse"), " ", (s.title, "bold"))
        if s.topic_label:
            head.append(f" · {s.topic_label}", style="dim")
        if s.score:
            head.append(f" · {s.score:.0f}分", style="dim")
        if s.matched:
            head.append("  命中：", style="dim")
            head.append("、".join(s.matched[:4]), style="bold")
        body = Text.assemble(head, "\n", s.reply)
        if s.follow_up:
            body.append(f"\n→ 接着问：{s.follow_up}", style="italic")
        return body

    def on_click(self) -> None:
        self.post_message(self.Chosen(self))
