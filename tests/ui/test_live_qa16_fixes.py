"""Issue 16 QA, second pass on Live (real services, clock fixed): the 「客户说」 line survives a
customer switch, pasted staff lines are checked once, and a resumed session keeps its marks."""

from __future__ import annotations

from contextlib import asynccontextmanager

from livefakes import settle
from test_live_paste_qa import services_now as paste_services
from textual import events

from assistant.ui.app import CoachApp
from assistant.ui.widgets.chat_input import ChatInput

CHAT = "刘叔 09:02\n你们利息太低了\n我 09:03\n这款理财保本的，您放心\n刘叔 09:04\n那你说说看吧"


def services_now():
    """Real services on the chat's day, 李娜 signed in, 王阿姨 a customer (the chat is with 刘叔)."""
    services, _ = paste_services()
    return services, services.history.add_customer(name="王阿姨")


async def paste(pilot, text: str) -> None:
    pilot.app.screen.query_one(ChatInput).post_message(events.Paste(text))
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


@asynccontextmanager
async def live(services, size: tuple[int, int] = (80, 24)):
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot


@asynccontextmanager
async def resumed(clock):
    """The app reopened on the same home (李娜 still signed in) at `clock`, the open session resumed."""
    from assistant.ui.screens.live_dialogs import ResumeScreen
    from assistant.ui.services import build_services

    again = build_services()
    again.clock = clock
    app = CoachApp(build=lambda: again)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("1")  # 接着聊
        await settle(pilot)
        yield app


def query_line(screen) -> str:
    line = screen.query_one("#suggestions .query")
    return str(line.render()) if line.display else ""


async def test_switching_to_the_chats_customer_keeps_the_customer_said_line():
    services, customer = services_now()
    async with live(services) as pilot:
        screen = pilot.app.screen
        screen._customer_picked(customer)
        await paste(pilot, CHAT)
        assert screen.shown and query_line(screen).startswith("客户说：")
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert screen.session.customer["name"] == "刘叔"
        assert query_line(screen).startswith("客户说：") and "输入序号回车复制" in query_line(screen)
        notice = screen.query_one("#suggestions .notice")
        assert not (notice.display and "不是当前客户" in str(notice.render()))


def counting_checks(services) -> list[str]:
    """Every text the compliance check is asked about, in order (the services' check, counted)."""
    asked: list[str] = []
    from assistant.core.compliance import check as rules

    check = services.check or rules

    def counted(text, library):
        asked.append(text)
        return check(text, library)

    services.check = counted
    return asked


async def test_a_pasted_or_typed_line_of_mine_is_checked_once_and_logged_with_its_flags():
    services, customer = services_now()
    asked = counting_checks(services)
    async with live(services) as pilot:
        screen = pilot.app.screen
        screen._customer_picked(customer)
        await paste(pilot, CHAT.replace("刘叔", "王阿姨"))
        assert asked.count("这款理财保本的，您放心") == 1
        await pilot.press("ctrl+t")
        screen.query_one(ChatInput).value = "您放心，这个稳赚不赔"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")  # send it anyway from the compliance dialog
        await settle(pilot)
        assert asked.count("您放心，这个稳赚不赔") == 1
        events = services.history.events(screen.session.session_id)
        flagged = [e["text"] for e in events if e.get("speaker") == "staff" and e.get("flags")]
        assert flagged == ["这款理财保本的，您放心", "您放心，这个稳赚不赔"]


async def test_a_resumed_session_shows_the_marks_it_had_before_quitting():
    from assistant.ui.widgets.chat import Bubble

    def marks(screen) -> dict[str, str]:
        return {b.text: str(b.render()) for b in screen.query(Bubble) if b.speaker == "staff"}

    services, customer = services_now()
    async with live(services) as pilot:
        screen = pilot.app.screen
        screen._customer_picked(customer)
        await paste(pilot, CHAT.replace("刘叔", "王阿姨"))
        before = marks(screen)["这款理财保本的，您放心"]
        assert "⚠ 含不合规表述" in before and "可以这样说：" in before
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("2")  # 稍后继续
        await pilot.pause()
    async with resumed(services.clock) as app:
        after = marks(app.screen)["这款理财保本的，您放心"]
        assert after.split("\n", 1)[1] == before.split("\n", 1)[1]  # the same mark and rules (the time line aside)


