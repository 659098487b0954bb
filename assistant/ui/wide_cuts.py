"""A wide (Chinese) character in a toast or dialog is not cut where a widget behind it ends.

Why this exists: Textual's compositor (8.2.8) cuts every screen row at every widget's edge, also
where one widget in front covers both sides, and a wide character on such a cut becomes two
spaces. A full-width toast over 首页's two columns lost the 人 of 「有没有人晋级」 (upstream
Textualize/textual#6357, open). The replacement below cuts a front widget's row only where a
widget in front of it already claimed the cells; between, its text stays whole in one piece.
Installed by coach's launcher, refused with a clear message if Textual is not the pinned version.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from textual.strip import Strip

from assistant.ui.paste_guard import PINNED_TEXTUAL, PasteGuardError

#: What a bucket covered by the piece before it holds (taken, so no widget behind draws there).
EMPTY = Strip([])


def _render_chops(self, crop, is_rendered_line: Callable[[int], bool]) -> Sequence[Mapping[int, object]]:
    """Compositor._render_chops, joining the pieces a render wins next to each other."""
    cuts = self.cuts
    chops: list[dict] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for region, clip, strips in self._get_renders(crop):
        render_region = region.intersection(clip)
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips):
            if is_rendered_line(y):
                line_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
                _claim(chops[y], line_cuts, strip, render_region.x)
    return chops


def _claim(line: dict, line_cuts: list[int], strip: Strip, render_x: int) -> None:
    """Give `strip` the buckets of `line` still free, divided only where free turns to taken."""
    starts = line_cuts[:-1]
    free = [line.get(cut) is None for cut in starts]
    if not any(free):  # covered by widgets in front: nothing of this row to render
        return
    ends = [cut for before, after, cut in zip(free, free[1:], starts[1:]) if before != after] + [line_cuts[-1]]
    run_start = starts[0]
    for end, piece in zip(ends, strip.divide([end - render_x for end in ends])):
        if line.get(run_start) is None:
            for cut in starts:  # the run's other buckets are taken by this piece, drawn empty
                if run_start < cut < end:
                    line[cut] = EMPTY
            line[run_start] = piece
        run_start = end


def install() -> None:
    """Use the joining _render_chops; PasteGuardError if Textual is not the pinned version."""
    import textual
    from textual import _compositor

    compositor = getattr(_compositor, "Compositor", None)
    if textual.__version__ != PINNED_TEXTUAL or not callable(getattr(compositor, "_render_chops", None)):
        raise PasteGuardError(
            f"宽字符显示修正装不上：装的是 Textual {textual.__version__}，本程序按 {PINNED_TEXTUAL} 编写。"
            "请按 pyproject.toml 重新安装依赖（pip install -e .），或更新 assistant/ui/wide_cuts.py。")
    compositor._render_chops = _render_chops
