"""The mutable tables at scale and under failure (issue 17): a write costs the rows it changes,
crashes lose nothing acknowledged, other processes see every write, TinyDB's API still works,
and OS trouble (a folder where a file should be, a bad lock, leftovers of killed writes) is
named in a message, never a traceback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import orjson
import pytest
from tinydb import Query

from assistant.cli import main
from assistant.core.history import History
from assistant.core.history.repair import check, repair
from assistant.core.history.state import SCHEMA_VERSION, State
from assistant.paths import get_paths


def _many(h: History, n: int) -> list[dict]:
    return h.add_customers([{"name": f"客户{i:05d}", "segment": "senior", "notes": "x" * 200} for i in range(n)])


def test_one_update_appends_one_row_and_leaves_the_snapshot_alone():
    h = History()
    rows = _many(h, 3000)
    h.state.compact()
    snapshot, log = h.state.path, h.state.log_path
    before = (snapshot.stat().st_ino, snapshot.stat().st_mtime_ns, snapshot.stat().st_size)
    h.update_customer(rows[1500]["id"], notes="电话回访过")
    assert (snapshot.stat().st_ino, snapshot.stat().st_mtime_ns, snapshot.stat().st_size) == before
    assert 0 < log.stat().st_size < 1000  # the changed row, not the 3000
    again = History()
    assert again.get_customer(rows[1500]["id"])["notes"] == "电话回访过"
    assert len(again.list_customers()) == 3000


def test_compaction_keeps_every_row(monkeypatch):
    monkeypatch.setattr(State, "COMPACT_MIN_BYTES", 2000)
    h = History()
    rows = _many(h, 50)
    for i, row in enumerate(rows):
        h.update_customer(row["id"], notes=f"第{i}次")
    h.state.remove("customers", rows[0]["id"])
    # compacted along the way: the log never grows much past the snapshot
    assert h.state.log_path.stat().st_size < h.state.path.stat().st_size + 1000
    again = History()
    notes = {c["id"]: c["notes"] for c in again.list_customers()}
    assert len(notes) == 49 and notes[rows[7]["id"]] == "第7次" and rows[0]["id"] not in notes


def test_torn_log_tail_is_not_read_and_is_cut_by_the_next_write():
    h = History()
    a = h.add_customer("王阿姨")
    with open(h.state.log_path, "ab") as f:
        f.write(b'{"t":"customers","i":"99","k":"c-torn","v":{"id":"c-to')
    again = History()
    assert [c["name"] for c in again.list_customers()] == ["王阿姨"]
    assert [f.severity for f in check(get_paths())] == ["warning"]
    again.update_customer(a["id"], notes="n")
    assert History().get_customer(a["id"])["notes"] == "n"
    assert not check(get_paths())


def test_other_processes_see_every_write_and_two_writers_lose_nothing():
    script = textwrap.dedent("""
        import sys
        from assistant.core.history import History
        h = History()
        for i in range(60):
            h.add_customer(f"{sys.argv[1]}{i}")
            if i % 20 == 0:
                h.state.compact()
    """)
    children = [subprocess.Popen([sys.executable, "-c", script, tag]) for tag in ("甲", "乙")]
    assert [c.wait(timeout=120) for c in children] == [0, 0]
    names = [c["name"] for c in History().list_customers()]
    assert len(names) == 120 and len(set(names)) == 120


def test_kill_9_during_state_writes_keeps_every_acknowledged_row():
    script = textwrap.dedent("""
        import sys
        from assistant.core.history import History
        h = History()
        c = h.add_customer("王阿姨")
        print("id", c["id"], flush=True)
        for i in range(100000):
            h.update_customer(c["id"], notes=str(i))
            h.add_followup(customer_id=c["id"], title=str(i))
            print("ack", i, flush=True)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    ident = child.stdout.readline().split()[1]
    acked = -1
    for line in child.stdout:
        acked = int(line.split()[1])
        if acked >= 40:
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    for line in child.stdout.read().splitlines():  # acknowledgements still in the pipe count too
        acked = int(line.split()[1])
    h = History()
    assert int(h.get_customer(ident)["notes"]) >= acked
    titles = {int(f["title"]) for f in h.list_followups()}
    assert set(range(acked + 1)) <= titles
    assert not [f for f in check(get_paths()) if f.severity == "error"]


def test_tinydb_api_still_works_over_the_same_rows():
    h = History()
    h.add_customer("王阿姨", segment="senior")
    table = h.state.table("customers")
    assert [d["name"] for d in table.search(Query().segment == "senior")] == ["王阿姨"]
    table.insert({"id": "c-tiny", "name": "李先生"})
    table.update({"notes": "从 TinyDB 改的"}, Query().id == "c-tiny")
    assert History().get_customer("c-tiny")["notes"] == "从 TinyDB 改的"


