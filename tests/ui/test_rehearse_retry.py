"""演练 重说: after a reply that did not pass, the coach offers to say it again (ctrl+z); the
customer goes back to her line and mood as before it, the attempt stays on disk marked as taken
back, the scorecard and a resumed run count only the new reply."""

from __future__ import annotations

from rehearse_helpers import app_in, say, settle, walkthrough
from test_rehearse_screen import footer_keys, on_disk, started, texts

from assistant.core.rehearse.resume import kept, resume_rehearsal
from assistant.ui.screens.rehearse_picker import Choice
from assistant.ui.screens.rehearse_retry import OFFER, RETRIED

WALK = walkthrough()
#: A reply that covers enough of the first step for 蒋阿姨 to go on, but does not pass (71 ✗):
#: the talk moves to 提问及解析, and the coach still offers to say it again.
HALF_RIGHT = "蒋阿姨您好，现在一年期定期利率是1.45%，比以前低了"


async def test_a_poor_reply_can_be_said_again_and_only_the_new_one_counts():
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot)
        first_line = screen.run.transcript[0].customer.text
        patience = screen.run.patience_left
        await say(app, pilot, WALK["poor"][0])
        assert not screen.run.transcript[0].score.passed and not screen.run.finished
        assert texts(screen)[-1] == ("system", OFFER) and "重说" in " ".join(footer_keys(screen))

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        run = screen.run
        assert len(run.transcript) == 1 and run.transcript[0].reply is None
        assert run.patience_left == patience  # her mood as it was before the poor reply
        assert texts(screen)[-2:] == [("system", RETRIED), ("customer", first_line)]
        assert "重说" not in " ".join(footer_keys(screen))  # nothing left to take back

        await say(app, pilot, WALK["good"][0])
        assert [t.reply for t in run.transcript if t.reply] == [WALK["good"][0]]
        sid = screen.recorder.session_id
        events = on_disk().events(sid)
        assert [e["text"] for e in events if e["speaker"] == "staff"] == [WALK["poor"][0], WALK["good"][0]]
        assert [e["type"] for e in events].count("retract") == 1
        assert [e["text"] for e in kept(events) if e["speaker"] == "staff"] == [WALK["good"][0]]
        resumed = resume_rehearsal(services.library, on_disk(), on_disk().session(sid))
        assert resumed.same and [t.customer.text for t in resumed.run.transcript] == [t.customer.text for t in run.transcript]


async def test_a_half_right_reply_moves_the_talk_on_and_retry_brings_it_back_to_the_step():
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot, Choice("scenario-deposit-to-wealth", "careful-auntie", 787))
        step = screen.run.node.step
        await say(app, pilot, HALF_RIGHT)
        assert not screen.run.transcript[0].score.passed and screen.run.node.step != step
        assert ("system", OFFER) in texts(screen)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert screen.run.node.step == step and len(screen.run.transcript) == 1


async def test_no_retry_after_a_passing_reply_or_in_exam_mode():
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot)
        await say(app, pilot, WALK["good"][0])
        assert screen.run.transcript[0].score.passed and not screen.can_retry()
        assert ("system", OFFER) not in texts(screen)
        await pilot.press("ctrl+f")  # exam mode
        await pilot.pause()
        await say(app, pilot, WALK["poor"][0])
        assert not screen.can_retry() and ("system", OFFER) not in texts(screen)


def test_a_taken_back_reply_reads_as_重说_in_the_csv_export():
    from assistant.core.history.export import TYPES

    assert TYPES["retract"] == "重说"
