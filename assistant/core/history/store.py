"""`History`: sessions and events in append-only monthly journals, small tables in TinyDB.

Opening reads only the sessions journals (a few records per session) into an in-memory index,
so filtering sessions never scans events. Events of one month are indexed by session lazily,
the first time a transcript of that month is opened. Every write happens under the file lock
and is fsynced before the call returns.

Threads: one History may be shared by any number of threads. An in-process RLock (`_mutex`)
guards the in-memory indexes, the append descriptors and the TinyDB state; it is always taken
before the file lock (which keeps other processes out). Long reads — full-text search, export's
month-by-month events — take it only for the index they look up, never while reading the files,
so a search does not hold up a staff member's appends.
"""

from __future__ import annotations

import secrets
import threading
from array import array
from datetime import datetime
from typing import Any, Callable, Iterator

from assistant.core.errors import UnknownIdError
from assistant.core.history.files import Lock, ensure_dir
from assistant.core.history.filters import SessionFilter, day, select, sort_sessions
from assistant.core.history.identity import RANDOM_HEX, device_origin, event_order, origin_of
from assistant.core.history.identity import new_id as _global_id
from assistant.core.history.journal import Journal
from assistant.core.history.records import Records, synchronized
from assistant.core.history.search import Progress, search_events
from assistant.core.history.state import State
from assistant.core.textsafe import clean_text
from assistant.paths import Paths, get_paths

Clock = Callable[[], datetime]
SESSION_DEFAULTS = {
    "mode": "live", "staff_id": None, "customer_id": None, "persona_id": None, "scenario_id": None,
    "segment": None, "started": None, "ended": None, "outcome": None, "furthest_step": None,
    "score": None, "topics": [], "cards_used": [],
}


def new_id(prefix: str) -> str:
    return _global_id(prefix)


class _MonthEvents:
    """Byte ranges of each session's events in one events file, extended as the file grows.

    16 bytes an event (an array of offset/length pairs), so a year of transcripts indexes in a few MB.
    """

    def __init__(self) -> None:
        self.offset = 0
        self.line = 1
        self.by_session: dict[str, array] = {}


