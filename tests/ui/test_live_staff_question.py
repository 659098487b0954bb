"""Live on the real services: a staff member's own question typed into the 客户说 box gets its
cards, is set apart from the customer's lines (我问教练) with a note above the cards, is logged as
asked, and comes back the same way when the session is resumed."""

from __future__ import annotations

from livefakes import say, settle

from assistant.core.live.asking import ASKED_NOTE
from assistant.ui.app import CoachApp
from assistant.ui.screens.live_dialogs import ResumeScreen
from assistant.ui.services import build_services
from assistant.ui.widgets.chat import Bubble


def _bubbles(screen) -> list[tuple[str, str]]:
    return [(b.speaker, b.text) for b in screen.chat.query(Bubble) if b.display and b.text]


async def test_my_own_question_is_not_logged_as_the_customers():
    services = build_services()
    history = services.history
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        await say(pilot, "老客户多久联系一次合适？")
        assert screen.shown and screen.shown_for.asked
        assert ("ask", "老客户多久联系一次合适？") in _bubbles(screen)
        assert ASKED_NOTE in str(screen.query_one("#suggestions .notice").render())
        assert "我问：" in str(screen.query_one("#suggestions .query").render())
        await say(pilot, "收益太低了")
        assert not screen.shown_for.asked and ("customer", "收益太低了") in _bubbles(screen)
        session = screen.session
        assert session.topics == ["rate_low"]  # the question named no customer topic
        events = history.events(session.session_id)
        assert [(e["speaker"], e["type"]) for e in events if e["type"] in ("line", "ask")] == [
            ("staff", "ask"), ("customer", "line")]
    # the test harness stops the app without its quit prompt: as a killed process would
    again = CoachApp(build=lambda: services)
    async with again.run_test() as pilot:
        await settle(pilot)
        assert isinstance(again.screen, ResumeScreen)
        await pilot.press("1")
        await settle(pilot)
        screen = again.screen
        assert ("ask", "老客户多久联系一次合适？") in _bubbles(screen)
        assert ("customer", "收益太低了") in _bubbles(screen)
        assert screen.session.topics == ["rate_low"]
