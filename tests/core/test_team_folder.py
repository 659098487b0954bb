"""The team folder: each PC appends to its own file, reads everyone else's; no locks, no loss."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from assistant.core.history.team import TeamFolder, attach, publish_later, sync, wait_published
from assistant.core.history.team_folder import RECORDS
from team_helpers import branch, history, picture


def pair(tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    return history(tmp_path / "a"), history(tmp_path / "b"), team


def session_ids(h) -> set[str]:
    return {s["id"] for s in h.iter_sessions()}


def test_two_pcs_see_each_others_sessions(tmp_path):
    a, b, team = pair(tmp_path)
    mine = branch(a, "李娜")
    theirs = branch(b, "王强")
    assert sync(a, team, full=True).published > 0
    report = sync(b, team, full=True)
    assert report.added_sessions() == 2 and not report.problems
    sync(a, team, full=True)
    assert session_ids(a) == session_ids(b) == set(mine["sessions"]) | set(theirs["sessions"])
    assert [e["text"] for e in a.events(theirs["sessions"][0])] == ["利息太低了0", "我理解您的顾虑"]
    assert {s["name"] for s in a.list_staff()} == {"李娜", "王强"}


def test_publishing_is_incremental_and_follows_each_session(tmp_path):
    a, b, team = pair(tmp_path)
    branch(a, "李娜")
    attach(a, team)
    folder = TeamFolder(a, team)
    assert folder.publish() == 0  # nothing new since the start
    size = folder.own_file.stat().st_size
    sid = a.start_session(staff_id=a.list_staff()[0]["id"])
    a.log_event(sid, "customer", "我再考虑考虑")
    a.end_session(sid, outcome="待跟进")  # the hook publishes, in the background
    assert wait_published(a)
    grown = folder.own_file.read_bytes()[size:]
    assert grown.count(b"\n") == 3 and b"\xe8\x80\x83\xe8\x99\x91" in grown  # start, event, end
    sync(b, team, full=True)
    assert b.session(sid)["outcome"] == "待跟进"


def test_an_import_is_not_published_again(tmp_path):
    a, b, team = pair(tmp_path)
    branch(a, "李娜")
    sync(a, team, full=True)
    sync(b, team, full=True)
    assert TeamFolder(b, team).publish() == 0
    assert not (team / b.origin / RECORDS).exists()


def test_a_half_written_colleague_file_is_read_up_to_its_last_whole_line(tmp_path):
    a, b, team = pair(tmp_path)
    made = branch(a, "李娜")
    sync(a, team, full=True)
    own = team / a.origin / RECORDS
    whole = own.read_bytes()
    own.write_bytes(whole + b'{"k":"session","r":{"id":"s-half')  # a publish in progress
    assert not sync(b, team, full=True).problems
    assert session_ids(b) == set(made["sessions"])
    own.write_bytes(whole)
    assert not sync(b, team, full=True).problems


def test_a_bad_newer_or_unreadable_colleague_is_reported_and_skipped(tmp_path):
    a, b, team = pair(tmp_path)
    branch(a, "李娜")
    branch(b, "王强")
    sync(a, team, full=True)
    damaged = team / ("d" * 32)
    damaged.mkdir()
    (damaged / RECORDS).write_bytes(b'{"coach":"history","format":1,"origin":"' + b"d" * 32 + b'"}\nnot json\n')
    newer = team / ("e" * 32)
    newer.mkdir()
    (newer / RECORDS).write_bytes(b'{"coach":"history","format":7,"origin":"' + b"e" * 32 + b'"}\n')
    (team / ("f" * 32) / RECORDS).mkdir(parents=True)  # cannot be read as a file
    (team / "notes").mkdir()  # not a PC's folder: ignored
    before = picture(b)
    report = sync(b, team, full=True)
    assert len(report.problems) == 3
    assert any("第 2 行" in p and str(damaged / RECORDS) in p for p in report.problems)
    assert any("更新版本" in p for p in report.problems)
    assert any("ffffffff" in p for p in report.problems)
    assert report.added_sessions() == 2  # the good colleague still came in
    assert picture(b) != before and len(session_ids(b)) == 4


def test_no_team_folder_or_a_missing_share(tmp_path):
    a = history(tmp_path / "a")
    assert sync(a) is None
    report = sync(a, tmp_path / "not-mounted")
    assert report.problems and "不存在" in report.problems[0]


KILLER = textwrap.dedent("""
    import os, signal, sys
    from datetime import datetime
    from assistant.core.history import History
    from assistant.core.history import team, team_publish
    from assistant.paths import Paths

    def half_then_die(fd, data):
        os.write(fd, data[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)

    team_publish._write_all = half_then_die
    from pathlib import Path
    h = History(Paths(Path(sys.argv[1])), clock=lambda: datetime(2026, 12, 1, 10))
    team.TeamFolder(h, sys.argv[2]).publish()
""")


def test_a_publish_killed_midway_leaves_the_folder_readable(tmp_path):
    a, b, team = pair(tmp_path)
    branch(a, "李娜")
    sync(a, team, full=True)
    more = branch(a, "李娜", sessions=3)  # not yet published
    a.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", KILLER, str(tmp_path / "a"), str(team)], env=env)
    assert done.returncode == -signal.SIGKILL
    torn = (team / a.origin / RECORDS).read_bytes()
    assert not torn.endswith(b"\n")
    assert not sync(b, team, full=True).problems  # readable: the whole lines come in, the torn one waits
    assert not set(more["sessions"]) <= session_ids(b)
    a = history(tmp_path / "a")
    sync(a, team, full=True)  # cuts the torn line, publishes again
    assert (team / a.origin / RECORDS).read_bytes().endswith(b"\n")
    report = sync(b, team, full=True)
    assert not report.problems and set(more["sessions"]) <= session_ids(b)
    for sid in more["sessions"]:
        assert [e["seq"] for e in b.events(sid)] == [0, 1]  # each event exactly once


def test_a_staff_pc_takes_the_teams_numbers_not_its_conversations_until_its_user_is_the_manager(tmp_path):
    a, b, team = pair(tmp_path)
    made = branch(a, "李娜")
    sync(a, team, full=True)
    me = b.add_staff("王强", "理财经理")
    b.set_current_staff(me["id"])
    sync(b, team)
    assert set(made["sessions"]) <= session_ids(b) and {s["name"] for s in b.list_staff()} == {"李娜", "王强"}
    assert b.events(made["sessions"][0]) == [] and b.get_customer(made["customer"]["id"]) is None
    assert b.list_followups() == [] and b.flags_for(made["sessions"][0]) == []
    boss = b.add_staff("赵主任", "网点负责人")
    b.set_current_staff(boss["id"])
    sync(b, team)  # the manager needs everything: the colleague's file is read again
    assert [e["text"] for e in b.events(made["sessions"][0])] == ["利息太低了0", "我理解您的顾虑"]
    assert b.get_customer(made["customer"]["id"])["name"] == "李娜的客户" and len(b.list_followups()) == 1


def test_a_big_backlog_is_merged_by_a_child_process(tmp_path, monkeypatch):
    from assistant.core.history import team as team_module

    a, b, team = pair(tmp_path)
    made = branch(a, "李娜")
    sync(a, team, full=True)
    boss = b.add_staff("赵主任", "网点负责人")
    b.set_current_staff(boss["id"])
    monkeypatch.setattr(team_module, "CHILD_BACKLOG", 0)
    real, ran = team_module.sync_in_child, []
    monkeypatch.setattr(team_module, "sync_in_child", lambda *args: ran.append(real(*args)) or ran[-1])
    report = attach(b, team)
    assert ran and ran[0] is report  # the child did it (None would have meant a fallback in-process)
    assert report.added_sessions() == 2 and not report.problems
    assert set(made["sessions"]) <= session_ids(b)  # the parent sees what the child appended
    assert [e["text"] for e in b.events(made["sessions"][0])] == ["利息太低了0", "我理解您的顾虑"]
    assert TeamFolder(b, team).unread() == 0


def test_the_merging_child_builds_the_apps_caches(tmp_path, monkeypatch):
    """On a new PC the first merge's child also builds the matcher's caches, so the app loads them
    instead of keeping the dictionaries that build them (~100 MB, the first start's extra memory)."""
    from assistant.core.history import team as team_module

    a, b, team = pair(tmp_path)
    branch(a, "李娜")
    sync(a, team, full=True)
    monkeypatch.setattr(team_module, "CHILD_BACKLOG", 0)
    assert not list(b.paths.cache_dir.glob("matcher-*.pickle"))
    report = attach(b, team, warm="assistant.ui.services:warm_matcher")
    assert report.added_sessions() == 2
    assert list(b.paths.cache_dir.glob("matcher-*.pickle"))


def test_a_failing_warm_up_does_not_spoil_the_merge(tmp_path, monkeypatch):
    from assistant.core.history import team as team_module

    a, b, team = pair(tmp_path)
    branch(a, "李娜")
    sync(a, team, full=True)
    monkeypatch.setattr(team_module, "CHILD_BACKLOG", 0)
    real, ran = team_module.sync_in_child, []
    monkeypatch.setattr(team_module, "sync_in_child", lambda *args: ran.append(real(*args)) or ran[-1])
    report = attach(b, team, warm="assistant.nowhere:nothing")
    assert ran and ran[0] is report  # the child merged (not the in-process fallback)
    assert report.added_sessions() == 2 and not report.problems


def test_a_sync_names_colleagues_by_the_staff_on_their_pc(tmp_path):
    import io

    from assistant.commands.history import print_sync

    a, b, team = pair(tmp_path)
    branch(a, "李娜")
    sync(a, team, full=False)
    report = sync(b, team, full=False)
    out = io.StringIO()
    print_sync(report, out)
    assert report.names == {a.origin: ["李娜"]}
    assert "同事 李娜：2 个会话" in out.getvalue() and "设备" not in out.getvalue()
    assert report.colleague("0" * 32) == "同事（设备 00000000）"  # nobody known from that PC: its id


def test_a_file_read_under_a_smaller_scope_counts_as_unread_again(tmp_path):
    """A staff PC read only the numbers; its user becoming the manager needs every line again: the
    whole file counts as unread (so a big one goes to the merging child, not the app)."""
    a, b, team = pair(tmp_path)
    branch(a, "李娜")
    sync(a, team, full=True)
    sync(b, team, full=False)
    assert TeamFolder(b, team, full=False).unread() == 0
    assert TeamFolder(b, team, full=True).unread() == TeamFolder(a, team).own_file.stat().st_size


def test_a_publish_looks_only_at_rows_changed_since_the_last(tmp_path, monkeypatch):
    """With many customers, a session's publish decodes the rows whose stored bytes changed (here
    one edited customer), not the whole table; the edit goes out, the rest does not go again."""
    a, _b, team = pair(tmp_path)
    made = a.add_customers([{"name": f"客户{i}"} for i in range(50)])
    folder = TeamFolder(a, team)
    folder.publish()
    a.update_customer(made[7]["id"], name="王阿姨")
    real, decoded = TeamFolder._changed_rows, []

    def spy(self):
        found = real(self)
        decoded.append({name: len(raws) for name, (raws, _) in found.items() if raws})
        return found

    monkeypatch.setattr(TeamFolder, "_changed_rows", spy)
    size = folder.own_file.stat().st_size
    assert TeamFolder(a, team).publish() == 1
    assert decoded == [{"customers": 1}]
    assert "王阿姨" in folder.own_file.read_bytes()[size:].decode()
    assert TeamFolder(a, team).publish() == 0 and decoded[-1] == {}


def gated_publish(monkeypatch):
    """TeamFolder.publish that, once done, holds its thread until the test opens the gate."""
    import threading

    published, gate, calls = threading.Event(), threading.Event(), []
    real = TeamFolder.publish

    def publish(self, tables=True):
        calls.append(threading.current_thread().name)
        n = real(self, tables)
        published.set()
        gate.wait(30)  # bounded: a broken background publish fails the test instead of hanging it
        return n

    monkeypatch.setattr(TeamFolder, "publish", publish)
    return published, gate, calls


def test_ending_a_session_does_not_wait_for_the_publish_and_what_follows_goes_out_too(tmp_path, monkeypatch):
    """end_session returns while the publish still runs; a follow-up made right after the end is
    published by a second run once the first is done (a request during a publish is not lost)."""
    a, b, team = pair(tmp_path)
    made = branch(a, "李娜")
    attach(a, team)
    published, gate, calls = gated_publish(monkeypatch)
    sid = a.start_session(staff_id=made["staff"]["id"], customer_id=made["customer"]["id"])
    a.end_session(sid, outcome="待跟进")
    assert published.wait(30) and not gate.is_set()  # returned while its publish is still under way
    a.add_followup(customer_id=made["customer"]["id"], session_id=sid, due="2026-12-03T10:00", title="结束后回访")
    publish_later(a, folder=team)
    gate.set()
    assert wait_published(a)
    assert calls == ["team-publish", "team-publish"]
    sync(b, team, full=True)
    assert b.session(sid)["outcome"] == "待跟进"
    assert [f["title"] for f in b.list_followups() if f.get("session_id") == sid] == ["结束后回访"]


def test_a_failed_background_publish_is_told_in_one_sentence(tmp_path):
    a, _b, team = pair(tmp_path)
    branch(a, "李娜")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the PC's folder should be")
    heard = []
    publish_later(a, report=heard.append, folder=blocked)
    assert wait_published(a)
    assert len(heard) == 1 and "团队文件夹" in heard[0] and "Traceback" not in heard[0]


QUITTER = textwrap.dedent("""
    import sys, threading
    from datetime import datetime
    from pathlib import Path
    from assistant.core.history import History
    from assistant.core.history import team
    from assistant.paths import Paths

    h = History(Paths(Path(sys.argv[1])), clock=lambda: datetime(2026, 12, 1, 10))
    team.attach(h, sys.argv[2])
    real, go = team.TeamFolder.publish, threading.Event()
    team.TeamFolder.publish = lambda self, tables=True: go.wait(30) and real(self, tables)
    sid = h.start_session(staff_id=h.list_staff()[0]["id"])
    h.log_event(sid, "customer", "最后一位客户")
    h.end_session(sid, outcome="成交")  # its publish starts in the background, held back...
    go.set()
    print(sid)  # ... and the program ends at once, as the app does when staff quit
""")


def test_quitting_during_a_background_publish_waits_for_it(tmp_path):
    a, b, team = pair(tmp_path)
    branch(a, "李娜")
    sync(a, team, full=True)
    a.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", QUITTER, str(tmp_path / "a"), str(team)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and not done.stderr
    sid = done.stdout.strip()
    assert not sync(b, team, full=True).problems
    assert b.session(sid)["outcome"] == "成交"
    assert [e["text"] for e in b.events(sid)] == ["最后一位客户"]


def test_the_app_is_not_held_up_while_a_publish_looks_for_changed_rows(tmp_path, monkeypatch):
    """The long part of a publish (the changed rows among every customer) runs without the
    history's lock: the app logs a line meanwhile. A row edited after that look goes out next time."""
    import threading

    a, b, team = pair(tmp_path)
    made = branch(a, "李娜")
    folder = TeamFolder(a, team)
    folder.publish()
    a.update_customer(made["customer"]["id"], notes="第一次")
    looking, gate, answered = threading.Event(), threading.Event(), []
    real = TeamFolder._changed_rows

    def slow(self):
        found = real(self)
        looking.set()
        answered.append(gate.wait(10))  # False: the app could not log while we looked
        return found

    monkeypatch.setattr(TeamFolder, "_changed_rows", slow)
    worker = threading.Thread(target=folder.publish)
    worker.start()
    assert looking.wait(10)
    a.log_event(made["sessions"][0], "staff", "还在聊")
    a.update_customer(made["customer"]["id"], notes="第二次")  # after the look: next publish
    gate.set()
    worker.join()
    assert answered == [True]
    monkeypatch.setattr(TeamFolder, "_changed_rows", real)
    TeamFolder(a, team).publish()
    sync(b, team, full=True)
    assert b.get_customer(made["customer"]["id"])["notes"] == "第二次"
    assert "还在聊" in [e["text"] for e in b.events(made["sessions"][0])]
