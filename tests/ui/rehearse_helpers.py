"""Shared by the rehearse and drill screen tests: the real library and a real History in the test's
COACH_HOME, a fixed clock, a known staff member, and small Pilot helpers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ruamel.yaml import YAML

from assistant.ui.app import CoachApp
from assistant.ui.services import Services, build_services, remember_staff
from assistant.ui.widgets.chat_input import ChatInput

T0 = datetime(2026, 11, 25, 10, 0, 0)
WALKS = Path(__file__).resolve().parent.parent / "data" / "walkthroughs"
SCENARIO, PERSONA = "scenario-adopt-call", "demolition-uncle"


def walkthrough(scenario_id: str = SCENARIO) -> dict:
    """The golden walkthrough of a scenario (good and poor replies, persona, seed)."""
    return YAML(typ="safe").load((WALKS / f"{scenario_id}.yaml").read_text(encoding="utf-8"))


def services() -> Services:
    """The app's own services (real library and history) with the clock fixed at T0."""
    built = build_services()  # an import error must fail the tests, not fall back quietly
    built.clock = lambda: T0
    return built


def app_in(mode: str) -> tuple[CoachApp, Services, dict]:
    """The app opened in `mode` for 小王 (理财经理), who already said who she is."""
    staff = remember_staff({"name": "小王", "role": "理财经理"})
    built = services()
    return CoachApp(mode=mode, build=lambda: built), built, staff


async def settle(app, pilot) -> None:
    """Let workers finish and their messages be handled."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def say(app, pilot, text: str) -> None:
    """Type `text` into the screen's input and press Enter."""
    app.screen.query_one(ChatInput).value = text
    await pilot.press("enter")
    await settle(app, pilot)
