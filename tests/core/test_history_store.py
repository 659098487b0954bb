"""The history store's API: sessions, events, filters, search, and the small tables."""

from __future__ import annotations

import itertools
import threading
from datetime import datetime, timedelta

import pytest

from assistant.core.errors import InputError, UnknownIdError
from assistant.core.history import History, SessionFilter
from assistant.paths import get_paths


def ticking(start=datetime(2026, 11, 25, 10, 0, 0)):
    counter = itertools.count()
    return lambda: start + timedelta(seconds=next(counter))


@pytest.fixture
def history() -> History:
    return History(get_paths(), clock=ticking())


def test_events_are_numbered_and_survive_reopening(history):
    sid = history.start_session("live", "u1", customer_id="c1", segment="senior")
    first = history.log_event(sid, "customer", "利息太低了")
    second = history.log_event(sid, "staff", "理解您", used_card="rate-low-other-bank")
    assert (first["seq"], second["seq"]) == (0, 1)
    history.end_session(sid, outcome="待跟进", furthest_step="handle_objection", topics=["rate_low"])
    again = History(get_paths())
    assert [e["text"] for e in again.events(sid)] == ["利息太低了", "理解您"]
    assert again.session(sid)["outcome"] == "待跟进"
    assert again.session(sid)["cards_used"] == ["rate-low-other-bank"]
    assert again.log_event(sid, "coach", "继续")["seq"] == 2


def test_start_session_keeps_given_start_time(history):
    sid = history.start_session(mode="rehearse", staff_id="u1", started="2025-01-31T23:59:00")
    assert history.session(sid)["month"] == "2025-01"
    assert (get_paths().history_dir / "sessions-2025-01.jsonl").exists()


def test_unknown_session(history):
    assert history.session("nope") is None
    with pytest.raises(UnknownIdError):
        history.log_event("nope", "customer", "你好")


def test_query_sessions_combines_filters_and_pages(history):
    for i in range(30):
        sid = history.start_session("live" if i % 2 else "rehearse", f"u{i % 3}", segment="senior",
                                    started=f"2026-11-{i % 28 + 1:02d}T09:00:00")
        history.end_session(sid, outcome=("成交", "未成交", "待跟进")[i % 3], furthest_step="recommend",
                            score=i * 3, topics=["rate_low"] if i % 5 == 0 else [])
    rows, total = history.query_sessions(SessionFilter(staff_id="u0"), limit=4)
    assert total == 10 and len(rows) == 4
    assert rows[0]["started"] >= rows[-1]["started"]
    _, total = history.query_sessions(SessionFilter(topic="rate_low", mode="rehearse"))
    assert total == 3
    _, total = history.query_sessions(SessionFilter(since="2026-11-10", until="2026-11-12"))
    assert total == 3
    _, total = history.query_sessions(SessionFilter(step="close"))
    assert total == 0
    _, total = history.query_sessions(SessionFilter(step="propose", score_min=60))
    assert total == 10
    rows, _ = history.query_sessions(sort="score", limit=1)
    assert rows[0]["score"] == 0


def test_search_is_normalized(history):
    sid = history.start_session("live", "u1")
    history.log_event(sid, "customer", "隔壁銀行給的利息比你們高！")
    history.log_event(sid, "customer", "我再考虑考虑")
    seen = []
    hits = list(history.search_events("隔壁银行给的", progress=lambda done, total: seen.append(done)))
    assert [h["seq"] for h in hits] == [0]
    assert seen
    assert list(history.search_events("考虑", cancel=lambda: True)) == []
    history.log_event(sid, "customer", "我 再考慮，考慮…ＯＫ")
    assert [h["seq"] for h in history.search_events("我再考虑考虑")] == [1, 2]
    assert [h["seq"] for h in history.search_events("考虑ok")] == [2]


