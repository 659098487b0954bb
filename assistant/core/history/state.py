"""The mutable tables (staff, customers, follow-ups, groups, drill, flags, settings, meta): a
TinyDB snapshot (`state.json`) plus an append-only log of changed rows (`state.log`), and the
schema version with its migrations.

Why a log: rewriting a 60 MB `state.json` for every changed customer cost seconds at 100k
customers. Now a write appends the changed rows (one JSON line each: put or delete of one
document, or the truncation of a table) and fsyncs, under the history lock; it costs what the
rows cost. When the log outgrows the snapshot, the snapshot is rewritten atomically (temp file +
fsync + os.replace) and the log emptied. Replaying a log over a snapshot that already holds its
changes gives that snapshot again (each line sets the last value), so a crash between the two
steps loses nothing and doubles nothing. A half-written last line (a crash mid-append) was
never acknowledged: it is not read, and the next append cuts it off.

Every process keeps the tables in memory and catches up from the log (or reloads after another
process compacted) before each operation. TinyDB's API still works over the same data
(`State.db`, `State.table(name)`) through `LoggedStorage`; the History methods use the faster
record API below (by record `id`, indexed).
"""

from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterator

import orjson
from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from assistant.core.errors import CoachError
from assistant.core.history.files import FILE_MODE, Lock, atomic_write, open_append, remove_stray_temp_files
from assistant.core.history.journal import corrupt
from assistant.core.platform import pread, secure_file

#: Current layout of state.json. Bump it and add a migration when a record shape changes.
SCHEMA_VERSION = 3
TABLES = ("staff", "customers", "followups", "groups", "group_events", "drill", "flags", "settings", "meta")


def check_shape(path: Path, data: Any) -> None:
    """A TinyDB file is {table: {doc_id: {...}}}; anything else is not ours."""
    if not isinstance(data, dict):
        raise corrupt(path, "内容不是 coach 的数据表（顶层不是对象）")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise corrupt(path, f"表「{name}」的内容不是记录，不像是 coach 写的文件")


def load_state_bytes(path: Path, data: bytes) -> dict:
    if not data.strip():
        raise corrupt(path, "文件是空的（可能在写入时断电或被别的程序清空）")
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise corrupt(path, f"不是完整的 JSON（{exc}）") from None
    check_shape(path, parsed)
    return parsed


