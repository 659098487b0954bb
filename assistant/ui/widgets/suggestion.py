"""A suggestion: the card's title, topic and score, the customer's words it matched
(highlighted), the reply rendered for this customer, and what to ask next."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message

from assistant.core.live.session import Suggestion, Suggestions
from assistant.ui.widgets.quiet import QuietScrolling, QuietVirtualSize
from assistant.ui.widgets.zhtext import ZhStatic


def highlight(text: str, spans: tuple[tuple[int, int], ...]) -> Text:
    """The customer's line with the matched spans marked."""
    out = Text(text)
    for start, end in spans:
        if 0 <= start < end <= len(text):
            out.stylize("bold reverse", start, end)
    return out


class SuggestionCard(QuietVirtualSize, ZhStatic):
    """Suggestion number `index` (1-based). Clicking it posts `Chosen`; the screen copies and logs."""

    class Chosen(Message):
        """The user clicked this suggestion."""

        def __init__(self, card: "SuggestionCard") -> None:
            super().__init__()
            self.card = card

        @property
        def control(self) -> "SuggestionCard":
            return self.card

    def __init__(self, index: int) -> None:
        super().__init__(classes="suggestion" if index == 1 else "suggestion -rest")
        self.index = index
        self.suggestion: Suggestion | None = None

    def set(self, suggestion: Suggestion | None) -> None:
        """Show this suggestion (None hides the card); updated in place, nothing is remounted."""
        self.suggestion = suggestion
        self.display = suggestion is not None
        self.set_class(False, "-selected")
        if suggestion is not None:
            self.set_class(not suggestion.for_customer, "-tip")
            self.set_class(suggestion.tier == "maybe", "-maybe")
            narrow = self.screen.has_class("-narrow")
            self.update(self._content(self.index, suggestion, "", self.app.size.width - 8 if narrow else None))

    @staticmethod
    def _content(index: int, s: Suggestion, query: str, tip_width: int | None = None) -> Text:
        """`tip_width`: the staff tip on one line of that many cells (80 columns: a second card fits)."""
        key = (f" {index} ", "bold reverse") if s.for_customer else (" 提示 ", "bold reverse yellow")
        head = Text.assemble(key, " ")
        if s.tier == "maybe":
            head.append("可能是 ", style="italic")
        head.append(s.title, style="bold")
        if s.topic_label:
            head.append(f" · {s.topic_label}", style="dim")
        if s.score:
            head.append(f" · 匹配度{s.score:.0f}", style="dim")
        if s.matched:
            head.append("  命中：", style="dim")
            head.append("、".join(s.matched[:4]), style="bold")
        body = Text.assemble(head, "\n", s.reply if s.for_customer else Text(f"给你的提示（不发给客户）：{s.reply}", style="italic"))
        if s.tip:
            tip = Text(f"提示（不发给客户）：{s.tip}", style="italic dim")
            if tip_width:
                tip.truncate(max(tip_width, 20), overflow="ellipsis")
            body.append("\n").append(tip)
        if s.follow_up:
            body.append(f"\n→ 接着问：{s.follow_up}", style="italic")
        if s.missing:
            body.append(f"\n待填：{'、'.join(s.missing)}（/var 名称=值）", style="dim")
        return body

    def on_click(self) -> None:
        self.post_message(self.Chosen(self))


class Line(QuietVirtualSize, ZhStatic):
    """A line of the panel: the notice, the customer's words, the empty-state note."""


class SuggestionList(QuietScrolling, VerticalScroll):
    """The customer's line with matched words marked, up to three cards, or the empty-state note.
    Its children are made once and updated in place, so showing new suggestions is cheap."""

    MAX = 3

    def compose(self) -> ComposeResult:
        # kept as attributes: a DOM query per Enter walks and matches every child (~1 ms an Enter)
        self.notice, self.said, self.empty = Line(classes="notice"), Line(classes="query"), Line(classes="empty no-match")
        self.cards = [SuggestionCard(i) for i in range(1, self.MAX + 1)]
        yield self.notice
        yield self.said
        yield from self.cards
        yield self.empty

    def show(self, found: Suggestions, empty: str) -> None:
        items = found.items[: self.MAX]
        self.display = True
        self._line(self.notice, found.notice)
        spans = items[0].spans if items else ()
        query = None
        if found.query and (spans or found.searched):  # search words are not what the customer said
            # a message of several lines on one: same length, so the matched spans still fit
            words = highlight(found.query.replace("\n", " "), spans)
            query = Text("话术库搜索：" if found.searched else "我问：" if found.asked else "客户说：").append(words)
        if query is not None and any(s.for_customer for s in items):
            query.append("  （输入序号回车复制，e 回车改后用）", style="dim")
        self._line(self.said, query)
        for card in self.cards:
            card.set(items[card.index - 1] if card.index <= len(items) else None)
        self._line(self.empty, None if items else empty)
        self.scroll_home(animate=False, immediate=True)

    def select(self, index: int) -> None:
        for card in self.cards:
            card.set_class(card.index == index, "-selected")

    @staticmethod
    def _line(widget: Line, content) -> None:
        widget.display = content is not None
        if content is not None:
            widget.update(content)
