"""The headless and JSON scorecard name their sections and steps as the scorecard screen does."""

from __future__ import annotations

import pytest

from assistant.commands.rehearse import print_report
from assistant.core.playbooks.loader import load_library
from assistant.core.rehearse.scorecard import SKILLS_TITLE, STEPS_TITLE
from assistant.core.rehearse.session import play
from assistant.ui.screens.scorecard import scorecard_text

REPLIES = ["曹女士您好，快坐！现在一年期定期年利率是1.45%，这笔10万大概多久用不上？", "嗯。"]


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_the_json_scorecard_labels_its_steps_and_sections(library):
    report = play(library, "scenario-deposit-to-wealth", "first-timer", REPLIES)
    card = report["scorecard"]
    assert list(card["step_labels"]) == list(dict.fromkeys(card["step_labels"]))
    assert set(card["step_labels"]) == set(card["steps"])
    assert card["step_labels"]["care"] == library.step_label("care")
    assert card["titles"] == {"practise": "下次重点练", "skills": SKILLS_TITLE, "steps": STEPS_TITLE}
    # A practise item on a step is named by that step's label, as 各步骤 names it.
    step_items = [p for p in card["practise"] if p["kind"] == "step"]
    assert step_items and all(p["label"] == card["step_labels"][p["step"]] for p in step_items)


def test_headless_prints_the_screens_sections(library, capsys):
    """Headless printed 各项 and 下次练; the screen says 各项能力, 各步骤, 下次重点练."""
    print_report(play(library, "scenario-deposit-to-wealth", "first-timer", REPLIES))
    out = capsys.readouterr().out
    assert "下次重点练：\n  1. " in out and f"\n{SKILLS_TITLE}：" in out and f"\n{STEPS_TITLE}：主动关怀 " in out
    assert "下次练：" not in out and "各项：" not in out


def test_the_screen_uses_the_same_titles(library):
    from assistant.core.rehearse.sim import Rehearsal

    run = Rehearsal(library, "scenario-deposit-to-wealth", "first-timer")
    run.start()
    for text in REPLIES:
        run.reply(text)
    shown = scorecard_text(run.scorecard(), library).plain
    assert "下次重点练" in shown and SKILLS_TITLE in shown and STEPS_TITLE in shown


def test_headless_and_json_give_the_screens_red_line_verdict(library, capsys):
    """The screen said 「✗ 未过关（向客户推荐了不适合的「偏股基金」）」 while headless printed only the total."""
    from assistant.core.rehearse.session import report
    from test_played_in_tmux import offered_equity_fund

    run = offered_equity_fund(library)
    shown = report(run)
    verdict = "✗ 未过关（向客户推荐了不适合的「偏股基金」）"
    assert shown["total"] >= 70 and shown["scorecard"]["verdict"] == verdict
    assert verdict in scorecard_text(run.scorecard(), library).plain
    print_report(shown)
    assert f"总分：{shown['total']}　{verdict}\n" in capsys.readouterr().out


def test_a_clean_run_reads_passed_headless(library, capsys):
    from assistant.core.rehearse.session import report
    from assistant.core.rehearse.sim import Rehearsal

    run = Rehearsal(library, "scenario-deposit-to-wealth", "first-timer")
    run.start()
    while not run.finished and len(run.transcript) < 12:
        run.reply(run.target().model_reply)
    shown = report(run)
    assert shown["scorecard"]["passed"] and shown["scorecard"]["verdict"] == "✓ 过关"
    print_report(shown)
    assert "　✓ 过关\n" in capsys.readouterr().out
