"""The mutable tables (staff, customers, follow-ups, groups, drill, flags, settings, meta): a
snapshot (`state.json`) plus an append-only log of changed rows (`state.log`), and the schema
version with its migrations. The file formats are in snapshot.py.

Why a log: rewriting a 60 MB `state.json` for every changed customer cost seconds at 100k
customers. Now a write appends the changed rows (one JSON line each: put or delete of one
document, or the truncation of a table) and fsyncs, under the history lock; it costs what the
rows cost. When the log outgrows the snapshot, the snapshot is rewritten atomically (temp file +
fsync + os.replace) and the log emptied. Replaying a log over a snapshot that already holds its
changes gives that snapshot again (each line sets the last value), so a crash between the two
steps loses nothing and doubles nothing. A half-written last line (a crash mid-append) was
never acknowledged: it is not read, and the next append cuts it off; so is a batch (an import)
whose end line never reached the disk.

Tables are read lazily: a process reads the snapshot's header, replays the log, and reads a
table's section the first time it is used (until then the log's changes to it wait in a list).
`coach followups` thus never reads 100k customers into memory: `matching` scans the customers'
section bytes for the few rows a date may concern. Every process catches up from the log (or
reloads after another process compacted) before each operation. TinyDB's API still works over
the same data (`State.db`, `State.table(name)`) through `LoggedStorage`; the History methods use
the faster record API below (by record `id`, indexed).
"""

from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from assistant.core.errors import CoachError
from assistant.core.history.files import FILE_MODE, Lock, atomic_write, atomic_write_with, open_append, remove_stray_temp_files, write_all
from assistant.core.history.journal import corrupt
from assistant.core.history.snapshot import (  # noqa: F401 - re-exported for repair and tests
    BEGIN, END, SNAPSHOT_HEAD, Op, Source, apply_op, check_shape, decode_snapshot, dumps, encode_snapshot, fast_rows,
    load_state_bytes, log_path, op_line, parse_line, put_line, read_head, read_lines, read_section, record_id,
    scan_section, write_snapshot,
)
from assistant.core.history.migrations import MIGRATIONS, SCHEMA_VERSION, AtomicStorage, migrate, schema_of  # noqa: F401
from assistant.core.platform import secure_file

TABLES = ("staff", "customers", "followups", "groups", "group_events", "drill", "flags", "settings", "meta")


def _copy(value: Any) -> Any:
    """A deep copy of JSON data (callers may change what they get; the tables must not change)."""
    return orjson.loads(orjson.dumps(value))


# ------------------------------------------------------------------ the store


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


class LoggedStorage(Storage):
    """TinyDB's view of a State: read decodes every table; write logs the documents that changed.

    Only code that uses TinyDB directly comes here (State's own methods are faster).
    """

    def __init__(self, path: str | Path, state: "State | None" = None):
        self.path = Path(path)
        self.state = state

    def read(self) -> dict | None:
        tables = self.state._all_tables()
        if not any(tables.values()):
            return None
        return {name: {k: orjson.loads(raw) for k, raw in t.items()} for name, t in tables.items()}

    def write(self, data: dict) -> None:
        with self.state.lock.held():
            tables = self.state._all_tables()
            ops = []
            for name in set(data) | set(tables):
                old, new = tables.get(name, {}), data.get(name, {})
                ops += [Op(name, k, None, None, "delete") for k in old if k not in new]
                for k, doc in new.items():
                    raw = dumps(doc)
                    if old.get(k) != raw:
                        ident = doc.get("id")
                        ops.append(Op(name, k, ident if isinstance(ident, str) else None, raw, "put"))
            self.state._log(ops)

    def close(self) -> None:
        pass


