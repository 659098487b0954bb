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

The tables in memory and reading them: state_files.py; writing the log, batches and
compaction: state_log.py; this module: TinyDB's view and the record API (the queries).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from assistant.core.errors import CoachError
from assistant.core.history.files import FILE_MODE, Lock, remove_stray_temp_files
from assistant.core.history.journal import corrupt
from assistant.core.history.snapshot import (  # noqa: F401 - re-exported for repair and tests
    BEGIN, END, SNAPSHOT_HEAD, Op, Source, apply_op, check_shape, decode_snapshot, dumps, encode_snapshot, fast_rows,
    load_state_bytes, log_path, op_line, parse_line, put_line, read_head, read_lines, read_section, record_id,
    scan_section, write_snapshot,
)
from assistant.core.history.migrations import MIGRATIONS, SCHEMA_VERSION, AtomicStorage, migrate, schema_of  # noqa: F401
from assistant.core.history.state_log import StateLog
from assistant.core.platform import secure_file

TABLES = ("staff", "customers", "followups", "groups", "group_events", "drill", "flags", "settings", "meta")


def _copy(value: Any) -> Any:
    """A deep copy of JSON data (callers may change what they get; the tables must not change)."""
    return orjson.loads(orjson.dumps(value))


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


class State(StateLog):
    """Record API over the tables; records carry their own string `id` (indexed).

    In memory each document is kept as its JSON bytes (a third of the memory of Python dicts,
    and nothing to decode for rows nobody asks for); reads decode fresh copies.
    """

    def __init__(self, path: Path, lock: Lock):
        super().__init__(path, lock)
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
