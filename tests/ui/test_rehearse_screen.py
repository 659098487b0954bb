"""Pilot tests of 演练: picker → start → reply → feedback; exam mode; hint; restart; the end.

Real shipped library and a real History in the test's COACH_HOME; each test asserts on the screen's
state, what it shows, and what the history has on disk (read back by a second History)."""

from __future__ import annotations

import random

from rehearse_helpers import PERSONA, SCENARIO, T0, app_in, say, settle, walkthrough

from assistant.core.history import History
from assistant.core.rehearse.drill import new_item
from assistant.paths import get_paths
from assistant.ui.screens.drill import DrillScreen
from assistant.ui.screens.rehearse import RehearseScreen
from assistant.ui.screens.rehearse_picker import Choice, ScenarioPicker, surprise
from assistant.ui.screens.scorecard import ScorecardScreen
from assistant.ui.widgets.chat import Bubble
from assistant.ui.widgets.feedback import FeedbackPanel

WALK = walkthrough()


def on_disk() -> History:
    """A second History over the same files: only what was written to disk is there."""
    return History(get_paths())


async def pick(app, pilot, scenario_id: str = SCENARIO, persona_id: str = PERSONA, seed: str = "1") -> RehearseScreen:
    """Choose a persona in the picker (it opens by itself) with a seed, and start."""
    picker = app.screen
    assert isinstance(picker, ScenarioPicker)
    options = picker.query_one("#rh-options")
    options.highlighted = options.get_option_index(f"{scenario_id}|{persona_id}")
    picker.query_one("#rh-seed").value = seed
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, RehearseScreen)
    return app.screen


async def started(app, pilot, choice: Choice | None = None) -> RehearseScreen:
    """Skip the picker and start `choice` (adopt-call, 周叔, seed 1 by default)."""
    await settle(app, pilot)
    await pilot.press("escape")
    screen = app.screen
    screen.start(choice or Choice(SCENARIO, PERSONA, 1))
    await settle(app, pilot)
    return screen


def texts(screen) -> list[tuple[str, str]]:
    return [(b.speaker, b.text) for b in screen.query(Bubble)]


async def test_pick_start_reply_shows_score_and_my_quoted_words_and_logs_each_line():
    app, services, staff = app_in("rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = await pick(app, pilot)
        run = screen.run
        assert (run.scenario.id, run.persona.id, run.seed) == (SCENARIO, PERSONA, 1)
        assert texts(screen)[-1] == ("customer", run.transcript[0].customer.text)
        assert screen.recorder.session_id is None  # not a practice until the first reply

        await say(app, pilot, WALK["good"][0])
        sid = screen.recorder.session_id
        score = run.transcript[0].score
        panel = screen.query_one(FeedbackPanel).plain
        assert f"第1句  {score.total}分" in panel and score.covered
        for evidence in score.covered:
            assert f"{evidence.label}「{evidence.quote}」" in panel
            assert evidence.quote in WALK["good"][0]
        if score.model_reply:
            assert score.model_reply in panel
        events = on_disk().events(sid)
        assert [e["speaker"] for e in events] == ["customer", "staff", "customer"]
        assert events[1]["score"] == score.total and events[1]["text"] == WALK["good"][0]
        assert on_disk().session(sid)["staff_id"] == staff["id"]


def footer_keys(screen) -> list[str]:
    return [str(key.render()).strip() for key in screen.query("FooterKey") if key.display]


async def test_ctrl_b_hides_and_shows_the_feedback_panel_and_the_footer_says_so():
    """Found in a walk: ctrl+b (the feedback panel) was shown nowhere on screen."""
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot)
        panel = screen.query_one(FeedbackPanel)
        assert panel.display and any("收起点评" in k for k in footer_keys(screen))
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert not panel.display and any("显示点评" in k for k in footer_keys(screen))
        assert not any("收起点评" in k for k in footer_keys(screen))
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert panel.display and any("收起点评" in k for k in footer_keys(screen))


