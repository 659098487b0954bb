"""Defects found walking Live as a new user in tmux (issue 16, second walk)."""

from __future__ import annotations

from livefakes import FakeHistory, fake_services, say, settle

from assistant.ui.app import CoachApp
from assistant.ui.screens.live_dialogs import ComplianceScreen
from assistant.ui.widgets.chat_input import ChatInput


def known_staff() -> FakeHistory:
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return history


async def test_a_line_put_back_to_edit_has_the_cursor_at_its_end():
    """回去改 put the line back with the cursor at its start: typing went before it, ctrl+u cleared
    nothing, and a chat pasted next was glued in front of it (「那收益多少？阿姨，这款理财保本的」)."""
    app = CoachApp(mode="live", build=lambda: fake_services(known_staff()))
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await say(pilot, "这个产品保本，稳赚")
        assert isinstance(app.screen, ComplianceScreen)
        await pilot.press("escape")
        await pilot.pause()
        box = app.screen.query_one(ChatInput)
        assert box.value == "这个产品保本，稳赚" and box.cursor_position == len(box.value)
        await pilot.press(*"吗")
        assert box.value == "这个产品保本，稳赚吗"
