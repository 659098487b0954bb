"""复盘's transcript of a real rehearsal showed no reply's score: the recorder logs the score and its
reasons on my own line (rehearse/recorder._log_reply; a drill the same, ui/screens/drill.log_answer),
and the transcript read them only from separate score events, which only the demo data wrote."""

from __future__ import annotations

from test_review_screen import NOW, app_for, screen_of, settle

from assistant.core.history import History


async def test_a_rehearsal_reply_shows_its_score_and_reasons():
    history = History(clock=lambda: NOW)
    history.add_staff("李娜", "理财经理", id="u1")
    history.add_staff("周主任", "网点负责人", id="u9")
    sid = history.start_session(mode="rehearse", staff_id="u1", scenario_id="scen-rate")
    history.log_event(sid, "customer", "隔壁银行利息比你们高", step="handle_objection", type="line")
    history.log_event(sid, "staff", "您好", step="handle_objection", type="line", score=7,
                      reasons=["✗ 没讲到：认同比较是应该的", "✓ 礼貌用语：「您」"])
    history.end_session(sid, outcome="未成交", score=7, finished=True)
    async with app_for(history).run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen_of(pilot).open_session(sid)
        await settle(pilot)
        reply = str(pilot.app.screen.bubbles[1].render())
        assert "得分 7" in reply and "✗ 没讲到：认同比较是应该的" in reply and "✓ 礼貌用语：「您」" in reply
        said = str(pilot.app.screen.bubbles[0].render())
        assert "得分" not in said
