"""Ending a session outside Live with 成交 closes the customer's earlier follow-ups; every way of
ending says which and can reopen them: 复盘 with u while on the screen, the start-up offer and
quitting in a dialog before anything else happens."""

from __future__ import annotations

from livefakes import FakeHistory, fake_services, say, settle
from test_review_import import setup

from assistant.ui.app import CoachApp
from assistant.ui.screens.live_dialogs import OutcomeScreen, ResumeScreen, SettledScreen


def footer_keys(screen) -> str:
    return " ".join(str(key.render()) for key in screen.query("FooterKey"))


def earlier_followup(history, customer_id: str) -> dict:
    return history.add_followup(customer_id=customer_id, session_id="s-earlier", title="24小时内首次回访",
                                due="2026-11-20T10:00", status="open", history=[{"time": "2026-11-19T10:00:00"}])


async def test_review_says_what_a_deal_closed_and_u_reopens_it():
    services, staff, customer = setup()
    history = services.history
    old = history.add_followup(customer_id=customer["id"], session_id="s-earlier", title="王阿姨：24小时内首次回访",
                               due="2026-11-20T10:00")
    sid = history.start_session(mode="live", staff_id=staff["id"], customer_id=customer["id"])
    history.log_event(sid, "customer", "我再考虑考虑", type="line", step="handle_objection")
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        if isinstance(app.screen, ResumeScreen):  # the start-up offer: not now
            await pilot.press("escape")
            await settle(pilot)
        review = app.screen
        assert "撤销自动完成" not in footer_keys(review)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("1")
        await settle(pilot)
        assert history.get_followup(old["id"])["status"] == "done"
        message = [n.message for n in app._notifications][-1]
        assert message.startswith("已结束并记录：成交")
        assert "\n之前的 1 个跟进已自动标为完成（按 u 撤销）：\n· 王阿姨：24小时内首次回访" in message
        assert "撤销自动完成" in footer_keys(review)
        await pilot.press("u")
        await settle(pilot)
        assert history.get_followup(old["id"])["status"] == "open"
        assert any("已撤销：1 个跟进" in n.message for n in app._notifications)
        assert "撤销自动完成" not in footer_keys(review)
        await pilot.press("u")  # nothing left to undo: the key is gone, nothing happens
        await pilot.pause()
        assert history.get_followup(old["id"])["status"] == "open"


def staffed_with_customer() -> tuple[FakeHistory, dict]:
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return history, history.add_customer(name="王阿姨")


async def test_quitting_with_a_deal_shows_what_it_closed_and_u_reopens_it_before_quitting():
    history, wang = staffed_with_customer()
    old = earlier_followup(history, wang["id"])
    app = CoachApp(mode="live", build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        app.screen._customer_picked(wang)
        await say(pilot, "我再考虑考虑")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("1")  # 结束并记录结果
        await pilot.pause()
        await pilot.press("1")  # 成交
        await pilot.pause()
        assert isinstance(app.screen, SettledScreen) and app.is_running
        note = str(app.screen.query_one("#settled-note").render())
        assert "已结束并记录：成交" in note and "之前的 1 个跟进已自动标为完成" in note and "· 24小时内首次回访" in note
        assert old["status"] == "done"
        await pilot.press("u")
        await pilot.pause()
    assert old["status"] == "open" and app.return_code == 0


async def test_ending_from_the_start_offer_with_a_deal_can_keep_or_undo():
    history, wang = staffed_with_customer()
    old = earlier_followup(history, wang["id"])
    sid = history.start_session(mode="live", staff_id=history.current_staff()["id"], customer_id=wang["id"],
                                started="2026-11-25T09:00:00")
    history.log_event(sid, "customer", "我再考虑考虑", type="line", step="handle_objection")
    app = CoachApp(build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("2")  # 结束并记录结果
        await pilot.pause()
        await pilot.press("1")  # 成交
        await settle(pilot)
        assert isinstance(app.screen, SettledScreen)
        await pilot.press("enter")  # 好的: it stays done
        await settle(pilot)
        assert not isinstance(app.screen, SettledScreen) and app.is_running
    assert history.sessions[sid]["outcome"] == "成交" and old["status"] == "done"
