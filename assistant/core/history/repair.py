"""`coach history check` and `coach history repair`: find what cannot be read, and restore every
record that can be, setting the rest aside verbatim in a file next to the original.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import orjson

from assistant.core.errors import HistoryCorruptError
from assistant.core.history.files import FILE_MODE, Lock, atomic_write, ensure_dir, stray_temp_files
from assistant.core.history.journal import MONTH_RE, VALIDATORS
from assistant.core.history.state import (
    SCHEMA_VERSION, SNAPSHOT_HEAD, TABLES, apply_op, decode_snapshot, encode_snapshot, log_path, migrate,
    parse_line, schema_of,
)
from assistant.core.platform import is_posix, secure_file
from assistant.paths import Paths


@dataclass(frozen=True)
class Finding:
    """What check found in one file: severity error (unreadable) / warning / info."""

    path: str
    severity: str
    message: str

    def __str__(self) -> str:
        label = {"error": "错误", "warning": "提醒", "info": "信息"}[self.severity]
        return f"{self.path}: {label}：{self.message}"


@dataclass
class JournalScan:
    """A journal split into its readable lines, its bad lines (numbered) and a torn tail."""

    good: list[bytes]
    bad: list[tuple[int, bytes]]
    torn: bytes
    #: State log only: lines of a batch (an import) whose end line never reached the disk.
    unfinished: list[bytes] = field(default_factory=list)


def split_lines(data: bytes, readable) -> JournalScan:
    """Sort the whole lines of `data` by `readable(number, line) -> bool`; keep the torn tail."""
    end = data.rfind(b"\n") + 1
    scan = JournalScan([], [], data[end:])
    for number, line in enumerate(data[:end].split(b"\n")[:-1], start=1):
        if line.strip():
            (scan.good.append(line) if readable(number, line) else scan.bad.append((number, line)))
    return scan


def scan_journal(path: Path) -> JournalScan:
    validate = VALIDATORS[MONTH_RE.match(path.name)["prefix"]]

    def readable(number: int, line: bytes) -> bool:
        try:
            return validate(orjson.loads(line)) is None
        except orjson.JSONDecodeError:
            return False

    return split_lines(path.read_bytes(), readable)


def journal_files(paths: Paths) -> list[Path]:
    folder = paths.history_dir
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if MONTH_RE.match(p.name))


# ------------------------------------------------------------------ check


def check(paths: Paths) -> list[Finding]:
    """Every problem in the data home; files are only read."""
    findings = _check_home(paths)
    if findings:  # nothing under it can be read or written: the rest would only repeat it
        return findings
    findings = _check_lock(paths)
    findings += _check_state(paths)
    for path in journal_files(paths):
        findings += _check_journal(path)
    findings += _check_modes(paths)
    findings += [Finding(str(p), "warning", "被中断的写入留下的临时文件（可能含客户信息），下次打开时会删除")
                 for folder in (paths.home, paths.history_dir) for p in stray_temp_files(folder)]
    return findings


def _check_home(paths: Paths) -> list[Finding]:
    """The data folder and its history folder must be folders (or not yet made, under a folder)."""
    for folder in (paths.home, paths.history_dir):
        if folder.exists() and not folder.is_dir():
            return [Finding(str(folder), "error", "应该是文件夹，却是一个文件：所有读写都会失败，请把它移走或改名")]
        if not folder.exists():
            parent = next((p for p in folder.parents if p.exists()), None)
            if parent is not None and not parent.is_dir():
                return [Finding(str(parent), "error",
                                f"数据文件夹 {folder} 建不出来：路径中的 {parent} 是一个文件，不是文件夹。"
                                "请把它移走，或用 COACH_HOME 指到别的文件夹")]
    return []


def _check_lock(paths: Paths) -> list[Finding]:
    """The lock must be a file we can open: every write takes it."""
    path = paths.lock
    if not path.exists() and not path.is_symlink():
        return []
    if path.is_dir():
        return [Finding(str(path), "error", "锁文件是一个文件夹，所有写入都会失败：请把它移走或改名")]
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError as exc:
        return [Finding(str(path), "error", f"锁文件打不开（{exc.strerror}），所有写入都会失败：请检查它的权限或删掉它")]
    os.close(fd)
    return []


def _readable(path: Path) -> tuple[bytes | None, list[Finding]]:
    """The file's bytes, or a finding saying why they cannot be read (a folder, no permission)."""
    if path.is_dir():
        return None, [Finding(str(path), "error", "应该是文件，却是一个文件夹：请把它移走或改名")]
    try:
        return path.read_bytes(), []
    except OSError as exc:
        return None, [Finding(str(path), "error", f"读不了（{exc.strerror}）：请检查它的权限")]


