"""The state's tables as this process holds them, and how they are read from disk: the snapshot's
header and sections, the log replayed over them, a table decoded the first time it is used (the
log's changes to tables not read yet wait in a list), and catching up with other processes'
writes. Writing the log, batches and compaction are in state_log.py; the record API in state.py.
"""

from __future__ import annotations

import os
from pathlib import Path

from assistant.core.errors import CoachError
from assistant.core.history.files import Lock
from assistant.core.history.journal import corrupt
from assistant.core.history.snapshot import (
    SNAPSHOT_HEAD, Op, decode_snapshot, fast_rows, log_path, read_head, read_lines, read_section, record_id,
)


class _Disk:
    """What this process last read: the snapshot's identity and sections, and how far into the log."""

    def __init__(self) -> None:
        self.snapshot: tuple | None = None
        #: name → [offset, length, rows, next key, first line] in the snapshot; None: an older
        #: snapshot without sections (read whole at once).
        self.sections: dict[str, list[int]] | None = {}
        self.body = 0
        self.log_ino: int | None = None
        self.offset = 0
        self.line = 1


class _Batch:
    """A batch's lines not yet on disk, and where in the log the batch began."""

    #: Lines kept before they are streamed to the log (an import of 100k rows holds this much).
    FLUSH_BYTES = 4 * 1024 * 1024

    def __init__(self, start: int) -> None:
        self.start = start
        self.lines: list[bytes] = []
        self.size = 0
        #: Lines of this batch so far (for the log's line numbers in messages).
        self.count = 0
        self.began = False


