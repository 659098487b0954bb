"""The small mutable tables (staff, customers, follow-ups, groups, drill, flags, settings, meta)
in TinyDB with an atomic storage, and the schema version with its migrations.

TinyDB traps this module avoids (see shared LIBRARY-NOTES): the default JSONStorage rewrites the
file in place (a crash tears it), a bad file raises a bare JSONDecodeError without the file name,
and each `Table` caches query results and the next document id in memory, which goes stale the
moment another process writes. So: temp file + fsync + os.replace; HistoryCorruptError naming the
file; and a fresh `Table(cache_size=0)` for every operation, every write under the history lock.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable

import orjson
from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from assistant.core.errors import CoachError
from assistant.core.history.files import FILE_MODE, Lock, atomic_write
from assistant.core.history.journal import corrupt

#: Current layout of state.json. Bump it and add a migration when a record shape changes.
SCHEMA_VERSION = 2
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
    """TinyDB storage: parse on read (clear error on a bad file), atomic replace on write."""

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


#: from-version → function turning that version's raw tables into the next version's.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2}


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


class State:
    """Thin record API over TinyDB tables; records carry their own string `id`."""

    def __init__(self, path: Path, lock: Lock):
        self.path = path
        self.lock = lock
        self.db = TinyDB(path, storage=AtomicStorage)

    def table(self, name: str) -> Table:
        # A new Table each time: no stale query cache or next-id from before another process wrote.
        return Table(self.db.storage, name, cache_size=0)

    def open(self) -> None:
        """Create the file, or migrate an older one (a copy of the old file is kept next to it)."""
        with self.lock.held():
            data = self.db.storage.read()
            if data is not None and schema_of(data) == SCHEMA_VERSION:
                return
            if data is not None and schema_of(data) > SCHEMA_VERSION:
                raise CoachError(
                    f"{self.path} 是更新版本的 coach 写的（数据版本 {schema_of(data)}，本程序只认识 "
                    f"{SCHEMA_VERSION}）。请升级 coach；文件没有改动。"
                )
            if data is not None:
                backup = self.path.with_name(f"{self.path.name}.v{schema_of(data)}.bak")
                shutil.copy2(self.path, backup)
                backup.chmod(FILE_MODE)
            migrated, _ = migrate(data or {})
            self.db.storage.write(migrated)

    # ---------------------------------------------------------------- records

    def all(self, name: str) -> list[dict]:
        return [dict(doc) for doc in self.table(name).all()]

    def get(self, name: str, ident: str) -> dict | None:
        doc = self.table(name).get(Query().id == ident)
        return dict(doc) if doc else None

    def insert(self, name: str, record: dict) -> dict:
        with self.lock.held():
            self.table(name).insert(record)
        return record

    def insert_many(self, name: str, records: list[dict]) -> list[dict]:
        with self.lock.held():
            self.table(name).insert_multiple(records)
        return records

    def update(self, name: str, ident: str, change: Callable[[dict], None]) -> dict | None:
        """Apply `change` to the record in place, under the lock; returns the new record."""
        with self.lock.held():
            table = self.table(name)
            doc = table.get(Query().id == ident)
            if doc is None:
                return None
            record = dict(doc)
            change(record)
            table.update(lambda d: (d.clear(), d.update(record)), doc_ids=[doc.doc_id])
        return record

    def upsert(self, name: str, ident: str, change: Callable[[dict], None], new: dict) -> dict:
        """Change the record with this id, or insert `new` (plus the change) — one locked step."""
        with self.lock.held():
            record = self.update(name, ident, change)
            if record is None:
                record = {**new, "id": ident}
                change(record)
                self.table(name).insert(record)
        return record

    def remove(self, name: str, ident: str) -> None:
        with self.lock.held():
            self.table(name).remove(Query().id == ident)

    def truncate(self, name: str) -> None:
        with self.lock.held():
            self.table(name).truncate()
