"""What a Pilot test's screen shows, as plain text lines (wide characters once, as a terminal shows them)."""

from __future__ import annotations


def screen_lines(app) -> list[str]:
    """Each row of the current screen as the user would read it."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]
