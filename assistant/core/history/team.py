"""The team folder: every PC of a branch shares its history through one folder, without locks.

    TEAM_DIR/<device id>/records.jsonl    written by that PC only (one writer per file)

Each installation appends its own new records there (exchange.py lines: sessions and their events,
and the customers, staff, follow-ups, comments... it created or edited), after each session and
on start, and reads every colleague's file into its own history (merge.py: idempotent,
order-free). No file is ever written by two PCs, so nothing needs a lock that a network share
(SMB/NFS) would not honour.

A publish is one append of whole lines and an fsync; a publish killed halfway leaves a last line
without its newline, which readers leave unread and the next publish cuts off before appending
(its records were not marked published, so they go out again). What was published and how far
each colleague's file was read are kept in this history's `team.json` (cursors), so both are
incremental. A colleague's file that cannot be read, is damaged or comes from a newer coach is
reported and skipped; the local history is not touched by it.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from assistant.core.errors import CoachError
from assistant.core.history.exchange import KINDS, ExchangeError, header, line, parse
from assistant.core.history.files import atomic_write, fsync_dir
from assistant.core.history.identity import editor_of, origin_of
from assistant.core.history.merge import Importer, Summary, canon
from assistant.core.platform import pread

RECORDS = "records.jsonl"
CURSORS = "team.json"
#: Colleagues read this folder: readable by the group (a shared drive's own rights apply on top).
SHARED_FILE_MODE = 0o640
SHARED_DIR_MODE = 0o750
#: Bytes of a colleague's file read and imported at a time (bounds memory on a first merge).
SLICE = 8 * 1024 * 1024
DEVICE_DIR = re.compile(r"^[0-9a-f]{32}$")
#: What a staff member's PC takes from colleagues: enough for the team's numbers and the
#: leaderboard, no conversations and no customers' personal data. The 网点负责人's PC takes all.
TEAM_KINDS = ("staff", "session", "drill")
#: What a staff member's PC also takes when it concerns its own sessions or staff: the 网点负责人
#: ending one (its last events), commenting on it, or giving its staff a follow-up.
OWN_KINDS = ("event", "flag", "followup")
#: How much of colleagues' files a scope takes: a cursor read under a smaller one is read again.
SCOPES = {"team": 0, "team+own": 1, "full": 2}
MANAGER = "网点负责人"
#: Unread bytes above which the app leaves the merge to a child process (see `attach`).
CHILD_BACKLOG = 32 * 1024 * 1024


@dataclass
class SyncReport:
    """What a sync did: records published, what came from each colleague, and what was skipped."""

    published: int = 0
    #: Colleague device id → what importing their new records did.
    imported: dict[str, Summary] = field(default_factory=dict)
    #: One sentence per colleague folder skipped (or publish that failed), naming the file.
    problems: list[str] = field(default_factory=list)
    #: Colleague device id → the names of the staff created on that PC (how people know it).
    names: dict[str, list[str]] = field(default_factory=dict)

    def colleague(self, device: str) -> str:
        """「同事 李娜」 for a device; its id only when nobody on it is known here."""
        names = self.names.get(device) or []
        if not names:
            return f"同事（设备 {device[:8]}）"
        more = f" 等 {len(names)} 人" if len(names) > 3 else ""
        return f"同事 {'、'.join(names[:3])}{more}"

    def added_sessions(self) -> int:
        return sum(s.added.get("session", 0) for s in self.imported.values())


class TeamFolder:
    """This history's view of one team folder."""

    def __init__(self, history: Any, folder: str | Path, full: bool = True):
        self.history = history
        #: Take colleagues' conversations, customers, follow-ups... too (the manager's PC), or only TEAM_KINDS.
        self.full = full
        self.folder = Path(folder).expanduser()
        self.local = history.origin
        self.cursor_path = history.paths.home / CURSORS
        self._cursors: dict | None = None

    @property
    def cursors(self) -> dict:
        """What was published and how far each colleague was read (team.json), read on first use:
        a publish reads it again under the lock anyway (with 100k customers it is ~70 ms to parse)."""
        if self._cursors is None:
            self._cursors = self._load_cursors()
        return self._cursors

    @cursors.setter
    def cursors(self, value: dict) -> None:
        self._cursors = value

    @property
    def scope(self) -> str:
        """How much of colleagues' files this PC takes (SCOPES)."""
        return "full" if self.full else "team+own"

    @property
    def own_file(self) -> Path:
        return self.folder / self.local / RECORDS

    # ---------------------------------------------------------------- cursors

    def _load_cursors(self) -> dict:
        try:
            data = orjson.loads(self.cursor_path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            data = None
        if not isinstance(data, dict) or data.get("folder") != str(self.folder):
            data = {"folder": str(self.folder)}  # a new team folder: publish everything, read everything
        data.setdefault("journals", {})
        data.setdefault("tables", {})
        data.setdefault("stored", {})  # table → id → digest of the stored bytes the last publish saw
        data.setdefault("read", {})
        return data

    def _save_cursors(self) -> None:
        atomic_write(self.cursor_path, orjson.dumps(self.cursors))

    # ---------------------------------------------------------------- publishing

    def publish(self, tables: bool = True) -> int:
        """Append this PC's records not yet published; returns how many. Raises CoachError.

        Under this history's lock, with the cursors read again: the app and a command on this PC
        never publish the same records twice or write the file at the same time. The long part,
        finding the few changed rows among 100k customers, is done before, on a copy of the tables
        (the app is not held up meanwhile); a row changed after the copy goes out next time.
        """
        candidates = self._changed_rows() if tables else {}
        with self.history._mutex, self.history.lock.held():
            self.cursors = self._load_cursors()
            self.history.refresh()  # events are told apart by their session's device
            journal_cursors, payload = self._journal_lines()
            digests: dict[str, dict[str, str]] = {}
            stored: dict[str, dict[str, str]] = {}
            if tables:
                table_lines, digests, stored = self._table_lines(candidates)
                payload = table_lines + payload
            if payload:
                self._append(payload)
            self.cursors["journals"].update(journal_cursors)
            for key, found in (("tables", digests), ("stored", stored)):
                for name, rows in found.items():
                    self.cursors[key].setdefault(name, {}).update(rows)
            if payload or journal_cursors or stored:
                self._save_cursors()
        return len(payload)

    def _journal_lines(self) -> tuple[dict, list[bytes]]:
        """New session versions written here, then new events of this PC's sessions."""
        h = self.history
        cursors: dict[str, tuple[int, int]] = {}
        found: dict[str, list[bytes]] = {"session": [], "event": []}
        for journal, kind in ((h.sessions_journal, "session"), (h.events_journal, "event")):
            for month in journal.months():
                name = journal.path(month).name
                offset, number = self.cursors["journals"].get(name, (0, 1))
                if journal.size(month) == offset:
                    continue
                records, offset, number = journal.read(month, offset, number)
                found[kind] += [line(kind, _with_origin(r, self.local) if kind == "session" else r)
                                for r in records if self._ours(kind, r)]
                cursors[name] = (offset, number)
        return cursors, found["session"] + found["event"]

    def _ours(self, kind: str, record: dict) -> bool:
        if kind == "session":
            return editor_of(record, self.local) == self.local
        if record.get("origin"):  # written here into a colleague's session, or there into one of ours
            return record["origin"] == self.local
        session = self.history.peek_session(record["session_id"])
        return session is not None and origin_of(session, self.local) == self.local

    def _changed_rows(self) -> dict[str, tuple[list[bytes], dict[str, str]]]:
        """Per table: the stored rows that may have to go out, and the digests of their bytes.

        A row may when its stored bytes name this device (made or edited here, or written before
        devices had ids) and differ from what the last publish saw. Each table is copied under the
        history's mutex (a dict copy) and looked through outside it."""
        cursors = self._load_cursors()
        mine = self.local.encode("ascii")
        found: dict[str, tuple[list[bytes], dict[str, str]]] = {}
        for name in (n for n in KINDS.values() if n is not None):
            with self.history._mutex:
                rows = self.history.state.raw_rows(name)
            as_seen = {bytes.fromhex(d) for d in cursors["stored"].get(name, {}).values()}
            raws: list[bytes] = []
            looked: dict[str, str] = {}
            for raw in rows.values():
                if mine not in raw and b'"origin"' in raw:
                    continue  # a colleague's record, never edited here
                digest = hashlib.blake2b(raw, digest_size=8).digest()
                if digest in as_seen:
                    continue  # stored as it was at a publish since which nothing changed it
                looked[_row_id(raw)] = digest.hex()
                raws.append(raw)
            found[name] = (raws, looked)
        return found

    def _table_lines(self, candidates: dict[str, tuple[list[bytes], dict[str, str]]]
                     ) -> tuple[list[bytes], dict[str, dict[str, str]], dict[str, dict[str, str]]]:
        """Of `candidates` (`_changed_rows`), the records created or last edited here whose content
        changed since the last publish (the cursors as they are now), their digests, and the
        digests of the stored bytes looked at (`stored` cursors).

        Only those rows are decoded: with 100k customers a publish after a session decodes the few
        that changed, not all of them."""
        out, digests, stored = [], {}, {}
        for kind, name in KINDS.items():
            if name is None or name not in candidates:
                continue
            seen = self.cursors["tables"].get(name, {})
            raws, looked = candidates[name]
            for record in (orjson.loads(raw) for raw in raws):
                if editor_of(record, self.local) != self.local:
                    continue
                record = _with_origin(record, self.local)
                digest = hashlib.blake2b(canon(record), digest_size=8).hexdigest()
                if seen.get(record["id"]) != digest:
                    out.append(line(kind, record))
                    digests.setdefault(name, {})[record["id"]] = digest
            if looked:
                stored[name] = looked
        return out, digests, stored

    def _append(self, payload: list[bytes]) -> None:
        own = self.own_file
        try:
            own.parent.mkdir(parents=True, exist_ok=True, mode=SHARED_DIR_MODE)
            fd = os.open(own, os.O_RDWR | os.O_APPEND | os.O_CREAT, SHARED_FILE_MODE)
        except OSError as exc:
            raise CoachError(f"写不了团队文件夹 {own.parent}：{exc.strerror}。请检查共享盘是否连上、"
                             "有没有写权限（coach config get team_dir 查看路径）。") from None
        try:
            size = os.fstat(fd).st_size
            if size == 0:
                payload = [orjson.dumps(header(self.local, self.history.now(), "team")) + b"\n"] + payload
                fsync_dir(own.parent)
            elif pread(fd, 1, size - 1) != b"\n":
                _cut_torn_tail(fd, size)
            _write_all(fd, b"".join(payload))
            os.fsync(fd)
        finally:
            os.close(fd)

    # ---------------------------------------------------------------- reading colleagues

    def unread(self) -> int:
        """Bytes of colleagues' files not read yet (a guess: their cursors as last saved; a file
        read under a smaller scope than this PC now takes is read again from the top)."""
        total = 0
        for path in self.colleagues():
            cursor = self.cursors["read"].get(path.parent.name) or {"offset": 0}
            offset = cursor["offset"] if SCOPES.get(cursor.get("scope"), 0) >= SCOPES[self.scope] else 0
            try:
                total += max(0, os.stat(path).st_size - offset)
            except OSError:
                continue
        return total

    def colleagues(self) -> list[Path]:
        """Every other PC's records file in the folder."""
        try:
            entries = sorted(os.scandir(self.folder), key=lambda e: e.name)
        except OSError:
            return []
        return [Path(e.path) / RECORDS for e in entries
                if DEVICE_DIR.match(e.name) and e.name != self.local and e.is_dir()]

    def read_all(self, report: SyncReport) -> None:
        """Import what each colleague appended since last time; a bad file is reported and skipped."""
        for path in self.colleagues():
            device = path.parent.name
            try:
                summary = self._read_one(path, device)
            except ExchangeError as exc:
                who = SyncReport(names=staff_by_device(self.history, {device})).colleague(device)
                report.problems.append(f"跳过了{who}的团队文件：{exc}")
                continue
            except OSError as exc:
                report.problems.append(f"读不了同事的团队文件 {path}：{exc.strerror}。已跳过，本机数据没有改动。")
                continue
            if summary is not None:
                report.imported[device] = summary

    def _read_one(self, path: Path, device: str) -> Summary | None:
        """Import a colleague's new lines, a slice at a time, each slice under this history's lock
        (another coach process on this PC may be reading the same file: it sees our cursor)."""
        scope = self.scope
        summary: Summary | None = None
        with open(path, "rb") as f:
            while True:
                with self.history._mutex, self.history.lock.held():
                    self.cursors = self._load_cursors()
                    cursor = self._cursor(device, scope, os.fstat(f.fileno()).st_size)
                    f.seek(cursor["offset"])
                    data = f.read(SLICE)
                    batch = parse(path, data, cursor["offset"], cursor["line"],
                                  origin=None if cursor["offset"] == 0 else device, whole=False) if data else None
                    if batch is None or batch.end == cursor["offset"]:
                        return summary  # read to the end, or only a line being appended right now
                    if batch.origin != device:
                        raise ExchangeError(f"{path} 第 1 行写的设备是 {batch.origin[:8]}，和文件夹名不符，不像是 coach 写的。")
                    importer = (Importer(self.history) if self.full
                                else Importer(self.history, kinds=TEAM_KINDS, own=OWN_KINDS))
                    importer.add(batch)
                    before = self._journal_sizes()
                    summary = importer.commit().absorb(summary)
                    self._step_over_imports(before)
                    self.cursors["read"][device] = {"offset": batch.end, "line": batch.next_line, "scope": scope}
                    self._save_cursors()

    def _journal_sizes(self) -> dict[str, tuple[Path, int]]:
        h = self.history
        return {journal.path(m).name: (journal.path(m), journal.size(m))
                for journal in (h.sessions_journal, h.events_journal) for m in journal.months()}

    def _step_over_imports(self, before: dict[str, tuple[Path, int]]) -> None:
        """Move the publish cursors over what the import just appended (colleagues' records: never
        sent back), so the next publish does not read them. Only where everything before them was
        already published; otherwise the next publish reads and sorts them out itself."""
        journals = self.cursors["journals"]
        for name, (path, size) in self._journal_sizes().items():
            offset, line = journals.get(name, (0, 1))
            if size > offset and offset == before.get(name, (path, 0))[1]:
                with open(path, "rb") as f:
                    f.seek(offset)
                    journals[name] = (size, line + f.read(size - offset).count(b"\n"))

    def _cursor(self, device: str, scope: str, size: int) -> dict:
        """Where to go on reading a colleague's file. It shrank (they started over), or this PC now
        needs more than it took (its user became the manager): from the top again; what is
        already here is skipped (imports are idempotent)."""
        cursor = self.cursors["read"].get(device)
        if cursor is None or size < cursor["offset"] or SCOPES.get(cursor.get("scope"), 0) < SCOPES[scope]:
            return {"offset": 0, "line": 1, "scope": scope}
        return cursor


def staff_by_device(history: Any, devices: set[str]) -> dict[str, list[str]]:
    """The names of the staff each of `devices` created (sorted), to name a colleague's PC."""
    found: dict[str, set[str]] = {}
    local = history.origin
    for record in history.state.all("staff"):
        device = origin_of(record, local)
        if device in devices and record.get("name"):
            found.setdefault(device, set()).add(record["name"])
    return {device: sorted(names) for device, names in found.items()}


def _row_id(raw: bytes) -> str | None:
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return record.get("id") if isinstance(record, dict) else None


def _with_origin(record: dict, local: str) -> dict:
    return record if record.get("origin") else {**record, "origin": local}


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _cut_torn_tail(fd: int, size: int) -> None:
    """A publish killed halfway left part of a line: cut it (its records were not marked published)."""
    chunk = min(size, 1 << 20)
    tail = pread(fd, chunk, size - chunk)
    cut = tail.rfind(b"\n")
    os.ftruncate(fd, size - chunk + cut + 1 if cut >= 0 else 0)


# ------------------------------------------------------------------ the app's and the CLI's entry


def team_dir(paths: Any) -> str | None:
    """The configured team folder, or None."""
    from assistant.core import config

    return config.load(paths).get("team_dir")


def takes_all(history: Any) -> bool:
    """This PC takes colleagues' conversations and customers too: its current user is the 网点负责人."""
    return (history.current_staff() or {}).get("role") == MANAGER


def sync(history: Any, folder: str | Path | None = None, full: bool | None = None) -> SyncReport | None:
    """Publish this PC's new records, then read the colleagues'. None when no team folder is set.

    `full` None: everything when this PC's current user is the 网点负责人, else TEAM_KINDS.
    Never raises: what could not be done is in `report.problems`.
    """
    report = SyncReport()
    try:
        folder = folder or team_dir(history.paths)
        if not folder:
            return None
        team = TeamFolder(history, folder, takes_all(history) if full is None else full)
        if not team.folder.is_dir():
            report.problems.append(f"团队文件夹 {team.folder} 不存在或打不开（共享盘没连上？）。这次没有同步，本机数据照常可用。")
            return report
        report.published = team.publish()
        team.read_all(report)
        report.names = staff_by_device(history, set(report.imported))
        if report.imported:
            team.publish(tables=False)  # steps the cursors over what was just imported (not ours: not sent)
    except CoachError as exc:
        report.problems.append(str(exc))
    return report


def attach(history: Any, folder: str | Path | None = None, warm: str | None = None) -> SyncReport | None:
    """Sync now, and publish again after every session this history ends (the app calls this), in
    the background: with 100k customers a publish takes over a second, and nobody ending a session
    should wait for it (what it could not do is published at the next one, or the next start).

    A big backlog (the manager's first merge of everyone) is read by a child process, so the
    app's own memory stays that of an ordinary start (the merge's peak leaves with the child).
    `warm` ("module:function", called with the child's history) lets that child also build what
    the app would otherwise build itself on a first start (see `sync_in_child`).
    """
    where = folder or team_dir(history.paths)
    if not where:
        return None
    report = None
    if TeamFolder(history, where, takes_all(history)).unread() > CHILD_BACKLOG:
        report = sync_in_child(history, where, warm)
    report = report or sync(history, where)

    history.on_session_end.append(lambda _session: publish_later(history, folder=folder))
    return report


#: The background publish's thread name.
PUBLISH_JOB = "team-publish"


def publish_later(history: Any, report: Any = None, folder: str | Path | None = None) -> Any:
    """Publish this PC's new records in the background (a session's end and its follow-ups, a
    comment, a corrected outcome): colleagues see them at their next sync. Returns at once, with
    the thread that publishes (None without a team folder). Asked again while a publish runs, it
    publishes once more after it (what was written meanwhile goes out too). `report` (optional) is
    called from that thread with one Chinese sentence if the publish fails; what failed goes out
    at the next publish (nothing is marked published before it is in the folder). `folder`: this
    team folder instead of the configured one."""
    from assistant.core.history import background

    paths = getattr(history, "paths", None)  # a stand-in history (tests, rehearsal) has no data home
    if paths is None or not (folder or team_dir(paths)):
        return None
    failed = "这次没能发布到团队文件夹（出了意外）。本机记录都在，下次结束会话或启动时会再发布。"
    key = f"{PUBLISH_JOB}:{folder or ''}"
    return background.job(history, PUBLISH_JOB, lambda h: _publish_now(h, folder), failed, key).request(report)


def wait_published(history: Any, timeout: float | None = None) -> bool:
    """Wait for this history's background publishes, if any is under way; False after `timeout`."""
    from assistant.core.history import background

    return background.wait_for(history, timeout)


def _publish_now(history: Any, folder: str | Path | None = None) -> None:
    """One publish (to `folder`, else the folder configured now); CoachError saying what to do."""
    where = folder or team_dir(history.paths)
    if not where:
        return
    try:
        TeamFolder(history, where).publish()
    except OSError as exc:
        raise CoachError(f"没能发布到团队文件夹 {where}：{exc.strerror or exc}。本机记录都在，"
                         "共享盘恢复后下次结束会话或启动时会再发布。") from None


def sync_in_child(history: Any, folder: str | Path, warm: str | None = None) -> SyncReport | None:
    """`sync` in a child process on the same data home; None when the child could not run.

    `warm` ("module:function") is called in the child with its history after the sync: on a new
    PC the app's caches (matcher, pinyin, segmenter) do not exist yet, and building them loads
    dictionaries (~100 MB) a process keeps until it exits; built in the child, the app loads them.
    """
    import subprocess
    import sys

    env = {**os.environ, "COACH_HOME": str(history.paths.home)}
    command = [sys.executable, "-m", "assistant.core.history.team", str(folder)] + (["--warm", warm] if warm else [])
    try:
        done = subprocess.run(command, env=env, capture_output=True, timeout=3600)
        data = orjson.loads(done.stdout.splitlines()[-1]) if done.returncode == 0 and done.stdout else None
    except (OSError, subprocess.SubprocessError, orjson.JSONDecodeError, IndexError):
        data = None
    if not isinstance(data, dict):
        return None
    history.refresh()
    report = SyncReport(published=data.get("published", 0), problems=list(data.get("problems", [])))
    report.names = {d: list(n) for d, n in (data.get("names") or {}).items() if isinstance(n, list)}
    for device, counts in (data.get("imported") or {}).items():
        report.imported[device] = Summary(added=counts.get("added", {}), updated=counts.get("updated", {}),
                                          skipped=counts.get("skipped", {}), conflicts=counts.get("conflicts", []))
    return report


def _child_main(folder: str, warm: str | None = None) -> int:
    """The child of `sync_in_child`: sync COACH_HOME's history, print the report as one JSON line."""
    from dataclasses import asdict

    from assistant.core.history import History

    history = History()
    try:
        report = sync(history, folder) or SyncReport()
        if warm:
            _warm(warm, history)
    finally:
        history.close()
    print(orjson.dumps(asdict(report)).decode())
    return 0


def _warm(spec: str, history: Any) -> None:
    """Call `module:function` with the history; a failure only means the app builds it itself."""
    import importlib

    module, _, name = spec.partition(":")
    try:
        getattr(importlib.import_module(module), name)(history)
    except Exception:  # noqa: BLE001 - an optional head start; the app builds what is missing
        pass


if __name__ == "__main__":
    import sys

    args = sys.argv[1:]
    sys.exit(_child_main(args[0], args[2] if args[1:2] == ["--warm"] and len(args) > 2 else None))
