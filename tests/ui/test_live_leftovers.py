"""Live leftovers a branch user hit in the 2026-12-06 tmux walk: the side panel on wide terminals,
/help at 80×24 with cards shown, ctrl+o while loading, cards on resume, and a pasted chat of
another customer (ctrl+y asks instead of moving the session)."""

from __future__ import annotations

import pytest
from livefakes import FakeHistory, fake_services, say, settle
from test_app_flows import paste

from assistant.ui.app import CoachApp


def known_staff(history: FakeHistory | None = None) -> FakeHistory:
    history = history or FakeHistory()
    history.set_current_staff(history.add_staff(name="李娜", role="理财经理")["id"])
    return history


def live_app(history: FakeHistory | None = None):
    services = fake_services(known_staff(history))
    return CoachApp(mode="live", build=lambda: services), services


@pytest.mark.parametrize(("columns", "width"), [(100, 30), (136, 30), (170, 37), (240, 48)])
async def test_the_side_panel_grows_on_wide_terminals(columns, width):
    app, _ = live_app()
    async with app.run_test(size=(columns, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#side").outer_size.width == width


async def test_at_80_columns_the_side_panel_stays_hidden_until_ctrl_b():
    app, _ = live_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        side = app.screen.query_one("#side")
        assert not side.display or side.outer_size.width == 0
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert side.display and side.outer_size.width == 28


def slow_live(history: FakeHistory):
    """Live whose library loads until the test sets the returned event."""
    import threading

    loaded = threading.Event()
    services = fake_services(history)
    return CoachApp(mode="live", build=lambda: loaded.wait(10) and services), loaded, services


async def test_ctrl_o_while_loading_opens_the_picker_once_loaded_searching_what_was_typed_after_it():
    from assistant.ui.screens.customer_picker import CustomerPicker
    from assistant.ui.widgets.chat_input import ChatInput

    history = known_staff()
    history.add_customer(name="王阿姨")
    history.add_customer(name="刘大爷")
    app, loaded, services = slow_live(history)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        live = app.screen
        box = live.query_one(ChatInput)
        box.value = "利息太低了"
        await pilot.press("enter")  # a customer line, sent once loaded
        await pilot.press("ctrl+o")
        await pilot.press(*"刘大爷")
        await pilot.pause()
        assert live.session is None and box.value == "利息太低了刘大爷"
        loaded.set()
        await settle(pilot)
        assert isinstance(app.screen, CustomerPicker)
        assert app.screen.query_one("#customer-search").value == "刘大爷"
        await pilot.press("enter")
        await settle(pilot)
        assert live.session.customer["name"] == "刘大爷" and box.value == ""
    said = [e["text"] for e in services.history.events if e["speaker"] == "customer"]
    assert said == ["利息太低了"]  # the name went to the picker, not into the conversation


async def test_ctrl_o_while_loading_under_the_welcome_dialog_opens_the_picker_once_it_is_answered():
    from assistant.ui.screens.customer_picker import CustomerPicker
    from assistant.ui.screens.identity import IdentityScreen
    from assistant.ui.widgets.chat_input import ChatInput

    history = FakeHistory()
    history.add_customer(name="刘大爷")
    app, loaded, _ = slow_live(history)  # nobody signed in: the identity dialog opens first
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        live = app.screen
        await pilot.press("ctrl+o", *"ldy")
        loaded.set()
        await settle(pilot)
        assert isinstance(app.screen, IdentityScreen) and live.query_one(ChatInput).value == ""
        app.screen.query_one("#staff-name").value = "李娜"
        app.screen.query_one("#staff-name").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerPicker)
        assert app.screen.query_one("#customer-search").value == "ldy"


async def test_a_resumed_session_shows_the_last_lines_cards_again_and_1_uses_them():
    from assistant.ui.screens.live_dialogs import ResumeScreen

    history = known_staff()
    app, _ = live_app(history)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen._customer_picked(history.add_customer(name="王阿姨"))
        await say(pilot, "你们收益太低了")
        shown = [s.card_id for s in app.screen.shown]
        sid = app.screen.session.session_id
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("2")  # 稍后继续
        await pilot.pause()
    logged = len(history.events)
    again = CoachApp(build=lambda: fake_services(history))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, ResumeScreen)
        await pilot.press("1")  # 接着聊
        await settle(pilot)
        live = again.screen
        assert shown and [s.card_id for s in live.shown] == shown
        assert live.suggestions.display and "客户说：你们收益太低了" in str(live.query_one("#suggestions .query").render())
        assert len(history.events) == logged  # shown again, not logged again
        await say(pilot, "/var 金额=10万")  # the card's one detail to fill, then 1⏎ uses it
        await say(pilot, "1")
    used = [e for e in history.events if e.get("type") == "use"]
    assert used and used[-1]["session_id"] == sid and used[-1]["used_card"] == shown[0]