async def test_exam_mode_hides_feedback_until_the_scorecard():
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.press("ctrl+f")
        screen = app.screen
        assert screen.exam
        screen.start(Choice(SCENARIO, PERSONA, 1))
        await settle(app, pilot)
        for line in WALK["good"][:2]:
            await say(app, pilot, line)
        assert screen.run.feedback is False
        panel = screen.query_one(FeedbackPanel).plain
        assert "考试模式" in panel and "分  " not in panel and "讲到了" not in panel
        mine = [b for b in screen.query(Bubble) if b.speaker == "staff"]
        assert len(mine) == 2 and all("分" not in str(b.render()) for b in mine)
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        assert isinstance(app.screen, ScorecardScreen)
        assert app.screen.card.replies == 2
        assert on_disk().session(screen.recorder.session_id)["score"] == app.screen.card.total
        await pilot.press("escape")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert not screen.exam and "回复后" in screen.query_one(FeedbackPanel).plain


async def test_hint_names_the_next_key_point_and_is_counted():
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        speaker, text = texts(screen)[-1]
        assert speaker == "coach" and text.startswith("提示：要点：") and "参考说法" in text
        await say(app, pilot, WALK["good"][0])
        assert screen.run.transcript[0].hints == 1
        assert on_disk().events(screen.recorder.session_id)[1]["hints"] == 1


async def test_restart_keeps_scenario_and_persona_with_a_new_seed_and_closes_the_old_session():
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot)
        await say(app, pilot, WALK["good"][0])
        old_session = screen.recorder.session_id
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        run = screen.run
        assert (run.scenario.id, run.persona.id) == (SCENARIO, PERSONA) and run.seed != 1
        assert len(run.transcript) == 1 and screen.recorder.session_id != old_session
        assert on_disk().session(old_session)["ended"]
        assert sum(1 for b in screen.query(Bubble) if b.speaker == "staff") == 0


async def test_poor_replies_until_hangup_end_with_scorecard_and_queue_drill():
    app, services, staff = app_in("rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot)
        for line in WALK["poor"] * 2:
            if screen.run.finished:
                break
            await say(app, pilot, line)
        assert screen.run.finished and screen.run.outcome == "未成交"
        assert screen.run.transcript[-1].customer.kind == "hangup"
        card = app.screen
        assert isinstance(card, ScorecardScreen) and card.card.total < 50
        # every poor reply stayed at the first node (the customer called each one out): one thing to practise
        assert card.card.practise and card.card.practise[0].step == "care"
        assert card.card.skills["opening"]["label"] == "开场"
        text = card.query_one("#rh-card-text").render()
        assert "下次重点练" in str(text) and "对话记录" in str(text)
        history = on_disk()
        assert history.session(screen.recorder.session_id)["outcome"] == "未成交"
        queued = history.list_drill(staff["id"])
        assert queued and screen.queued
        await pilot.press("d")
        await settle(app, pilot)
        assert app.current_mode == "drill" and isinstance(app.screen, DrillScreen)
        assert app.screen.items and app.screen.exercise is not None


async def test_end_asks_nothing_and_shows_the_scorecard():
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(app, pilot)
        await say(app, pilot, WALK["good"][0])
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        assert isinstance(app.screen, ScorecardScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.recorder.closed
        assert on_disk().session(screen.recorder.session_id)["score"] == screen.card.total


async def test_surprise_starts_from_my_drill_queue():
    app, services, staff = app_in("rehearse")
    item = new_item(staff["id"], T0.date(), scenario_id="scenario-maturity-call", node_id="probe-plan",
                    step="probe", label="到期提醒电话 · 提问及解析")
    services.history.upsert_drill(**item)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ScenarioPicker)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        screen = app.screen
        assert screen.run.scenario.id == "scenario-maturity-call"
        assert "练习队列" in texts(screen)[0][1]


async def test_open_scenario_while_the_picker_is_open_starts_it():
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ScenarioPicker)
        app.open_scenario("scenario-maturity-call")
        await settle(app, pilot)
        assert isinstance(app.screen, RehearseScreen)
        assert app.screen.run.scenario.id == "scenario-maturity-call"


async def test_typing_in_the_picker_filters_scenarios_and_enter_starts_the_first_match():
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        picker = app.screen
        await pilot.press(*"退休教师陈阿姨")
        await pilot.pause()
        options = picker.query_one("#rh-options")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "scenario-maturity-call|cautious-retiree" in ids
        assert not any(i and i.startswith("scenario-adopt-call") for i in ids)
        await pilot.press("enter")
        await settle(app, pilot)
        assert (app.screen.run.scenario.id, app.screen.run.persona.id) == ("scenario-maturity-call", "cautious-retiree")


