"""While the services load (seconds on a first start): a line says what is being done, the footer
says how to quit, and keys that need the services do nothing instead of misfiring."""

from __future__ import annotations

import threading

from livefakes import FakeHistory, fake_services, settle
from screen_text import screen_lines

from assistant.ui.app import CoachApp
from assistant.ui.screens.identity import IdentityScreen
from assistant.ui.widgets.loading import LoadingLine


def held_app(history: FakeHistory | None = None):
    """An app whose loading reports one step and then waits until the test releases it."""
    release = threading.Event()

    def build():
        app.report_loading("读取话术库")
        release.wait(10)
        return fake_services(history)

    app = CoachApp(build=build)
    return app, release


async def test_loading_says_what_it_does_and_keys_wait_for_it():
    app, release = held_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.pause()
        lines = screen_lines(app)
        assert "正在准备：读取话术库" in lines[-2] and "ctrl+q 退出" in lines[-2]
        assert "^q 退出" in lines[-1] and "已跟进" not in lines[-1] and "切换身份" not in lines[-1]
        await pilot.press("u", "d", "enter")  # nothing to switch to or mark yet: no dialog, no toast
        await pilot.pause()
        assert not isinstance(app.screen, IdentityScreen) and not app._notifications
        release.set()
        await settle(pilot)
        assert not app.query(LoadingLine) and not app.screen_stack[0].query(LoadingLine)
        assert isinstance(app.screen, IdentityScreen)  # the welcome dialog, once, after loading
        app.pop_screen()
        await settle(pilot)
        bottom = screen_lines(app)[-1]
        # how to quit stays, once, after the agenda's keys (a walk: 首页 hid it once loaded)
        assert "d 已跟进" in bottom and "u 切换身份" in bottom and bottom.count("^q 退出") == 1
        assert bottom.index("^q 退出") > bottom.index("u 切换身份")


async def test_ctrl_q_while_loading_quits():
    app, release = held_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        release.set()
    assert app.return_code == 0 and app.services is None


async def test_a_mode_opened_while_loading_shows_the_line_too():
    app, release = held_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "library" and app.screen.query(LoadingLine)
        release.set()
        await settle(pilot)
        assert not app.screen.query(LoadingLine)
