"""Defects found walking Live as a new user in tmux (issue 16, second walk)."""

from __future__ import annotations

from contextlib import asynccontextmanager

from livefakes import FakeHistory, fake_services, say, settle

from assistant.ui.app import CoachApp
from assistant.ui.screens.live_dialogs import ComplianceScreen
from assistant.ui.widgets.chat_input import ChatInput


def known_staff() -> FakeHistory:
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return history


@asynccontextmanager
async def picker_open(*names: str):
    """Live with these customers on file and the customer picker (ctrl+o) open."""
    from assistant.ui.screens.customer_picker import CustomerPicker

    history = known_staff()
    for name in names:
        history.add_customer(name=name)
    app = CoachApp(mode="live", build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, CustomerPicker)
        yield app, pilot


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


async def test_the_notice_over_the_cards_says_no_customer_is_picked_as_the_chat_log_does():
    """With nobody picked, the chat log said 「还没有选客户」 and the notice over the cards 「不是当前客户」."""
    from test_live_qa16_fixes import live, paste, services_now

    services, _ = services_now()
    async with live(services) as pilot:
        screen = pilot.app.screen
        await paste(pilot, "张阿姨 10:32\n你们利息太低了")
        notice = str(screen.query_one("#suggestions .notice").render())
        assert "「张阿姨」，还没有选客户" in notice and "不是当前客户" not in notice


async def test_a_new_name_typed_in_full_creates_that_customer_not_a_lookalike():
    """Typing 赵大姐 and Enter picked 赵姐 (a fuzzy lookalike listed first); wxy still picks 王秀英."""
    from assistant.ui.screens.customer_picker import NewCustomerScreen

    async with picker_open("赵姐", "王秀英") as (app, pilot):
        await pilot.press(*"赵大姐")
        await pilot.pause()
        listing = app.screen.query_one("#customer-list")
        assert "赵姐" in str(listing.get_option_at_index(0).prompt)  # still offered
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewCustomerScreen) and app.screen.name_hint == "赵大姐"
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press(*"wxy", "enter")
        await settle(pilot)
        assert app.screen.session.customer["name"] == "王秀英"


async def test_pinyin_with_a_typo_picks_the_customer_it_finds_not_a_new_one():
    """wae (a slip for 王阿姨's way) listed 王阿姨 first, yet Enter opened 新建客户「wae」."""
    async with picker_open("王阿姨") as (app, pilot):
        await pilot.press(*"wae", "enter")
        await settle(pilot)
        assert app.screen.session.customer["name"] == "王阿姨"


async def test_picking_another_customer_mid_conversation_says_the_conversation_moves_to_them():
    """Walk, session 7: 张奶奶's chat, then ctrl+o 吴老板 said only 「客户：吴老板」, and 复盘 listed
    张奶奶's words under 吴老板; the log now says the conversation was moved and how to start the next."""
    history = known_staff()
    first, second = history.add_customer(name="张奶奶"), history.add_customer(name="吴老板")
    app = CoachApp(mode="live", build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        screen._customer_picked(first)  # nothing said yet: a plain pick
        await say(pilot, "你们利息太低了")
        screen._customer_picked(second)
        await pilot.pause()
        shown = " ".join(str(b.render()) for b in screen.chat.bubbles())
        assert "客户：张奶奶" in shown
        assert "这次对话改记在「吴老板」名下（原来是张奶奶）" in shown and "ctrl+g" in shown

