"""The conversation as messenger bubbles: the customer on the left, my lines on the right,
coach notes set apart in the middle; each with its time."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Size
from textual.layout import DockArrangeResult
from textual.scrollbar import ScrollBar
from textual.widget import AwaitMount, Widget

from assistant.ui.widgets.quiet import QuietScrolling, QuietVirtualSize
from assistant.ui.widgets.zhtext import ZhStatic

#: speaker → (CSS class, name shown above the bubble); "ask" is my own question to the coach,
#: typed where the customer's words go (set apart in the middle, as the coach's notes are)
SPEAKERS = {"customer": ("-customer", "客户"), "staff": ("-staff", "我"), "coach": ("-coach", "教练"),
            "ask": ("-coach", "我问教练"), "system": ("-system", "")}


class Bubble(QuietVirtualSize, ZhStatic):
    """One line of the conversation; its speaker is a CSS class (-customer, -staff, -coach, -system).
    Its text wraps by Chinese rules (ZhStatic), whatever later `update`s it."""

    def __init__(self, speaker: str, text: str | RenderableType, time: str = "", note: str | Text = "") -> None:
        css, who = SPEAKERS.get(speaker, SPEAKERS["system"])
        super().__init__(self._content(who, text, time, note), classes=css)
        self._remember(speaker, text)

    def _remember(self, speaker: str, text: str | RenderableType) -> None:
        self.css_class = SPEAKERS.get(speaker, SPEAKERS["system"])[0]
        self.speaker = speaker
        self.text = text if isinstance(text, str) else getattr(text, "plain", "")

    def say(self, speaker: str, text: str | RenderableType, time: str = "", note: str | Text = "") -> None:
        """Become a new line in place (the chat reuses its oldest bubble): classes and text reset."""
        who = SPEAKERS.get(speaker, SPEAKERS["system"])[1]
        self._remember(speaker, text)
        self.set_classes(self.css_class)
        self.update(self._content(who, text, time, note))

    @staticmethod
    def _content(who: str, text: str | RenderableType, time: str, note: str | Text) -> Text | Group:
        """The speaker line, then the text; a table (/help) goes below the speaker line as it is."""
        content = Text()
        if who or time:
            content.append(f"{who} {time}".strip() + ("\n" if isinstance(text, str) else ""), style="dim")
        if not isinstance(text, str):
            return Group(content, text) if content.plain else text
        content.append(text)
        if isinstance(note, Text):  # a styled note (a pasted line's broken rules) keeps its styles
            content.append("\n").append_text(note)
        elif note:
            content.append(f"\n{note}", style="italic")
        return content


class BubbleRow(QuietVirtualSize, Horizontal):
    """The full-width row a bubble sits in (its class aligns it left, right or centre)."""

    #: The row's one bubble (kept, not queried: a reused row is rewritten on every Enter).
    bubble: Bubble


class ChatLog(QuietScrolling, VerticalScroll):
    """Bubbles in order, kept scrolled to the newest; `add` is the only way in.

    Once MAX_ROWS bubbles are shown, a new line reuses the oldest row (moved to the end, its
    bubble rewritten) instead of mounting one and removing another: mounting finishes in the new
    widgets' own tasks, often after the screen's next layout pass, and a removal asks for one more,
    so each Enter drew the screen two or three times. The scroll to the newest line happens
    inside the layout pass that places it (`arrange`), not in a scroll pass after it."""

    can_focus = False
    #: Rows kept on screen; older ones are dropped (the history has them all) so layout stays fast.
    MAX_ROWS = 20

    #: Longer lines are cut on screen (the history keeps them whole).
    MAX_CHARS = 600

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: Rows `add` mounted that may not be mounted yet (`settled` waits for them).
        self._mounting: list[BubbleRow] = []
        #: True while the newest line is to stay in view: set by `add`, cleared when the user
        #: scrolls back (Textual releases the anchor on every scroll that is not ours).
        self.following = True

    #: True while a row moves to the end (see `refresh`).
    _moving = False

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        """A row moved to the end asks for a layout pass, and Textual also redraws the whole log
        for it (~0.5 ms an Enter): its own drawing is the blank behind the rows, unchanged; the
        layout pass repaints every row that moved."""
        return super().refresh(*regions, repaint=repaint and not self._moving, layout=layout, recompose=recompose)

    def release_anchor(self) -> None:
        self.following = False
        super().release_anchor()

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        """Textual's arrangement; while following, scrolled so its bottom is in view. Textual's
        own anchor does this in the same place but measures with the size of the previous pass,
        which is wrong whenever the cards below changed height (the chat's does with them)."""
        arrangement = super().arrange(size, optimal)
        if self.following:
            y = max(0, arrangement.spatial_map.total_region.bottom - size.height)
            if y != self.scroll_y:
                self.set_reactive(Widget.scroll_y, y)
                self.set_reactive(Widget.scroll_target_y, y)
                self.vertical_scrollbar.set_reactive(ScrollBar.position, y)
        return arrangement

    def add(self, speaker: str, text: str | RenderableType, time: str = "", note: str | Text = "") -> Bubble:
        if isinstance(text, str) and len(text) > self.MAX_CHARS:
            text = f"{text[:self.MAX_CHARS]}…（共 {len(text)} 字，已完整记录）"
        rows = [row for row in self.children if row.display]  # rows being removed are not displayed
        spare = self._spare()
        if len(rows) >= self.MAX_ROWS:
            bubble = self._reuse(rows, speaker, text, time, note)
        elif spare is not None:
            bubble = self._reveal(spare, rows, speaker, text, time, note)
        else:
            bubble = Bubble(speaker, text, time, note)
            row = BubbleRow(bubble, classes=f"bubble-row {bubble.css_class}")
            row.bubble = bubble
            self._mounting = [r for r in self._mounting if not r.is_mounted] + [row]
            self.mount(row)
        self.following = True  # the layout pass the new row asks for scrolls to it
        return bubble

    def _reuse(self, rows: list, speaker: str, text: str | RenderableType, time: str, note: str | Text) -> Bubble:
        """The oldest row becomes the newest (extra rows, when MAX_ROWS was lowered, are removed)."""
        oldest, extra = rows[0], rows[1: len(rows) - self.MAX_ROWS + 1]
        if extra:
            self.remove_children(extra)
        self._moving = True
        try:
            self.move_child(oldest, after=rows[-1])
        finally:
            self._moving = False
        bubble = oldest.bubble
        bubble.say(speaker, text, time, note)
        oldest.set_classes(f"bubble-row {bubble.css_class}")
        return bubble

    def reserve(self, count: int) -> None:
        """Mount `count` hidden rows now, for the first lines to show: a row mounted by `add`
        finishes mounting in its own task, after the layout pass that drew the line, and asks for
        one more pass (the first Enters of a conversation drew the screen twice). They wait as
        customer lines, the most common kind: a row shown for one keeps its classes, where a
        change of class re-applies the CSS to the row and its bubble (~2 ms CPU an Enter)."""
        rows = []
        for _ in range(count):
            bubble = Bubble("customer", "")
            row = BubbleRow(bubble, classes=f"bubble-row {bubble.css_class}")
            row.bubble, row.display = bubble, False  # its bubble may be asked for before it is mounted
            rows.append(row)
        self.mount_all(rows)

    def clear(self) -> None:
        """No lines shown; the rows stay, hidden, for the next lines (see `reserve`)."""
        for row in self.children:
            row.display = False

    def _spare(self) -> BubbleRow | None:
        """A hidden row to show the next line in (not one being removed), or None."""
        return next((row for row in self.children if row.styles.display == "none"
                     and not (row._closing or row._pruning)), None)

    def _reveal(self, spare, rows: list, speaker: str, text: str | RenderableType, time: str,
                note: str | Text) -> Bubble:
        """A hidden row becomes the newest line."""
        if rows and self.children.index(spare) < self.children.index(rows[-1]):
            self.move_child(spare, after=rows[-1])
        bubble = spare.bubble
        bubble.say(speaker, text, time, note)
        spare.set_classes(f"bubble-row {bubble.css_class}")
        spare.display = True
        return bubble

    async def settled(self) -> None:
        """Wait until the rows `add` mounted are mounted, so the next layout pass draws them."""
        mounting, self._mounting = [r for r in self._mounting if not r.is_mounted], []
        if mounting:
            await AwaitMount(self, mounting)

    def bubbles(self) -> list[Bubble]:
        """The lines shown, oldest first (not hidden or removed rows)."""
        return [bubble for bubble in self.query(Bubble) if bubble.parent.display]
