"""The state's schema versions and their migrations, and the plain TinyDB storage of a snapshot
file (kept for code that reads an old state.json directly)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import orjson
from tinydb.storages import Storage

from assistant.core.history.files import atomic_write
from assistant.core.history.snapshot import load_state_bytes

#: Current layout of state.json. Bump it and add a migration when a record shape changes.
SCHEMA_VERSION = 3


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