class AtomicStorage(Storage):
    """TinyDB storage of a plain snapshot file: parse on read (clear error), atomic replace on write."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def read(self) -> dict | None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return load_state_bytes(self.path, data)

    def write(self, data: dict) -> None:
        atomic_write(self.path, orjson.dumps(data))

    def close(self) -> None:
        pass


def log_path(snapshot: Path) -> Path:
    """The change log beside a snapshot: state.json → state.log."""
    return snapshot.with_suffix(".log")


#: First line of a snapshot in the line format: which format, and how many rows follow (a
#: snapshot with fewer rows than it says is torn, not merely short).
SNAPSHOT_HEAD = b'{"coach_state":'
#: A put line as we write it, read without decoding the document (orjson keeps key order).
_PUT = re.compile(rb'\{"t":"([a-z_]+)","i":"(\d+)"(?:,"k":"([^"\\]*)")?,"v":(\{.*\})\}')


def put_line(table: str, key: str, doc: dict) -> bytes:
    """{"t": table, "i": doc id, "k": record id, "v": document} as one line."""
    ident = doc.get("id")
    head = {"t": table, "i": key, "k": ident} if isinstance(ident, str) else {"t": table, "i": key}
    return orjson.dumps({**head, "v": doc}) + b"\n"


class Op:
    """One change read from a line: put (raw document bytes), delete, or truncate a table."""

    __slots__ = ("table", "key", "ident", "raw", "kind")

    def __init__(self, table: str, key: str | None, ident: str | None, raw: bytes | None, kind: str):
        self.table, self.key, self.ident, self.raw, self.kind = table, key, ident, raw, kind


def parse_line(path: Path, number: int, line: bytes) -> Op:
    m = _PUT.fullmatch(line)
    if m:
        return Op(m[1].decode(), m[2].decode(), m[3].decode() if m[3] is not None else None, m[4], "put")
    try:
        op = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise corrupt(path, f"第 {number} 行不是完整的 JSON（{exc}）") from None
    if isinstance(op, dict) and isinstance(op.get("t"), str):
        if "x" in op:
            return Op(op["t"], None, None, None, "truncate")
        if isinstance(op.get("i"), str) and "d" in op:
            return Op(op["t"], op["i"], None, None, "delete")
        if isinstance(op.get("i"), str) and isinstance(op.get("v"), dict):
            ident = op["v"].get("id")
            return Op(op["t"], op["i"], ident if isinstance(ident, str) else None, orjson.dumps(op["v"]), "put")
    raise corrupt(path, f"第 {number} 行不是数据表的改动记录，不像是 coach 写的文件")


def apply_op(tables: dict[str, dict[str, bytes]], op: Op) -> None:
    table = tables.setdefault(op.table, {})
    if op.kind == "truncate":
        table.clear()
    elif op.kind == "delete":
        table.pop(op.key, None)
    else:
        table[op.key] = op.raw


def read_lines(path: Path, data: bytes, first_line: int = 1) -> tuple[list[Op], int, int]:
    """Ops of the whole lines of `data`: (ops, bytes used, next line number). A torn tail is left."""
    end = data.rfind(b"\n") + 1
    ops, number = [], first_line
    for line in data[:end].split(b"\n")[:-1]:
        if line.strip():
            ops.append(parse_line(path, number, line))
        number += 1
    return ops, end, number


def decode_snapshot(path: Path, data: bytes) -> dict[str, dict[str, bytes]]:
    """A snapshot file: the line format (checked whole), or the older single TinyDB object."""
    if not data.startswith(SNAPSHOT_HEAD):
        parsed = load_state_bytes(path, data)  # a state.json from before the log (schema 2 or older)
        return {name: {k: orjson.dumps(doc) for k, doc in table.items()} for name, table in parsed.items()}
    head_end = data.find(b"\n") + 1
    try:
        rows = int(orjson.loads(data[:head_end])["coach_state"]["rows"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise corrupt(path, "第 1 行（文件头）读不了") from None
    ops, used, _ = read_lines(path, data[head_end:], 2)
    if len(ops) != rows or used != len(data) - head_end:
        raise corrupt(path, f"不是完整的文件（文件头说有 {rows} 条记录，读到 {len(ops)} 条；可能在写入时断电）")
    tables: dict[str, dict[str, bytes]] = {}
    for op in ops:
        apply_op(tables, op)
    return tables


#: A whole put line as we write it, for scanning a snapshot in one pass (MULTILINE).
_PUT_LINES = re.compile(rb'^\{"t":"([a-z_]+)","i":"(\d+)"(?:,"k":"([^"\\]*)")?,"v":(\{.*\})\}$', re.MULTILINE)


def fast_snapshot(data: bytes) -> tuple[dict[str, dict[str, bytes]], dict[str, dict[str, str]]] | None:
    """(tables, id index) of a line-format snapshot whose every line is a put we wrote, in one
    regex pass (opening 100k customers took 1.2 s line by line); None sends the caller to
    `decode_snapshot`, which checks and reports line by line."""
    if not data.startswith(SNAPSHOT_HEAD) or not data.endswith(b"\n"):
        return None
    head_end = data.find(b"\n") + 1
    try:
        rows = int(orjson.loads(data[:head_end])["coach_state"]["rows"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None
    found = _PUT_LINES.findall(data, head_end)
    if len(found) != rows or data.count(b"\n") - 1 != rows:
        return None
    tables: dict[str, dict[str, bytes]] = {}
    ids: dict[str, dict[str, str]] = {}
    for t, group in groupby(found, key=itemgetter(0)):  # a table's rows are together: bulk dict updates
        rows = list(group)
        keys = [r[1].decode() for r in rows]
        tables.setdefault(t.decode(), {}).update(zip(keys, map(itemgetter(3), rows)))
        ids.setdefault(t.decode(), {}).update((r[2].decode(), key) for r, key in zip(rows, keys) if r[2])
    return tables, ids


def encode_snapshot(tables: dict[str, dict[str, bytes]]) -> bytes:
    rows = sum(len(t) for t in tables.values())
    parts = [orjson.dumps({"coach_state": {"rows": rows}}) + b"\n"]
    for name, table in tables.items():
        for key, raw in table.items():
            parts.append(_raw_put(name, key, raw))
    return b"".join(parts)


def _raw_put(name: str, key: str, raw: bytes) -> bytes:
    """A put line from stored document bytes, without decoding them when we can help it."""
    m = _ID.match(raw)
    if m:
        return b'{"t":"%s","i":"%s","k":"%s","v":%s}\n' % (name.encode(), key.encode(), m[1], raw)
    return put_line(name, key, orjson.loads(raw))


#: The record id at the start of a stored document (we put `id` first), if it needs no escaping.
_ID = re.compile(rb'\{"id":"([^"\\]*)"')


def _copy(value: Any) -> Any:
    """A deep copy of JSON data (callers may change what they get; the tables must not change)."""
    return orjson.loads(orjson.dumps(value))


# ------------------------------------------------------------------ migrations


def _v1_to_v2(data: dict) -> dict:
    """v1 kept `phone`/`wechat` on the customer and `done: bool` on follow-ups."""
    for customer in data.get("customers", {}).values():
        contact = customer.setdefault("contact", {})
        for key in ("phone", "wechat"):
            if key in customer:
                contact[key] = customer.pop(key)
        contact.setdefault("allow", [k for k in ("wechat", "phone") if contact.get(k)])
    for followup in data.get("followups", {}).values():
        done = followup.pop("done", False)
        followup.setdefault("status", "done" if done else "open")
        followup.setdefault("history", [])
    return data


def _v2_to_v3(data: dict) -> dict:
    """v3 changes the files, not the records: state.json becomes a snapshot in lines plus state.log."""
    return data


#: from-version → function turning that version's raw tables into the next version's.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2, 2: _v2_to_v3}


def schema_of(data: dict) -> int:
    meta = data.get("meta", {})
    for doc in meta.values():
        if "schema" in doc:
            return int(doc["schema"])
    return 1 if data else SCHEMA_VERSION


def migrate(data: dict) -> tuple[dict, int]:
    """Bring raw tables to SCHEMA_VERSION; returns (data, version it had)."""
    version = schema_of(data)
    start = version
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    data["meta"] = {"1": {"schema": SCHEMA_VERSION}}
    return data, start


# ------------------------------------------------------------------ the store


class _Disk:
    """What this process last read: the snapshot's identity and how far into the log."""

    def __init__(self) -> None:
        self.snapshot: tuple | None = None
        self.log_ino: int | None = None
        self.offset = 0
        self.line = 1


