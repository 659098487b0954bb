"""Append-only monthly JSON-lines journals (`sessions-YYYY-MM.jsonl`, `events-YYYY-MM.jsonl`).

Appending costs the same at 1M records as at 1k: one `write` of whole lines and one `fsync`,
under the history lock held by the caller. A half-written last line (a crash mid-write) is not
read; the next append sets that fragment aside in `NAME.torn` before writing, so the journal
itself only ever holds whole lines. A bad line anywhere else is corruption: reading raises
HistoryCorruptError naming the file and line, and nothing is rewritten.
"""

from __future__ import annotations

import os
import re
from array import array
from pathlib import Path
from typing import Callable, Iterable, Iterator

import orjson

from assistant.core.errors import HistoryCorruptError
from assistant.core.history.files import FILE_MODE, fsync_dir, open_append
from assistant.core.platform import pread

MONTH_RE = re.compile(r"^(?P<prefix>sessions|events)-(?P<month>\d{4}-\d{2})\.jsonl$")
RECOVER_HINT = "文件保持原样，没有改动。请运行 `coach history check` 查看详情，再用 `coach history repair` 修复（能读的记录全部保留，读不了的另存在旁边）。"

#: The start of each line we wrote (orjson keeps `session_id` first), capturing the session id.
_OURS = re.compile(rb'(?m)^\{"session_id":"([^"\n]*)"[^\n]*\}$')

#: Checks one decoded record; returns what is wrong, or None.
Validator = Callable[[object], str | None]


def corrupt(path: Path, what: str) -> HistoryCorruptError:
    return HistoryCorruptError(f"历史文件 {path} 已损坏：{what}。{RECOVER_HINT}")


def valid_session(record: object) -> str | None:
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        return "不是会话记录（缺少 id）"
    return None


def valid_event(record: object) -> str | None:
    if not isinstance(record, dict) or not isinstance(record.get("session_id"), str) or "seq" not in record:
        return "不是对话事件记录（缺少 session_id 或 seq）"
    return None


VALIDATORS: dict[str, Validator] = {"sessions": valid_session, "events": valid_event}


def dumps(record: dict) -> bytes:
    """One journal line. orjson keeps key order, so `session_id` leads every event line."""
    return orjson.dumps(record) + b"\n"


def parse_lines(path: Path, data: bytes, first_line: int, validate: Validator) -> tuple[list[dict], int]:
    """Decode the whole lines of `data`; return (records, bytes consumed). A trailing fragment is left."""
    end = data.rfind(b"\n") + 1
    records = []
    for number, line in enumerate(data[:end].split(b"\n")[:-1], start=first_line):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise corrupt(path, f"第 {number} 行第 {exc.colno} 个字符起不是完整的 JSON") from None
        problem = validate(record)
        if problem:
            raise corrupt(path, f"第 {number} 行{problem}，不像是 coach 写的文件")
        records.append(record)
    return records, end


