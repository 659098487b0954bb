"""Issue 16 QA on a pasted chat in Live (real services, the clock fixed on the chat's day):
bubble times read as people read them, the cards answer the clear objection, staff breaches
are shown in place."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import datetime

from livefakes import say, settle
from textual import events

from assistant.ui.app import CoachApp
from assistant.ui.services import build_services
from assistant.ui.widgets.chat import Bubble
from assistant.ui.widgets.chat_input import ChatInput

NOW = datetime(2026, 12, 6, 10, 0, 0)
CHAT = ("赵姐 2026/12/5 09:02:11\n你们利息太低了\n我 2026/12/6 09:03:00\n这款理财保本的，您放心\n"
        "赵姐 2026/12/6 09:04:10\n那你说说看吧")


def services_now():
    services = build_services()
    services.clock = lambda: NOW
    history = services.history
    history.set_current_staff(history.add_staff(name="李娜", role="理财经理")["id"])
    return services, history.add_customer(name="赵姐")


@asynccontextmanager
async def pasted(text: str = CHAT, size: tuple[int, int] = (80, 24)):
    """Live at `size` with 赵姐 picked and `text` pasted and sent; yields the pilot."""
    services, customer = services_now()
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        screen._customer_picked(customer)
        screen.query_one(ChatInput).post_message(events.Paste(text))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        yield pilot


async def test_pasted_bubbles_show_a_readable_time_and_no_repeated_name():
    async with pasted() as pilot:
        screen = pilot.app.screen
        shown = {b.text: str(b.render()) for b in screen.query(Bubble) if b.speaker in ("customer", "staff")}
        assert shown["你们利息太低了"].startswith("客户 昨天 09:02"), shown
        assert shown["那你说说看吧"].startswith("客户 09:04"), shown
        assert shown["这款理财保本的，您放心"].startswith("我 09:03"), shown
        assert not any("赵姐" in text or "2026/" in text for text in shown.values()), shown


async def test_the_cards_answer_the_clear_objection_not_the_vague_last_line():
    async with pasted() as pilot:
        screen = pilot.app.screen
        assert screen.shown and all(s.tier == "sure" for s in screen.shown[:1])
        assert "家里人商量" not in screen.shown[0].title
        notice = str(screen.query_one("#suggestions .notice").render())
        assert "针对：你们利息太低了" in notice, notice


async def test_a_pasted_staff_breach_is_shown_in_place_with_the_rule_and_safer_wording():
    async with pasted() as pilot:
        screen = pilot.app.screen
        mine = next(b for b in screen.query(Bubble) if b.text == "这款理财保本的，您放心")
        shown = str(mine.render())
        assert "⚠ 含不合规表述" in shown and "可以这样说：" in shown, shown
        assert "「保本」" in shown, shown



async def test_card_search_results_are_headed_as_a_search_not_as_the_customer():
    async with pasted(text="赵姐 2026/12/6 09:02:11\n你们利息太低了") as pilot:
        screen = pilot.app.screen
        await say(pilot, "/card 家里人商量")
        heading = str(screen.query_one("#suggestions .query").render())
        assert heading.startswith("话术库搜索：家里人商量"), heading
        assert screen.shown
