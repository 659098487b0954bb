"""An OS error from the history while the app runs (the month's journal is a folder, a file cannot
be read) is a message naming the file and what to do; the app keeps answering (issue 17)."""

from __future__ import annotations

from livefakes import say, settle

from assistant.ui.app import CoachApp
from assistant.ui.services import build_services


def _break_events_journal(services) -> str:
    """Make this month's events journal a folder, as the audit did."""
    month = services.clock().strftime("%Y-%m")
    path = services.history.paths.history_dir / f"events-{month}.jsonl"
    if path.exists():
        path.unlink()
    path.mkdir(parents=True)
    return str(path)


def _toasts(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def test_a_journal_that_is_a_folder_is_named_and_live_keeps_answering():
    from assistant.ui.widgets.chat import ChatLog
    from assistant.ui.widgets.chat_input import ChatInput

    services = build_services()
    history = services.history
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        where = _break_events_journal(services)
        await say(pilot, "利息太低了")
        assert app.problems  # remembered: `coach live` exits 1 and repeats it on stderr
        shown = _toasts(app)
        assert where in shown and "文件夹" in shown and "IsADirectoryError" not in shown
        screen = app.screen
        bubbles = lambda: [b.text for b in screen.query_one(ChatLog).bubbles()]  # noqa: E731
        assert "利息太低了" in bubbles() or "利息太低了" in screen.query_one(ChatInput).value
        assert screen.shown, "the cards are still shown though the line could not be logged"
        # still answering: the next line is taken and answered
        await say(pilot, "/note 客户下周再来")
        assert screen.query_one(ChatInput).value == "/note 客户下周再来"  # not saved, so not lost
        before = len(bubbles())
        await say(pilot, "/没有这个命令")
        assert len(bubbles()) == before + 1
        # quit → 结束并记录结果 → 待跟进: the end cannot be logged either; said, and Live stays open
        before = len(app.problems)
        for key in ("ctrl+q", "1", "3"):
            await pilot.press(key)
            await settle(pilot)
        assert len(app.problems) == before + 1 and app.screen is screen and app._exception is None
        for key in ("ctrl+q", "2"):  # 稍后继续 quits
            await pilot.press(key)
            await settle(pilot)
        assert app.return_code is not None
    assert app._exception is None


async def test_a_transcript_whose_journal_cannot_be_read_says_so_instead_of_loading_forever():
    from textual.widgets import Static

    from assistant.ui.screens.review_rows import Names
    from assistant.ui.screens.transcript import TranscriptScreen

    services = build_services()
    history = services.history
    staff = history.add_staff(name="小李", role="理财经理")
    history.set_current_staff(staff["id"])
    sid = history.start_session(mode="live", staff_id=staff["id"])
    history.log_event(sid, "customer", "利息太低了")
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        where = _break_events_journal(services)
        app.push_screen(TranscriptScreen(sid, Names.load(history, services.library)))
        await settle(pilot)
        head = str(app.screen.query_one("#transcript-head", Static).render())
        assert "正在读取" not in head and where in head
        assert where in _toasts(app) and app.problems
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, TranscriptScreen)


async def test_a_file_error_no_screen_caught_stops_the_app_with_the_message_not_a_traceback():
    import errno

    from livefakes import fake_services

    app = CoachApp(mode="live", build=fake_services)
    async with app.run_test() as pilot:
        await settle(pilot)
        app._handle_exception(PermissionError(errno.EACCES, "Permission denied", "/x/coach/state.json"))
        await pilot.pause()
    assert app.return_code == 1 and app._exception is None
    assert "/x/coach/state.json" in app.problems[-1] and "PermissionError" not in app.problems[-1]
