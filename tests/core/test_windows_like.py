"""Branch PCs run Windows (issue 17): the store, import and export work where the POSIX-only calls
do not exist (no os.fchmod, os.pread, os.getuid; folders cannot be opened) and os.name is 'nt'.

No Windows machine here: the calls are removed and os.name reported as 'nt' for the duration.
"""

from __future__ import annotations

import os
import sys

import pytest

from assistant.cli import main
from assistant.core import platform
from assistant.core.history import History
from assistant.core.history.repair import check, repair
from assistant.paths import get_paths

POSIX_ONLY = ("fchmod", "pread", "getuid", "geteuid", "fchown")


def _absent_for_us(name: str, real):
    """`os.NAME` that fails when called from our code (as it would on Windows) and still works for
    libraries (filelock picks its Unix or Windows implementation itself)."""

    def call(*args, **kwargs):
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller.startswith("assistant."):
            raise AttributeError(f"module 'os' has no attribute '{name}' (called from {caller})")
        return real(*args, **kwargs)

    return call


@pytest.fixture
def windows(monkeypatch):
    real_open = os.open

    def no_folders(path, flags, *args, **kwargs):
        if os.path.isdir(path) and sys._getframe(1).f_globals.get("__name__", "").startswith("assistant."):
            raise PermissionError(13, "Permission denied", str(path))  # what Windows says
        return real_open(path, flags, *args, **kwargs)

    for name in POSIX_ONLY:
        if hasattr(os, name):
            monkeypatch.setattr(os, name, _absent_for_us(name, getattr(os, name)))
    monkeypatch.setattr(os, "open", no_folders)
    # os.name itself cannot change in-process (pathlib would build WindowsPath): our code asks
    # the platform module, which reports 'nt'
    monkeypatch.setattr(platform, "os_name", lambda: "nt")
    yield
    monkeypatch.undo()


def test_store_import_and_export_without_posix_calls(windows, tmp_path, capsys):
    h = History()
    sid = h.start_session(mode="live")
    for i in range(3):
        h.log_event(sid, "customer", f"第{i}句，手机13812345678")
    h.end_session(sid, outcome="成交")
    path = tmp_path / "客户.csv"
    path.write_text("称呼,手机\n王阿姨,13800001111\n", encoding="utf-8")
    assert main(["customers", "import", str(path)]) == 0
    assert main(["customers", "import", str(path)]) == 0  # again: nothing changes
    out = tmp_path / "导出.csv"
    assert main(["history", "export", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and "138****5678" in out.read_text(encoding="utf-8-sig")
    h2 = History()
    assert [e["seq"] for e in h2.events(sid)] == [0, 1, 2]
    assert [c["name"] for c in h2.list_customers()] == ["王阿姨"]
    h2.state.compact()
    with open(h2.events_journal.path(h2.session(sid)["month"]), "ab") as f:
        f.write(b'{"session_id":"torn')  # a crash mid-append, then the next append sets it aside
    h2.log_event(sid, "staff", "继续")
    assert not [f for f in check(get_paths()) if f.severity == "error"]
    repair(get_paths())
    assert main(["config", "set", "branch_name", "幸福路支行"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_team_publish_and_read_without_posix_calls(windows, tmp_path):
    """The team folder appends (torn-tail check) and reads colleagues' files with platform.pread."""
    from team_helpers import branch, history

    from assistant.core.history.team import sync

    team = tmp_path / "team"
    team.mkdir()
    a, b = history(tmp_path / "a"), history(tmp_path / "b")
    theirs = branch(b, "王强")
    assert sync(b, team, full=True).published > 0
    sid = b.start_session(staff_id=theirs["staff"]["id"])
    b.end_session(sid, outcome="待跟进")
    assert sync(b, team, full=True).published > 0  # a second append checks the file's last byte
    report = sync(a, team, full=True)
    assert report.added_sessions() == 3 and not report.problems
    assert [e["text"] for e in a.events(theirs["sessions"][0])] == ["利息太低了0", "我理解您的顾虑"]
