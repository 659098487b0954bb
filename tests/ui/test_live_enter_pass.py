"""What keeps Enter → cards cheap on the Live screen (issue 16, speed): once the chat holds its
rows, a new line reuses the oldest row instead of mounting one and removing another, the chat
follows the newest line inside that same layout pass, and the whole Enter is one layout pass of
the screen (mounting, removing and sizes that changed each asked for another). That pass arranges
the screen's widgets once (Textual 8.2 arranged them again at the paint's first region lookup when
a widget out of view had been updated), and a row moved to the end does not redraw the chat log's
own blank background (the rows that moved are redrawn by the pass)."""

from __future__ import annotations

from livefakes import FakeHistory, fake_services, say, settle
from textual._compositor import Compositor

from assistant.ui.app import CoachApp
from assistant.ui.widgets.chat import BubbleRow, ChatLog
from assistant.ui.widgets.suggestion import SuggestionList


def _live_app() -> CoachApp:
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return CoachApp(mode="live", build=lambda: fake_services(history))


async def _fill(pilot, count: int) -> None:
    for i in range(count):
        await say(pilot, f"利息太低了{i}")
        await settle(pilot)


def _count(monkeypatch, cls, name: str) -> list[int]:
    """From now on, each call of `cls.name` appends to the returned list."""
    calls: list[int] = []
    original = getattr(cls, name)

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, counted)
    return calls


def _count_reflows(monkeypatch) -> list[int]:
    """From now on, each layout pass of the screen appends to the returned list."""
    return _count(monkeypatch, Compositor, "reflow")


def _at_bottom(chat: ChatLog) -> bool:
    return chat.max_scroll_y > 0 and chat.scroll_y == chat.max_scroll_y


async def test_a_full_chat_reuses_its_oldest_row_and_shows_the_newest_line():
    app = _live_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        chat = app.screen.chat
        await _fill(pilot, chat.MAX_ROWS + 2)
        rows = list(chat.query(BubbleRow))
        await say(pilot, "收益太低了，不想买")
        await settle(pilot)
        assert list(chat.query(BubbleRow)) == rows[1:] + rows[:1]  # the same widgets, oldest moved last
        texts = [b.text for b in chat.bubbles()]
        assert len(texts) == chat.MAX_ROWS and texts[-1] == "收益太低了，不想买"
        assert texts[0] == f"利息太低了{3}"  # the line before it went out of the window
        assert _at_bottom(chat)


async def test_enter_lays_out_the_screen_once(monkeypatch):
    app = _live_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _fill(pilot, app.screen.chat.MAX_ROWS + 1)
        passes = _count_reflows(monkeypatch)
        arranged = _count(monkeypatch, Compositor, "_arrange_root")  # by the pass, or again by a lookup
        await say(pilot, "利息太低了0")  # cards of the same size as the last line's
        await settle(pilot)
        assert len(passes) == 1 and len(arranged) == 1
        assert _at_bottom(app.screen.chat)


async def test_a_line_added_after_scrolling_back_brings_the_chat_to_it():
    app = _live_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        chat = app.screen.chat
        await _fill(pilot, 4)
        chat.scroll_home(animate=False, immediate=True)  # the user reads back up
        await pilot.pause()
        assert not chat.following and chat.scroll_y == 0
        await say(pilot, "收益太低了")
        await settle(pilot)
        assert _at_bottom(chat)


async def test_cards_that_overflow_show_the_scrollbar_in_the_same_pass(monkeypatch):
    app = _live_app()
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        await _fill(pilot, app.screen.chat.MAX_ROWS + 1)
        cards = app.screen.query_one(SuggestionList)
        await say(pilot, "今天天气不错")  # no card: a short note, nothing to scroll
        await settle(pilot)
        assert not cards.show_vertical_scrollbar
        passes = _count_reflows(monkeypatch)
        await say(pilot, "隔壁银行利息比你们高")  # a card taller than the room for it
        await settle(pilot)
        assert len(passes) == 1
        assert cards.show_vertical_scrollbar and cards.vertical_scrollbar in app.screen._compositor.visible_widgets


async def test_the_first_line_of_a_conversation_is_one_pass_too(monkeypatch):
    """The chat's rows are mounted (hidden) with the screen: a first line shows one, not mounts one."""
    app = _live_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        passes = _count_reflows(monkeypatch)
        await say(pilot, "利息太低了")
        await settle(pilot)
        assert len(passes) == 1
        assert [b.text for b in app.screen.chat.bubbles()][-1] == "利息太低了"


async def test_the_line_that_makes_the_chat_overflow_shows_its_scrollbar_in_the_same_pass(monkeypatch):
    """Live keeps the chat's scrollbar column (scrollbar-gutter: stable): the bar is placed in the
    pass that arranges the lines, not by a second pass after it (Enter 1 of the bench drew twice)."""
    app = _live_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        chat = app.screen.chat
        passes = _count_reflows(monkeypatch)
        for i in range(chat.MAX_ROWS):
            passes.clear()
            await say(pilot, f"利息太低了{i}")
            await settle(pilot)
            assert len(passes) == 1, f"line {i}"
            if chat.show_vertical_scrollbar:
                break
        assert chat.show_vertical_scrollbar and chat.vertical_scrollbar in app.screen._compositor.visible_widgets
        assert _at_bottom(chat)


async def test_a_row_moved_to_the_end_does_not_redraw_the_chat_background(monkeypatch):
    app = _live_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        chat = app.screen.chat
        await _fill(pilot, chat.MAX_ROWS + 1)
        drawn = _count(monkeypatch, ChatLog, "render_line")
        await say(pilot, "利息太低了0")  # cards of the same size: the chat keeps its size
        await settle(pilot)
        assert drawn == []
        assert [b.text for b in chat.bubbles()][-2:] == [f"利息太低了{chat.MAX_ROWS}", "利息太低了0"]
        assert _at_bottom(chat)  # still following the newest line
