"""The line you type or paste. Multi-line pastes are kept (shown with ↵), /commands complete,
and while it is empty the screen's one-key bindings (1–3, e) work instead of typing."""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input

#: Shown in place of a line break inside the one-line input; turned back into "\n" on submit.
BREAK = " ↵ "
#: An Enter pressed while the app starts, before the terminal is raw, arrives translated to "\n",
#: which Textual names ctrl+j; nobody presses ctrl+j meaning anything else here.
LINE_FEED = "ctrl+j"


class ChatInput(Input):
    """An Input that keeps pasted line breaks and leaves `free_keys` to the screen when empty."""

    def __init__(self, completions: list[str], free_keys: str = "123e", keep_bursts: bool = False,
                 **kwargs) -> None:
        super().__init__(suggester=SuggestFromList(completions, case_sensitive=False), **kwargs)
        self.free_keys = free_keys
        self.keep_bursts = keep_bursts

    def _watch_value(self, value: str) -> None:
        """Input sets its virtual size (a layout reactive) on every change, which asks the whole
        screen for a layout pass (~20 ms) per key and for Enter's clear, the second pass of an
        Enter when matching answers after the next frame. A fixed-size box is a ScrollView that
        keeps its own virtual size through layouts, so it is set quietly here and the scroll is
        clamped as that layout pass did; the value change still repaints the box."""
        if not self.styles.auto_dimensions:
            self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
            self.scroll_x = self.validate_scroll_x(self.scroll_x)
        super()._watch_value(value)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if not self.value and character is not None and character in self.free_keys:
            return False
        return super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == LINE_FEED:  # Enter typed before the app set the terminal raw: it is Enter
            event.stop()
            event.prevent_default()
            if not (self.keep_bursts and self.value.strip()):
                await self.action_submit()
                return
        if event.key in ("enter", LINE_FEED) and self.keep_bursts and self.value.strip():
            self._break_and_submit(event)
            return
        if event.character is not None and not self.check_consume_key(event.key, event.character):
            event.prevent_default()  # not typed: it bubbles up to the screen's binding for this key

    def _on_paste(self, event: events.Paste) -> None:
        if event.text:
            lines = [line.strip() for line in event.text.splitlines() if line.strip()]
            self.insert_text_at_cursor(BREAK.join(lines))
        event.stop()
        event.prevent_default()  # Input's own paste handler would add the first line again

    def _break_and_submit(self, event: events.Key) -> None:
        """A paste without bracketed paste (tmux paste-buffer, old Windows consoles) arrives as
        typed keys with Enter between its lines, all handled here before the screen hears of the
        first Enter. So Enter is taken here, in order with the keys: the line break is kept (↵)
        and the screen is told; `take` then says whether more of the same burst followed it."""
        event.stop()
        event.prevent_default()
        submitted = self.value
        self.value = submitted.rstrip() + BREAK
        self.cursor_position = len(self.value)
        self.post_message(self.Submitted(self, submitted))

    def take(self, submitted: str) -> str | None:
        """The text to act on for the Enter that submitted `submitted`, and an empty box; None
        while keys typed after that Enter (the rest of a paste) are still coming in."""
        if self.keep_bursts:
            head = submitted.rstrip()
            after = self.value[len(head):] if self.value.startswith(head) else self.value
            if after.replace(BREAK, "").strip():
                return None
        text = self.text
        self.value = ""
        return text

    @property
    def text(self) -> str:
        """The value with pasted line breaks restored."""
        return self.value.replace(BREAK, "\n").strip()