def test_surprise_falls_back_to_my_lowest_scoring_scenario_then_random():
    from assistant.core.playbooks.loader import load_library

    library = load_library()
    history = History(get_paths())
    rng = random.Random(3)
    first = surprise(library, history, "me", rng)
    assert first.scenario_id in library.scenarios and "随机" in first.why
    for scenario_id, score in (("scenario-maturity-call", 90), ("scenario-adopt-call", 40), ("scenario-adopt-call", 60)):
        sid = history.start_session(mode="rehearse", staff_id="me", scenario_id=scenario_id)
        history.end_session(sid, score=score)
    other = history.start_session(mode="rehearse", staff_id="someone-else", scenario_id="scenario-birthday-care")
    history.end_session(other, score=5)
    weakest = surprise(library, history, "me", rng)
    assert weakest.scenario_id == "scenario-adopt-call" and "50分" in weakest.why


async def test_end_before_any_reply_records_nothing_and_shows_no_scorecard():
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(app, pilot)
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        assert app.screen is screen and screen.recorder.closed
        assert "不计分" in texts(screen)[-1][1]
        assert screen.recorder.session_id is None and not list(on_disk().iter_sessions())  # no reply: no session


async def test_open_scenario_from_home_starts_it_without_the_picker():
    app, services, _ = app_in("home")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.open_scenario("scenario-maturity-call")
        await settle(app, pilot)
        await settle(app, pilot)
        assert isinstance(app.screen, RehearseScreen)
        assert app.screen.run.scenario.id == "scenario-maturity-call"


async def test_every_rehearse_key_is_in_the_command_palette():
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot)
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"选场景", "提示", "考试模式", "每句点评", "重来", "结束", "收起点评"} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"提示", "enter")
        await settle(app, pilot)
        assert app.screen is screen and texts(screen)[-1][1].startswith("提示：")


async def test_the_customer_reacts_and_the_panel_says_why_with_patience_out_of_a_fixed_maximum():
    app, services, staff = app_in("rehearse")
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await started(app, pilot)
        head = lambda: str(screen.query_one("#rh-head").render())  # noqa: E731
        total = screen.run.patience_max
        assert f"{total}/{total}" in head()
        await say(app, pilot, "今天天气不错，您吃饭了吗")
        panel = screen.query_one(FeedbackPanel)
        assert "客户为什么这么说" in panel.plain and "没有接客户刚说的话" in panel.plain
        assert screen.run.transcript[-1].customer.kind == "reaction"
        assert f"{total - 1}/{total}" in head()
        events = on_disk().events(screen.recorder.session_id)
        assert events[-2]["reactions"][0]["rule"] == "ignored" and events[-1]["why"]


async def test_rehearse_from_a_follow_up_plays_that_very_customer():
    app, services, staff = app_in("rehearse")
    services.history.add_customer(id="c-wang", name="王阿姨", segment="senior", birthday="1959-06-28",
                                  products=[{"name": "三年期定期", "amount": 200000, "maturity": "2026-12-12"}])
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")
        app.open_scenario("scenario-maturity-call", "c-wang")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RehearseScreen) and screen.run.customer_id == "c-wang"
        assert screen.run.persona.title == "王阿姨（真实客户）" and screen.run.customer_name == "王阿姨"
        assert "12月12日到期" in texts(screen)[0][1]
        assert texts(screen)[0][1].count("12月12日到期") == 1  # her profile once, not again in 为什么挑这个
        await say(app, pilot, "王阿姨您好，我是支行的小王，您那笔定期快到期了，耽误您两分钟可以吗？")
        assert on_disk().session(screen.recorder.session_id)["customer_id"] == "c-wang"