class LoggedStorage(Storage):
    """TinyDB's view of a State: read decodes every table; write logs the documents that changed.

    Only code that uses TinyDB directly comes here (State's own methods are faster).
    """

    def __init__(self, path: str | Path, state: "State | None" = None):
        self.path = Path(path)
        self.state = state

    def read(self) -> dict | None:
        tables = self.state._current()
        if not any(tables.values()):
            return None
        return {name: {k: orjson.loads(raw) for k, raw in t.items()} for name, t in tables.items()}

    def write(self, data: dict) -> None:
        with self.state.lock.held():
            self.state._catch_up()
            ops = []
            for name in set(data) | set(self.state._tables):
                old, new = self.state._tables.get(name, {}), data.get(name, {})
                ops += [Op(name, k, None, None, "delete") for k in old if k not in new]
                for k, doc in new.items():
                    raw = orjson.dumps(doc)
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
        self._tables: dict[str, dict[str, bytes]] = {}
        self._ids: dict[str, dict[str, str]] = {}
        self._next: dict[str, int] = {}
        self._disk = _Disk()
        self._pending: list[bytes] | None = None
        self.db = TinyDB(path, storage=LoggedStorage, state=self)

    def table(self, name: str) -> Table:
        # A new Table each time: no stale query cache or next-id from before another process wrote.
        return Table(self.db.storage, name, cache_size=0)

    def open(self) -> None:
        """Create the files, or migrate an older snapshot (a copy of the old file is kept next to it).

        Also removes temp files a killed write left in the data home (they hold customers' data).
        """
        with self.lock.held():
            remove_stray_temp_files(self.path.parent)
            self._reload()
            meta = [orjson.loads(raw) for raw in self._tables.get("meta", {}).values()]
            version = schema_of({"meta": dict(enumerate(meta))} if meta else {"x": 1} if self._has_rows() else {})
            if version == SCHEMA_VERSION and meta:
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
            old = {name: {k: orjson.loads(raw) for k, raw in t.items()} for name, t in self._tables.items()}
            migrated, _ = migrate(old)
            self._compact({name: {k: orjson.dumps(d) for k, d in t.items()} for name, t in migrated.items()})

    def _has_rows(self) -> bool:
        return any(t for name, t in self._tables.items() if name != "meta")

    # ---------------------------------------------------------------- disk

    def _snapshot_id(self) -> tuple | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _reload(self) -> None:
        """Read the snapshot and the whole log. The log is opened first: a compaction by another
        process in between then only makes us replay changes the new snapshot already holds."""
        try:
            log = open(self.log_path, "rb")
        except FileNotFoundError:
            log = None
        try:
            disk = _Disk()
            disk.snapshot = self._snapshot_id()
            try:
                data = self.path.read_bytes()
            except FileNotFoundError:
                data = None
            fast = fast_snapshot(data) if data is not None else None
            if fast is not None:
                self._tables, self._ids = fast
                self._next = {name: max(map(int, t), default=0) + 1 for name, t in self._tables.items()}
            else:
                self._tables = decode_snapshot(self.path, data) if data is not None else {}
                self._index()
            self._disk = disk
            if log is not None:
                disk.log_ino = os.fstat(log.fileno()).st_ino
                self._replay(log.read())
        finally:
            if log is not None:
                log.close()

    def _replay(self, data: bytes) -> None:
        """Apply the whole lines of `data` (the log from our offset); a torn last line is not read:
        it was never acknowledged."""
        ops, used, self._disk.line = read_lines(self.log_path, data, self._disk.line)
        for op in ops:
            self._apply(op)
        self._disk.offset += used

    def _catch_up(self) -> None:
        """Bring the tables up to what is on disk (other processes' writes), cheaply when we can."""
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

    def _current(self) -> dict[str, dict[str, bytes]]:
        self._catch_up()
        return self._tables

    def _index(self) -> None:
        self._ids, self._next = {}, {}
        for name, table in self._tables.items():
            ids = self._ids[name] = {}
            for key, raw in table.items():
                m = _ID.match(raw)
                ident = m[1].decode() if m else orjson.loads(raw).get("id")
                if isinstance(ident, str):
                    ids[ident] = key
            self._next[name] = max(map(int, table), default=0) + 1

    def _apply(self, op: Op) -> None:
        """One change, in the tables and in the id index."""
        table = self._tables.setdefault(op.table, {})
        ids = self._ids.setdefault(op.table, {})
        if op.kind == "truncate":
            table.clear()
            ids.clear()
            return
        if op.kind == "delete":
            raw = table.pop(op.key, None)
            if raw is not None:
                m = _ID.match(raw)
                ident = m[1].decode() if m else orjson.loads(raw).get("id")
                if ids.get(ident) == op.key:
                    del ids[ident]
            return
        table[op.key] = op.raw
        if op.ident is not None:
            ids[op.ident] = op.key
        self._next[op.table] = max(self._next.get(op.table, 1), int(op.key) + 1)

    # ---------------------------------------------------------------- writing

    def _log(self, ops: list[Op]) -> None:
        """Apply `ops` in memory and append them to the log (fsynced, unless inside `batch`)."""
        if not ops:
            return
        lines = []
        for op in ops:
            self._apply(op)
            if op.kind == "put":
                lines.append(_raw_put(op.table, op.key, op.raw))
            elif op.kind == "delete":
                lines.append(orjson.dumps({"t": op.table, "i": op.key, "d": 1}) + b"\n")
            else:
                lines.append(orjson.dumps({"t": op.table, "x": 1}) + b"\n")
        if self._pending is not None:
            self._pending += lines
            return
        self._append(b"".join(lines))

    def _append(self, payload: bytes) -> None:
        fd = open_append(self.log_path)
        try:
            size = os.fstat(fd).st_size
            if size and pread(fd, 1, size - 1) != b"\n":  # a torn line from a crash: never acknowledged
                data = pread(fd, size, 0)
                os.truncate(self.log_path, data.rfind(b"\n") + 1)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            st = os.fstat(fd)
        finally:
            os.close(fd)
        self._disk.log_ino, self._disk.offset = st.st_ino, st.st_size
        self._disk.line += payload.count(b"\n")
        if st.st_size > max(self.COMPACT_MIN_BYTES, (self._disk.snapshot or (0, 0))[1]):
            self._compact(self._tables)

    def _compact(self, tables: dict[str, dict[str, bytes]]) -> None:
        """Write every table as the new snapshot, then start an empty log (caller holds the lock)."""
        atomic_write(self.path, encode_snapshot(tables))
        atomic_write(self.log_path, b"")
        self._tables = tables
        self._index()
        self._disk = _Disk()
        self._disk.snapshot = self._snapshot_id()
        self._disk.log_ino = os.stat(self.log_path).st_ino

    def compact(self) -> None:
        """Fold the log into the snapshot now (repair, tests, and when the log has grown)."""
        with self.lock.held():
            self._catch_up()
            self._compact(self._tables)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Hold the lock and write every change made inside at the end, in one append and fsync.

        For commands that change many rows (an import): nothing is acknowledged before the end.
        """
        if self._pending is not None:
            yield
            return
        with self.lock.held():
            self._catch_up()
            self._pending = []
            try:
                yield
            except BaseException:
                self._pending = None
                self._reload()  # forget the half-done batch: the disk still holds what it held
                raise
            pending, self._pending = self._pending, None
            if pending:
                self._append(b"".join(pending))

    # ---------------------------------------------------------------- records

    def _put(self, name: str, record: dict, key: str | None = None) -> Op:
        if key is None:
            key = str(self._next.get(name, 1))
            self._next[name] = int(key) + 1
        ident = record.get("id")
        return Op(name, key, ident if isinstance(ident, str) else None, orjson.dumps(record), "put")

    def _raw(self, name: str, ident: str) -> tuple[str, bytes] | None:
        key = self._ids.get(name, {}).get(ident)
        if key is None:
            return None
        return key, self._tables[name][key]

    def _decode(self, name: str, raw: bytes) -> dict:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise corrupt(self.path, f"表「{name}」里有一条记录不是完整的 JSON") from None

    def all(self, name: str) -> list[dict]:
        table = self._current().get(name, {})
        if not table:
            return []
        try:  # one call decodes the whole table faster than one call a row
            return orjson.loads(b"[" + b",".join(table.values()) + b"]")
        except orjson.JSONDecodeError:
            return [self._decode(name, raw) for raw in table.values()]

    def iter(self, name: str) -> Iterator[dict]:
        """The rows of a table one at a time (a scan that keeps few rows needs little memory)."""
        for raw in list(self._current().get(name, {}).values()):
            yield self._decode(name, raw)

    def matching(self, name: str, keep: Callable[[bytes], Any]) -> list[dict]:
        """The rows for whose stored JSON bytes `keep` is true, decoded; the others are never
        decoded (a pre-filter: the caller still checks what it gets)."""
        return [self._decode(name, raw) for raw in self._current().get(name, {}).values() if keep(raw)]

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
