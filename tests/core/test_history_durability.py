"""Durability: kill -9 mid-write, two writers at once, damaged files, migration, permissions."""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import orjson
import pytest

from assistant.core.errors import HistoryCorruptError
from assistant.core.history import History
from assistant.core.history.repair import check, repair
from assistant.core.history.state import SCHEMA_VERSION
from assistant.paths import get_paths

REPO = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent("""
    import sys
    from assistant.core.history import History
    h = History()
    sid = h.start_session("live", sys.argv[1])
    print("session", sid, flush=True)
    for i in range(int(sys.argv[2])):
        h.log_event(sid, "customer", "利息太低了，隔壁银行三年期都两点几了" * 3, n=i)
        if i % 7 == 0:
            h.add_customer(f"{sys.argv[1]}客户{i}")
        print("ack", i, flush=True)
""")


def spawn(name: str, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, name, str(count)], stdout=subprocess.PIPE,
                            text=True, cwd=REPO, env=os.environ.copy())


@pytest.mark.parametrize("kill_after", [1, 37, 150])
def test_kill_9_mid_write_keeps_every_acknowledged_event(kill_after):
    child = spawn("u1", 100000)
    sid = child.stdout.readline().split()[1]
    acked = -1
    while acked < kill_after:
        acked = int(child.stdout.readline().split()[1])
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    for line in child.stdout.read().splitlines():  # acks written before the kill, still in the pipe
        if line.startswith("ack"):
            acked = int(line.split()[1])
    h = History()
    numbers = [e["n"] for e in h.events(sid)]
    assert numbers[: acked + 1] == list(range(acked + 1))  # acknowledged ones all there, in order
    assert len(numbers) <= acked + 2  # at most the one being written when killed
    assert h.log_event(sid, "staff", "继续")["seq"] == len(numbers)
    assert not [f for f in check(get_paths()) if f.severity == "error"]


def _record_syncs(monkeypatch) -> list[tuple[str, int]]:
    """Every os.write and os.fsync in order, with its descriptor."""
    calls: list[tuple[str, int]] = []
    real_write, real_fsync = os.write, os.fsync

    def write(fd, data):
        calls.append(("write", fd))
        return real_write(fd, data)

    def fsync(fd):
        calls.append(("fsync", fd))
        return real_fsync(fd)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)
    return calls


def _synced_after_last_write(calls: list[tuple[str, int]], path: Path) -> bool:
    inode = path.stat().st_ino
    ours = [(op, fd) for op, fd in calls if _inode(fd) == inode]
    last_write = max((i for i, (op, _) in enumerate(ours) if op == "write"), default=None)
    return last_write is not None and any(op == "fsync" for op, _ in ours[last_write + 1:])


def _inode(fd: int) -> int | None:
    try:
        return os.fstat(fd).st_ino
    except OSError:
        return None


def test_an_event_is_fsynced_before_log_event_returns(monkeypatch):
    h = History()
    sid = h.start_session(mode="live")
    h.log_event(sid, "customer", "打开描述符")  # the journal's descriptor is open and cached now
    calls = _record_syncs(monkeypatch)
    h.log_event(sid, "customer", "利息太低了")
    assert _synced_after_last_write(calls, h.events_journal.path(h.session(sid)["month"]))


def test_a_state_change_is_fsynced_before_it_returns(monkeypatch):
    h = History()
    c = h.add_customer("王阿姨")
    calls = _record_syncs(monkeypatch)
    fds: list[int] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda *a, **k: fds.append(real_open(*a, **k)) or fds[-1])
    h.update_customer(c["id"], notes="电话回访过")
    log = h.state.log_path
    assert any(op == "write" for op, fd in calls if fd in fds)
    last = max(i for i, (op, fd) in enumerate(calls) if op == "write")
    assert ("fsync", calls[last][1]) in calls[last + 1:] and log.stat().st_size > 0