def _check_state(paths: Paths) -> list[Finding]:
    path = paths.state_db
    out: list[Finding] = []
    tables: dict = {}
    if path.exists() or path.is_dir():
        raw, out = _readable(path)
        if raw is None:
            return out
        try:
            tables = decode_snapshot(path, raw)
        except HistoryCorruptError as exc:
            return [Finding(str(path), "error", str(exc).split("。")[0].split("已损坏：")[-1])]
    log = log_path(path)
    if log.exists() or log.is_dir():
        raw, problems = _readable(log)
        if raw is None:
            return out + problems
        scan = scan_log(log, raw)
        out += _journal_findings(log, scan)
        for line in scan.good:
            apply_op(tables, parse_line(log, 0, line))
    meta = {k: orjson.loads(v) for k, v in tables.get("meta", {}).items()}
    version = schema_of({"meta": meta} if meta else {"x": 1} if any(tables.values()) else {})
    if version > SCHEMA_VERSION:
        return out + [Finding(str(path), "error", f"数据版本 {version} 比本程序（{SCHEMA_VERSION}）新，请升级 coach")]
    if version < SCHEMA_VERSION:
        return out + [Finding(str(path), "info", f"数据版本 {version}，下次打开时会升级到 {SCHEMA_VERSION}（旧文件留备份）")]
    return out


def scan_log(path: Path, data: bytes) -> JournalScan:
    """The state log split like a journal: readable change lines, bad lines, a torn tail."""

    def readable(number: int, line: bytes) -> bool:
        try:
            parse_line(path, number, line)
            return True
        except HistoryCorruptError:
            return False

    scan = split_lines(data, readable)
    good, held = [], None
    for line in scan.good:
        kind = parse_line(path, 0, line).kind
        if kind == "begin":
            held = []  # (a begin inside an unfinished batch: that one was cut short, never counted)
        elif kind == "end":
            good += held or []
            held = None
        else:
            (good if held is None else held).append(line)
    scan.good, scan.unfinished = good, held or []
    return scan


def _check_journal(path: Path) -> list[Finding]:
    raw, problems = _readable(path)
    if raw is None:
        return problems
    if raw and not raw.strip(b"\x00"):
        return [Finding(str(path), "error", f"整个文件只有空字节（{len(raw)} 字节，断电或磁盘故障留下的），没有一条记录")]
    return _journal_findings(path, scan_journal(path)) + _duplicate_seqs(path, raw)


_SEQ = re.compile(rb'(?m)^\{"session_id":("(?:[^"\\]|\\.)*"),"seq":(-?\d+)')


def _duplicate_seqs(path: Path, raw: bytes) -> list[Finding]:
    """Two events of one session with the same seq written by one device (two processes used to
    allocate it apart). Two PCs writing into one session (a manager's note on a colleague's
    session) share seqs legitimately: their lines differ in `origin` and are not reported."""
    if not path.name.startswith("events-"):
        return []
    first: dict[tuple[bytes, bytes], int] = {}
    dupes: dict[str, int] = {}
    for m in _SEQ.finditer(raw):
        key = (m[1], m[2])
        if key not in first:
            first[key] = m.start()
        elif _origin_at(raw, first[key]) == _origin_at(raw, m.start()):
            sid = orjson.loads(m[1])
            dupes[sid] = dupes.get(sid, 0) + 1
    if not dupes:
        return []
    named = "、".join(f"{sid}（{n} 个）" for sid, n in list(dupes.items())[:5]) + ("……" if len(dupes) > 5 else "")
    return [Finding(str(path), "warning",
                    f"{sum(dupes.values())} 个事件的序号（seq）与同一会话的另一事件重复：{named}。"
                    "记录都在，复盘时按时间排序；这是旧版本两个程序同时写一个会话留下的")]


