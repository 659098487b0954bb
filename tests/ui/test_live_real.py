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
        # what the user sees: the first card on screen, its reply addressed to the picked customer
        from assistant.ui.widgets.suggestion import SuggestionCard

        first = str(next(iter(screen.query(SuggestionCard))).render())
        assert screen.shown[0].reply.startswith("王秀英") and "【" not in screen.shown[0].reply
        assert screen.shown[0].reply[:20] in first and "我再考虑考虑" in first
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
    assert [(e["speaker"], e.get("type")) for e in events][:3] == [("customer", "line"), ("system", "step"),
                                                                    ("staff", "use")]
    assert events[0]["text"] == "我再考虑考虑"
    assert any(e.get("used_card") == "think-it-over" for e in events)
    assert fresh.session(session_id)["outcome"] == "待跟进"
    followups = fresh.list_followups(customer_id=customer["id"])
    assert len(followups) >= 2 and all(f["session_id"] == session_id for f in followups)


async def test_a_killed_app_offers_its_open_session_on_the_next_start_and_ends_it_with_followups():
    from assistant.ui.screens.live_dialogs import OutcomeScreen, ResumeScreen

    services = build_services()
    history = services.history
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    customer = history.add_customer(name="王秀英", segment="senior")
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        app.screen._customer_picked(customer)
        await say(pilot, "我再考虑考虑")
        session_id = app.screen.session.session_id
    # the test harness stops the app without its quit prompt: as a killed process would
    again = CoachApp(build=build_services)
    async with again.run_test() as pilot:
        await settle(pilot)
        assert isinstance(again.screen, ResumeScreen)
        assert "王秀英" in str(again.screen.query_one(".dialog-title").render())
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(again.screen, OutcomeScreen)
        await pilot.press("3")
        await settle(pilot)
    fresh = History()
    assert fresh.session(session_id)["outcome"] == "待跟进" and fresh.session(session_id)["ended"]
    assert len(fresh.list_followups(customer_id=customer["id"])) >= 2


async def test_a_pasted_chat_on_the_real_services():
    services = build_services()
    history = services.history
    history.set_current_staff(history.add_staff(name="李娜", role="理财经理")["id"])
    customer = history.add_customer(name="王阿姨", segment="senior", products=[
        {"name": "三年期定期", "amount": 200000, "rate": 2.15, "maturity": "2026-12-12"}])
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen._customer_picked(customer)
        from textual import events

        from assistant.ui.widgets.chat_input import ChatInput

        screen.query_one(ChatInput).post_message(events.Paste(
            "王阿姨 10:32\n我的定期下周到期了\n李娜 10:33\n阿姨好，我帮您看看\n王阿姨 10:35\n隔壁银行利息比你们高"))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert screen.shown and screen.shown[0].topic == "rate_low"
        assert "王阿姨" in screen.shown[0].reply and "20万元" in screen.shown[0].reply
        # 80×24: the first card whole and at least the head of a second one on screen
        from assistant.ui.widgets.suggestion import SuggestionCard

        assert len(screen.shown) >= 2
        visible = screen.query_one("#suggestions").region
        cards = [c for c in screen.query(SuggestionCard) if c.display][:2]
        assert all(visible.contains_region(c.region._replace(height=2)) for c in cards)
        session_id = screen.session.session_id
    lines = [(e["speaker"], e["text"]) for e in History().events(session_id) if e.get("type") == "line"]
    assert lines == [("customer", "我的定期下周到期了"), ("staff", "阿姨好，我帮您看看"), ("customer", "隔壁银行利息比你们高")]
