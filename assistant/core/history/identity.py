"""Who wrote a record, and ids that never collide between two staff PCs.

Every history has a device id (`origin`), made once and kept in the meta table. Records written
from now on carry `origin` (the device that created them) and, once edited, `updated` and
`updated_by`. Ids are `prefix-` + 20 random hex digits (80 bits): unique across a branch's PCs
without asking anyone.

Histories written before this carry neither `origin` nor long ids, and their journals are
append-only, so they are never rewritten: a record without `origin` was written by the device
whose history holds it (assigned when it is read or exported), and a short ("legacy") id is
only unique on that device, so when it travels it is qualified as `id~<origin 8>` — by a rule
that depends only on the id and the two devices, so every PC arrives at the same name.

Events have no id of their own (a third of the journal's size would otherwise be the same 20
characters on every line): an event is its content. It belongs to its session's origin, unless it
carries its own `origin` (written on one PC into a session another PC created). Two PCs can give
one session's next line the same seq (the 网点负责人 ends a session its owner resumed before they
synced): both lines are kept, and `event_order` sorts them the same way on every PC.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

import orjson

from assistant.core.history.files import atomic_write

#: Hex digits after the last "-" of an id this version makes (the random part).
RANDOM_HEX = 20
#: An id unique across devices: ends with at least 16 hex digits (64 bits) of randomness.
GLOBAL_ID = re.compile(r"-[0-9a-f]{16,}$")
#: Separates a legacy id from the device it came from.
QUALIFIER = "~"
#: The meta-table row holding this history's device id.
DEVICE_ROW = "device"
#: The copy of the device id beside state.json.
DEVICE_FILE = "device-id"


def new_id(prefix: str) -> str:
    """A fresh id, unique across every PC of the branch (e.g. `c-1f0e…`)."""
    return f"{prefix}-{secrets.token_hex(RANDOM_HEX // 2)}"


def new_origin() -> str:
    """A device id: 32 hex digits."""
    return secrets.token_hex(16)


def is_global(ident: str) -> bool:
    """True for ids made to be unique everywhere (this version's ids)."""
    return bool(GLOBAL_ID.search(ident))


def device_origin(state: Any) -> str:
    """This history's device id, created on first use (under the lock: two processes agree).

    Kept in the meta table, with a copy in `device-id` beside state.json: a schema migration or
    `coach history repair` rebuilds the meta table, and the device must not change identity then.
    """
    row = state.get("meta", DEVICE_ROW)
    if row and row.get("origin"):
        return row["origin"]
    with state.lock.held():
        row = state.get("meta", DEVICE_ROW)
        if row and row.get("origin"):
            return row["origin"]
        copy = Path(state.path).parent / DEVICE_FILE
        origin = _read_copy(copy)
        if origin is None:
            origin = new_origin()
            atomic_write(copy, origin.encode("ascii") + b"\n")
        state.insert("meta", {"id": DEVICE_ROW, "origin": origin})
        return origin


def _read_copy(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if re.fullmatch(r"[0-9a-f]{32}", text) else None


def origin_of(record: dict, local: str) -> str:
    """The device that created `record` (a record without `origin` was made where it is kept)."""
    return record.get("origin") or local


def editor_of(record: dict, local: str) -> str:
    """The device that made this version of `record`."""
    return record.get("updated_by") or origin_of(record, local)


def translate(ident: Any, source: str, local: str) -> Any:
    """An id as written by device `source`, named as device `local` names it.

    Global ids stay as they are. A legacy id from `source` becomes `id~<source 8>`, and one that
    names a record of `local` (`id~<local 8>`) loses its qualifier again. Not a string: unchanged.
    """
    if not isinstance(ident, str) or not ident or source == local or is_global(ident):
        return ident
    base, sep, tag = ident.rpartition(QUALIFIER)
    if sep:
        return base if tag == local[:8] else ident
    return f"{ident}{QUALIFIER}{source[:8]}"


def writer_of(event: dict, session_origin: str) -> str:
    """The device that wrote an event: its own `origin`, else its session's."""
    return event.get("origin") or session_origin


def event_order(event: dict, session_origin: str) -> tuple[int, str, str, bytes]:
    """An event's place in its transcript, the same on every PC: seq, then (two PCs wrote the same
    seq) time, the writing device, and the content (two lines one PC wrote with the same seq)."""
    return (event.get("seq", -1), str(event.get("time") or ""), writer_of(event, session_origin),
            orjson.dumps(event, option=orjson.OPT_SORT_KEYS))
