"""ctrl+p → 按键说明: the keys of the screen in Chinese; Textual's inherited English descriptions
(Scroll Left, Page Right, Focus Next, Copy selected text…) are said in Chinese or left out."""

from __future__ import annotations

import io
import re

from livefakes import FakeHistory, fake_services, settle
from screen_text import region_lines

from assistant.ui.app import CoachApp
from assistant.ui.widgets.keys_panel import ChineseBindingsTable, ChineseHelpPanel, chinese_description


def staffed() -> FakeHistory:
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return history


async def open_keys(pilot) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*"按键说明")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def panel_text(app) -> str:
    """The panel as drawn (its top) and, below, every row of its key table (it scrolls)."""
    from rich.console import Console

    panel = app.screen.query_one(ChineseHelpPanel)
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(panel.query_one(ChineseBindingsTable).render_bindings_table())
    return "\n".join(region_lines(app, panel.region)) + "\n" + console.export_text()


async def test_the_keys_panel_is_chinese_on_the_live_screen():
    app = CoachApp(mode="live", build=lambda: fake_services(staffed()))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_keys(pilot)
        text = panel_text(app)
        assert "按键说明" in text and "客户/我" in text and "复制选中的文字" in text and "下一个输入处" in text
        words = set(re.findall(r"[A-Za-z]{3,}", text))
        assert words <= {"tab", "shift", "super", "home", "end", "pgup", "pgdn"}, words  # key names only


async def test_the_palette_toggles_the_chinese_panel_off_again():
    app = CoachApp(mode="live", build=lambda: fake_services(staffed()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_keys(pilot)
        assert app.screen.query(ChineseHelpPanel)
        await open_keys(pilot)
        assert not app.screen.query(ChineseHelpPanel)


def test_inherited_descriptions_are_chinese_or_hidden():
    assert chinese_description("Copy selected text") == "复制选中的文字"
    assert chinese_description("Scroll Left") is None and chinese_description("Page Right") is None
    assert chinese_description("选客户") == "选客户"
