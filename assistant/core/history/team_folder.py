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

This module: the folder's layout, the cursors and reading colleagues; publishing is in
team_publish.py; sync, attach and the background publish (what the app and the CLI call) in team.py.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from assistant.core.history.exchange import ExchangeError, parse
from assistant.core.history.files import atomic_write
from assistant.core.history.identity import origin_of
from assistant.core.history.merge import Importer, Summary
from assistant.core.history.team_publish import Publishing

RECORDS = "records.jsonl"
CURSORS = "team.json"
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


class TeamFolder(Publishing):
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
