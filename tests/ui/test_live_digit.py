"""A lone 1/2/3/e (or any bare number) entered while no cards are shown is a key pressed too early,
not customer words: Live says so and matches nothing, logs nothing (issue 17 audit: 「1」 matched two
cards with 命中：1)."""

from __future__ import annotations

from livefakes import FakeHistory, fake_services, say, settle

from assistant.ui.app import CoachApp


def _live_app() -> tuple[FakeHistory, CoachApp]:
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return history, CoachApp(mode="live", build=lambda: fake_services(history))


async def test_a_lone_digit_with_no_cards_is_a_hint_not_a_customer_line():
    history, app = _live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        for key in ("1", "e", "12"):
            await say(pilot, key)
            last = screen.chat.bubbles()[-1]
            assert last.speaker == "system" and f"「{key}」没有当成客户的话" in last.text
        assert not screen.shown and list(history.events) == []
        await say(pilot, "我再考虑考虑")  # words still match, and then 1 picks a card
        assert screen.shown


async def test_a_pasted_line_longer_than_the_limit_is_refused_and_not_logged():
    from assistant.core.textsafe import MAX_ARG_CHARS

    history, app = _live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "利息太低了\n" + "利" * (MAX_ARG_CHARS + 1))
        last = app.screen.chat.bubbles()[-1]
        assert last.speaker == "system" and "粘贴的内容 第 2 行太长" in last.text
        assert list(history.events) == []
