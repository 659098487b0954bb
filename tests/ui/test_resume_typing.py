"""The start-up offer of a live session left open never eats what a marketer types: typing already
under way gets a toast instead of the dialog, and keys or a paste that reach the dialog step it
aside and land in the input under it, in order."""

from __future__ import annotations

import threading

from livefakes import FakeHistory, fake_services, settle
from textual import events

from assistant.ui.app import CoachApp
from assistant.ui.screens.live_dialogs import ResumeScreen
from assistant.ui.widgets.chat_input import ChatInput


def left_open() -> FakeHistory:
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    customer = history.add_customer(name="王阿姨")
    sid = history.start_session(mode="live", staff_id=history.current_staff()["id"], customer_id=customer["id"],
                                started="2026-11-25T09:00:00")
    history.log_event(sid, "customer", "我再考虑考虑", type="line", step="handle_objection")
    return history


def gated_app() -> tuple[CoachApp, threading.Event]:
    """A Live app whose services are ready only once the returned event is set."""
    services = fake_services(left_open())
    gate = threading.Event()

    def build():
        gate.wait()
        return services

    return CoachApp(mode="live", build=build), gate


async def dialog_up(app: CoachApp, gate: threading.Event, pilot) -> None:
    """Let the services load with nothing typed: the offer comes up as the dialog."""
    await pilot.pause()
    gate.set()
    await settle(pilot)
    assert isinstance(app.screen, ResumeScreen)


def typed(app: CoachApp) -> str:
    return "".join(box.value for screen in app.screen_stack for box in screen.query(ChatInput))


def toasts(app: CoachApp) -> str:
    return " ".join(str(note.message) for note in app._notifications)


async def test_typing_under_way_when_ready_gets_a_toast_not_the_dialog():
    app, gate = gated_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"ni")
        gate.set()
        await settle(pilot)
        await pilot.press(*"hao")
        await pilot.pause()
        assert not isinstance(app.screen, ResumeScreen)
        assert typed(app) == "nihao"
        assert "和王阿姨的实战" in toasts(app) and "接着未结束的实战" in toasts(app)


async def test_keys_that_reach_the_dialog_land_in_the_input_in_order():
    app, gate = gated_app()
    async with app.run_test() as pilot:
        await dialog_up(app, gate, pilot)
        for character in "你们收益太低了":  # a burst, as an IME commits a word
            app.post_message(events.Key(character, character))
        await settle(pilot)
        assert not isinstance(app.screen, ResumeScreen)
        assert typed(app) == "你们收益太低了"
        assert "和王阿姨的实战" in toasts(app)


async def test_a_paste_while_the_dialog_is_up_lands_in_the_input():
    app, gate = gated_app()
    async with app.run_test() as pilot:
        await dialog_up(app, gate, pilot)
        app.post_message(events.Paste("王阿姨：利息太低了\n王阿姨：我再想想"))
        await settle(pilot)
        assert not isinstance(app.screen, ResumeScreen)
        assert "利息太低了" in typed(app) and "我再想想" in typed(app)


async def test_the_dialogs_own_keys_still_answer_it():
    app, gate = gated_app()
    async with app.run_test() as pilot:
        await dialog_up(app, gate, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ResumeScreen) and typed(app) == ""
        assert "接着未结束的实战" not in toasts(app)
