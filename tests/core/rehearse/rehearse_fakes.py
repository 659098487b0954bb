"""An in-memory stand-in for the parts of History the rehearsal code uses."""

from __future__ import annotations

import itertools


class FakeStore:
    def __init__(self, staff=(), sessions=()):
        self.drill: dict[str, dict] = {}
        self.staff = list(staff)
        self.sessions = {s["id"]: dict(s) for s in sessions}
        self.events: list[dict] = []
        self._ids = itertools.count(1)

    def list_drill(self, staff_id=None, due_before=None):
        rows = [d for d in self.drill.values() if (staff_id is None or d["staff_id"] == staff_id)
                and (due_before is None or (d.get("due") or "") < due_before)]
        return sorted((dict(d) for d in rows), key=lambda d: d.get("due") or "")

    def upsert_drill(self, **fields):
        record = {**self.drill.get(fields["id"], {}), **fields}
        self.drill[fields["id"]] = record
        return dict(record)

    def list_staff(self):
        return list(self.staff)

    def iter_sessions(self, since=None, until=None):
        for s in sorted(self.sessions.values(), key=lambda s: s["started"]):
            day = s["started"][:10]
            if (since is None or day >= str(since)) and (until is None or day <= str(until)):
                yield dict(s)

    def start_session(self, **fields):
        sid = f"s{next(self._ids)}"
        self.sessions[sid] = {"id": sid, **fields}
        return sid

    def log_event(self, session_id, speaker, text, **fields):
        record = {"session_id": session_id, "speaker": speaker, "text": text, **fields}
        self.events.append(record)
        return record

    def end_session(self, session_id, **fields):
        self.sessions[session_id].update(fields)
        return self.sessions[session_id]
