"""Record identity: global ids, the device id (`origin`) on every record, legacy histories."""

from __future__ import annotations

from datetime import datetime

from assistant.core.history import History
from assistant.core.history.identity import editor_of, is_global, origin_of, translate
from assistant.paths import Paths

NOW = datetime(2026, 12, 1, 10, 0)


def history(path) -> History:
    return History(Paths(path), clock=lambda: NOW)


def fill(h: History) -> dict:
    """One record of every kind; returns them by kind."""
    staff = h.add_staff("李娜", "理财经理")
    customer = h.add_customer("王阿姨")
    sid = h.start_session(staff_id=staff["id"], customer_id=customer["id"])
    h.log_event(sid, "customer", "利息太低了")
    h.end_session(sid, outcome="成交")
    return {
        "staff": staff, "customer": customer, "session": h.session(sid),
        "followup": h.add_followup(customer_id=customer["id"], session_id=sid, due="2026-12-02T10:00"),
        "flag": h.add_flag(sid, 0, staff["id"], "这里可以先共情"),
        "group": h.add_group("理财沙龙群"),
        "drill": h.upsert_drill(staff_id=staff["id"], card_id="obj-rate", step="handle_objection"),
    } | {"group_event": h.log_group_event("g-x", "post", "早上好")}


def test_every_record_carries_its_device_and_a_global_id(tmp_path):
    a, b = history(tmp_path / "a"), history(tmp_path / "b")
    ra, rb = fill(a), fill(b)
    assert a.origin != b.origin
    for kind, record in ra.items():
        assert record["origin"] == a.origin, kind
        assert is_global(record["id"]), (kind, record["id"])
        assert record["id"] != rb[kind]["id"], kind
    assert a.events(ra["session"]["id"])[0]["session_id"] == ra["session"]["id"]


def test_device_id_is_made_once_and_kept(tmp_path):
    first = history(tmp_path / "a").origin
    assert history(tmp_path / "a").origin == first
    assert len(first) == 32


def test_edits_say_when_and_where(tmp_path):
    h = history(tmp_path / "a")
    c = h.add_customer("王阿姨")
    assert "updated" not in c
    edited = h.update_customer(c["id"], notes="喜欢电话")
    assert (edited["updated"], edited["updated_by"]) == (NOW.isoformat(timespec="seconds"), h.origin)
    f = h.add_followup(customer_id=c["id"])
    assert h.mark_followup(f["id"], "done")["updated_by"] == h.origin


def test_legacy_records_belong_to_the_history_that_holds_them(tmp_path):
    h = history(tmp_path / "a")
    with h.lock.held():  # a session written by an older version: short id, no origin
        h.sessions_journal.append("2026-11", [{"id": "s-20261101-090000-abc123", "started": "2026-11-01T09:00:00",
                                                "month": "2026-11", "mode": "live"}])
    h.state.insert("customers", {"id": "c-1a2b3c4d", "name": "老客户"})
    before = (h.paths.history_dir / "sessions-2026-11.jsonl").read_bytes()
    again = history(tmp_path / "a")
    legacy = again.session("s-20261101-090000-abc123")
    assert origin_of(legacy, again.origin) == again.origin
    assert editor_of(again.get_customer("c-1a2b3c4d"), again.origin) == again.origin
    assert not is_global(legacy["id"])
    assert (h.paths.history_dir / "sessions-2026-11.jsonl").read_bytes() == before  # the past is not rewritten


def test_legacy_ids_are_qualified_by_their_device_when_they_travel():
    a, b, c = "a" * 32, "b" * 32, "c" * 32
    assert translate("c-1a2b3c4d", a, b) == "c-1a2b3c4d~aaaaaaaa"
    assert translate("c-1a2b3c4d~aaaaaaaa", b, a) == "c-1a2b3c4d"  # home again
    assert translate("c-1a2b3c4d~aaaaaaaa", b, c) == "c-1a2b3c4d~aaaaaaaa"
    assert translate("c-1a2b3c4d", a, a) == "c-1a2b3c4d"
    glob = "c-0123456789abcdef0123"
    assert translate(glob, a, b) == glob
    assert translate(None, a, b) is None


def test_device_id_survives_a_rebuilt_meta_table(tmp_path):
    h = history(tmp_path / "a")
    first = h.origin
    h.state.remove("meta", "device")  # what a migration or `history repair` may do
    assert history(tmp_path / "a").origin == first
