"""Bring another history's records in: idempotent, order-free, append-only.

- Ids are renamed into this history's names first (identity.translate).
- Sessions: the newest version wins (by `updated`, then `ended`, then the bytes); a
  version is appended to the local journal only when it beats the one held, so the journal's
  "last line wins" is always "newest wins", whatever order files arrive in.
- Events: an event is its content (session, seq, time, text... and `origin` when written into a
  colleague's session); one already held is skipped. Two different lines with one seq (two PCs
  went on with one session before syncing) are both kept. The past of the local journals is never
  rewritten: imports only append.
- Table records (staff, customers, follow-ups, flags, groups, group events, drill): every edit
  carries `edits` {device: time}, a version vector. A version whose vector covers another's
  replaces it (a later edit); two that do not cover each other were edited in two places: a
  conflict. The newest wins, every conflicting version is kept in `versions`, and lists that only
  grow (`history`, `seen_by`) are united. The result depends only on the set of versions seen.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from assistant.core.history.exchange import KINDS, Batch, ExchangeError
from assistant.core.history.identity import editor_of, origin_of, translate

#: Fields holding ids of other records, per kind (renamed with the record's own id).
REFS: dict[str, tuple[str, ...]] = {
    "staff": ("id",), "customer": ("id",), "group": ("id",), "group_event": ("id", "group_id"),
    "session": ("id", "staff_id", "customer_id"), "event": ("session_id",),
    "followup": ("id", "customer_id", "session_id", "group_id"), "flag": ("id", "session_id", "staff_id"),
    "drill": ("id", "staff_id"),
}
#: Lists that only grow: a merge keeps every entry of every version (sorted, without repeats).
UNITED = ("history", "seen_by")
#: Kinds whose versions unite quietly (a colleague marking a comment seen is not a conflict).
QUIET = ("flag",)
LABELS = {"staff": "员工", "customer": "客户", "group": "微信群", "group_event": "群动态", "session": "会话",
          "event": "对话事件", "followup": "跟进事项", "flag": "批注", "drill": "强化练习"}


@dataclass
class Summary:
    """What an import did (or, dry run, would do)."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    #: One sentence per record edited in two places (newest kept, both versions kept).
    conflicts: list[str] = field(default_factory=list)
    #: Files passed over, and why.
    notes: list[str] = field(default_factory=list)

    def count(self, what: dict[str, int], kind: str) -> None:
        what[kind] = what.get(kind, 0) + 1

    def absorb(self, earlier: "Summary | None") -> "Summary":
        """This summary plus an earlier one (a file imported slice by slice)."""
        if earlier is not None:
            for mine, theirs in ((self.added, earlier.added), (self.updated, earlier.updated),
                                 (self.skipped, earlier.skipped)):
                for kind, n in theirs.items():
                    mine[kind] = mine.get(kind, 0) + n
            self.conflicts[:0] = earlier.conflicts
        return self

    def total(self, what: dict[str, int]) -> int:
        return sum(what.values())

    def lines(self) -> list[str]:
        def part(what: dict[str, int]) -> str:
            return "、".join(f"{LABELS[k]} {n}" for k, n in what.items() if n) or "无"
        out = [f"新增：{part(self.added)}", f"更新为较新版本：{part(self.updated)}",
               f"已有、跳过：{part(self.skipped)}", f"两处都改过（冲突）：{len(self.conflicts)}"]
        return out + [f"  · {c}" for c in self.conflicts] + self.notes


# ------------------------------------------------------------------ versions of table records


def canon(record: dict) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def _stamp(record: dict) -> str:
    return max(str(record.get(k) or "") for k in ("updated", "created", "time"))


def newest_key(record: dict) -> tuple[str, bytes]:
    return _stamp(record), canon(record)


def edits(record: dict) -> dict[str, str]:
    return record.get("edits") or {}


def supersedes(a: dict, b: dict) -> bool:
    """`a` is a later version than `b`: it saw every edit `b` saw and more (equal vectors: the newer)."""
    ea, eb = edits(a), edits(b)
    if any(ea.get(d, "") < t for d, t in eb.items()):
        return False
    return ea != eb or newest_key(a) > newest_key(b)


def bare(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "versions"}


