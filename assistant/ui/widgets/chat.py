"""The conversation as messenger bubbles: the customer on the left, my lines on the right,
coach notes set apart in the middle; each with its time."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.containers import Horizontal, VerticalScroll

from assistant.ui.widgets.zhtext import ZhStatic

#: speaker → (CSS class, name shown above the bubble)
SPEAKERS = {"customer": ("-customer", "客户"), "staff": ("-staff", "我"), "coach": ("-coach", "教练"),
            "system": ("-system", "")}


class Bubble(ZhStatic):
    """One line of the conversation; its speaker is a CSS class (-customer, -staff, -coach, -system).
    Its text wraps by Chinese rules (ZhStatic), whatever later `update`s it."""

    def __init__(self, speaker: str, text: str | RenderableType, time: str = "", note: str = "") -> None:
        css, who = SPEAKERS.get(speaker, SPEAKERS["system"])
        super().__init__(self._content(who, text, time, note), classes=css)
        self.css_class = css
        self.speaker = speaker
        self.text = text if isinstance(text, str) else getattr(text, "plain", "")

    @staticmethod
    def _content(who: str, text: str | RenderableType, time: str, note: str) -> Text | Group:
        """The speaker line, then the text; a table (/help) goes below the speaker line as it is."""
        content = Text()
        if who or time:
            content.append(f"{who} {time}".strip() + ("\n" if isinstance(text, str) else ""), style="dim")
        if not isinstance(text, str):
            return Group(content, text) if content.plain else text
        content.append(text)
        if note:
            content.append(f"\n{note}", style="italic")
        return content


class ChatLog(VerticalScroll):
    """Bubbles in order, scrolled to the newest; `add` is the only way in."""

    can_focus = False
    #: Rows kept on screen; older ones are dropped (the history has them all) so layout stays fast.
    MAX_ROWS = 20

    #: Longer lines are cut on screen (the history keeps them whole).
    MAX_CHARS = 600

    def add(self, speaker: str, text: str | RenderableType, time: str = "", note: str = "") -> Bubble:
        if isinstance(text, str) and len(text) > self.MAX_CHARS:
            text = f"{text[:self.MAX_CHARS]}…（共 {len(text)} 字，已完整记录）"
        bubble = Bubble(speaker, text, time, note)
        row = Horizontal(bubble, classes=f"bubble-row {bubble.css_class}")
        rows = self.children
        if len(rows) >= self.MAX_ROWS:
            self.remove_children(list(rows[: len(rows) - self.MAX_ROWS + 1]))
        self.mount(row)
        self.scroll_end(animate=False)
        return bubble

    def bubbles(self) -> list[Bubble]:
        return list(self.query(Bubble))
