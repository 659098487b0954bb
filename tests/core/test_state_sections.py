"""The state at branch scale (issue 17): a command reads only the tables it uses, a big table is
searched in its bytes without being read, an import's rows stream to the log as one batch that
nobody sees before its end (nor ever, when it was cut off), and listing streams."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date

import orjson
import pytest

from assistant.cli import main
from assistant.core.followup_rules import date_candidates
from assistant.core.followups import agenda
from assistant.core.history import History
from assistant.core.history.repair import check
from assistant.core.history.state import State
from assistant.core.history.state_files import _Batch
from assistant.core.playbooks.loader import load_library
from assistant.paths import get_paths

TODAY = date(2026, 12, 6)


def _customers(h: History, n: int, **extra) -> list[dict]:
    return h.add_customers([{"name": f"客户{i:04d}", "birthday": f"1960-0{1 + i % 9}-1{i % 10}",
                             "notes": "x" * 100, **extra} for i in range(n)])


def test_a_command_reads_only_the_tables_it_uses():
    h = History()
    _customers(h, 300)
    h.add_staff("李娜", "理财经理")
    h.state.compact()
    again = History()
    assert [s["name"] for s in again.list_staff()] == ["李娜"]
    assert "customers" not in again.state._tables  # 300 customers never read to list the staff
    assert len(again.list_customers()) == 300  # and read when asked for


def test_agenda_finds_due_customers_without_reading_the_customers_table():
    h = History()
    rows = _customers(h, 200)
    due = h.add_customer("王阿姨", birthday="1958-12-06")
    h.state.compact()
    h.update_customer(rows[5]["id"], birthday="1961-12-06")  # in the log, not the snapshot
    again = History()
    items = agenda(again, load_library(), TODAY)
    assert "customers" not in again.state._tables
    birthdays = {i.customer_id: i.customer_name for i in items if "生日" in i.title}
    assert birthdays == {due["id"]: "王阿姨", rows[5]["id"]: rows[5]["name"]}


@pytest.mark.parametrize("truncate", [False, True])
def test_searching_an_unread_table_finds_what_a_full_walk_finds(truncate):
    h = History()
    rows = _customers(h, 120)
    h.state.compact()
    if truncate:
        h.state.truncate("customers")
        _customers(h, 30)
        h.add_customer("新客户", birthday="1990-12-06")
    else:
        h.update_customer(rows[1]["id"], birthday="1970-12-05")  # moved into the window
        h.update_customer(rows[13]["id"], birthday="1970-05-05")  # moved out of it
        h.state.remove("customers", rows[23]["id"])
        h.add_customer("新客户", birthday="1990-12-06")
    keep = date_candidates(TODAY, load_library())
    searched = History().state.matching("customers", keep, keep.patterns)
    walked = [c for c in History().state.iter("customers") if keep(orjson.dumps(c))]
    assert sorted(c["id"] for c in searched) == sorted(c["id"] for c in walked) != []
    fresh = History()
    wanted = [rows[2]["id"], rows[23]["id"], "c-none"]
    assert set(fresh.get_customers(wanted)) == ({rows[2]["id"]} if not truncate else set())
    assert "customers" not in fresh.state._tables


def test_compacting_copies_an_unread_table_as_it_is(monkeypatch):
    h = History()
    _customers(h, 100)
    h.state.compact()
    monkeypatch.setattr(State, "COMPACT_MIN_BYTES", 500)
    other = History()
    for i in range(120):  # enough follow-ups that the log outgrows the snapshot and is folded into it
        other.add_followup(title=f"跟进{i}", due="2026-12-06T09:00")
    assert other.state.log_path.stat().st_size < 20_000 and "customers" not in other.state._tables
    again = History()
    assert len(again.list_customers()) == 100 and len(again.list_followups()) == 120


def test_a_batch_streams_to_the_log_and_nobody_reads_it_before_its_end(monkeypatch):
    monkeypatch.setattr(_Batch, "FLUSH_BYTES", 2000)
    h = History()
    h.add_customer("王阿姨")
    reader = History()
    with h.state.batch():
        _customers(h, 50)
        assert h.state.log_path.stat().st_size > 5000  # on disk already, not held in memory
        assert [c["name"] for c in reader.list_customers()] == ["王阿姨"]
    assert len(reader.list_customers()) == 51


def test_a_failed_batch_leaves_the_log_as_it_was(monkeypatch):
    monkeypatch.setattr(_Batch, "FLUSH_BYTES", 2000)
    h = History()
    h.add_customer("王阿姨")
    size = h.state.log_path.stat().st_size
    with pytest.raises(RuntimeError):
        with h.state.batch():
            _customers(h, 50)
            raise RuntimeError("导入到一半出错")
    assert h.state.log_path.stat().st_size == size
    assert [c["name"] for c in h.list_customers()] == ["王阿姨"] == [c["name"] for c in History().list_customers()]


def test_a_batch_cut_off_by_kill_9_is_never_read_and_the_next_write_removes_it():
    script = textwrap.dedent("""
        import time
        from assistant.core.history import History
        from assistant.core.history.state_files import _Batch
        _Batch.FLUSH_BYTES = 2000
        h = History()
        with h.state.batch():
            h.add_customers([{"name": f"导入{i}", "notes": "x" * 100} for i in range(200)])
            print("flushed", flush=True)
            time.sleep(60)
    """)
    h = History()
    h.add_customer("王阿姨")
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "flushed"
        assert [c["name"] for c in h.list_customers()] == ["王阿姨"]  # a reader open during the import
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert [c["name"] for c in History().list_customers()] == ["王阿姨"]
    found = check(get_paths())
    assert [f.severity for f in found] == ["warning"] and "批量写入" in found[0].message
    h.add_customer("李先生")
    assert sorted(c["name"] for c in History().list_customers()) == ["李先生", "王阿姨"]
    assert b"begin" not in h.state.log_path.read_bytes() and not check(get_paths())


def test_an_older_snapshot_without_sections_is_read_then_rewritten_with_them():
    path = get_paths().state_db
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [b'{"t":"meta","i":"1","v":{"schema":3}}',
             b'{"t":"customers","i":"1","k":"c1","v":{"id":"c1","name":"\xe7\x8e\x8b\xe9\x98\xbf\xe5\xa7\xa8"}}']
    path.write_bytes(b'{"coach_state":{"rows":2}}\n' + b"\n".join(lines) + b"\n")
    h = History()
    assert h.get_customer("c1")["name"] == "王阿姨"
    head = orjson.loads(path.read_bytes().split(b"\n", 1)[0])["coach_state"]
    assert set(head["tables"]) == {"meta", "customers"} and head["rows"] == 2
    assert History().get_customer("c1")["name"] == "王阿姨"


def test_import_in_chunks_and_list_streams_the_same_output(tmp_path, monkeypatch, capsys):
    from assistant.commands import customers as command

    monkeypatch.setattr(command, "CHUNK_ROWS", 7)
    path = tmp_path / "c.csv"
    rows = [f"客户{i % 20:02d},1380000{i:04d}" for i in range(45)] + ["客户03,13800000003"]  # last: a repeat
    path.write_text("称呼,手机\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["customers", "import", str(path)]) == 0
    assert "新增 45 位客户" in capsys.readouterr().out
    h = History()
    assert len(h.list_customers()) == 45
    assert main(["customers", "list", "--json"]) == 0
    assert capsys.readouterr().out == json.dumps(h.list_customers(), ensure_ascii=False, indent=2) + "\n"
    assert main(["customers", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 45 and [line.split()[1] for line in listed] == [c["name"] for c in h.list_customers()]


def test_stored_rows_cost_about_their_bytes_in_memory():
    import tracemalloc

    h = History()
    h.add_customer("预热")
    h.state.raw_rows("customers")  # the table read and indexed before measuring
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        _customers(h, 2000)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    stored = sum(map(len, h.state.raw_rows("customers").values()))
    assert grown < stored * 2.5  # orjson's 4 KB buffers kept per row made it ~10x
