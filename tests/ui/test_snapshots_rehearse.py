"""Snapshots of 演练 and 强化练习 (pytest-textual-snapshot). Each docstring says what a reviewer
should see. Real shipped library, a real History in the test's COACH_HOME, the clock fixed at
T0 (2026-11-25 10:00) and seed 1. Update with
`pytest tests/ui/test_snapshots_rehearse.py --snapshot-update -p no:xdist` after checking the picture."""

from __future__ import annotations

from rehearse_helpers import PERSONA, SCENARIO, T0, app_in, say, settle, walkthrough
from steady import steady

from assistant.core.rehearse.drill import new_item
from assistant.ui.screens.rehearse_picker import Choice

GOOD = walkthrough()["good"][0]


def test_rehearse_mid_conversation_with_a_scored_reply(snap_compare):
    """演练 at 100×30, adopt-call with 周叔 (seed 1): the head names the scenario, persona and
    patience dots; the chat shows the customer's first line, my reply and his next line; the right
    panel scores 第1句 with the key points I covered (my own words quoted), what I missed and the
    reference reply; the input 我说▸ waits at the bottom with the footer keys."""
    app, _, _ = app_in("rehearse")

    async def run_before(pilot):
        await settle(app, pilot)
        await pilot.press("escape")  # the picker opens by itself
        app.screen.start(Choice(SCENARIO, PERSONA, 1))
        await settle(app, pilot)
        await say(app, pilot, GOOD)
        await steady(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_drill_showing_an_exercise(snap_compare):
    """强化练习 at 80×24: the head says 今天还剩 1 题; the exercise 第1/1题 with its box and
    streak, what the customer says (in cyan) and the key points to cover as a list; no result yet;
    the input 我答▸ and the footer keys (下一题, 参考说法, PK榜)."""
    app, services, staff = app_in("drill")
    item = new_item(staff["id"], T0.date(), scenario_id=SCENARIO, node_id="summarize-situation",
                    step="summarize", label="认养电话 · 问题总结")
    services.history.upsert_drill(**{**item, "id": "d-snapshot"})  # the id seeds which customer line is drawn

    async def run_before(pilot):
        await settle(app, pilot)
        await steady(pilot)

    assert snap_compare(app, run_before=run_before)
