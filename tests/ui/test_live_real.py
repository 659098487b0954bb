"""Live mode on the real services: shipped playbooks, real matcher, renderer, compliance,
coverage, follow-up rules and the history store on disk (in this test's COACH_HOME)."""

from __future__ import annotations

from livefakes import say, settle

from assistant.core.history import History
from assistant.ui.app import CoachApp
from assistant.ui.services import build_services


async def test_a_live_conversation_is_written_to_the_history():
    services = build_services()
    history = services.history
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    customer = history.add_customer(name="王秀英", segment="senior", products=[{"name": "稳享90天", "amount": 200000}])
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        screen._customer_picked(customer)
        await say(pilot, "我再考虑考虑")
        assert screen.shown and screen.shown[0].topic == "think_it_over"
        assert "王秀英" in screen.shown[0].reply or "【" not in screen.shown[0].reply
        await pilot.press("1", "enter")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await say(pilot, "这款理财保本保收益，您放心")
        from assistant.ui.screens.live_dialogs import ComplianceScreen

        assert isinstance(app.screen, ComplianceScreen)
        await pilot.press("escape")
        await pilot.pause()
        session_id = screen.session.session_id
        await say(pilot, "/end 待跟进")
    fresh = History()
    events = fresh.events(session_id)
    assert [e["speaker"] for e in events][:2] == ["customer", "system"] or events[0]["speaker"] == "customer"
    assert any(e.get("used_card") == "think-it-over" for e in events)
    assert fresh.session(session_id)["outcome"] == "待跟进"
    followups = fresh.list_followups(customer_id=customer["id"])
    assert len(followups) >= 2 and all(f["session_id"] == session_id for f in followups)
