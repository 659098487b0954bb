"""Session labels (core/labels.py): a drill has no customer, so no outcome, wherever it is shown."""

from __future__ import annotations

from assistant.core.labels import NO_OUTCOME, OPEN, outcome_label, status_label


def test_a_drill_shows_no_outcome_even_when_its_record_has_one():
    """QA (issue 16): the demo data gave drills 待跟进/未成交, shown in 复盘 and on 首页."""
    ended = {"mode": "drill", "ended": "2026-11-25T10:05:00", "score": 86.4}
    assert outcome_label({**ended, "outcome": "待跟进"}) == NO_OUTCOME == "—"
    assert outcome_label(ended) == NO_OUTCOME
    assert status_label({**ended, "outcome": "未成交"}) == "— · 86分"
    assert status_label({**ended, "score": None, "replies": 1}) == NO_OUTCOME
    assert outcome_label({"mode": "drill", "ended": None}) == OPEN


def test_live_and_rehearsal_outcomes_are_unchanged():
    assert outcome_label({"mode": "live", "ended": "x", "outcome": "成交"}) == "成交"
    assert status_label({"mode": "rehearse", "ended": "x", "outcome": "待跟进", "score": 70}) == "待跟进 · 70分"
    assert outcome_label({"mode": "live", "ended": "x"}) == "已结束"
