"""F8 「记住这句」 is in the Live footer exactly while there is a line to remember (issue 16 QA: a
6-second notice was easy to miss)."""

from __future__ import annotations

from livefakes import say, settle
from textual.widgets._footer import FooterKey

from assistant.ui.app import CoachApp
from assistant.ui.services import build_services

LINE = "我那点钱放你们这儿心里直打鼓"


def footer_keys(screen) -> list[str]:
    """The footer's keys (f8 reads 记住 at 80 columns: its short label, so F1 fits too)."""
    return [k.key_display for k in screen.query(FooterKey)]


async def test_f8_is_in_the_footer_while_a_missed_line_can_be_remembered():
    services = build_services()
    history = services.history
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        live = app.screen
        live._customer_picked(history.add_customer(name="王秀英", segment="senior"))
        await say(pilot, LINE)
        assert live.missed is not None
        assert "f8" not in footer_keys(live)
        await say(pilot, "/card 怕亏钱")
        await say(pilot, "1")
        await settle(pilot)
        assert live.remember_offer is not None
        assert "f8" in footer_keys(live), footer_keys(live)
        await pilot.press("f8")
        await settle(pilot)
        assert live.remember_offer is None
        assert "f8" not in footer_keys(live), footer_keys(live)
