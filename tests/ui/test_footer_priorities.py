"""At 80 columns the footer keeps the keys that matter: short labels first (数据看板 → 看板), then
the screen's spare keys go (复盘: s 排序, x 导出 — both still in ctrl+p), and F1 首页 stays beside
the quit key on every screen. A walk found 复盘 at 80 columns without F1, c 接着聊 and i 导入聊天.
At a wide terminal every key keeps its full label."""

from __future__ import annotations

from rehearse_helpers import app_in, settle
from screen_text import screen_lines

from assistant.ui.screens.live_dialogs import ResumeScreen
from assistant.ui.widgets.footer import KeyFooter


def footer_keys(app) -> dict[str, str]:
    """Key → its label, as the footer shows them."""
    footer = app.screen.query_one(KeyFooter)
    return {k.key_display: k.description for k in footer.children if not k.has_class("-command-palette")}


async def _review_on_my_open_chat(size: tuple[int, int]):
    app, services, me = app_in("review")
    history = services.history
    done = history.start_session(mode="live", staff_id=me["id"], started="2026-11-24T09:00:00")
    history.end_session(done, outcome="成交", ended="2026-11-24T09:30:00")
    history.start_session(mode="live", staff_id=me["id"], started="2026-11-25T09:00:00")  # open, newest: highlighted
    return app


async def test_review_at_80_columns_keeps_carry_on_import_and_home():
    app = await _review_on_my_open_chat((80, 24))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        if isinstance(app.screen, ResumeScreen):  # the start-up offer to carry on: not now
            await pilot.press("escape")
            await settle(app, pilot)
        keys = footer_keys(app)
        for key in ("c", "e", "i", "f1", "^q", "f", "/", "d"):
            assert key in keys, (key, keys)
        assert keys["i"] == "导入" and keys["d"] == "看板"
        bottom = screen_lines(app)[-1]
        assert all(f"{k} {v}" in bottom for k, v in keys.items()), bottom
        assert "^p 命令" in bottom


async def test_review_wide_shows_every_key_with_its_full_label():
    app = await _review_on_my_open_chat((150, 45))
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(app, pilot)
        if isinstance(app.screen, ResumeScreen):
            await pilot.press("escape")
            await settle(app, pilot)
        keys = footer_keys(app)
        assert keys["d"] == "数据看板" and keys["i"] == "导入聊天" and keys["c"] == "接着聊"
        assert {"s", "x", "f1"} <= set(keys)


async def test_rehearse_at_80_columns_keeps_hint_end_and_home():
    app, _, _ = app_in("rehearse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")  # the scenario picker opens by itself
        await settle(app, pilot)
        keys = footer_keys(app)
        assert {"^t", "^g", "^o", "f1", "^q"} <= set(keys), keys
        bottom = screen_lines(app)[-1]
        assert all(f"{k} {v}" in bottom for k, v in keys.items()), bottom