class History(Records):
    """The history store of one data home; safe to share between threads (see the module doc)."""

    def __init__(self, paths: Paths | None = None, clock: Clock | None = None):
        self.paths = paths or get_paths()
        self.clock = clock or datetime.now
        #: Guards the in-memory indexes, the journals' descriptors and the TinyDB state (see above).
        self._mutex = threading.RLock()
        ensure_dir(self.paths.home)
        ensure_dir(self.paths.history_dir)
        self.lock = Lock(self.paths.lock)
        self.state = State(self.paths.state_db, self.lock)
        self.state.open()
        self.sessions_journal = Journal(self.paths.history_dir, "sessions")
        self.events_journal = Journal(self.paths.history_dir, "events")
        self._sessions: dict[str, dict] = {}
        self._offsets: dict[str, tuple[int, int]] = {}
        self._months: dict[str, _MonthEvents] = {}
        self._seq: dict[str, int] = {}
        #: Size of the session's events file after our last event to it (others may append after).
        self._events_size: dict[str, int] = {}
        #: Cards used in sessions this process logs to (so ending one reads no events).
        self._used: dict[str, list[str]] = {}
        self._origin: str | None = None
        #: Called with the session record after each `end_session` (the team folder publishes then).
        self.on_session_end: list[Callable[[dict], None]] = []
        self.refresh()

    @property
    def origin(self) -> str:
        """This history's device id (identity.py): stamped on every record it creates."""
        if self._origin is None:
            with self._mutex:
                self._origin = device_origin(self.state)
        return self._origin

    def now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    @synchronized
    def close(self) -> None:
        self.sessions_journal.close()
        self.events_journal.close()

    # ---------------------------------------------------------------- session index

    @synchronized
    def refresh(self) -> None:
        """Read what was appended to the sessions journals since last time (other processes too)."""
        self._refresh()

    def _refresh(self) -> None:
        for month in self.sessions_journal.months():
            offset, line = self._offsets.get(month, (0, 1))
            if self.sessions_journal.size(month) == offset:
                continue
            records, offset, line = self.sessions_journal.read(month, offset, line)
            for record in records:
                self._sessions[record["id"]] = record
            self._offsets[month] = (offset, line)

    def _indexed(self, session_id: str) -> dict:
        if session_id not in self._sessions:
            self.refresh()
        try:
            return self._sessions[session_id]
        except KeyError:
            raise UnknownIdError(f"没有编号为 {session_id} 的会话记录。") from None

    # ---------------------------------------------------------------- sessions

    @synchronized
    def start_session(self, mode: str = "live", staff_id: str | None = None, customer_id: str | None = None,
                      persona_id: str | None = None, scenario_id: str | None = None,
                      segment: str | None = None, **fields: Any) -> str:
        """Record a new session (on disk before returning) and return its id."""
        started = fields.pop("started", None) or self.now()
        record = {**SESSION_DEFAULTS, "id": fields.pop("id", None) or self._session_id(started),
                  "mode": mode, "staff_id": staff_id, "customer_id": customer_id, "persona_id": persona_id,
                  "scenario_id": scenario_id, "segment": segment, "started": started, "origin": self.origin,
                  **fields}
        record["month"] = started[:7]
        self._write_session(record)
        self._seq[record["id"]] = 0
        self._events_size[record["id"]] = self.events_journal.size(record["month"])
        self._used[record["id"]] = []
        return record["id"]

    def _session_id(self, started: str) -> str:
        stamp = started[:19].replace("-", "").replace(":", "").replace("T", "-")
        return f"s-{stamp}-{secrets.token_hex(RANDOM_HEX // 2)}"

    @synchronized
    def end_session(self, session_id: str, outcome: str | None = None, furthest_step: str | None = None,
                    score: float | None = None, **summary: Any) -> dict:
        """Close a session with its outcome and summary (topics, cards_used...); the last record wins."""
        record = dict(self._indexed(session_id))
        summary.setdefault("ended", self.now())
        if "cards_used" not in summary:
            used = self._used.get(session_id)
            if used is None:  # started by another process: read its events once
                used = [e.get("used_card") for e in self.events(session_id) if e.get("used_card")]
            summary["cards_used"] = list(dict.fromkeys(used))
        record.update({k: v for k, v in (("outcome", outcome), ("furthest_step", furthest_step),
                                         ("score", score)) if v is not None})
        record.update(summary)
        self._write_session(record)
        for listener in list(self.on_session_end):
            listener(record)
        return record

    @synchronized
    def update_session(self, session_id: str, **fields: Any) -> dict:
        """Append a new version of a session record with `fields` changed."""
        record = {**self._indexed(session_id), **fields, "updated": self.now(), "updated_by": self.origin}
        self._write_session(record)
        return record

    def _write_session(self, record: dict) -> None:
        if origin_of(record, self.origin) != self.origin or record.get("updated_by", self.origin) != self.origin:
            # A colleague's session (the 网点负责人 ending or correcting it), or one a colleague
            # last changed: this version is this PC's, published in its own team file, and the
            # newest when histories merge (merge.py orders a session's versions by `updated`).
            record.update(updated=self.now(), updated_by=self.origin)
        with self.lock.held():
            self.sessions_journal.append(record["month"], [record])
            self._sessions[record["id"]] = record

    @synchronized
    def session(self, session_id: str) -> dict | None:
        """The latest record of a session, or None when there is no such session."""
        if session_id not in self._sessions:
            self.refresh()
        record = self._sessions.get(session_id)
        return dict(record) if record else None

    def peek_session(self, session_id: str) -> dict | None:
        """The indexed record as it is (no copy, no re-read): for bulk readers that refresh once."""
        return self._sessions.get(session_id)

    def iter_sessions(self, since: Any = None, until: Any = None) -> Iterator[dict]:
        """Sessions started within [since, until] (inclusive days), oldest first."""
        since, until = day(since), day(until)
        with self._mutex:
            self._refresh()
            rows = sorted(self._sessions.values(), key=lambda s: s.get("started") or "")
        for s in rows:
            started = (s.get("started") or "")[:10]
            if (since is None or started >= since) and (until is None or started <= until):
                yield dict(s)

    def query_sessions(self, filter: SessionFilter | None = None, sort: str = "-started",
                       offset: int = 0, limit: int | None = 50) -> tuple[list[dict], int]:
        """One page of the sessions that match, and how many match in all."""
        f = filter or SessionFilter()
        with self._mutex:
            self._refresh()
            rows = sort_sessions(select(self._sessions.values(), f), sort)
        page = rows[offset:] if limit is None else rows[offset:offset + limit]
        return [dict(s) for s in page], len(rows)

    @synchronized
    def session_count(self) -> int:
        self._refresh()
        return len(self._sessions)

    # ---------------------------------------------------------------- events

    @synchronized
    def log_event(self, session_id: str, speaker: str, text: str, **fields: Any) -> dict:
        """Append one event (seq assigned) and fsync it before returning the record."""
        session = self._indexed(session_id)
        text = clean_text(text) if isinstance(text, str) else text  # no control characters kept, whoever typed it
        record = {"session_id": session_id, "seq": None, "time": fields.pop("time", None) or self.now(),
                  "speaker": speaker, "text": text, "type": fields.pop("type", "line"), **fields}
        if origin_of(session, self.origin) != self.origin:
            record["origin"] = self.origin  # written here into a colleague's session: this PC publishes it
        with self.lock.held():
            # seq is allocated under the file lock from what is on disk: another process may have
            # logged to this session since we last did (one seq per event across processes too)
            if record["seq"] is None:
                record["seq"] = self._next_seq(session_id, session["month"])
            seq = record["seq"]
            self.events_journal.append(session["month"], [record])
            self._events_size[session_id] = self.events_journal.size(session["month"])
        self._seq[session_id] = seq + 1
        if record.get("used_card") and session_id in self._used:
            self._used[session_id].append(record["used_card"])
        return record

    def _next_seq(self, session_id: str, month: str | None = None) -> int:
        known = self._events_size.get(session_id)
        if month is not None and session_id in self._seq and known is not None:
            size = self.events_journal.size(month)
            if size != known:  # others appended since our last event: any of them to this session?
                latest = self.events_journal.max_seq_between(month, session_id, known, size)
                if latest is not None:
                    self._seq[session_id] = max(self._seq[session_id], latest + 1)
        if session_id not in self._seq:
            self._seq[session_id] = max((e.get("seq", -1) for e in self.events(session_id)), default=-1) + 1
        return self._seq[session_id]

    def events(self, session_id: str) -> list[dict]:
        """Every event of a session, in order (from its month's file, indexed on first use)."""
        with self._mutex:
            session = self._indexed(session_id)
            month, made_by = session["month"], origin_of(session, self.origin)
            index = self._months.setdefault(month, _MonthEvents())
            if self.events_journal.size(month) != index.offset:
                index.offset, index.line = self.events_journal.scan_sessions(month, index.offset, index.line,
                                                                             index.by_session)
            ranges = array("q", index.by_session.get(session_id, ()))  # a copy: others may extend it
        if not ranges:
            return []
        # seq, then (two PCs wrote the same seq into this session) the same order on every PC
        return sorted(self.events_journal.read_ranges(month, ranges), key=lambda e: event_order(e, made_by))

    def iter_events(self, since: Any = None, until: Any = None) -> Iterator[dict]:
        """Every event of the sessions started in [since, until], month by month (for export/stats)."""
        since, until = day(since), day(until)
        for month in self.events_journal.months():
            if since and month < since[:7] or until and month > until[:7]:
                continue
            yield from self.events_journal.read(month)[0]  # one month in memory at a time

    def search_events(self, text: str, progress: Progress | None = None,
                      cancel: Callable[[], bool] | None = None) -> Iterator[dict]:
        """Events whose text holds `text` (normalized: case, width, 繁/简, punctuation); newest month first."""
        return search_events(self.events_journal, text, progress, cancel)

    # ---------------------------------------------------------------- bulk (demo, benchmark)

    @synchronized
    def append_bulk(self, sessions: list[dict], events: list[dict]) -> None:
        """Append many finished sessions and their events at once (one lock, one fsync per file)."""
        by_month: dict[str, list[dict]] = {}
        for s in sessions:
            s.setdefault("month", s["started"][:7])
            by_month.setdefault(s["month"], []).append(s)
        months = {s["id"]: s["month"] for s in sessions}
        events_by_month: dict[str, list[dict]] = {}
        for e in events:
            month = months.get(e["session_id"]) or self._indexed(e["session_id"])["month"]
            events_by_month.setdefault(month, []).append(e)
        with self.lock.held():
            for month, rows in by_month.items():
                self.sessions_journal.append(month, rows)
            for month, rows in events_by_month.items():
                self.events_journal.append(month, rows)
            for s in sessions:
                self._sessions[s["id"]] = s
