"""Publishing: this PC appends its new records to its own file in the team folder (the half of
TeamFolder that writes; team_folder.py holds the cursors and reads the colleagues).

A publish is one append of whole lines and an fsync; a publish killed halfway leaves a last line
without its newline, which readers leave unread and the next publish cuts off before appending
(its records were not marked published, so they go out again).
"""

from __future__ import annotations

import hashlib
import os

import orjson

from assistant.core.errors import CoachError
from assistant.core.history.exchange import KINDS, header, line
from assistant.core.history.files import fsync_dir
from assistant.core.history.identity import editor_of, origin_of
from assistant.core.history.merge import canon
from assistant.core.platform import pread

#: Colleagues read this folder: readable by the group (a shared drive's own rights apply on top).
SHARED_FILE_MODE = 0o640
SHARED_DIR_MODE = 0o750


class Publishing:
    """TeamFolder's publishing methods (they use its history, cursors and own file)."""

    def publish(self, tables: bool = True) -> int:
        """Append this PC's records not yet published; returns how many. Raises CoachError.

        Under this history's lock, with the cursors read again: the app and a command on this PC
        never publish the same records twice or write the file at the same time. The long part,
        finding the few changed rows among 100k customers, is done before, on a copy of the tables
        (the app is not held up meanwhile); a row changed after the copy goes out next time.
        """
        candidates = self._changed_rows() if tables else {}
        with self.history._mutex, self.history.lock.held():
            self.cursors = self._load_cursors()
            self.history.refresh()  # events are told apart by their session's device
            journal_cursors, payload = self._journal_lines()
            digests: dict[str, dict[str, str]] = {}
            stored: dict[str, dict[str, str]] = {}
            if tables:
                table_lines, digests, stored = self._table_lines(candidates)
                payload = table_lines + payload
            if payload:
                self._append(payload)
            self.cursors["journals"].update(journal_cursors)
            for key, found in (("tables", digests), ("stored", stored)):
                for name, rows in found.items():
                    self.cursors[key].setdefault(name, {}).update(rows)
            if payload or journal_cursors or stored:
                self._save_cursors()
        return len(payload)

    def _journal_lines(self) -> tuple[dict, list[bytes]]:
        """New session versions written here, then new events of this PC's sessions."""
        h = self.history
        cursors: dict[str, tuple[int, int]] = {}
        found: dict[str, list[bytes]] = {"session": [], "event": []}
        for journal, kind in ((h.sessions_journal, "session"), (h.events_journal, "event")):
            for month in journal.months():
                name = journal.path(month).name
                offset, number = self.cursors["journals"].get(name, (0, 1))
                if journal.size(month) == offset:
                    continue
                records, offset, number = journal.read(month, offset, number)
                found[kind] += [line(kind, _with_origin(r, self.local) if kind == "session" else r)
                                for r in records if self._ours(kind, r)]
                cursors[name] = (offset, number)
        return cursors, found["session"] + found["event"]

    def _ours(self, kind: str, record: dict) -> bool:
        if kind == "session":
            return editor_of(record, self.local) == self.local
        if record.get("origin"):  # written here into a colleague's session, or there into one of ours
            return record["origin"] == self.local
        session = self.history.peek_session(record["session_id"])
        return session is not None and origin_of(session, self.local) == self.local

    def _changed_rows(self) -> dict[str, tuple[list[bytes], dict[str, str]]]:
        """Per table: the stored rows that may have to go out, and the digests of their bytes.

        A row may when its stored bytes name this device (made or edited here, or written before
        devices had ids) and differ from what the last publish saw. Each table is copied under the
        history's mutex (a dict copy) and looked through outside it."""
        cursors = self._load_cursors()
        mine = self.local.encode("ascii")
        found: dict[str, tuple[list[bytes], dict[str, str]]] = {}
        for name in (n for n in KINDS.values() if n is not None):
            with self.history._mutex:
                rows = self.history.state.raw_rows(name)
            as_seen = {bytes.fromhex(d) for d in cursors["stored"].get(name, {}).values()}
            raws: list[bytes] = []
            looked: dict[str, str] = {}
            for raw in rows.values():
                if mine not in raw and b'"origin"' in raw:
                    continue  # a colleague's record, never edited here
                digest = hashlib.blake2b(raw, digest_size=8).digest()
                if digest in as_seen:
                    continue  # stored as it was at a publish since which nothing changed it
                looked[_row_id(raw)] = digest.hex()
                raws.append(raw)
            found[name] = (raws, looked)
        return found

    def _table_lines(self, candidates: dict[str, tuple[list[bytes], dict[str, str]]]
                     ) -> tuple[list[bytes], dict[str, dict[str, str]], dict[str, dict[str, str]]]:
        """Of `candidates` (`_changed_rows`), the records created or last edited here whose content
        changed since the last publish (the cursors as they are now), their digests, and the
        digests of the stored bytes looked at (`stored` cursors).

        Only those rows are decoded: with 100k customers a publish after a session decodes the few
        that changed, not all of them."""
        out, digests, stored = [], {}, {}
        for kind, name in KINDS.items():
            if name is None or name not in candidates:
                continue
            seen = self.cursors["tables"].get(name, {})
            raws, looked = candidates[name]
            for record in (orjson.loads(raw) for raw in raws):
                if editor_of(record, self.local) != self.local:
                    continue
                record = _with_origin(record, self.local)
                digest = hashlib.blake2b(canon(record), digest_size=8).hexdigest()
                if seen.get(record["id"]) != digest:
                    out.append(line(kind, record))
                    digests.setdefault(name, {})[record["id"]] = digest
            if looked:
                stored[name] = looked
        return out, digests, stored

    def _append(self, payload: list[bytes]) -> None:
        own = self.own_file
        try:
            own.parent.mkdir(parents=True, exist_ok=True, mode=SHARED_DIR_MODE)
            fd = os.open(own, os.O_RDWR | os.O_APPEND | os.O_CREAT, SHARED_FILE_MODE)
        except OSError as exc:
            raise CoachError(f"写不了团队文件夹 {own.parent}：{exc.strerror}。请检查共享盘是否连上、"
                             "有没有写权限（coach config get team_dir 查看路径）。") from None
        try:
            size = os.fstat(fd).st_size
            if size == 0:
                payload = [orjson.dumps(header(self.local, self.history.now(), "team")) + b"\n"] + payload
                fsync_dir(own.parent)
            elif pread(fd, 1, size - 1) != b"\n":
                _cut_torn_tail(fd, size)
            _write_all(fd, b"".join(payload))
            os.fsync(fd)
        finally:
            os.close(fd)


def _row_id(raw: bytes) -> str | None:
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return record.get("id") if isinstance(record, dict) else None


def _with_origin(record: dict, local: str) -> dict:
    return record if record.get("origin") else {**record, "origin": local}


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _cut_torn_tail(fd: int, size: int) -> None:
    """A publish killed halfway left part of a line: cut it (its records were not marked published)."""
    chunk = min(size, 1 << 20)
    tail = pread(fd, chunk, size - chunk)
    cut = tail.rfind(b"\n")
    os.ftruncate(fd, size - chunk + cut + 1 if cut >= 0 else 0)