def _origin_at(raw: bytes, start: int) -> str | None:
    """The `origin` of the journal line starting at `start` (None when absent or unreadable)."""
    end = raw.find(b"\n", start)
    try:
        return orjson.loads(raw[start:end if end >= 0 else None]).get("origin")
    except orjson.JSONDecodeError:
        return None


def _journal_findings(path: Path, scan: JournalScan) -> list[Finding]:
    out = []
    if scan.unfinished:
        out.append(Finding(str(path), "warning",
                           f"有一次批量写入（如导入客户）没有写完：其中 {len(scan.unfinished)} 条改动从未生效，"
                           "读取时忽略，下次写入时删除"))
    if scan.bad:
        numbers = "、".join(str(n) for n, _ in scan.bad[:10]) + ("……" if len(scan.bad) > 10 else "")
        out.append(Finding(str(path), "error", f"{len(scan.bad)} 行读不了（第 {numbers} 行），{len(scan.good)} 行完好"))
    if scan.torn.strip(b"\x00"):
        out.append(Finding(str(path), "warning",
                           f"最后一行没写完（{len(scan.torn)} 字节，写入时程序被中断），读取时忽略，下次写入时另存到 {path.name}.torn"))
    elif scan.torn:
        out.append(Finding(str(path), "error", f"末尾有 {len(scan.torn)} 个空字节（断电或磁盘故障留下的）"))
    return out


def _check_modes(paths: Paths) -> list[Finding]:
    out = []
    for path in [paths.state_db, log_path(paths.state_db), *journal_files(paths)]:
        if is_posix() and path.is_file() and path.stat().st_mode & 0o077:
            out.append(Finding(str(path), "warning", f"权限 {oct(path.stat().st_mode & 0o777)} 过宽（应只有本人可读写，0600）"))
    return out


# ------------------------------------------------------------------ repair


def _aside(path: Path, stamp: str) -> Path:
    return path.with_name(f"{path.name}.bad-{stamp}")