def combine(versions: list[dict]) -> dict:
    """One record from versions that conflict: the newest, with the growing lists united."""
    ordered = sorted(versions, key=newest_key)
    if len(ordered) == 1:
        return dict(ordered[0])
    result = dict(ordered[-1])
    for name in UNITED:
        entries = [e for v in ordered for e in (v.get(name) or [])]
        if entries:
            unique = {canon(e) if isinstance(e, dict) else orjson.dumps(e): e for e in entries}
            result[name] = [unique[k] for k in sorted(unique, key=lambda k: (_entry_time(unique[k]), k))]
    vector: dict[str, str] = {}
    for v in ordered:
        for device, time in edits(v).items():
            vector[device] = max(vector.get(device, ""), time)
    result["edits"] = vector
    result["versions"] = ordered
    return result


def _entry_time(entry: Any) -> str:
    return str(entry.get("time") or "") if isinstance(entry, dict) else ""


def heads(record: dict) -> list[dict]:
    """The versions a stored record stands for: its `versions`, unless edited since the merge."""
    versions = record.get("versions")
    if versions and canon(bare(record)) == canon(bare(combine(versions))):
        return list(versions)
    return [bare(record)]


def merged(local: dict | None, incoming: dict) -> dict:
    """The record after seeing `incoming` too (independent of the order versions arrive in)."""
    candidates = (heads(local) if local else []) + heads(incoming)
    unique = list({canon(v): v for v in candidates}.values())
    return combine([v for v in unique if not any(supersedes(o, v) for o in unique)])


# ------------------------------------------------------------------ the importer