def test_torn_last_line_is_ignored_then_set_aside():
    h = History()
    sid = h.start_session("live", "u1")
    h.log_event(sid, "customer", "第一句")
    path = get_paths().history_dir / f"events-{h.session(sid)['month']}.jsonl"
    with open(path, "ab") as f:
        f.write(b'{"session_id":"' + sid.encode() + '","seq":1,"text":"半'.encode())
    again = History()
    assert [e["text"] for e in again.events(sid)] == ["第一句"]
    assert any(f.severity == "warning" and "没写完" in f.message for f in check(get_paths()))
    again.log_event(sid, "customer", "第二句")
    assert [e["text"] for e in History().events(sid)] == ["第一句", "第二句"]
    assert path.with_name(path.name + ".torn").read_bytes().startswith(b'{"session_id"')


def test_two_writers_lose_nothing():
    a, b = spawn("a", 300), spawn("b", 300)
    outs = [p.communicate()[0] for p in (a, b)]
    assert [p.returncode for p in (a, b)] == [0, 0]
    h = History()
    sids = [out.split()[1] for out in outs]
    for sid in sids:
        assert [e["n"] for e in h.events(sid)] == list(range(300))
    assert len(h.list_customers()) == 2 * len(range(0, 300, 7))
    assert h.session_count() == 2


# ------------------------------------------------------------------ damaged files


def _session_with_events(n: int = 3) -> tuple[str, Path]:
    h = History()
    sid = h.start_session("live", "u1")
    for i in range(n):
        h.log_event(sid, "customer", f"第{i}句")
    return sid, get_paths().history_dir / f"events-{h.session(sid)['month']}.jsonl"


def test_bad_line_in_events_is_named_left_alone_and_repaired():
    sid, path = _session_with_events()
    lines = path.read_bytes().splitlines(keepends=True)
    damaged = lines[0] + b"\x00\x00garbage\n" + b"".join(lines[1:])
    path.write_bytes(damaged)
    with pytest.raises(HistoryCorruptError) as err:
        History().events(sid)
    assert str(path) in str(err.value) and "第 2 行第 1 个字符起" in str(err.value) and "coach history repair" in str(err.value)
    # the JSON parser's own English (unexpected character, expected value: line 1 column 1) stays out
    assert not re.search(r"[a-z]{4,}", re.sub(r"`coach history \w+`", "", str(err.value).replace(str(path), "")))
    assert path.read_bytes() == damaged
    assert check(get_paths())[0].severity == "error"
    done = repair(get_paths())
    assert done and [e["text"] for e in History().events(sid)] == ["第0句", "第1句", "第2句"]
    aside = list(path.parent.glob(path.name + ".bad-*"))
    assert len(aside) == 1 and b"garbage" in aside[0].read_bytes()
    assert not [f for f in check(get_paths()) if f.severity == "error"]


def test_foreign_journal_is_refused():
    History()
    path = get_paths().history_dir / "sessions-2026-01.jsonl"
    path.write_text("name,phone\n王阿姨,13800001111\n", encoding="utf-8")
    with pytest.raises(HistoryCorruptError, match="sessions-2026-01.jsonl"):
        History()
    assert path.read_text(encoding="utf-8").startswith("name,phone")


def _state_with_records() -> Path:
    h = History()
    for i in range(5):
        h.add_customer(f"客户{i}", segment="senior")
    h.add_staff("李娜", "理财经理")
    h.state.compact()  # the records in the snapshot, the file damaged below
    return get_paths().state_db


