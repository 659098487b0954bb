"""Pilot tests of 首页: how recent sessions say they ended, and the 即将到期 follow-ups under today's.

Services are the fakes of tests/livefakes.py (clock fixed at T0 = 2026-11-25 10:00)."""

from __future__ import annotations

import io
from datetime import timedelta

from livefakes import T0, FakeHistory, fake_services, settle
from rich.console import Console

from assistant.ui.app import CoachApp
from assistant.ui.screens.home import HomeScreen, session_status


def plain(prompt, width: int = 60) -> str:
    """An option's prompt (text or a grid) as the plain text it shows at `width`."""
    console = Console(width=width, file=io.StringIO(), record=True)
    console.print(prompt)
    return console.export_text().rstrip()


def footer_keys(screen) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [k.description for k in screen.query(FooterKey)]


def recent_lines(app) -> list[str]:
    """The 最近会话 list as it reads, one session a line (its cells' words, without the padding)."""
    listing = app.screen.query_one("#recent")
    prompts = [listing.get_option_at_index(i).prompt for i in range(listing.option_count)]
    return ["".join(str(cell) for column in p.columns for cell in column.cells) if hasattr(p, "columns") else str(p)
            for p in prompts]


async def home_ready(pilot) -> None:
    """Settle, then put aside the offer to resume a live session left open (tested in test_live_sessions)."""
    from assistant.ui.screens.live_dialogs import ResumeScreen

    await settle(pilot)
    if isinstance(pilot.app.screen, ResumeScreen):
        await pilot.press("escape")
        await settle(pilot)


def known_staff() -> FakeHistory:
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return history


def at(days: int = 0, hour: int = 9) -> str:
    return (T0 + timedelta(days=days)).replace(hour=hour, minute=0).isoformat(timespec="minutes")


def session(history: FakeHistory, mode: str, started: str, **end) -> None:
    sid = history.start_session(mode=mode, staff_id="u1", started=started)
    if end:
        history.end_session(sid, **end)


async def test_recent_sessions_show_ended_drills_with_their_score_like_rehearsals():
    history = known_staff()
    session(history, "drill", at(0, 8), ended=at(0, 8), score=85, passed=True)
    session(history, "rehearse", at(-1, 15), ended=at(-1, 16), outcome="成交", score=81.6)
    session(history, "rehearse", at(-1, 14), ended=at(-1, 14), score=40)
    session(history, "live", at(-2, 10), ended=at(-2, 11), outcome="待跟进")
    session(history, "live", at(0, 9))
    services = fake_services(history)
    app = CoachApp(build=lambda: services)
    async with app.run_test() as pilot:
        await home_ready(pilot)
        recent = recent_lines(app)
    assert recent == ["11-25 09:00  实战  未结束", "11-25 08:00  强化  过关 · 85分",
                      "11-24 15:00  演练  成交 · 82分", "11-24 14:00  演练  已结束 · 40分",
                      "11-23 10:00  实战  待跟进"]


async def test_recent_sessions_are_mine_with_the_customer_and_a_manager_sees_everyones_with_names():
    history = known_staff()
    me = history.current_staff()["id"]
    boss = history.add_staff(name="周行长", role="网点负责人")
    colleague = history.add_staff(name="小王", role="大堂经理")
    wang = history.add_customer(name="王阿姨")
    history.end_session(history.start_session(mode="live", staff_id=me, customer_id=wang["id"], started=at(0, 9)),
                        ended=at(0, 9), outcome="成交")
    history.start_session(mode="live", staff_id=colleague["id"], started=at(0, 8))
    services = fake_services(history)
    app = CoachApp(build=lambda: services)
    async with app.run_test() as pilot:
        await home_ready(pilot)
        assert recent_lines(app) == ["11-25 09:00  实战  王阿姨  成交"]
    history.set_current_staff(boss["id"])
    app = CoachApp(build=lambda: services)
    async with app.run_test() as pilot:
        await home_ready(pilot)
        assert recent_lines(app) == [
            "11-25 09:00  实战  小李  王阿姨  成交", "11-25 08:00  实战  小王  未结束"]