class State:
    """Record API over the tables; records carry their own string `id` (indexed).

    In memory each document is kept as its JSON bytes (a third of the memory of Python dicts,
    and nothing to decode for rows nobody asks for); reads decode fresh copies.
    """

    #: Compact when the log is bigger than this and bigger than the snapshot.
    COMPACT_MIN_BYTES = 8 * 1024 * 1024

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
        self.db = TinyDB(path, storage=LoggedStorage, state=self)

    def table(self, name: str) -> Table:
        # A new Table each time: no stale query cache or next-id from before another process wrote.
        return Table(self.db.storage, name, cache_size=0)

    def open(self) -> None:
        """Create the files, or migrate an older snapshot (a copy of the old file is kept next to it).

        Also removes temp files a killed write left in the data home (they hold customers' data),
        and rewrites a snapshot from before sections once, so later opens read only what they use.
        """
        with self.lock.held():
            remove_stray_temp_files(self.path.parent)
            self._reload()
            meta = [orjson.loads(raw) for raw in self._rows("meta").values()]
            version = schema_of({"meta": dict(enumerate(meta))} if meta else {"x": 1} if self._has_rows() else {})
            if version == SCHEMA_VERSION and meta:
                if self._disk.sections is None:
                    self._compact()
                return
            if version > SCHEMA_VERSION:
                raise CoachError(
                    f"{self.path} 是更新版本的 coach 写的（数据版本 {version}，本程序只认识 "
                    f"{SCHEMA_VERSION}）。请升级 coach；文件没有改动。"
                )
            if self.path.exists() and version < SCHEMA_VERSION:
                backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
                shutil.copy2(self.path, backup)
                secure_file(backup, FILE_MODE)
            old = {name: {k: orjson.loads(raw) for k, raw in t.items()} for name, t in self._all_tables().items()}
            migrated, _ = migrate(old)
            self._compact({name: {k: dumps(d) for k, d in t.items()} for name, t in migrated.items()})

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

    # ---------------------------------------------------------------- writing

    def _log(self, ops: list[Op]) -> None:
        """Apply `ops` in memory and append them to the log (fsynced; inside `batch`, at its end)."""
        if not ops:
            return
        lines = []
        for op in ops:
            self._apply(op)
            lines.append(op_line(op))
        batch = self._batch
        if batch is None:
            try:
                self._append(b"".join(lines))
            except BaseException:
                self._reload()  # not written: forget the change in memory too
                raise
            return
        batch.lines += lines
        batch.count += len(lines)
        batch.size += sum(map(len, lines))
        if batch.size >= batch.FLUSH_BYTES:
            self._flush(batch)

    def _cut_tail(self, fd: int) -> None:
        """Drop what follows the last change we read (caller holds the lock and has caught up):
        a torn line or an unfinished batch, left by a crash and never acknowledged."""
        if os.fstat(fd).st_size > self._disk.offset:
            os.ftruncate(fd, self._disk.offset)

    def _append(self, payload: bytes, lines: int | None = None) -> None:
        """Append and fsync (caller holds the lock and has caught up); on failure nothing of
        `payload` stays in the log (a full disk: the caller says so, and nobody reads it)."""
        fd = open_append(self.log_path)
        try:
            self._cut_tail(fd)
            try:
                write_all(fd, payload)
                os.fsync(fd)
            except BaseException:
                os.ftruncate(fd, self._disk.offset)
                raise
            st = os.fstat(fd)
        finally:
            os.close(fd)
        self._appended(st, payload.count(b"\n") if lines is None else lines)

    def _appended(self, st: os.stat_result, lines: int) -> None:
        self._disk.log_ino, self._disk.offset = st.st_ino, st.st_size
        self._disk.line += lines
        if st.st_size > max(self.COMPACT_MIN_BYTES, (self._disk.snapshot or (0, 0))[1]):
            try:
                self._compact()
            except OSError:
                pass  # the change is safe in the log; the next write tries to compact again

    def _flush(self, batch: _Batch) -> None:
        """Stream a batch's lines to the log (not fsynced: nothing counts before its end line)."""
        payload = b"".join(batch.lines)
        batch.lines, batch.size = [], 0
        fd = open_append(self.log_path)
        try:
            if not batch.began:
                self._cut_tail(fd)
                payload = BEGIN + payload
                batch.began = True
            write_all(fd, payload)
        finally:
            os.close(fd)

    def _commit(self, batch: _Batch) -> None:
        """The batch's last lines and its end line, fsynced: from here on it counts."""
        if not batch.began:
            if batch.lines:
                self._append(b"".join(batch.lines), batch.count)
            return
        fd = open_append(self.log_path)
        try:
            write_all(fd, b"".join(batch.lines) + END)
            os.fsync(fd)
            st = os.fstat(fd)
        finally:
            os.close(fd)
        self._appended(st, batch.count + 2)

    def _rollback(self, batch: _Batch) -> None:
        """Forget a batch that failed: cut its lines off the log, read the disk again."""
        self._batch = None
        try:
            if os.path.getsize(self.log_path) > batch.start:
                os.truncate(self.log_path, batch.start)
        except OSError:
            pass  # no end line reached the disk: readers skip the batch, the next write cuts it
        self._reload()

    def _sources(self) -> dict[str, Source]:
        """Every table for a new snapshot: the rows of those read, the old section's bytes as they
        are for those never read and unchanged (100k customers are not decoded to compact)."""
        sources: dict[str, Source] = {}
        for name in self._names():
            section = (self._disk.sections or {}).get(name)
            if name in self._tables or name in self._later or section is None:
                sources[name] = self._rows(name)
            else:
                sources[name] = (lambda s=section: self._copy_section(s), section[1], section[2], section[3])
        return sources

    def _copy_section(self, section: list[int]) -> Iterator[bytes]:
        with open(self.path, "rb") as f:
            if _identity(os.fstat(f.fileno())) != self._disk.snapshot:
                raise CoachError(f"{self.path} 在压缩时被别的程序换掉了（不应发生：写入都持锁）。请重试。")
            f.seek(self._disk.body + section[0])
            left = section[1]
            while left > 0:
                piece = f.read(min(1 << 20, left))
                if not piece:
                    raise corrupt(self.path, "比文件头说的短（可能在写入时断电）")
                left -= len(piece)
                yield piece

    def _compact(self, tables: dict[str, dict[str, bytes]] | None = None) -> None:
        """Write every table as the new snapshot, then start an empty log (caller holds the lock)."""
        if tables is not None:  # exactly these tables (a migration): not the sections on disk
            self._tables, self._later = tables, {}
            self._disk.sections = None
            self._index()
        sources = self._sources()
        written: list[bytes] = []
        atomic_write_with(self.path, lambda fd: written.append(write_snapshot(fd, sources)))
        atomic_write(self.log_path, b"")
        head = read_head(self.path, written[0])
        disk = _Disk()
        disk.snapshot = self._snapshot_id()
        disk.sections, disk.body = head["tables"], len(written[0])
        disk.log_ino = os.stat(self.log_path).st_ino
        self._disk, self._later = disk, {}
        for name, section in disk.sections.items():
            self._next[name] = max(self._next.get(name, 1), section[3])

    def compact(self) -> None:
        """Fold the log into the snapshot now (repair, tests, and when the log has grown)."""
        with self.lock.held():
            self._catch_up()
            self._compact()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Hold the lock and write every change made inside as one batch, fsynced once at the end.

        For commands that change many rows (an import): nothing is acknowledged, nor read by any
        process, before the end; the lines are streamed to the log as they come (a 100k-row import
        holds a few MB of them, not all), between begin and end lines.
        """
        if self._batch is not None:
            yield
            return
        with self.lock.held():
            self._catch_up()
            batch = self._batch = _Batch(self._disk.offset)
            try:
                yield
                self._batch = None
                self._commit(batch)
            except BaseException:
                self._rollback(batch)
                raise

    # ---------------------------------------------------------------- records

    def _put(self, name: str, record: dict, key: str | None = None) -> Op:
        if key is None:
            key = str(self._next.get(name, 1))
            self._next[name] = int(key) + 1
        ident = record.get("id")
        return Op(name, key, ident if isinstance(ident, str) else None, dumps(record), "put")

    def _raw(self, name: str, ident: str) -> tuple[str, bytes] | None:
        table = self._rows(name)
        key = self._ids.get(name, {}).get(ident)
        if key is None:
            return None
        return key, table[key]

    def _decode(self, name: str, raw: bytes) -> dict:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise corrupt(self.path, f"表「{name}」里有一条记录不是完整的 JSON") from None

    def _current(self, name: str) -> dict[str, bytes]:
        self._catch_up()
        return self._rows(name)

    def all(self, name: str) -> list[dict]:
        table = self._current(name)
        if not table:
            return []
        try:  # one call decodes the whole table faster than one call a row
            return orjson.loads(b"[" + b",".join(table.values()) + b"]")
        except orjson.JSONDecodeError:
            return [self._decode(name, raw) for raw in table.values()]

    def iter(self, name: str) -> Iterator[dict]:
        """The rows of a table one at a time (a scan that keeps few rows needs little memory)."""
        for raw in list(self._current(name).values()):
            yield self._decode(name, raw)

    def raw_rows(self, name: str) -> dict[str, bytes]:
        """{doc key: document bytes} of a table as it is now (a copy of the mapping; the bytes
        are immutable): for callers that stream a big table in their own order."""
        return dict(self._current(name))

    def matching(self, name: str, keep: Callable[[bytes], Any], find: Iterable[re.Pattern] | None = None) -> list[dict]:
        """The rows for whose stored JSON bytes `keep` is true, decoded; the others are never
        decoded (a pre-filter: the caller still checks what it gets).

        `find`: byte patterns at least one of which matches every row `keep` accepts. With them,
        a table not read yet stays unread: its section is scanned with the patterns, and only the
        lines they hit (and the rows the log changed since) are looked at."""
        self._catch_up()
        if find is None or name in self._tables or self._disk.sections is None:
            return [self._decode(name, raw) for raw in self._rows(name).values() if keep(raw)]
        patterns = list(find)
        data = self._section_bytes(name)
        if data is None:  # replaced by another process's compaction since we read its header
            self._reload()
            return self.matching(name, keep, patterns)
        later = self._later.get(name, [])
        changed = {op.key for op in later} if not any(op.kind == "truncate" for op in later) else None
        rows: dict[str, bytes] = {}
        if changed is not None:
            for line in scan_section(data, patterns).values():
                op = parse_line(self.path, 0, line)
                if op.kind == "put" and op.key not in changed:
                    rows[op.key] = op.raw
        final: dict[str, dict[str, bytes]] = {name: {}}
        for op in later:
            apply_op(final, op)
        rows.update((k, raw) for k, raw in final[name].items() if any(p.search(raw) for p in patterns))
        return [self._decode(name, raw) for raw in rows.values() if keep(raw)]

    def get_many(self, name: str, idents: Iterable[str]) -> dict[str, dict]:
        """{id: record} of the records with these ids that exist. A table not read yet is scanned
        for them (one pass over its section), not read."""
        wanted = sorted({i for i in idents if isinstance(i, str) and i})
        if not wanted:
            return {}
        self._catch_up()
        if name in self._tables or self._disk.sections is None or any('"' in i or "\\" in i for i in wanted):
            return {i: self._decode(name, found[1]) for i in wanted if (found := self._raw(name, i))}
        find = re.compile(rb'"k":"(?:' + b"|".join(re.escape(i.encode()) for i in wanted) + rb')","v":')
        rows = self.matching(name, lambda raw: True, [find, re.compile(rb'^\{"id":"(?:' + b"|".join(
            re.escape(i.encode()) for i in wanted) + rb')"')])
        return {r["id"]: r for r in rows if r.get("id") in wanted}

    def get(self, name: str, ident: str) -> dict | None:
        self._catch_up()
        found = self._raw(name, ident)
        return self._decode(name, found[1]) if found else None

    def insert(self, name: str, record: dict) -> dict:
        with self.lock.held():
            self._catch_up()
            self._log([self._put(name, record)])
        return record

    def insert_many(self, name: str, records: list[dict]) -> list[dict]:
        with self.lock.held():
            self._catch_up()
            self._log([self._put(name, r) for r in records])
        return records

    def update(self, name: str, ident: str, change: Callable[[dict], None]) -> dict | None:
        """Apply `change` to the record in place, under the lock; returns the new record."""
        with self.lock.held():
            self._catch_up()
            found = self._raw(name, ident)
            if found is None:
                return None
            record = self._decode(name, found[1])
            change(record)
            self._log([self._put(name, record, found[0])])
        return record

    def upsert(self, name: str, ident: str, change: Callable[[dict], None], new: dict) -> dict:
        """Change the record with this id, or insert `new` (plus the change) — one locked step."""
        with self.lock.held():
            record = self.update(name, ident, change)
            if record is None:
                record = {"id": ident, **_copy(new)}
                record["id"] = ident
                change(record)
                self._log([self._put(name, record)])
        return record

    def remove(self, name: str, ident: str) -> None:
        with self.lock.held():
            self._catch_up()
            found = self._raw(name, ident)
            if found is not None:
                self._log([Op(name, found[0], None, None, "delete")])

    def truncate(self, name: str) -> None:
        with self.lock.held():
            self._catch_up()
            self._log([Op(name, None, None, None, "truncate")])
