"""/end 成交 settles the customer's follow-ups from earlier sessions, says so, and /undo puts them back."""

from __future__ import annotations

from livefakes import FakeHistory, fake_services, say, settle

from assistant.ui.app import CoachApp


async def test_a_deal_settles_earlier_follow_ups_and_undo_reopens_them():
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    wang = history.add_customer(name="王阿姨")
    old = history.add_followup(customer_id=wang["id"], session_id="s-earlier", title="24小时内首次回访",
                               due="2026-11-20T10:00", status="open", history=[{"time": "2026-11-19T10:00:00"}])
    services = fake_services(history)
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        app.screen._customer_picked(wang)
        await say(pilot, "我再考虑考虑")
        await say(pilot, "/end 成交")
        assert old["status"] == "done"
        texts = [str(b.render()) for b in app.screen.chat.bubbles()]
        assert any("之前的 1 个跟进已自动标为完成" in t and "/undo" in t for t in texts)
        # read as every ending path reads (core's settled_note): each closed follow-up on its own line
        assert any("之前的 1 个跟进已自动标为完成（输入 /undo 撤销）：\n· 24小时内首次回访" in t for t in texts), texts
        await say(pilot, "/undo")
        assert old["status"] == "open"
        texts = [str(b.render()) for b in app.screen.chat.bubbles()]
        assert any("已撤销：1 个跟进" in t for t in texts)
        await say(pilot, "/undo")  # nothing left to undo: said, not an error
        assert "没有可以撤销的跟进" in str(app.screen.chat.bubbles()[-1].render())