async def test_a_recent_row_too_long_for_80_columns_stays_one_line_with_its_status_whole():
    from screen_text import region_lines

    history = known_staff()
    me = history.current_staff()["id"]
    long_name = history.add_customer(name="欧阳建国退休教师老伴的表姐")
    history.end_session(history.start_session(mode="live", staff_id=me, customer_id=long_name["id"], started=at(0, 9)),
                        ended=at(0, 9), outcome="待跟进")
    session(history, "drill", at(0, 8), ended=at(0, 8), score=75, passed=False)
    services = fake_services(history)
    app = CoachApp(build=lambda: services)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        listing = app.screen.query_one("#recent")
        rows = [line.strip(" ▊▎") for line in region_lines(app, listing.region)[1:-1]]
        rows = [row for row in rows if row]  # the list takes the rows the agenda leaves
    assert len(rows) == 2  # one line each
    assert rows[0].startswith("11-25 09:00  实战  欧阳建国") and "…" in rows[0] and rows[0].endswith("待跟进")
    assert rows[1].startswith("11-25 08:00  强化") and rows[1].endswith("未过关 · 75分")


async def test_enter_on_a_recent_session_shows_its_conversation():
    from assistant.ui.screens.transcript import TranscriptScreen

    history = known_staff()
    sid = history.start_session(mode="live", staff_id="u1", started=at(0, 9))
    history.log_event(sid, "customer", "利息太低了", time=at(0, 9))
    history.end_session(sid, ended=at(0, 9), outcome="待跟进")  # an open one carries on (test_open_sessions_reach)
    services = fake_services(history)
    app = CoachApp(build=lambda: services)
    async with app.run_test() as pilot:
        await home_ready(pilot)
        app.screen.query_one("#recent").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TranscriptScreen) and app.screen.session_id == sid


def test_session_status_without_an_end_is_in_progress_even_with_a_score():
    assert session_status({"mode": "drill", "score": 70}) == "未结束"  # the word 复盘 uses too
    assert session_status({"mode": "live", "ended": at(), "outcome": "成交"}) == "成交"


def followups(history: FakeHistory) -> None:
    history.add_followup(title="今天的", due=at(0, 15), status="open")
    history.add_followup(title="第三天的演练", due=at(3, 17), status="open", scenario_id="scenario-maturity-call")
    history.add_followup(title="明天的话术", due=at(1, 9), status="postponed", card_id="think-it-over")
    history.add_followup(title="已做完的", due=at(1, 11), status="done")
    history.add_followup(title="第四天的", due=at(4, 9), status="open")


async def test_upcoming_followups_are_listed_under_todays_soonest_first_and_open_like_them():
    history = known_staff()
    followups(history)
    services = fake_services(history)
    app = CoachApp(build=lambda: services)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert [f["title"] for f in home.items] == ["今天的"]
        assert [f["title"] for f in home.upcoming] == ["明天的话术", "第三天的演练"]
        listing = home.query_one("#agenda")
        lines = [plain(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert lines[0] == "今天 15:00 今天的"
        assert lines[1] == "即将到期（3天内）"
        assert lines[2:] == ["11-26 09:00 明天的话术  → 话术", "11-28 17:00 第三天的演练  → 演练"]
        assert listing.highlighted == 0
        await pilot.press("down")  # over the header, onto 明天的话术
        assert listing.highlighted == 2
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "live" and [c.card_id for c in app.screen.shown] == ["think-it-over"]


async def test_a_followup_card_is_rendered_for_its_customer_and_the_signed_in_staff():
    history = known_staff()
    yang = history.add_customer(name="杨老师", segment="senior")
    history.add_followup(title="杨老师：24小时内首次回访", due=at(0, 8), status="open", card_id="think-it-over",
                         customer_id=yang["id"])
    services = fake_services(history)
    app = CoachApp(build=lambda: services)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot)
        await pilot.press("enter")
        await settle(pilot)
        live = app.screen
        assert app.current_mode == "live" and live.session.customer["name"] == "杨老师"
        assert live.shown[0].reply.startswith("好的杨老师") and "王姐" not in live.shown[0].reply
        assert live.session.staff["name"] == "小李"


async def test_done_can_be_undone_and_a_colleagues_followup_is_not_mine_to_close():
    from assistant.ui.screens.live_dialogs import ConfirmScreen

    history = known_staff()
    colleague = history.add_staff(name="李娜", role="理财经理")
    theirs = history.start_session(mode="live", staff_id=colleague["id"], started=at(-1, 9), ended=at(-1, 10))
    history.add_followup(title="李娜的回访", due=at(0, 8), status="open", session_id=theirs)
    history.add_followup(title="我的提醒", due=at(0, 9), status="open")
    services = fake_services(history)
    app = CoachApp(build=lambda: services)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot)
        home = app.screen
        assert home.items[0]["title"] == "李娜的回访"
        await pilot.press("d")
        await pilot.pause()
        assert history.followups[0]["status"] == "open"
        assert any("只有李娜本人或网点负责人" in n.message for n in app._notifications)
        await pilot.press("down", "d")
        await settle(pilot)
        assert history.followups[1]["status"] == "done" and [f["title"] for f in home.items] == ["李娜的回访"]
        assert "撤销" in footer_keys(home)  # z is offered while there is something to undo
        await pilot.press("z")
        await settle(pilot)
        assert history.followups[1]["status"] == "open" and len(home.items) == 2
        assert "撤销" not in footer_keys(home)
        # the branch manager may close it, but only after saying so
        history.update_staff(history.current_staff()["id"], role="网点负责人")
        app.staff = history.current_staff()
        home.query_one("#agenda").highlighted = 0  # back on 李娜的回访
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "以网点负责人身份" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("escape")
        await pilot.pause()
        assert history.followups[0]["status"] == "open"
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert history.followups[0]["status"] == "done"


