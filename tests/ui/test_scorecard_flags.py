"""The scorecard's transcript lists every compliance flag its 「合规提醒 N 次」 line counts: a
warning is shown (⚠) as well as an error (✗), so the two numbers a user compares agree."""

from __future__ import annotations

from rich.text import Text

from assistant.ui.screens.scorecard import _turn_score


def test_every_counted_flag_is_listed_with_its_safer_wording():
    score = {"total": 0, "passed": False, "missed": [], "flags": [
        {"severity": "error", "quote": "保本", "safer": "这款产品不保本"},
        {"severity": "warning", "quote": "比定期高多了", "safer": "两样东西不能直接比"},
    ]}
    out = Text()
    _turn_score(out, score)
    shown = out.plain
    assert "✗合规「保本」可以这样说：这款产品不保本" in shown
    assert "⚠提醒「比定期高多了」可以这样说：两样东西不能直接比" in shown
    assert shown.count("可以这样说") == len(score["flags"])


def test_missed_points_are_told_apart_when_a_label_lists_things_itself():
    out = Text()
    _turn_score(out, {"total": 40, "missed": [("a", "问有没有买过理财、基金"), ("b", "问能接受多大的波动")], "flags": []})
    assert "漏：问有没有买过理财、基金；问能接受多大的波动" in out.plain
