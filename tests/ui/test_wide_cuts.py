"""A toast over 首页's two columns at 80×24 keeps every character: Textual's compositor cut each
row at the columns' edge (x=48) and a wide character on that edge became two spaces (seen in
tmux: 「有没有  晋级精英群」). With wide_cuts installed the toast's row is one piece."""

from __future__ import annotations

import pytest
from livefakes import FakeHistory, fake_services, settle
from screen_text import screen_lines
from textual._compositor import Compositor

from assistant.ui import wide_cuts
from assistant.ui.app import CoachApp

#: One narrow character first, so after the toast's 「▌ 」 every 人 starts on an odd column: one
#: of them covers columns 47-48, across the left column's right edge.
MESSAGE = "a" + "有没有人晋级精英群" * 3


def known_staff() -> FakeHistory:
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return history


async def toast_row(size=(80, 24)) -> tuple[str, list[int]]:
    """The screen row showing MESSAGE's toast on 首页, and that row's cuts."""
    from textual.widgets._toast import Toast

    app = CoachApp(mode="home", build=lambda: fake_services(known_staff()))
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        app.notify(MESSAGE, timeout=30)
        await settle(pilot)
        toast = app.screen.query_one(Toast)
        y = toast.content_region.y
        return screen_lines(app)[y], app.screen._compositor.cuts[y]


async def test_without_the_fix_a_wide_character_on_a_column_edge_is_lost():
    """The defect (once Textual joins the pieces itself, this fails: then delete wide_cuts)."""
    row, cuts = await toast_row()
    assert 48 in cuts
    assert MESSAGE not in row.replace("▌", "").strip()


async def test_a_toast_keeps_every_character_over_the_columns(monkeypatch):
    monkeypatch.setattr(Compositor, "_render_chops", Compositor._render_chops)  # restored after the test
    wide_cuts.install()
    row, _cuts = await toast_row()
    assert MESSAGE in row
    wide, _cuts = await toast_row((120, 40))
    assert MESSAGE in wide


def test_install_refuses_another_textual(monkeypatch):
    import textual

    from assistant.ui.paste_guard import PasteGuardError

    monkeypatch.setattr(textual, "__version__", "9.0.0")
    with pytest.raises(PasteGuardError, match="Textual 9.0.0"):
        wide_cuts.install()