def test_a_long_title_wraps_under_itself_and_keeps_every_word():
    from assistant.ui.screens.home import _agenda_line

    title = "刘大爷：陌生存量客户认养：多次短信关怀 + 四轮电话"
    shown = plain(_agenda_line({"state": "overdue", "due": at(-2), "title": title, "scenario_id": "x"}, T0.date()), width=30)
    rows = shown.splitlines()
    assert rows[0].startswith("逾期2天 刘大爷") and all(r.startswith(" " * 8) for r in rows[1:])
    words = rows[0].split(" ", 1)[1] + "".join(r.strip() for r in rows[1:])
    assert words.replace(" ", "") == (title + "→演练").replace(" ", "")


async def test_upcoming_followup_can_be_marked_done_and_shows_when_nothing_is_due_today():
    history = known_staff()
    followups(history)
    history.followups[0]["status"] = "done"
    services = fake_services(history)
    opened = []
    app = CoachApp(build=lambda: services)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot)
        home = app.screen
        app.open_scenario = lambda scenario_id, customer_id=None: opened.append(scenario_id)
        listing = home.query_one("#agenda")
        assert home.items == [] and "今天没有到期的跟进" in plain(listing.get_option_at_index(0).prompt)
        assert listing.highlighted == 2
        await pilot.press("d")
        await pilot.pause()
        assert history.followups[2]["status"] == "done"
        assert [f["title"] for f in home.upcoming] == ["第三天的演练"]
        await pilot.press("enter")
        await pilot.pause()
        assert opened == ["scenario-maturity-call"]


def test_an_agenda_title_wraps_by_chinese_rules_under_itself():
    from rich.text import Text

    from assistant.ui.screens.home import _line

    item = {"title": "退休教师潜在群：潜在群2周复盘：有没有人晋级精英群", "card_id": "group-review"}
    for width in range(30, 50):
        lines = plain(_line(Text("逾期 11-20"), item), width).splitlines()
        assert lines[0].startswith("逾期 11-20 退休教师")
        rest = [line[len("逾期 11-20 "):] for line in lines[1:]]
        assert not any(line.lstrip().startswith(("：", "，", "。", "）", "」")) for line in rest)
        assert all(line[:len("逾期 11-20 ")].strip() == "" for line in lines[1:])  # hanging under the title
        assert "".join(line.strip() for line in lines).replace(" ", "") == "逾期11-20" + item["title"] + "→话术"


async def test_d_closes_a_followup_only_while_the_agenda_has_the_focus():
    """Found in tmux: with 最近会话 focused (tab), d closed the agenda's first item, whose
    highlight is not drawn while the agenda is not focused."""
    history = known_staff()
    history.add_followup(title="我的提醒", due=at(0, 9), status="open")
    session(history, "live", at(-1, 9), ended=at(-1, 10), outcome="成交")
    app = CoachApp(build=lambda: fake_services(history))
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        home = app.screen
        assert home.focused is home.query_one("#agenda") and "已跟进" in footer_keys(home)
        await pilot.press("tab")
        await pilot.pause()
        assert home.focused is home.query_one("#recent")
        assert "已跟进" not in footer_keys(home)
        await pilot.press("d")
        await settle(pilot)
        assert history.followups[0]["status"] == "open"
        await pilot.press("shift+tab", "d")
        await settle(pilot)
        assert history.followups[0]["status"] == "done"
