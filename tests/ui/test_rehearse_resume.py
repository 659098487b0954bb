"""Pilot: a rehearsal left open when the app was closed is offered first in the picker the next time;
Enter rebuilds it where it stopped (my replies scored in the chat) and it goes on in the same session."""

from __future__ import annotations

from rehearse_helpers import app_in, say, services, settle

from assistant.core.history import History
from assistant.paths import get_paths
from assistant.ui.app import CoachApp
from assistant.ui.screens.rehearse import RehearseScreen
from assistant.ui.screens.rehearse_picker import Choice, ScenarioPicker
from assistant.ui.widgets.chat import Bubble
from assistant.ui.widgets.feedback import FeedbackPanel

SCENARIO, PERSONA = "scenario-deposit-to-wealth", "careful-auntie"
FIRST = "蒋阿姨您好，快请坐！现在一年期定期年利率是1.45%。我先问一句，这笔钱大概多久用不上？"
SECOND = "今天天气真好啊，您吃饭了吗？"


async def test_closing_the_app_mid_rehearsal_then_enter_in_the_picker_carries_it_on():
    app, _services, _staff = app_in("rehearse")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")  # the picker opened by itself: nothing open yet to offer
        screen = app.screen
        screen.start(Choice(SCENARIO, PERSONA, 42))
        await settle(app, pilot)
        await say(app, pilot, FIRST)
        await say(app, pilot, SECOND)
        then = [(t.customer.text, t.score.total if t.score else None) for t in screen.run.transcript]
        sid = screen.recorder.session_id
    # the app is closed without ending the rehearsal (ctrl+q, the window closed)

    again = CoachApp(mode="rehearse", build=services)
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(again, pilot)
        picker = again.screen
        assert isinstance(picker, ScenarioPicker)
        options = picker.query_one("#rh-options")
        first = options.get_option_at_index(options.highlighted)
        assert first.id == f"resume:{sid}" and "已答2句" in str(first.prompt)
        await pilot.press("enter")
        await settle(again, pilot)
        screen = again.screen
        assert isinstance(screen, RehearseScreen) and screen.recorder.session_id == sid
        assert [(t.customer.text, t.score.total if t.score else None) for t in screen.run.transcript] == then
        mine = [b for b in screen.query(Bubble) if b.speaker == "staff"]
        assert [b.text for b in mine] == [FIRST, SECOND]
        assert "接上了：前面已答 2 句" in screen.query_one(FeedbackPanel).plain
        assert not screen.busy and screen.run.seed == 42

        await say(again, pilot, "蒋阿姨，您喜欢存定期踏实，我完全尊重您的选择。我帮您分几份错开存期，您看好吗？")
        events = History(get_paths()).events(sid)
        assert [e["speaker"] for e in events] == ["customer", "staff"] * 3 + ["customer"]
        assert [e["seq"] for e in events] == list(range(7))


async def test_enter_on_my_unfinished_rehearsal_on_the_home_screen_carries_it_on():
    app, _services, _staff = app_in("rehearse")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")
        app.screen.start(Choice(SCENARIO, PERSONA, 42))
        await settle(app, pilot)
        await say(app, pilot, FIRST)
        sid = app.screen.recorder.session_id

    home = CoachApp(build=services)
    async with home.run_test(size=(120, 36)) as pilot:
        await settle(home, pilot)
        recent = home.screen.query_one("#recent")
        recent.focus()
        assert recent.get_option_at_index(recent.highlighted).id == sid
        await pilot.press("enter")
        await settle(home, pilot)
        assert isinstance(home.screen, RehearseScreen), "the open rehearsal, not its transcript nor the picker"
        assert home.screen.recorder.session_id == sid and home.screen.run.seed == 42
        assert [b.text for b in home.screen.query(Bubble) if b.speaker == "staff"] == [FIRST]


def test_loading_the_app_closes_rehearsals_left_open_past_the_window():
    import datetime as dt

    from assistant.core.history import History
    from assistant.ui.services import close_stale

    old = (dt.datetime.now() - dt.timedelta(days=30)).isoformat(timespec="seconds")
    history = History()
    sid = history.start_session(mode="rehearse", staff_id="s1", scenario_id="x", started=old)
    history.log_event(sid, "staff", "您好", type="line", score=60)
    close_stale(history)
    assert History().session(sid)["finished"] is False and History().session(sid)["ended"]
