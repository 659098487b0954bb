"""Never lose a session: quitting asks, a session left open (or a killed app) is offered on the next
start, it can be resumed or ended from there; and the app's own texts are Chinese."""

from __future__ import annotations

from livefakes import FakeHistory, fake_services, say, settle

from assistant.ui.app import CoachApp
from assistant.ui.screens.live_dialogs import OutcomeScreen, QuitScreen, ResumeScreen


def staffed(history: FakeHistory | None = None) -> FakeHistory:
    history = history or FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return history


async def test_quit_with_an_open_session_asks_and_cancel_stays():
    services = fake_services(staffed())
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "我再考虑考虑")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        labels = " ".join(str(b.label) for b in app.screen.query("Button"))
        assert "结束并记录结果" in labels and "稍后继续" in labels and "取消" in labels
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, QuitScreen)


async def test_quit_and_end_records_the_outcome_and_its_followups():
    services = fake_services(staffed())
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "我再考虑考虑")
        sid = app.screen.session.session_id
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("3")
        await pilot.pause()
    assert services.history.sessions[sid]["outcome"] == "待跟进"
    assert len(services.history.followups) == 2


async def test_quit_with_nothing_open_just_quits():
    services = fake_services(staffed())
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0 and not services.history.sessions


async def test_a_session_left_for_later_is_offered_on_the_next_start_and_resumes():
    history = staffed()
    services = fake_services(history)
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        app.screen._customer_picked(history.add_customer(name="王阿姨"))
        await say(pilot, "你们收益太低了")
        sid = app.screen.session.session_id
        step = app.screen.session.step
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
    assert "ended" not in history.sessions[sid]
    again = CoachApp(build=lambda: fake_services(history))
    async with again.run_test() as pilot:
        await settle(pilot)
        assert isinstance(again.screen, ResumeScreen)
        assert "王阿姨" in str(again.screen.query_one(".dialog-title").render())
        await pilot.press("1")
        await settle(pilot)
        live = again.screen
        assert again.current_mode == "live" and live.session.session_id == sid and live.session.step == step
        assert live.session.customer["name"] == "王阿姨"
        assert any("收益太低了" in str(b.render()) for b in live.chat.bubbles())
        await say(pilot, "我再考虑考虑")
    assert [e["session_id"] for e in history.events if e["text"] == "我再考虑考虑"] == [sid]


async def test_an_open_session_can_be_ended_from_the_start_offer():
    history = staffed()
    sid = history.start_session(mode="live", staff_id=history.current_staff()["id"], started="2026-11-25T09:00:00")
    history.log_event(sid, "customer", "我再考虑考虑", type="line", step="handle_objection")
    app = CoachApp(build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("2")  # 未成交
        await settle(pilot)
    assert history.sessions[sid]["outcome"] == "未成交" and history.sessions[sid]["furthest_step"] == "handle_objection"


async def test_end_clears_live_for_the_next_customer():
    history = staffed()
    services = fake_services(history)
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        app.screen._customer_picked(history.add_customer(name="王阿姨"))
        await say(pilot, "我再考虑考虑")
        await say(pilot, "/end 成交")
        screen = app.screen
        assert screen.session.customer is None and screen.session.session_id is None and not screen.shown
        texts = [str(b.render()) for b in screen.chat.bubbles()]
        assert len(texts) == 1 and "本次结束：成交" in texts[0] and "下一位客户" in texts[0]
        assert "王阿姨" not in str(screen.query_one("#customer").render())


async def test_command_palette_and_quit_hint_speak_chinese(monkeypatch):
    from textual.command import CommandInput, CommandList

    from assistant.ui.palette import ChinesePalette

    monkeypatch.setattr(ChinesePalette, "_NO_MATCHES_COUNTDOWN", 0.001)
    services = fake_services(staffed())
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "退出" in titles and "切换主题" in titles
        assert not {"Quit", "Keys", "Theme", "Screenshot"} & set(titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert "实战" in app.screen.query_one(CommandInput).placeholder
        app.screen._start_no_matches_countdown("zzzz")
        await pilot.pause(0.05)  # the palette's own timer (shortened above) adds the line
        options = app.screen.query_one(CommandList)
        shown = [str(getattr(o.prompt, "renderable", o.prompt)) for o in options.options]
        assert any("没有找到匹配的命令" in line for line in shown)
        await pilot.press("escape")
        app.action_help_quit()
        await pilot.pause()
        assert any("按 ctrl+q 退出" in n.message for n in app._notifications)


async def test_a_paste_typed_as_keys_is_read_as_one_chat_not_glued():
    """tmux paste-buffer without -p / old Windows consoles: the lines arrive as keys with Enter."""
    from textual import events

    history = staffed()
    services = fake_services(history)
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        app.screen._customer_picked(history.add_customer(name="王阿姨"))
        await settle(pilot)
        for ch in "张阿姨 10:32\r我的定期下周到期了\r有什么好的推荐吗\r":
            key = "enter" if ch == "\r" else "space" if ch == " " else ch
            app.post_message(events.Key(key, ch))
        await settle(pilot)
        await settle(pilot)
        said = [e["text"] for e in history.events if e["speaker"] == "customer"]
        assert said == ["我的定期下周到期了", "有什么好的推荐吗"] or said == ["我的定期下周到期了\n有什么好的推荐吗"], said
        assert app.screen.named == "张阿姨"
        assert app.screen.query_one("#say").value == ""


async def test_a_line_typed_by_hand_is_sent_on_enter():
    history = staffed()
    app = CoachApp(mode="live", build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await settle(pilot)
        for ch in "我再考虑考虑":
            await pilot.press(ch)
        await pilot.press("enter")
        await settle(pilot)
        assert [e["text"] for e in history.events if e["speaker"] == "customer"] == ["我再考虑考虑"]
        assert app.screen.query_one("#say").value == ""
