"""A dialog shows its own keys at the bottom, in Chinese, over the footer of the screen behind it."""

from __future__ import annotations

from livefakes import FakeHistory, fake_services, say, settle

from assistant.ui.app import CoachApp
from assistant.ui.screens.live_dialogs import OutcomeScreen, QuitScreen
from assistant.ui.widgets.dialog_keys import DialogFooter


def staffed() -> FakeHistory:
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return history


def keys_of(screen) -> list[str]:
    return [str(key.render()).strip() for key in screen.query("FooterKey") if key.display]


async def test_the_outcome_dialog_lists_its_own_keys_on_the_bottom_row():
    app = CoachApp(mode="home", build=lambda: fake_services(staffed()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        behind = keys_of(app.screen)
        assert behind
        app.push_screen(OutcomeScreen())
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OutcomeScreen)
        footer = dialog.query_one(DialogFooter)
        assert footer.display and footer.region.y == 23 and footer.region.width == 80  # covers the old footer row
        keys = keys_of(dialog)
        assert any("成交" in k for k in keys) and any("继续聊" in k for k in keys)
        assert not set(keys) & set(behind)  # none of the home screen's keys (d 已跟进, u 切换身份)
        assert all(not k.isascii() for k in keys)  # every key says what it does in Chinese


async def test_the_quit_dialog_has_its_keys_and_the_command_palette_no_extra_footer():
    app = CoachApp(mode="live", build=lambda: fake_services(staffed()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await say(pilot, "我再考虑考虑")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        keys = " ".join(keys_of(app.screen))
        assert "结束并记录结果" in keys and "稍后继续" in keys and "取消" in keys
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert not app.screen.query(DialogFooter)


async def test_a_dialog_with_a_footer_of_its_own_keeps_just_that_one():
    from textual.app import ComposeResult
    from textual.screen import ModalScreen
    from textual.widgets import Label

    from assistant.ui.widgets.footer import KeyFooter

    class Own(ModalScreen):
        def compose(self) -> ComposeResult:
            yield Label("有自己的按键栏")
            yield KeyFooter()

    app = CoachApp(mode="home", build=lambda: fake_services(staffed()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(Own())
        await pilot.pause()
        assert [f.display for f in app.screen.query(DialogFooter)] == [False]


async def test_an_open_select_list_says_its_key_in_chinese():
    from textual.widgets import Select

    from assistant.ui.screens.review_dialogs import FilterScreen
    from assistant.ui.screens.review_rows import Names

    app = CoachApp(mode="home", build=lambda: fake_services(staffed()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        from assistant.core.history.filters import SessionFilter

        app.push_screen(FilterScreen(SessionFilter(), Names()))
        await pilot.pause()
        app.screen.query(Select).first().focus()
        await pilot.press("enter")  # the list opens: its escape key is Textual's, worded in English
        await pilot.pause()
        keys = keys_of(app.screen)
        assert any("收起列表" in k for k in keys)
        assert all(not k.isascii() for k in keys)