def _write_aside(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def repair(paths: Paths, now: datetime | None = None) -> list[str]:
    """Restore every readable record; set the unreadable rest aside. Returns what was done."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    ensure_dir(paths.home)
    done = []
    with Lock(paths.lock).held():
        done += _repair_state(paths, stamp)
        for path in journal_files(paths):
            done += _repair_journal(path, stamp)
        for path in [paths.state_db, log_path(paths.state_db), *journal_files(paths)]:
            if is_posix() and path.is_file() and path.stat().st_mode & 0o077:
                secure_file(path, FILE_MODE)
                done.append(f"{path}: 权限改为 0600")
    return done


def _repair_journal(path: Path, stamp: str) -> list[str]:
    scan = scan_journal(path)
    if not scan.bad and not scan.torn:
        return []
    aside = _aside(path, stamp)
    lost = b"".join(f"# 第 {n} 行\n".encode() + line + b"\n" for n, line in scan.bad)
    if scan.torn:
        lost += "# 未写完的最后一行\n".encode() + scan.torn + b"\n"
    _write_aside(aside, lost)
    atomic_write(path, b"".join(line + b"\n" for line in scan.good))
    return [f"{path}: 保留 {len(scan.good)} 条记录，{len(scan.bad) + bool(scan.torn)} 行读不了，原样另存到 {aside.name}"]


def _repair_state(paths: Paths, stamp: str) -> list[str]:
    """Keep every readable row of the snapshot and the log; set unreadable bytes aside."""
    path, log = paths.state_db, log_path(paths.state_db)
    raw = path.read_bytes() if path.is_file() else None
    logged = log.read_bytes() if log.is_file() else b""
    done: list[str] = []
    tables: dict[str, dict[str, bytes]] | None = None
    if raw is not None:
        try:
            tables = decode_snapshot(path, raw)
        except HistoryCorruptError:
            _write_aside(_aside(path, stamp), raw)
            tables = salvage_lines(raw) if raw.startswith(SNAPSHOT_HEAD) else _salvage_legacy(raw)
            count = sum(len(t) for name, t in tables.items() if name != "meta")
            done.append(f"{path}: 找回 {count} 条记录（员工、客户、跟进、群……），原文件原样另存到 {_aside(path, stamp).name}")
    scan = scan_log(log, logged)
    if scan.bad or scan.torn or scan.unfinished:
        lost = b"".join(f"# 第 {n} 行\n".encode() + line + b"\n" for n, line in scan.bad)
        lost += ("# 未写完的最后一行\n".encode() + scan.torn + b"\n") if scan.torn else b""
        if scan.unfinished:
            lost += "# 没有写完的批量写入（从未生效）\n".encode() + b"".join(line + b"\n" for line in scan.unfinished)
        _write_aside(_aside(log, stamp), lost)
        unfinished = f"，{len(scan.unfinished)} 条没写完的批量改动" if scan.unfinished else ""
        done.append(f"{log}: 保留 {len(scan.good)} 条改动，{len(scan.bad) + bool(scan.torn)} 行读不了{unfinished}，"
                    f"原样另存到 {_aside(log, stamp).name}")
    if not done:
        return []
    tables = tables or {}
    for line in scan.good:
        apply_op(tables, parse_line(log, 0, line))
    decoded = {name: {k: orjson.loads(v) for k, v in t.items()} for name, t in tables.items()}
    version = schema_of({"meta": decoded["meta"]}) if decoded.get("meta") else SCHEMA_VERSION
    decoded.pop("meta", None)
    data, _ = migrate({**decoded, "meta": {"1": {"schema": version}}})
    atomic_write(path, encode_snapshot({n: {k: orjson.dumps(d) for k, d in t.items()} for n, t in data.items()}))
    atomic_write(log, b"")
    return done


def salvage_lines(raw: bytes) -> dict[str, dict[str, bytes]]:
    """Every readable row of a snapshot in the line format (the header line is skipped)."""
    tables: dict[str, dict[str, bytes]] = {}
    for line in raw.split(b"\n")[1:]:
        try:
            apply_op(tables, parse_line(Path("-"), 0, line))
        except HistoryCorruptError:
            continue
    return tables


def _salvage_legacy(raw: bytes) -> dict[str, dict[str, bytes]]:
    return {name: {k: orjson.dumps(d) for k, d in t.items()} for name, t in salvage_state(raw).items()}


_TABLE = re.compile(r'"(%s)"\s*:\s*\{' % "|".join(TABLES))
_DOC = re.compile(r'"(\d+)"\s*:\s*\{')


def salvage_state(raw: bytes) -> dict[str, dict]:
    """Every whole record that can be decoded from a torn or damaged TinyDB file."""
    text = raw.decode("utf-8", errors="replace")
    decoder = json.JSONDecoder()
    marks = sorted([(m.start(), "table", m) for m in _TABLE.finditer(text)] +
                   [(m.start(), "doc", m) for m in _DOC.finditer(text)], key=lambda x: x[0])
    tables: dict[str, dict] = {}
    current, skip_to = None, -1
    for pos, kind, match in marks:
        if pos < skip_to:
            continue
        if kind == "table":
            current = match[1]
            continue
        if current is None:
            continue
        try:
            doc, end = decoder.raw_decode(text, match.end() - 1)
        except json.JSONDecodeError:
            continue
        if isinstance(doc, dict):
            tables.setdefault(current, {})[match[1]] = doc
            skip_to = end
    return tables
