"""A marketer's topic (group marketer in taxonomy.yaml: 到期提醒（T-7）, 群不活跃…) is what a staff
member asked the coach about, never a customer's objection: every listing of 异议话题 — the
dashboard panel and its export, `coach history stats`'s 常见异议话题 — leaves it out. Found in a walk:
到期提醒（T-7） was the second most common 「异议」 after a week of staff asking how to remind."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from assistant.core.history import History, stats
from assistant.core.playbooks.loader import load_library
from assistant.core.review import numbers as review

NOW = datetime(2026, 11, 25, 10, 0, 0)


@pytest.fixture(scope="module")
def library():
    return load_library()


def _history() -> History:
    h = History(clock=lambda: NOW)
    for topics in (["maturity_reminder", "rate_low"], ["maturity_reminder"], ["group_inactive", "risk_fear"]):
        sid = h.start_session(mode="live", staff_id="u1", started="2026-11-24T10:00:00")
        h.end_session(sid, outcome="待跟进", topics=topics, ended="2026-11-24T10:30:00")
    return h


def test_the_library_tells_objections_from_marketer_topics(library):
    assert library.is_objection_topic("rate_low") and not library.is_objection_topic("maturity_reminder")
    assert library.is_objection_topic("a-topic-no-longer-listed")  # nothing says it is not


def test_the_dashboard_lists_customer_objections_only(library):
    d = review.dashboard(_history(), now=NOW, library=library)
    assert {r["topic"] for r in d["topics"]} == {"rate_low", "risk_fear"}


def test_history_stats_common_objections_leave_marketer_topics_out(library):
    n = stats.compute(_history(), library=library)
    assert {r["topic"] for r in n["topics"]} == {"rate_low", "risk_fear"}


def test_without_a_taxonomy_every_topic_is_kept():
    sessions = _history().query_sessions(review.SessionFilter(), sort="started", limit=None)[0]
    rows = review.topics_week_over_week(sessions, date(2026, 11, 25))
    assert {r["topic"] for r in rows} == {"maturity_reminder", "rate_low", "group_inactive", "risk_fear"}