def test_a_schema_2_state_json_is_migrated_with_a_copy():
    path = get_paths().state_db
    path.parent.mkdir(parents=True, exist_ok=True)
    old = {"customers": {"1": {"id": "c1", "name": "王阿姨", "contact": {}}}, "meta": {"1": {"schema": 2}}}
    path.write_bytes(orjson.dumps(old))
    h = History()
    assert h.get_customer("c1")["name"] == "王阿姨"
    assert orjson.loads(path.with_name("state.json.v2.bak").read_bytes()) == old
    assert {"schema": SCHEMA_VERSION} in h.state.all("meta")


def test_stray_temp_files_are_reported_then_removed_at_open():
    home = get_paths().home
    History()
    stray = home / ".state.json.12345.tmp"
    stray.write_text('{"customers": "王阿姨 13800001111"}', encoding="utf-8")
    assert any(str(stray) == f.path and f.severity == "warning" for f in check(get_paths()))
    History()
    assert not stray.exists()


def test_duplicate_seq_cannot_happen_across_two_processes():
    h = History()
    sid = h.start_session(mode="live")
    h.log_event(sid, "customer", "开始")
    script = textwrap.dedent("""
        import sys, time
        from assistant.core.history import History
        h = History()
        h.log_event(sys.argv[1], "staff", sys.argv[2] + "准备")
        print("ready", flush=True)
        sys.stdin.readline()
        for i in range(80):
            h.log_event(sys.argv[1], "staff", sys.argv[2] + str(i))
            time.sleep(0.001)  # pacing only, so the writers take turns
    """)
    children = [subprocess.Popen([sys.executable, "-c", script, sid, tag], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True) for tag in ("甲", "乙")]
    assert [c.stdout.readline().strip() for c in children] == ["ready", "ready"]
    for c in children:
        c.stdin.write("go\n")
        c.stdin.flush()
    for i in range(80):
        h.log_event(sid, "customer", f"丙{i}")
    assert [c.wait(timeout=120) for c in children] == [0, 0]
    seqs = [e["seq"] for e in History().events(sid)]
    assert len(seqs) == 243 and sorted(seqs) == list(range(243))


def test_history_check_reports_duplicate_seq():
    h = History()
    sid = h.start_session(mode="live")
    h.log_event(sid, "customer", "一")
    h.log_event(sid, "customer", "二", seq=0)  # as two processes used to write
    found = [f for f in check(get_paths()) if "seq" in f.message]
    assert found and found[0].severity == "warning" and sid in found[0].message


def test_history_check_does_not_report_two_devices_sharing_a_seq():
    """A manager's line in a colleague's session carries its own origin: sharing a seq is legitimate."""
    h = History()
    sid = h.start_session(mode="live")
    h.log_event(sid, "customer", "一")
    journal = next(get_paths().history_dir.glob("events-*.jsonl"))
    line = json.loads(journal.read_text(encoding="utf-8").splitlines()[-1])
    with journal.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({**line, "text": "经理的批注", "origin": "d-manager"}, ensure_ascii=False, separators=(",", ":")) + "\n")
    assert not [f for f in check(get_paths()) if "seq" in f.message]


def test_journal_of_nul_bytes_is_reported_corrupt():
    History()
    path = get_paths().history_dir / "events-2026-01.jsonl"
    path.write_bytes(b"\x00" * 4096)
    assert "error" in [f.severity for f in check(get_paths()) if f.path == str(path)]


# ------------------------------------------------------------------ OS errors become messages


@pytest.mark.parametrize("command", [["customers", "list"], ["followups"], ["history", "export"],
                                     ["history", "stats"], ["history", "repair"],
                                     ["config", "set", "branch_name", "幸福路支行"]])
def test_lock_that_is_a_folder_is_a_message(command, capsys):
    History()
    lock = get_paths().lock
    lock.unlink()
    lock.mkdir()
    assert main(command) != 0
    err = capsys.readouterr().err
    assert str(lock) in err and "文件夹" in err and "Error" not in err


def test_history_check_opens_the_lock(capsys):
    History()
    lock = get_paths().lock
    lock.unlink()
    lock.mkdir()
    assert main(["history", "check"]) == 1
    out = capsys.readouterr().out
    assert str(lock) in out and "历史记录完好" not in out


@pytest.mark.parametrize("command", [["customers", "list"], ["followups"], ["history", "export"],
                                     ["history", "check"], ["history", "repair"]])
def test_state_file_that_is_a_folder_is_a_message(command, capsys):
    History()
    state = get_paths().state_db
    state.unlink()
    state.mkdir()
    code = main(command)
    captured = capsys.readouterr()
    assert code != 0 and str(state) in captured.out + captured.err
    assert "Traceback" not in captured.err and "IsADirectoryError" not in captured.err


def test_disk_full_during_customers_import_and_config_set_is_a_message(tmp_path, monkeypatch, capsys):
    import errno

    History()
    path = tmp_path / "c.csv"
    path.write_text("称呼\n王阿姨\n", encoding="utf-8")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert main(["customers", "import", str(path)]) == 1
    assert main(["config", "set", "branch_name", "幸福路支行"]) == 1
    err = capsys.readouterr().err
    assert err.count("磁盘满了") == 2 and "Traceback" not in err
    monkeypatch.undo()
    assert History().list_customers() == []  # nothing acknowledged, nothing half-written
