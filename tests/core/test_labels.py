"""Session labels (core/labels.py): a drill has no customer, so no outcome, wherever it is shown."""

from __future__ import annotations

from assistant.core.labels import (
    ABANDONED, DRILL_FAILED, DRILL_PASSED, ENDED, OPEN, outcome_label, run_end_label, status_label,
)


def test_a_drill_shows_no_outcome_even_when_its_record_has_one():
    """QA (issue 16): the demo data gave drills 待跟进/未成交, shown in 复盘 and on 首页. A walk: the
    「— · 50分」 shown instead told a 网点负责人 nothing; it says 过关/未过关 by the pass mark."""
    ended = {"mode": "drill", "ended": "2026-11-25T10:05:00", "score": 86.4}
    assert outcome_label({**ended, "outcome": "待跟进"}) == DRILL_PASSED == "过关"
    assert status_label({**ended, "outcome": "未成交"}) == "过关 · 86分"
    assert status_label({**ended, "score": 50}) == "未过关 · 50分" and DRILL_FAILED == "未过关"
    assert outcome_label({**ended, "score": 86, "passed": False}) == DRILL_FAILED  # as recorded when it ended
    assert outcome_label({**ended, "score": 70}, pass_mark=60) == DRILL_PASSED
    assert status_label({**ended, "score": None, "replies": 1}) == ENDED
    assert outcome_label({"mode": "drill", "ended": None}) == OPEN
    assert "—" not in status_label(ended)


def test_live_and_rehearsal_outcomes_are_unchanged():
    assert outcome_label({"mode": "live", "ended": "x", "outcome": "成交"}) == "成交"
    assert status_label({"mode": "rehearse", "ended": "x", "outcome": "待跟进", "score": 70}) == "待跟进 · 70分"
    assert outcome_label({"mode": "live", "ended": "x"}) == "已结束"


def test_a_rehearsal_given_up_reads_unfinished_not_ended():
    """A rehearsal the customer did not end (replies ran out, 结束 pressed, left open too long)."""
    gave_up = {"mode": "rehearse", "ended": "x", "replies": 2, "score": 56, "finished": False}
    assert outcome_label(gave_up) == ABANDONED == "未完成" and status_label(gave_up) == "未完成"  # not scored
    assert outcome_label({**gave_up, "finished": True}) == ENDED  # an old record without an outcome
    assert outcome_label({**gave_up, "outcome": "待跟进"}) == "待跟进"
    assert outcome_label({**gave_up, "replies": 0}) == "没练（未回复）"
    assert run_end_label(None, False) == "未完成" and run_end_label(None, True) == ENDED
    assert run_end_label("成交", True) == "成交"
