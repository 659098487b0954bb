"""What a Pilot test's screen shows, as plain text lines (wide characters once, as a terminal shows them)."""

from __future__ import annotations


def screen_lines(app) -> list[str]:
    """Each row of the current screen as the user would read it."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


def region_lines(app, region) -> list[str]:
    """The rows of `region` (a widget's region), cut by cells, not characters."""
    strips = app.screen._compositor.render_strips()[region.y:region.bottom]
    return ["".join(segment.text for segment in strip.crop(region.x, region.right)) for strip in strips]