async def test_an_accepted_time_closes_the_call_as_an_appointment_and_the_chat_says_so():
    """QA R1: 「行，明天上午十点可以。」 was followed by 「连续3句没有回应到客户」; now the call ends on it."""
    app, services, staff = app_in("rehearse")
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await started(app, pilot, Choice("scenario-deposit-to-wealth", "careful-auntie", 7))
        await say(app, pilot, "蒋阿姨您好，快坐。现在一年期定期利率是1.45%，这笔钱您大概多久用不上？")
        await say(app, pilot, "是啊蒋阿姨，利率这几年一直在降，您觉得少了很正常。这是您的养老钱，本金最要紧，"
                              "我建议还是继续存定期，本息都是确定的，还有存款保险保障。")
        assert "存定期" in texts(screen)[-2][1]  # she heard it: no question about 理财 next (then 进入下一步)
        # The renewal's close wants 存期、到期日、怎么办; this only books a time: an appointment.
        await say(app, pilot, "好的蒋阿姨，那您明天上午十点再过来一趟，我帮您办，方便吗？")
        assert screen.run.outcome == "待跟进"
        assert "明天上午十点" in texts(screen)[-2][1]  # her line, before the coach's end note
        assert screen._customer_note(screen.run.transcript[-1].customer).startswith("约好了时间")


async def test_a_goodbye_ends_the_call_and_the_panel_still_says_why():
    """Issue 14: 「那您先忙，我明天上午十点再打给您」 drew 「你好像没在听我说话」; now she says goodbye,
    the note under her line says the call was closed, and at the end the panel keeps the reason
    under the total (it used to show only the total)."""
    app, services, staff = app_in("rehearse")
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await started(app, pilot, Choice("scenario-payroll-executive", "busy-vp", 0))
        await say(app, pilot, "沈总您好，我是招商银行的小李，想跟您约个时间聊聊代发工资的事。")
        await say(app, pilot, "好的沈总，那您先忙，我明天上午十点再打给您。")
        await settle(app, pilot)
        assert screen.run.outcome == "待跟进"
        assert isinstance(app.screen, ScorecardScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "没在听" not in texts(screen)[-2][1]
        assert screen._customer_note(screen.run.transcript[-1].customer).startswith("你收了线")
        panel = screen.query_one(FeedbackPanel).plain
        assert "总分" in panel and "客户为什么这么说" in panel and "你主动结束了这通对话" in panel


async def test_a_wechat_customer_who_stops_is_not_said_to_hang_up():
    """Found in tmux: 邹先生 (WeChat group) left after 「保本保收益」 and the chat read 「…挂断了」."""
    app, services, staff = app_in("rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot, Choice("scenario-group-at-question", "skeptic-member", 1))
        await say(app, pilot, "放心，这款保本保收益，半年年化4%，稳赚不赔。")
        last = screen.run.transcript[-1].customer
        assert last.kind == "hangup"
        note = screen._customer_note(last)
        assert note.endswith("不聊了") and "挂断" not in note + (last.why or "")


async def test_a_line_typed_after_ctrl_g_ended_the_rehearsal_is_not_scored_nor_answered():
    """The tmux walk: ended with ctrl+g, came back from 首页, typed a line: it was scored (4分),
    the customer answered, and the ended practice went on."""
    app, services, _ = app_in("rehearse")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await started(app, pilot)
        await say(app, pilot, WALK["good"][0])
        sid = screen.recorder.session_id
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        assert isinstance(app.screen, ScorecardScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        turns, logged = len(screen.run.transcript), len(on_disk().events(sid))
        await say(app, pilot, WALK["good"][1])
        assert len(screen.run.transcript) == turns and len(on_disk().events(sid)) == logged
        assert any("这场已经结束了" in n.message for n in app._notifications)


async def test_d_on_the_scorecard_practises_what_this_run_queued_first():
    app, services, staff = app_in("rehearse")
    older = new_item(staff["id"], T0.date().replace(day=T0.day - 2), card_id="rate-low-general", label="嫌收益低")
    services.history.upsert_drill(**older)  # overdue: due order alone would show it first
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(app, pilot)
        await say(app, pilot, WALK["poor"][0])
        await pilot.press("ctrl+g")  # given up: its weak reply is still queued for drill
        await settle(app, pilot)
        assert isinstance(app.screen, ScorecardScreen) and screen.queued
        await pilot.press("d")
        await settle(app, pilot)
        drill = app.screen
        assert isinstance(drill, DrillScreen) and len(drill.items) >= 2
        assert drill.items[0]["id"] in {q["id"] for q in screen.queued} and drill.index == 0
