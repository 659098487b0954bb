"""Snapshot helper: a picture that does not depend on when it is taken."""

from __future__ import annotations


async def steady(pilot) -> None:
    """Cursor blink off in every input: a screenshot taken in the blink's off phase (0.5–1 s after
    a key) would differ. With blink off the cursor stays drawn, as in the recorded pictures."""
    for screen in pilot.app.screen_stack:
        for widget in screen.query("*"):
            if hasattr(widget, "cursor_blink"):
                widget.cursor_blink = False
    await pilot.pause()