class Journal:
    """The monthly files of one kind (`sessions` or `events`) in the history folder."""

    def __init__(self, folder: Path, prefix: str):
        self.folder = folder
        self.prefix = prefix
        self.validate = VALIDATORS[prefix]
        self._fds: dict[Path, int] = {}

    def path(self, month: str) -> Path:
        return self.folder / f"{self.prefix}-{month}.jsonl"

    def months(self) -> list[str]:
        """Months that have a file, oldest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for entry in os.scandir(self.folder):
            m = MONTH_RE.match(entry.name)
            if m and m["prefix"] == self.prefix:
                found.append(m["month"])
        return sorted(found)

    # ---------------------------------------------------------------- writing

    def append(self, month: str, records: Iterable[dict]) -> None:
        """Write whole lines and fsync. The caller holds the history lock."""
        payload = b"".join(dumps(r) for r in records)
        if not payload:
            return
        path = self.path(month)
        fd = self._fd(path)
        self._set_aside_torn_tail(path, fd)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)

    def _fd(self, path: Path) -> int:
        """A cached append descriptor, reopened when the file was replaced (repair) or removed."""
        fd = self._fds.get(path)
        if fd is not None:
            try:
                if os.stat(path).st_ino == os.fstat(fd).st_ino:
                    return fd
            except FileNotFoundError:
                pass
            os.close(fd)
        new = not path.exists()
        if not new:
            self._check_first_line(path)
        fd = open_append(path)
        if new:
            fsync_dir(path.parent)
        self._fds[path] = fd
        return fd

    def _check_first_line(self, path: Path) -> None:
        """Never append to a file that is not ours: its first whole line must be one of our records."""
        with open(path, "rb") as f:
            head = f.read(65536)
        if b"\n" in head:
            parse_lines(path, head[: head.index(b"\n") + 1], 1, self.validate)

    def _set_aside_torn_tail(self, path: Path, fd: int) -> None:
        """A crash mid-append left a line without its newline: keep it in NAME.torn, cut it here."""
        size = os.fstat(fd).st_size
        if size == 0 or pread(fd, 1, size - 1) == b"\n":
            return
        with open(path, "rb") as f:
            data = f.read()
        cut = data.rfind(b"\n") + 1
        aside = path.with_name(path.name + ".torn")
        side = os.open(aside, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        try:
            os.write(side, data[cut:] + b"\n")
            os.fsync(side)
        finally:
            os.close(side)
        os.truncate(path, cut)

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    # ---------------------------------------------------------------- reading

    def read(self, month: str, start: int = 0, first_line: int = 1) -> tuple[list[dict], int, int]:
        """Records from byte `start`; returns (records, new offset, next line number)."""
        path = self.path(month)
        data = _tail(path, start)
        if data is None:
            return [], start, first_line
        records, used = parse_lines(path, data, first_line, self.validate)
        return records, start + used, first_line + data.count(b"\n", 0, used)

    def scan_sessions(self, month: str, start: int, first_line: int,
                      into: dict[str, "array"]) -> tuple[int, int]:
        """Index events by session as (offset, length) pairs, without decoding lines we wrote.

        Our lines start with `{"session_id":"…"` (orjson keeps key order); any other line is
        decoded and validated, so a bad line still raises with its number.
        """
        path = self.path(month)
        data = _tail(path, start)
        if data is None:
            return start, first_line
        end = data.rfind(b"\n") + 1
        found = list(_OURS.finditer(data, 0, end))
        if len(found) != data.count(b"\n", 0, end):  # a line we did not write: check each one
            return self._scan_slowly(path, data, end, start, first_line, into)
        for m in found:
            into.setdefault(m.group(1).decode("utf-8"), array("q")).extend((start + m.start(), m.end() - m.start()))
        return start + end, first_line + len(found)

    def _scan_slowly(self, path: Path, data: bytes, end: int, start: int, first_line: int,
                     into: dict[str, "array"]) -> tuple[int, int]:
        pos, line = 0, first_line
        while pos < end:
            nl = data.index(b"\n", pos)
            if data[pos:nl].strip():
                sid = parse_lines(path, data[pos:nl + 1], line, self.validate)[0][0]["session_id"]
                into.setdefault(sid, array("q")).extend((start + pos, nl - pos))
            pos, line = nl + 1, line + 1
        return start + end, line

    def read_ranges(self, month: str, ranges: "array") -> list[dict]:
        """Decode the lines at (offset, length) pairs found by `scan_sessions`."""
        path = self.path(month)
        out = []
        with open(path, "rb") as f:
            for i in range(0, len(ranges), 2):
                f.seek(ranges[i])
                raw = f.read(ranges[i + 1])
                try:
                    out.append(orjson.loads(raw))
                except orjson.JSONDecodeError:
                    raise corrupt(path, f"第 {ranges[i]} 字节处的记录不是完整的 JSON") from None
        return out

    def max_seq_between(self, month: str, session_id: str, start: int, end: int) -> int | None:
        """The highest seq of `session_id` among the lines in bytes [start, end), or None.

        Our lines start `{"session_id":"…","seq":N` (orjson keeps key order), so this is a byte
        search over what other processes appended, not a decode of the month.
        """
        try:
            with open(self.path(month), "rb") as f:
                f.seek(start)
                data = f.read(max(0, end - start))
        except FileNotFoundError:
            return None
        head = b'{"session_id":' + orjson.dumps(session_id) + b',"seq":'
        found = [int(m) for m in re.findall(re.escape(head) + rb"(-?\d+)", data)]
        if data.count(orjson.dumps(session_id)) > len(found):  # a line in another shape: decode those
            for line in data.split(b"\n"):
                if orjson.dumps(session_id) in line:
                    try:
                        record = orjson.loads(line)
                    except orjson.JSONDecodeError:
                        continue
                    if isinstance(record, dict) and record.get("session_id") == session_id \
                            and isinstance(record.get("seq"), int):
                        found.append(record["seq"])
        return max(found, default=None)

    def iter_all(self, newest_first: bool = False) -> Iterator[dict]:
        months = self.months()
        for month in reversed(months) if newest_first else months:
            yield from self.read(month)[0]

    def size(self, month: str) -> int:
        try:
            return os.stat(self.path(month)).st_size
        except FileNotFoundError:
            return 0


def _tail(path, start: int) -> bytes | None:
    """The file's bytes from offset `start`, or None when the file does not exist (yet)."""
    try:
        with open(path, "rb") as f:
            f.seek(start)
            return f.read()
    except FileNotFoundError:
        return None