class Importer:
    """Applies batches to one History; reads each table once per import and writes it once."""

    def __init__(self, history: Any, dry_run: bool = False, kinds: tuple[str, ...] | None = None,
                 own: tuple[str, ...] = ()):
        self.history = history
        #: The kinds taken in (None: all); the rest of a batch is passed over.
        self.kinds = kinds
        #: Kinds also taken when the record is about this history's own session or staff.
        self.own = own
        self.local = history.origin
        self.dry_run = dry_run
        self.summary = Summary()
        self._tables: dict[str, dict[str, dict]] = {}
        self._changed: dict[str, dict[str, dict]] = {}
        self._new_sessions: dict[str, dict] = {}
        #: Session id → digests of the events held (identical bytes: the same event).
        self._held: dict[str, set[bytes]] = {}
        self._events: list[dict] = []

    def add(self, batch: Batch) -> None:
        """Take in one file's records (checked first: a dangling event refuses the whole batch)."""
        self.history.refresh()  # once: then sessions are looked up in the index as it is
        renamed = [(kind, self._rename(kind, record, batch.origin), number) for kind, record, number in batch.records
                   if self.kinds is None or kind in self.kinds or kind in self.own]
        if self.kinds is not None and self.own:
            renamed = [item for item in renamed if item[0] in self.kinds or self._about_ours(item[1])]
        self._check_events(batch, renamed)
        for kind, record, _ in renamed:
            if kind == "session":
                self._session(record)
            elif kind == "event":
                self._event(record)
            else:
                self._record(kind, record)

    def _about_ours(self, record: dict) -> bool:
        """The record is about a session made here, or (no session) given to staff made here or
        about a customer or group made here (a reminder the 网点负责人 closed)."""
        if record.get("session_id"):
            session = self.history.peek_session(record["session_id"])
            return session is not None and origin_of(session, self.local) == self.local
        for table, key in (("staff", "staff_id"), ("customers", "customer_id"), ("groups", "group_id")):
            row = self.history.state.get(table, record[key]) if record.get(key) else None
            if row is not None and origin_of(row, self.local) == self.local:
                return True
        return False

    def _rename(self, kind: str, record: dict, source: str) -> dict:
        out = dict(record)
        if kind != "event":
            out.setdefault("origin", source)
        for name in REFS[kind]:
            if name in out:
                out[name] = translate(out[name], source, self.local)
        if kind == "flag" and isinstance(out.get("seen_by"), list):
            out["seen_by"] = [translate(s, source, self.local) for s in out["seen_by"]]
        return out

    def _check_events(self, batch: Batch, renamed: list[tuple[str, dict, int]]) -> None:
        here = {r["id"] for kind, r, _ in renamed if kind == "session"}
        for kind, record, number in renamed:
            sid = record.get("session_id")
            if kind == "event" and sid not in here and sid not in self._new_sessions and not self._known(sid):
                raise ExchangeError(f"{batch.path} 第 {number} 行：对话事件属于会话 {record['session_id']}，"
                                    "文件里和本机都没有这个会话。文件不完整，没有导入任何记录。")

    def _known(self, session_id: str) -> bool:
        return self.history.peek_session(session_id) is not None

    # ---------------------------------------------------------------- sessions and events

    def _session(self, record: dict) -> None:
        held = self._new_sessions.get(record["id"]) or self.history.peek_session(record["id"])
        if held is not None and canon(held) == canon(record):
            self.summary.count(self.summary.skipped, "session")
            return
        if held is not None and _session_key(held) >= _session_key(record):
            self.summary.count(self.summary.skipped, "session")
            return
        self.summary.count(self.summary.updated if held else self.summary.added, "session")
        if held is None:
            self._held.setdefault(record["id"], set())  # a new session: none of its events are here
        record.setdefault("month", record["started"][:7])
        if held is not None:
            record["month"] = held.get("month") or record["month"]  # events stay in the month they are in
        self._new_sessions[record["id"]] = record

    def _event(self, record: dict) -> None:
        sid = record["session_id"]
        if sid not in self._held:
            known = self._known(sid)
            self._held[sid] = {_digest(e) for e in self.history.events(sid)} if known else set()
        digest = _digest(record)
        if digest in self._held[sid]:
            self.summary.count(self.summary.skipped, "event")
            return
        self._held[sid].add(digest)
        self._events.append(record)
        self.summary.count(self.summary.added, "event")

    # ---------------------------------------------------------------- table records

    def _table(self, name: str) -> dict[str, dict]:
        if name not in self._tables:
            self._tables[name] = {r["id"]: r for r in self.history.state.all(name)}
        return self._tables[name]

    def _record(self, kind: str, record: dict) -> None:
        name = KINDS[kind]
        rows = self._table(name)
        held = rows.get(record["id"])
        result = merged(held, record)
        if held is not None and canon(result) == canon(held):
            self.summary.count(self.summary.skipped, kind)
            return
        self.summary.count(self.summary.updated if held else self.summary.added, kind)
        if held is not None and len(result.get("versions") or ()) > len(heads(held)) and kind not in QUIET:
            self.summary.conflicts.append(self._conflict_note(kind, result))
        rows[record["id"]] = result
        changed = self._changed.setdefault(name, {})
        changed[record["id"]] = (result, changed.get(record["id"], (None, held is None))[1])

    def _conflict_note(self, kind: str, result: dict) -> str:
        who = result.get("name") or result.get("title") or result["id"]
        places = "、".join(sorted({editor_of(v, self.local)[:8] for v in result["versions"]}))
        return (f"{LABELS[kind]}「{who}」（{result['id']}）在两台电脑上都改过（设备 {places}）：保留较新的一版"
                f"（{_stamp(result)}），其他版本完整记在这条记录的 versions 里。")

    # ---------------------------------------------------------------- writing

    def commit(self) -> Summary:
        """Write what is new: one append per journal month, one write per table (nothing when dry)."""
        if self.dry_run:
            return self.summary
        sessions = list(self._new_sessions.values())
        if sessions or self._events:
            self.history.append_bulk(sessions, self._events)
        state = self.history.state
        with self.history._mutex, self.history.lock.held():  # one lock for all tables: another process sees all or nothing new
            for name, rows in self._changed.items():
                new = [record for record, is_new in rows.values() if is_new]
                if new:
                    state.insert_many(name, new)
                for ident, (record, is_new) in rows.items():
                    if not is_new:
                        state.update(name, ident, lambda r, record=record: (r.clear(), r.update(record)))
        self._new_sessions, self._events, self._changed = {}, [], {}
        return self.summary


def _digest(event: dict) -> bytes:
    """An event's identity: its canonical bytes, hashed (a set of them per session stays small)."""
    return hashlib.blake2b(canon(event), digest_size=16).digest()


def _session_key(record: dict) -> tuple[str, str, bytes]:
    """Versions of a session in the order they are written: started, then ended, then edited."""
    return str(record.get("updated") or ""), str(record.get("ended") or ""), canon(record)


def import_files(history: Any, target: Any, dry_run: bool = False) -> tuple[Summary, list[Any]]:
    """Import an export file, or every *.jsonl in a folder: all files are read and checked before
    anything is written, so a bad file means nothing is imported. Returns (summary, files)."""
    from pathlib import Path

    from assistant.core.history.exchange import export_files, read_file

    files = export_files(Path(target))
    if not files:
        raise ExchangeError(f"{target} 里没有 .jsonl 导出文件。没有导入任何记录。")
    batches = [read_file(path) for path in files]
    importer = Importer(history, dry_run=dry_run)
    for batch in batches:
        if batch.origin == history.origin:
            importer.summary.notes.append(f"{batch.path} 是本机自己导出的，里面的记录本来就在，跳过。")
            continue
        importer.add(batch)
    return importer.commit(), files
