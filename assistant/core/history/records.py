"""Staff, settings, customers, follow-ups, groups, flags and drill items: the mutable records
kept in state.json (TinyDB). A mixin of `History`; needs `self.state`, `self.now()` and
`self._mutex`.

Every method that touches the state runs under `self._mutex` (`@synchronized`), so a History is
safe to call from any thread: TinyDB tables and the atomic file replace are not, and read-then-
write steps (upsert_drill, mark_flags_seen) must not interleave. The file lock taken inside
State keeps other processes out; the mutex is always taken first, so the two cannot deadlock.
"""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable, Iterable, Iterator, TypeVar

import orjson

from assistant.core.errors import InputError, UnknownIdError
from assistant.core.history.identity import new_id

ROLES = ("柜员", "大堂经理", "理财经理", "客户经理", "网点负责人")
FOLLOWUP_STATUSES = ("open", "done", "postponed")
PENDING = ("open", "postponed")

Method = TypeVar("Method", bound=Callable[..., Any])


def synchronized(method: Method) -> Method:
    """Run a History method under its in-process lock (`self._mutex`, re-entrant)."""
    @functools.wraps(method)
    def locked(self, *args: Any, **kwargs: Any) -> Any:
        with self._mutex:
            return method(self, *args, **kwargs)
    return locked  # type: ignore[return-value]


def _id(prefix: str) -> str:
    return new_id(prefix)


def _statuses(status: str | Iterable[str] | None) -> set[str] | None:
    if status is None:
        return None
    return {status} if isinstance(status, str) else set(status)


