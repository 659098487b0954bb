"""Every live session left open can be reached: the start offer lists all of them (not only the
newest), ending one lists the rest again, and an older one (past the offer's 7 days) resumes from
the home screen's recent list."""

from __future__ import annotations

from livefakes import T0, FakeHistory, fake_services, settle

from assistant.ui.app import CoachApp
from assistant.ui.screens.live_dialogs import OutcomeScreen, ResumeScreen


#: Two live sessions left open: 王阿姨's older, 许阿姨's newer (both within the offer's 7 days).
TWO_OPEN = (("王阿姨", "2026-11-22T09:00:00", "我再考虑考虑"), ("许阿姨", "2026-11-24T15:00:00", "利息太低了"))


def _with_open(*opened: tuple[str, str, str]) -> tuple[FakeHistory, dict[str, str]]:
    """A history whose staff member left one live session open per (customer, started, line)."""
    history = FakeHistory()
    me = history.add_staff(name="小李", role="理财经理")["id"]
    history.set_current_staff(me)
    ids = {}
    for name, started, line in opened:
        customer = history.add_customer(name=name)
        sid = history.start_session(mode="live", staff_id=me, customer_id=customer["id"], started=started)
        history.log_event(sid, "customer", line, type="line", step="handle_objection")
        ids[name] = sid
    return history, ids


async def test_the_start_offer_lists_every_open_session_and_resumes_the_one_picked():
    history, ids = _with_open(*TWO_OPEN)
    app = CoachApp(build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        offer = app.screen
        assert isinstance(offer, ResumeScreen)
        rows = [str(offer.query_one("#resume-list").get_option_at_index(i).prompt) for i in range(2)]
        assert "许阿姨" in rows[0] and "王阿姨" in rows[1]  # newest first, both reachable
        await pilot.press("down", "1")
        await settle(pilot)
        assert app.current_mode == "live" and app.screen.session.session_id == ids["王阿姨"]
        assert app.screen.session.customer["name"] == "王阿姨"
        bubbles = [(b.speaker, b.text) for b in app.screen.chat.bubbles()]
        assert bubbles[-2:] == [("customer", "我再考虑考虑"), ("system", "— 接着上次的对话继续 —")]


async def test_ending_one_from_the_offer_lists_the_rest_again():
    history, ids = _with_open(*TWO_OPEN)
    app = CoachApp(build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("2")  # 未成交
        await settle(pilot)
        assert history.sessions[ids["许阿姨"]]["outcome"] == "未成交"
        assert isinstance(app.screen, ResumeScreen)
        assert "王阿姨" in str(app.screen.query_one(".dialog-title").render())
        assert not app.screen.query("#resume-list")  # one left: said in the title, no list


async def test_an_open_session_older_than_the_offer_resumes_from_the_recent_list():
    history, ids = _with_open(("周总", "2026-11-10T10:00:00", "手续太麻烦了"))
    app = CoachApp(build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, ResumeScreen)  # 15 days old: not offered on start
        recent = app.screen.query_one("#recent")
        assert recent.get_option_at_index(0).id == ids["周总"]
        recent.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "live" and app.screen.session.session_id == ids["周总"]


async def test_the_palette_command_lists_open_sessions_or_says_there_are_none():
    history, _ = _with_open()
    app = CoachApp(build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        app.offer_resume(say_none=True)
        await pilot.pause()
        assert not isinstance(app.screen, ResumeScreen)
        assert any("没有未结束的实战" in str(n.message) for n in app._notifications)


async def test_review_c_resumes_a_highlighted_open_session_of_mine():
    from assistant.core.history import History

    history = History(clock=lambda: T0)
    history.add_staff("小李", "理财经理", id="u1")
    history.set_current_staff("u1")
    history.add_customer("周总", id="c1")
    sid = history.start_session(mode="live", staff_id="u1", customer_id="c1", started="2026-11-10T10:00:00")
    history.log_event(sid, "customer", "手续太麻烦了", type="line", step="handle_objection")
    app = CoachApp(mode="review", build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        await settle(pilot)
        review = app.screen
        assert review.rows and review.check_action("resume_session", ()) is True
        await pilot.press("c")
        await settle(pilot)
        assert app.current_mode == "live" and app.screen.session.session_id == sid
        assert app.screen.session.customer["name"] == "周总"


async def test_opening_another_mode_directly_does_not_put_the_live_offer_over_it():
    history, ids = _with_open(*TWO_OPEN)
    app = CoachApp(mode="library", build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, ResumeScreen)
        app.action_go("home")
        await settle(pilot)
        recent = app.screen.query_one("#recent")
        listed = {recent.get_option_at_index(i).id for i in range(recent.option_count)}
        assert set(ids.values()) <= listed  # still reachable from home


async def test_the_conversation_on_screen_is_not_listed_as_left_open():
    history, ids = _with_open(("王阿姨", "2026-11-22T09:00:00", "我再考虑考虑"))
    app = CoachApp(build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("1")  # carry on 王阿姨's
        await settle(pilot)
        assert app.screen.session.session_id == ids["王阿姨"]
        app.offer_resume(say_none=True)
        await pilot.pause()
        assert not isinstance(app.screen, ResumeScreen)
        assert any("没有未结束的实战" in str(n.message) for n in app._notifications)
