"""「记住这句」 can be found at 80×24 without knowing it exists: the footer shows ctrl+l 搜话术库,
after the searched card is used F8 记住这句 in its place, /help says how; the offer says what the
coach did (nothing, or only 可能是 guesses); after F8 the chat says when the line is in force. And
no footer key reads in English (a dropdown's esc Dismiss menu)."""

from __future__ import annotations

from livefakes import say, settle
from textual.widgets import Select
from textual.widgets._footer import FooterKey

from assistant.ui.app import CoachApp
from assistant.ui.services import build_services
from assistant.ui.widgets.chat import Bubble

MISSED = "我那点钱放你们这儿心里直打鼓"  # no card at all
GUESSED = "这钱我晚上想起来就心慌"  # only 可能是 cards


def footer_keys(screen) -> list[str]:
    return [k.key_display for k in screen.query(FooterKey)]


def coach_says(screen) -> list[str]:
    return [b.text for b in screen.query(Bubble)]


def _live_app():
    services = build_services()
    history = services.history
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return CoachApp(mode="live", build=lambda: services)


async def _with_customer(pilot):
    """The live screen once loaded, with 王秀英 picked."""
    await settle(pilot)
    live = pilot.app.screen
    live._customer_picked(live.services.history.add_customer(name="王秀英", segment="senior"))
    return live


async def test_each_step_of_remember_shows_its_key_and_the_offer_says_no_card():
    app = _live_app()
    async with app.run_test(size=(80, 24)) as pilot:
        live = await _with_customer(pilot)
        await say(pilot, MISSED)
        assert not live.shown
        assert "^l" in footer_keys(live) and "f8" not in footer_keys(live), footer_keys(live)
        assert "^g" in footer_keys(live)  # 结束 stays; ctrl+n 下一步 (said on the step line) gives way
        await say(pilot, "/card 怕亏钱")
        await say(pilot, "1")
        assert "f8" in footer_keys(live) and "^l" not in footer_keys(live), footer_keys(live)
        offer = next(t for t in coach_says(live) if "记住这句" in t)
        assert f"没认出「{MISSED}」" in offer and "可能是" not in offer
        await pilot.press("f8")
        await settle(pilot)
        assert "^l" in footer_keys(live) and "f8" not in footer_keys(live)
        assert any(t.startswith("已生效") and MISSED in t for t in coach_says(live)), coach_says(live)
        assert not any("十秒" in t or "正在更新" in t for t in coach_says(live))  # in force when said
        await say(pilot, "/help")
        assert "F8" in str(app.screen.query_one("#help").query(".dialog-hint").first().render())


async def test_an_offer_after_only_guesses_says_the_coach_was_unsure():
    app = _live_app()
    async with app.run_test(size=(80, 24)) as pilot:
        live = await _with_customer(pilot)
        await say(pilot, GUESSED)
        assert live.shown and all(s.tier == "maybe" for s in live.shown)
        assert "^l" in footer_keys(live)
        await say(pilot, "/card 怕亏钱")
        await say(pilot, "1")
        offer = next(t for t in coach_says(live) if "记住这句" in t)
        assert "没有把握" in offer and "可能是" in offer and "没认出" not in offer


async def test_an_open_dropdown_footer_reads_in_chinese():
    services = build_services()
    services.history.set_current_staff(services.history.add_staff(name="小李", role="理财经理")["id"])
    app = CoachApp(mode="library", build=lambda: services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        select = app.screen.query(Select).first()
        select.focus()
        await pilot.press("enter")  # the dropdown opens: Textual binds esc to "Dismiss menu"
        await settle(pilot)
        labels = [str(k.description) for k in app.screen.query(FooterKey)]
        assert "收起列表" in labels and not any("Dismiss" in label for label in labels), labels