class Records:
    """The small-table half of the History API."""

    state: Any
    #: The current time as an ISO string (History provides it, from its clock).
    now: Callable[[], str]
    #: The in-process lock around shared state (History creates it).
    _mutex: threading.RLock
    #: This history's device id, stamped on what it creates and edits (History provides it).
    origin: str

    def _stamp_edit(self, record: dict) -> None:
        """Mark a change: when, on which device, and (`edits`) the latest change seen from each
        device, so merging histories can tell a later version from a concurrent one (merge.py)."""
        now = self.now()
        record.update(updated=now, updated_by=self.origin, edits={**record.get("edits", {}), self.origin: now})

    def _must(self, table: str, ident: str, what: str) -> dict:
        record = self.state.get(table, ident)
        if record is None:
            raise UnknownIdError(f"没有编号为 {ident} 的{what}。")
        return record

    def _update(self, table: str, ident: str, what: str, **fields: Any) -> dict:
        fields.pop("id", None)
        record = self.state.update(table, ident, lambda r: (r.update(fields), self._stamp_edit(r)))
        if record is None:
            raise UnknownIdError(f"没有编号为 {ident} 的{what}。")
        return record

    # ---------------------------------------------------------------- staff and settings

    @synchronized
    def add_staff(self, name: str, role: str, id: str | None = None, **fields: Any) -> dict:
        """A staff member; role is one of 柜员/大堂经理/理财经理/客户经理/网点负责人."""
        if role not in ROLES:
            raise InputError(f"岗位「{role}」不认识，应为：{'、'.join(ROLES)}")
        return self.state.insert("staff", {"id": id or _id("u"), "name": name, "role": role, "origin": self.origin,
                                           **fields})

    @synchronized
    def list_staff(self) -> list[dict]:
        return self.state.all("staff")

    @synchronized
    def get_staff(self, ident: str) -> dict | None:
        return self.state.get("staff", ident)

    @synchronized
    def update_staff(self, ident: str, **fields: Any) -> dict:
        return self._update("staff", ident, "员工", **fields)

    @synchronized
    def get_setting(self, key: str, default: Any = None) -> Any:
        record = self.state.get("settings", key)
        return record["value"] if record else default

    @synchronized
    def set_setting(self, key: str, value: Any) -> None:
        self.state.upsert("settings", key, lambda r: r.update(value=value), {})

    @synchronized
    def current_staff(self) -> dict | None:
        """The staff member last chosen on this machine (setting `current_staff`)."""
        ident = self.get_setting("current_staff")
        return self.get_staff(ident) if ident else None

    @synchronized
    def set_current_staff(self, ident: str) -> None:
        self.set_setting("current_staff", ident)

    # ---------------------------------------------------------------- customers

    @synchronized
    def add_customer(self, name: str, **fields: Any) -> dict:
        """A customer: name (称呼), segment, asset_tier, products, birthday, tags, notes, contact."""
        record = {"id": fields.pop("id", None) or _id("c"), "name": name, "segment": None, "asset_tier": None,
                  "products": [], "birthday": None, "tags": [], "notes": "", "contact": {},
                  "created": self.now(), "origin": self.origin, **fields}
        return self.state.insert("customers", record)

    @synchronized
    def add_customers(self, records: list[dict]) -> list[dict]:
        """Many customers in one write (CSV import, demo)."""
        now = self.now()
        rows = [{"id": r.get("id") or _id("c"), "products": [], "tags": [], "contact": {}, "created": now,
                 "origin": self.origin, **r} for r in records]
        return self.state.insert_many("customers", rows)

    @synchronized
    def update_customer(self, ident: str, **fields: Any) -> dict:
        return self._update("customers", ident, "客户", **fields)

    @synchronized
    def get_customer(self, ident: str) -> dict | None:
        return self.state.get("customers", ident)

    @synchronized
    def list_customers(self) -> list[dict]:
        return sorted(self.state.all("customers"), key=lambda c: c.get("name") or "")

    def iter_customers(self) -> Iterator[dict]:
        """Every customer by name, decoded one at a time (listing 100k holds their stored bytes
        and a name per row, never 100k dicts)."""
        with self._mutex:
            rows = self.state.raw_rows("customers")
        order = sorted((orjson.loads(raw).get("name") or "", int(key), key) for key, raw in rows.items())
        for *_, key in order:
            yield orjson.loads(rows[key])

    @synchronized
    def get_customers(self, idents: Iterable[str]) -> dict[str, dict]:
        """{id: customer} of those that exist; a customers table not read yet is searched, not read."""
        return self.state.get_many("customers", idents)

    @synchronized
    def find_customers(self, query: str, limit: int = 20) -> list[dict]:
        """Customers whose name, pinyin, initials, phone or tags hold `query` (best first)."""
        from assistant.core.history.people import rank_customers

        return rank_customers(self.list_customers(), query, limit)

    # ---------------------------------------------------------------- follow-ups

    @synchronized
    def add_followup(self, **fields: Any) -> dict:
        """A follow-up {customer_id, session_id, rule_id, due, title, card_id, scenario_id, ...}."""
        record = {"id": fields.pop("id", None) or _id("f"), "customer_id": None, "session_id": None,
                  "rule_id": None, "due": None, "title": "", "card_id": None, "scenario_id": None,
                  "status": "open", "origin": self.origin, **fields}
        record.setdefault("history", [{"time": self.now(), "status": record["status"], "note": "创建"}])
        return self.state.insert("followups", record)

    @synchronized
    def add_followups(self, records: list[dict]) -> list[dict]:
        now = self.now()
        rows = [{"id": r.get("id") or _id("f"), "status": "open", "origin": self.origin,
                 "history": [{"time": now, "status": r.get("status", "open"), "note": "创建"}], **r} for r in records]
        return self.state.insert_many("followups", rows)

    @synchronized
    def get_followup(self, ident: str) -> dict | None:
        return self.state.get("followups", ident)

    @synchronized
    def list_followups(self, due_before: str | None = None, status: str | Iterable[str] | None = None,
                       customer_id: str | None = None) -> list[dict]:
        """Follow-ups by due time; `due_before` is an ISO date or datetime (exclusive)."""
        wanted = _statuses(status)
        rows = [f for f in self.state.all("followups")
                if (wanted is None or f.get("status") in wanted)
                and (due_before is None or (f.get("due") or "") < str(due_before))
                and (customer_id is None or f.get("customer_id") == customer_id)]
        return sorted(rows, key=lambda f: f.get("due") or "")

    @synchronized
    def mark_followup(self, ident: str, status: str, note: str = "", due: str | None = None) -> dict:
        """Mark done/postponed/open; the change is logged in the follow-up's `history`."""
        if status not in FOLLOWUP_STATUSES:
            raise InputError(f"跟进状态「{status}」不认识，应为：{'、'.join(FOLLOWUP_STATUSES)}")
        entry = {"time": self.now(), "status": status, "note": note}
        if due:
            entry["due"] = due

        def change(record: dict) -> None:
            self._stamp_edit(record)
            record["status"] = status
            record.setdefault("history", []).append(entry)
            if due:
                record["due"] = due
            if status == "done":
                record["done_at"] = entry["time"]

        record = self.state.update("followups", ident, change)
        if record is None:
            raise UnknownIdError(f"没有编号为 {ident} 的跟进事项。用 `coach followups` 查看编号。")
        return record

    # ---------------------------------------------------------------- groups

    @synchronized
    def add_group(self, name: str, **fields: Any) -> dict:
        record = {"id": fields.pop("id", None) or _id("g"), "name": name, "created": self.now()[:10],
                  "origin": self.origin, **fields}
        return self.state.insert("groups", record)

    @synchronized
    def update_group(self, ident: str, **fields: Any) -> dict:
        return self._update("groups", ident, "微信群", **fields)

    @synchronized
    def get_group(self, ident: str) -> dict | None:
        return self.state.get("groups", ident)

    @synchronized
    def list_groups(self) -> list[dict]:
        return sorted(self.state.all("groups"), key=lambda g: g.get("name") or "")

    @synchronized
    def log_group_event(self, group_id: str, type: str, text: str = "", who: str = "",
                        time: str | None = None, **fields: Any) -> dict:
        """Something that happened in a group: post, product_question, members_moved, deal, promotion."""
        record = {"id": _id("ge"), "group_id": group_id, "time": time or self.now(), "type": type,
                  "text": text, "who": who, "origin": self.origin, **fields}
        return self.state.insert("group_events", record)

    @synchronized
    def list_group_events(self, group_id: str | None = None) -> list[dict]:
        rows = [e for e in self.state.all("group_events") if group_id is None or e.get("group_id") == group_id]
        return sorted(rows, key=lambda e: e.get("time") or "")

    # ---------------------------------------------------------------- flags and comments

    @synchronized
    def add_flag(self, session_id: str, seq: int | None, staff_id: str | None, comment: str) -> dict:
        """A flagged moment with a comment; shown to the session's staff member until seen."""
        record = {"id": _id("fl"), "session_id": session_id, "seq": seq, "staff_id": staff_id,
                  "comment": comment, "time": self.now(), "seen_by": [staff_id] if staff_id else [],
                  "origin": self.origin}
        return self.state.insert("flags", record)

    @synchronized
    def flags_for(self, session_id: str) -> list[dict]:
        rows = [f for f in self.state.all("flags") if f.get("session_id") == session_id]
        return sorted(rows, key=lambda f: (f.get("seq") if f.get("seq") is not None else -1, f.get("time") or ""))

    @synchronized
    def unseen_flags(self, staff_id: str, session_ids: Iterable[str] | None = None) -> list[dict]:
        wanted = set(session_ids) if session_ids is not None else None
        return [f for f in self.state.all("flags")
                if staff_id not in f.get("seen_by", []) and (wanted is None or f.get("session_id") in wanted)]

    @synchronized
    def mark_flags_seen(self, session_id: str, staff_id: str) -> None:
        for flag in self.flags_for(session_id):
            if staff_id not in flag.get("seen_by", []):
                self.state.update("flags", flag["id"], lambda r: (r.setdefault("seen_by", []).append(staff_id),
                                                                  self._stamp_edit(r)))

    # ---------------------------------------------------------------- drill

    @synchronized
    def list_drill(self, staff_id: str | None = None, due_before: str | None = None) -> list[dict]:
        rows = [d for d in self.state.all("drill")
                if (staff_id is None or d.get("staff_id") == staff_id)
                and (due_before is None or (d.get("due") or "") < str(due_before))]
        return sorted(rows, key=lambda d: (d.get("due") or "", d.get("card_id") or ""))

    @synchronized
    def upsert_drill(self, **fields: Any) -> dict:
        """Insert or update a drill item, found by `id` or by (staff_id, card_id, step)."""
        ident = fields.get("id")
        if ident is None:
            key = (fields.get("staff_id"), fields.get("card_id"), fields.get("step"))
            ident = next((d["id"] for d in self.state.all("drill")
                          if (d.get("staff_id"), d.get("card_id"), d.get("step")) == key), None) or _id("d")
        defaults = {"box": 1, "streak": 0, "history": [], "due": None, "origin": self.origin}
        return self.state.upsert("drill", ident, lambda r: (r.update(fields, id=ident), self._stamp_edit(r)),
                                 defaults)