async def test_help_at_80x24_with_cards_shown_is_a_dialog_that_shows_and_scrolls_to_every_command():
    from screen_text import screen_lines

    from assistant.core.live.commands import COMMANDS
    from assistant.ui.screens.live_help import HelpScreen

    app, services = live_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        live = app.screen
        await say(pilot, "你们收益太低了，我再考虑考虑")
        assert live.shown
        logged = len(services.history.events)
        await say(pilot, "/help")
        assert isinstance(app.screen, HelpScreen)
        seen = "\n".join(screen_lines(app))
        await pilot.press("end")  # a short terminal: the rest is a scroll away
        await pilot.pause()
        seen += "\n".join(screen_lines(app))
        missing = [usage for usage, what in COMMANDS.values() if usage not in seen or what[:6] not in seen]
        assert missing == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is live and live.shown and len(services.history.events) == logged


CHAT = "周总 10:32\n我的定期下周到期了\n李娜 10:33\n您考虑一下我们的理财\n周总 10:35\n我再考虑考虑"


async def test_ctrl_y_on_another_customers_chat_asks_and_never_moves_the_conversation():
    from assistant.ui.screens.live_stranger import SwitchCustomerScreen

    history = known_staff()
    app, services = live_app(history)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        live = app.screen
        live._customer_picked(history.add_customer(name="刘大爷"))
        await say(pilot, "你们收益太低了")
        first = live.session.session_id
        await paste(pilot, CHAT)
        assert "这段聊天的客户是「周总」" in str(live.suggestions.notice.render())
        before = [dict(e) for e in history.events]
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert isinstance(app.screen, SwitchCustomerScreen)
        await pilot.press("escape")  # stay: nothing changes
        await pilot.pause()
        assert app.screen is live and live.session.session_id == first
        assert live.session.customer["name"] == "刘大爷" and history.events == before
        await pilot.press("ctrl+y")
        await pilot.pause()
        await pilot.press("1")  # a new conversation with 周总
        await settle(pilot)
        second = live.session.session_id
        assert app.screen is live and second and second != first
        assert live.session.customer["name"] == "周总" and live.session.customer.get("id")
        assert history.sessions[first]["customer_id"] != live.session.customer["id"]  # not moved
        assert "ended" not in history.sessions[first]  # kept open for later
        old = [e for e in history.events if e["session_id"] == first]
        assert old[:len(before)] == before and old[-1]["type"] == "note" and "周总" in old[-1]["text"]
        new = [(e["speaker"], e["text"]) for e in history.events if e["session_id"] == second and e.get("type") == "line"]
        assert new == [("customer", "我的定期下周到期了"), ("staff", "您考虑一下我们的理财"), ("customer", "我再考虑考虑")]
        assert live.shown and "周总" in live.shown[0].reply and "刘大爷" not in live.shown[0].reply
        assert not (live.suggestions.notice.display and "这段聊天的客户是" in str(live.suggestions.notice.render()))
        await pilot.press("ctrl+y")  # nobody else to switch to now
        await pilot.pause()
        assert app.screen is live


async def test_a_maturity_in_another_year_says_its_year_in_the_panel_and_the_picker():
    """周总's 一年期定期 read 「10月9日到期（还有306天）」 in December: a date that looked past."""
    from livefakes import T0

    from assistant.ui.screens.customer_picker import CustomerPicker
    from assistant.ui.widgets.customer import CustomerPanel

    history = known_staff()
    later = T0.date().replace(year=T0.year + 1, month=10, day=9).isoformat()
    soon = T0.date().replace(day=28).isoformat()
    history.add_customer(name="周总", products=[{"name": "一年期定期", "amount": 500000, "maturity": later}])
    history.add_customer(name="王阿姨", products=[{"name": "大额存单", "amount": 200000, "maturity": soon}])
    app, _ = live_app(history)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CustomerPicker)
        listing = picker.query_one("#customer-list")
        labels = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any(f"一年期定期 {T0.year + 1}年10月9日到期" in label for label in labels), labels
        assert any(f"大额存单 {T0.month}月28日到期" in label for label in labels), labels
        await pilot.press(*"周总", "enter")
        await settle(pilot)
        panel = app.screen.query_one(CustomerPanel)
        assert f"{T0.year + 1}年10月9日到期" in str(panel.render())