@pytest.mark.parametrize("damage, found", [
    (lambda raw: raw[: len(raw) * 2 // 3], "不是完整的"),
    (lambda raw: b"", "空的"),
    (lambda raw: b"[1, 2, 3]", "不是 coach"),
    (lambda raw: b'{"customers": [1, 2]}', "不像是 coach"),
])
def test_damaged_state_is_named_left_alone_and_repaired(damage, found):
    path = _state_with_records()
    raw = damage(path.read_bytes())
    path.write_bytes(raw)
    with pytest.raises(HistoryCorruptError) as err:
        History()
    assert str(path) in str(err.value) and found in str(err.value) and "coach history check" in str(err.value)
    assert path.read_bytes() == raw
    repair(get_paths())
    h = History()  # opens again, with every record that could be read
    aside = list(path.parent.glob("state.json.bad-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == raw
    if found == "不是完整的":
        assert 1 <= len(h.list_customers()) < 5


def test_migrates_version_1_and_keeps_a_copy():
    path = get_paths().state_db
    path.parent.mkdir(parents=True, exist_ok=True)
    v1 = {"customers": {"1": {"id": "c1", "name": "王阿姨", "phone": "13800001111", "wechat": "wang"}},
          "followups": {"1": {"id": "f1", "customer_id": "c1", "due": "2026-11-26T09:00", "done": True},
                        "2": {"id": "f2", "customer_id": "c1", "due": "2026-11-27T09:00"}}}
    path.write_bytes(orjson.dumps(v1))
    h = History()
    assert h.get_customer("c1")["contact"] == {"phone": "13800001111", "wechat": "wang", "allow": ["wechat", "phone"]}
    assert [f["status"] for f in h.list_followups()] == ["done", "open"]
    assert h.state.all("meta") == [{"schema": SCHEMA_VERSION}]
    assert path.read_bytes().startswith(b'{"coach_state":')  # the snapshot in lines, with a state.log beside it
    assert orjson.loads(path.with_name("state.json.v1.bak").read_bytes()) == v1


def test_newer_schema_is_refused_untouched():
    path = get_paths().state_db
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"meta": {"1": {"schema": 99}}}')
    with pytest.raises(Exception, match="更新版本"):
        History()
    assert path.read_bytes() == b'{"meta": {"1": {"schema": 99}}}'


def test_files_are_owner_only_even_with_a_loose_umask():
    old = os.umask(0)
    try:
        sid, path = _session_with_events(1)
        History().add_customer("王阿姨")
    finally:
        os.umask(old)
    paths = get_paths()
    for p in (paths.home, paths.history_dir):
        assert stat.S_IMODE(p.stat().st_mode) == 0o700
    for p in (paths.state_db, path, path.with_name(path.name.replace("events", "sessions")), paths.lock):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p


def test_lock_held_elsewhere_gives_a_clear_error():
    from filelock import FileLock

    from assistant.core.errors import HistoryLockedError
    from assistant.core.history.files import Lock

    h = History()
    h.lock = Lock(get_paths().lock, timeout=0.05)
    sid = h.start_session("live", "u1")
    other = FileLock(str(get_paths().lock), thread_local=False)  # another holder (a second terminal)
    other.acquire()
    try:
        with pytest.raises(HistoryLockedError, match="锁文件"):
            h.log_event(sid, "customer", "你好")
    finally:
        other.release()
    assert h.log_event(sid, "customer", "你好")["seq"] == 0


def test_never_appends_to_a_foreign_events_file():
    h = History()
    sid = h.start_session("live", "u1")
    path = get_paths().history_dir / f"events-{h.session(sid)['month']}.jsonl"
    path.write_text("时间,内容\n10:00,你好\n", encoding="utf-8")
    with pytest.raises(HistoryCorruptError, match=path.name):
        History().log_event(sid, "customer", "你好")
    assert path.read_text(encoding="utf-8") == "时间,内容\n10:00,你好\n"


def test_filter_in_a_worker_thread_while_sessions_start():
    import threading

    h = History()
    errors = []

    def filter_loop():
        try:
            for _ in range(200):
                h.query_sessions()
        except Exception as exc:  # pragma: no cover - the failure being tested for
            errors.append(exc)

    worker = threading.Thread(target=filter_loop)
    worker.start()
    for _ in range(50):
        h.start_session("live", "u1")
    worker.join()
    assert errors == [] and h.session_count() == 50