def _identity(st: os.stat_result) -> tuple:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class StateFiles:
    """The tables read so far, the id index, and what this process last read from disk."""

    def __init__(self, path: Path, lock: Lock):
        self.path = path
        self.log_path = log_path(path)
        self.lock = lock
        #: The tables read so far: name → {doc key → document bytes}.
        self._tables: dict[str, dict[str, bytes]] = {}
        self._ids: dict[str, dict[str, str]] = {}
        self._next: dict[str, int] = {}
        #: The log's changes to tables not read yet, in order (applied when a table is read).
        self._later: dict[str, list[Op]] = {}
        self._disk = _Disk()
        self._batch: _Batch | None = None

    def _has_rows(self) -> bool:
        return any(self._count(name) for name in self._names() if name != "meta")

    def _names(self) -> list[str]:
        return list(dict.fromkeys([*(self._disk.sections or {}), *self._tables, *self._later]))

    def _count(self, name: str) -> int:
        """Rows in a table (for a table not read yet: its section's, plus the log's puts since)."""
        if name in self._tables or self._disk.sections is None:
            return len(self._rows(name))
        section = self._disk.sections.get(name)
        return (section[2] if section else 0) + sum(op.kind == "put" for op in self._later.get(name, ()))

    # ---------------------------------------------------------------- reading the files

    def _snapshot_id(self) -> tuple | None:
        try:
            return _identity(os.stat(self.path))
        except FileNotFoundError:
            return None

    def _reload(self) -> None:
        """Read the snapshot's header and the whole log; tables are read when used. The log is
        opened first: a compaction by another process in between then only makes us replay
        changes the new snapshot already holds."""
        try:
            log = open(self.log_path, "rb")
        except FileNotFoundError:
            log = None
        try:
            disk = _Disk()
            self._tables, self._ids, self._next, self._later = {}, {}, {}, {}
            self._read_snapshot(disk)
            self._disk = disk
            if log is not None:
                disk.log_ino = os.fstat(log.fileno()).st_ino
                self._replay(log.read())
        finally:
            if log is not None:
                log.close()

    def _read_snapshot(self, disk: _Disk) -> None:
        try:
            f = open(self.path, "rb")
        except FileNotFoundError:
            return
        with f:
            st = os.fstat(f.fileno())
            disk.snapshot = _identity(st)
            first = f.readline()
            if first.startswith(SNAPSHOT_HEAD) and first.endswith(b"\n"):
                head = read_head(self.path, first)
                if head.get("tables") is not None:
                    return self._use_sections(disk, head, len(first), st.st_size)
            data = first + f.read()
        disk.sections = None  # an older snapshot: every table at once, as before sections
        fast = fast_rows(data[len(first):], read_head(self.path, first)["rows"]) if first.startswith(SNAPSHOT_HEAD) else None
        if fast is not None:
            self._tables, self._ids = fast
            self._next = {name: max(map(int, t), default=0) + 1 for name, t in self._tables.items()}
        else:
            self._tables = decode_snapshot(self.path, data)
            self._index()
        return None

    def _use_sections(self, disk: _Disk, head: dict, body: int, size: int) -> None:
        sections = head["tables"]
        length = sum(s[1] for s in sections.values())
        if body + length != size or sum(s[2] for s in sections.values()) != head["rows"]:
            raise corrupt(self.path, f"不是完整的文件（文件头说有 {head['rows']} 条记录、{body + length} 字节，"
                                     f"文件只有 {size} 字节；可能在写入时断电）")
        disk.sections, disk.body = sections, body
        self._next = {name: s[3] for name, s in sections.items()}

    def _section_bytes(self, name: str) -> bytes | None:
        """A table's section of the snapshot we read the header of; None when the file was
        replaced since (another process compacted: the caller reloads)."""
        section = (self._disk.sections or {}).get(name)
        if section is None:
            return b""
        try:
            f = open(self.path, "rb")
        except FileNotFoundError:
            return None
        with f:
            if _identity(os.fstat(f.fileno())) != self._disk.snapshot:
                return None
            f.seek(self._disk.body + section[0])
            data = f.read(section[1])
        return data if len(data) == section[1] else None

    def _rows(self, name: str) -> dict[str, bytes]:
        """A table's rows, read from its section (and the log's changes since) on first use."""
        for _ in range(5):  # another process compacting while we read: read the new files
            table = self._tables.get(name)
            if table is not None:
                return table
            if self._disk.sections is None:
                table = {}
            else:
                data = self._section_bytes(name)
                if data is None:
                    self._reload()
                    continue
                section = self._disk.sections.get(name)
                table = read_section(self.path, data, name, section[2], section[4]) if section else {}
            self._tables[name] = table
            self._index_table(name)
            for op in self._later.pop(name, ()):
                self._apply(op)
            return table
        raise CoachError(f"{self.path} 一直在被别的程序改写，读不到稳定的内容。请稍后再试。")

    def _all_tables(self) -> dict[str, dict[str, bytes]]:
        self._catch_up()
        for name in self._names():
            self._rows(name)
        return self._tables

    def _replay(self, data: bytes) -> None:
        """Apply the whole lines of `data` (the log from our offset); a torn last line or an
        unfinished batch is not read: it was never acknowledged."""
        ops, used, self._disk.line = read_lines(self.log_path, data, self._disk.line)
        for op in ops:
            self._apply(op)
        self._disk.offset += used

    def _catch_up(self) -> None:
        """Bring the tables up to what is on disk (other processes' writes), cheaply when we can."""
        if self._batch is not None:
            return None  # we hold the lock for the batch: nobody else has written
        if self._snapshot_id() != self._disk.snapshot:
            return self._reload()
        try:
            with open(self.log_path, "rb") as log:
                st = os.fstat(log.fileno())
                if (self._disk.log_ino is not None and st.st_ino != self._disk.log_ino) or st.st_size < self._disk.offset:
                    return self._reload()
                if st.st_size == self._disk.offset:
                    return None
                log.seek(self._disk.offset)
                self._disk.log_ino = st.st_ino
                self._replay(log.read())
        except FileNotFoundError:
            if self._disk.offset:
                self._reload()
        return None

    def _index(self) -> None:
        self._ids, self._next = {}, {}
        for name in self._tables:
            self._index_table(name)

    def _index_table(self, name: str) -> None:
        table = self._tables[name]
        ids = self._ids[name] = {}
        for key, raw in table.items():
            ident = record_id(raw)
            if isinstance(ident, str):
                ids[ident] = key
        self._next[name] = max(self._next.get(name, 1), max(map(int, table), default=0) + 1)

    def _apply(self, op: Op) -> None:
        """One change, in the tables and in the id index (or kept for when the table is read)."""
        if op.kind == "put":
            self._next[op.table] = max(self._next.get(op.table, 1), int(op.key) + 1)
        table = self._tables.get(op.table)
        if table is None:
            if self._disk.sections is None:  # no sections: every table is in memory, this one is new
                table = self._tables[op.table] = {}
                self._ids[op.table] = {}
            else:
                later = self._later.setdefault(op.table, [])
                if op.kind == "truncate":
                    later.clear()
                later.append(op)
                return
        ids = self._ids.setdefault(op.table, {})
        if op.kind == "truncate":
            table.clear()
            ids.clear()
        elif op.kind == "delete":
            raw = table.pop(op.key, None)
            if raw is not None:
                ident = record_id(raw)
                if ids.get(ident) == op.key:
                    del ids[ident]
        else:
            table[op.key] = op.raw
            if op.ident is not None:
                ids[op.ident] = op.key
