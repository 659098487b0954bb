"""The dashboard counts an open live session as far as it got, as 复盘's sessions list shows it:
the funnel and the objection topics agree with the list (a record gets furthest_step and topics
only when the session ends)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from assistant.core.errors import UnknownIdError
from assistant.core.history import History
from assistant.core.review import numbers as review

NOW = datetime(2026, 11, 25, 10, 0, 0)


class Cards:
    """A library with one card (topic rate_low); any other id is unknown."""

    def card(self, card_id: str):
        if card_id != "rate-card":
            raise UnknownIdError(f"没有卡片 {card_id}")
        return SimpleNamespace(card=SimpleNamespace(id=card_id, topic="rate_low"))


def _history() -> tuple[History, str]:
    h = History(clock=lambda: NOW)
    h.add_staff("李娜", "理财经理", id="u1")
    done = h.start_session(mode="live", staff_id="u1", started="2026-11-24T10:00:00")
    h.end_session(done, outcome="成交", furthest_step="close", topics=["think_it_over"], ended="2026-11-24T10:30:00")
    still = h.start_session(mode="live", staff_id="u1", started="2026-11-25T09:00:00")
    h.log_event(still, "customer", "利息太低了", step="handle_objection", matches=[{"card_id": "rate-card", "score": 80}])
    h.log_event(still, "customer", "这张卡删了", step="handle_objection", matches=[{"card_id": "gone", "score": 70}])
    return h, still


def test_an_open_session_reaches_its_step_in_the_funnel_as_the_list_shows():
    h, still = _history()
    d = review.dashboard(h, now=NOW, library=Cards())
    listed = review.so_far(h, h.session(still))["furthest_step"]
    assert listed == "handle_objection"
    live = {row["step"]: row for row in d["funnel"]["live"]}
    assert live["handle_objection"]["reached"] == 2  # the ended one (close) and the open one
    assert live["handle_objection"]["stopped"] == 1
    assert d["sessions"] == 2 and d["open"] == 1 and d["open_unread"] == 0


def test_an_open_sessions_topics_count_this_week():
    h, _ = _history()
    d = review.dashboard(h, now=NOW, library=Cards())
    assert {r["topic"]: r["this_week"] for r in d["topics"]} == {"rate_low": 1, "think_it_over": 1}


def test_open_sessions_past_the_reading_limit_are_said_not_guessed(monkeypatch):
    h, _ = _history()
    monkeypatch.setattr(review, "OPEN_READ", 0)
    d = review.dashboard(h, now=NOW, library=Cards())
    assert d["open"] == 1 and d["open_unread"] == 1
    assert {row["step"]: row["reached"] for row in d["funnel"]["live"]}["handle_objection"] == 1


def test_an_open_rehearsal_reaches_its_step_in_the_practice_funnel():
    h, _ = _history()
    run = h.start_session(mode="rehearse", staff_id="u1", started="2026-11-25T09:30:00", scenario_id="s")
    h.log_event(run, "customer", "利息太低了", step="probe")
    h.log_event(run, "staff", "王阿姨，您这笔钱打算放多久？", step="probe", score=80)
    d = review.dashboard(h, now=NOW, library=Cards())
    practice = {row["step"]: row["reached"] for row in d["funnel"]["practice"]}
    assert practice["probe"] == 1 and d["open"] == 2
    assert review.so_far(h, h.session(run))["furthest_step"] == "probe"  # what 复盘's list shows