def test_customers_followups_groups_flags_drill(history):
    c = history.add_customer("王阿姨", segment="senior", contact={"phone": "13800001111"})
    assert history.find_customers("wang")[0]["id"] == c["id"]
    assert history.find_customers("1111")[0]["id"] == c["id"]
    history.update_customer(c["id"], tags=["广场舞"])
    assert history.get_customer(c["id"])["tags"] == ["广场舞"]
    f = history.add_followup(customer_id=c["id"], due="2026-11-26T10:00", title="回访", rule_id="first-contact-24h")
    history.mark_followup(f["id"], "postponed", "客户出差", due="2026-11-28T10:00")
    record = history.get_followup(f["id"])
    assert record["due"] == "2026-11-28T10:00" and [h["status"] for h in record["history"]] == ["open", "postponed"]
    assert history.list_followups(due_before="2026-11-27") == []
    assert history.list_followups(status=("open", "postponed"))[0]["id"] == f["id"]
    g = history.add_group("幸福小区大众群", tier="大众", role="主管群", members=420)
    history.log_group_event(g["id"], "product_question", text="@小王 那个理财收益多少？")
    history.update_group(g["id"], members=430)
    assert history.list_groups()[0]["members"] == 430
    assert history.list_group_events(g["id"])[0]["type"] == "product_question"
    staff = history.add_staff("李娜", "理财经理")
    history.set_current_staff(staff["id"])
    assert history.current_staff()["name"] == "李娜"
    with pytest.raises(InputError):
        history.add_staff("谁", "保安")
    flag = history.add_flag("s-1", 3, "boss", "这里先认同再解释")
    assert history.unseen_flags("u1") == [flag]
    history.mark_flags_seen("s-1", "u1")
    assert history.unseen_flags("u1") == []
    d = history.upsert_drill(staff_id="u1", card_id="rate-low", step="handle_objection", box=1, due="2026-11-26")
    again = history.upsert_drill(staff_id="u1", card_id="rate-low", step="handle_objection", box=2)
    assert again["id"] == d["id"] and len(history.list_drill("u1")) == 1


def test_one_history_shared_by_threads_loses_nothing():
    """Writers append events and records while readers filter, open transcripts and list tables.

    Every write must land exactly once, seqs stay unique in the session all writers share, and
    no thread sees an exception (the History locks itself; callers take no lock).
    """
    h = History()
    writers, per_writer = 4, 40
    shared = h.start_session("live", "u0", started="2026-11-25T09:00:00")
    start = threading.Barrier(writers + 2)
    done = threading.Event()
    errors: list[BaseException] = []

    def guarded(body):
        def run():
            try:
                start.wait()
                body()
            except BaseException as exc:  # pragma: no cover - the failure being tested for
                errors.append(exc)
        return run

    def write(n: int) -> None:
        own = h.start_session("live", f"u{n}", started=f"2026-11-25T1{n}:00:00")
        for i in range(per_writer):
            h.log_event(own, "customer", f"利息太低了 {n}-{i}")
            h.log_event(shared, "staff", f"理解您 {n}-{i}")
            if i % 8 == 0:
                h.add_customer(f"客户{n}-{i}")
                h.upsert_drill(staff_id=f"u{n}", card_id="rate-low", step="handle_objection", streak=i)
        h.end_session(own, outcome="成交", furthest_step="close")

    def read() -> None:
        while not done.is_set():
            h.query_sessions(SessionFilter(outcome="成交"), limit=None)
            h.events(shared)
            h.list_customers()
            h.list_drill()
            h.session_count()

    threads = [threading.Thread(target=guarded(lambda n=n: write(n))) for n in range(writers)]
    readers = [threading.Thread(target=guarded(read)) for _ in range(2)]
    for t in threads + readers:
        t.start()
    for t in threads:
        t.join()
    done.set()
    for t in readers:
        t.join()

    assert errors == []
    for again in (h, History()):  # in memory and on disk
        events = again.events(shared)
        assert [e["seq"] for e in events] == list(range(writers * per_writer))
        assert sorted(e["text"] for e in events) == sorted(f"理解您 {n}-{i}" for n in range(writers)
                                                            for i in range(per_writer))
        won = again.query_sessions(SessionFilter(outcome="成交"), limit=None)[0]
        assert len(won) == writers and all(len(again.events(s["id"])) == per_writer for s in won)
        assert len(again.list_customers()) == writers * per_writer // 8
        assert len(again.list_drill()) == writers and again.session_count() == writers + 1