async def test_a_library_preview_names_the_branch_as_live_does_not_an_example_branch():
    services, _ = services_now()
    app = CoachApp(mode="library", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.preview_card("fraud-fear-verify")
        await pilot.pause()
        preview = str(app.screen.query_one("#lib-preview").render())
        assert "问一下网点有没有李娜这个人" in preview and "幸福路支行" not in preview and "【网点名称】" not in preview


async def test_clearing_the_branch_name_goes_back_to_the_natural_word_not_a_placeholder():
    services, _ = services_now()
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app._keep_branch("人民路支行")
        assert services.renderer.render("我是{{ branch }}的", {}).text == "我是人民路支行的"
        app._keep_branch("")
        assert services.renderer.render("我是{{ branch }}的", {}).text == "我是网点的"


async def test_a_resumed_session_shows_the_chats_own_times_not_when_its_lines_were_logged():
    from datetime import timedelta

    from assistant.ui.widgets.chat import Bubble

    def stamps(screen) -> dict[str, str]:  # a bubble's first line is 「名字 时间」
        return {b.text: str(b.render()).split("\n", 1)[0] for b in screen.query(Bubble) if b.speaker != "coach"}

    services, customer = services_now()
    async with live(services) as pilot:
        pilot.app.screen._customer_picked(customer)
        await paste(pilot, "王阿姨 昨天 18:40\n你们利息太低了\n我 09:03\n您好王阿姨\n王阿姨 09:04\n那你说说看吧")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("2")  # 稍后继续
        await pilot.pause()
    later = services.clock() + timedelta(hours=5)  # reopened in the afternoon
    async with resumed(lambda: later) as app:
        shown = stamps(app.screen)
    assert shown["你们利息太低了"].endswith("昨天 18:40")
    assert shown["您好王阿姨"].endswith("09:03") and shown["那你说说看吧"].endswith("09:04")


async def test_two_cards_show_at_80x24_also_when_the_first_has_a_tip_and_the_chat_names_someone_else():
    from assistant.ui.widgets.suggestion import SuggestionCard

    services, customer = services_now()
    async with live(services) as pilot:
        screen = pilot.app.screen
        screen._customer_picked(customer)
        await paste(pilot, "张阿姨 10:32\n我的定期下周到期了\n有什么好的推荐吗")
        assert screen.shown[0].tip and len(screen.shown) >= 2  # a staff tip under the reply, a notice above
        visible = screen.query_one("#suggestions").region
        cards = [c for c in screen.query(SuggestionCard) if c.display][:2]
        assert all(visible.contains_region(c.region._replace(height=3)) for c in cards)  # title + two lines
        assert "提示（不发给客户）" in str(cards[0].render())


async def test_a_tip_for_staff_is_marked_as_such_and_its_number_copies_and_logs_nothing():
    from livefakes import say

    from assistant.ui.widgets.suggestion import SuggestionCard

    services, _ = services_now()
    async with live(services, (120, 40)) as pilot:
        app, screen = pilot.app, pilot.app.screen
        copied = []
        app.copy_to_clipboard = copied.append
        await say(pilot, "客户挺有兴趣但就是不下单")
        assert not screen.shown[0].for_customer
        card = next(c for c in screen.query(SuggestionCard) if c.index == 1)
        shown = str(card.render())
        assert card.has_class("-tip") and " 提示 " in shown and "给你的提示（不发给客户）" in shown
        assert "输入序号回车复制" not in str(screen.query_one("#suggestions .query").render())
        await say(pilot, "1")
        events = services.history.events(screen.session.session_id)
    assert copied == [] and not [e for e in events if e["speaker"] == "staff"]


async def test_a_paste_of_thousands_of_messages_reads_the_last_hundred_and_says_so():
    from assistant.ui.screens.live_commands import PASTE_MESSAGES

    services, customer = services_now()
    chat = "\n".join(f"王阿姨 {9 + i % 10}:{i % 60:02d}\n{'利息太低了' if i % 2 else '我再考虑考虑'}" for i in range(1500))
    async with live(services, (120, 40)) as pilot:
        screen = pilot.app.screen
        screen._customer_picked(customer)
        await paste(pilot, chat)
        notes = [str(b.render()) for b in screen.chat.bubbles() if b.speaker == "system"]
        assert any(f"这段聊天有 1500 条消息，实战只读最后 {PASTE_MESSAGES} 条" in n for n in notes)
        lines = [e for e in services.history.events(screen.session.session_id) if e.get("type") == "line"]
        assert len(lines) == PASTE_MESSAGES and screen.shown  # the last ones, and cards for the last
