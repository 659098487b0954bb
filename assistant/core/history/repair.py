"""`coach history check` and `coach history repair`: find what cannot be read, and restore every
record that can be, setting the rest aside verbatim in a file next to the original.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import orjson

from assistant.core.errors import HistoryCorruptError
from assistant.core.history.files import FILE_MODE, Lock, atomic_write, ensure_dir
from assistant.core.history.journal import MONTH_RE, VALIDATORS
from assistant.core.history.state import SCHEMA_VERSION, TABLES, load_state_bytes, migrate, schema_of
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


def scan_journal(path: Path) -> JournalScan:
    validate = VALIDATORS[MONTH_RE.match(path.name)["prefix"]]
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    scan = JournalScan([], [], data[end:])
    for number, line in enumerate(data[:end].split(b"\n")[:-1], start=1):
        if not line.strip():
            continue
        try:
            ok = validate(orjson.loads(line)) is None
        except orjson.JSONDecodeError:
            ok = False
        (scan.good.append(line) if ok else scan.bad.append((number, line)))
    return scan


def journal_files(paths: Paths) -> list[Path]:
    folder = paths.history_dir
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if MONTH_RE.match(p.name))


# ------------------------------------------------------------------ check


def check(paths: Paths) -> list[Finding]:
    """Every problem in the data home; files are only read."""
    findings = _check_state(paths)
    for path in journal_files(paths):
        findings += _check_journal(path)
    findings += _check_modes(paths)
    return findings


def _check_state(paths: Paths) -> list[Finding]:
    path = paths.state_db
    if not path.exists():
        return []
    try:
        data = load_state_bytes(path, path.read_bytes())
    except HistoryCorruptError as exc:
        return [Finding(str(path), "error", str(exc).split("。")[0].split("已损坏：")[-1])]
    version = schema_of(data)
    if version > SCHEMA_VERSION:
        return [Finding(str(path), "error", f"数据版本 {version} 比本程序（{SCHEMA_VERSION}）新，请升级 coach")]
    if version < SCHEMA_VERSION:
        return [Finding(str(path), "info", f"数据版本 {version}，下次打开时会升级到 {SCHEMA_VERSION}（旧文件留备份）")]
    return []


def _check_journal(path: Path) -> list[Finding]:
    scan = scan_journal(path)
    out = []
    if scan.bad:
        numbers = "、".join(str(n) for n, _ in scan.bad[:10]) + ("……" if len(scan.bad) > 10 else "")
        out.append(Finding(str(path), "error", f"{len(scan.bad)} 行读不了（第 {numbers} 行），{len(scan.good)} 行完好"))
    if scan.torn:
        out.append(Finding(str(path), "warning",
                           f"最后一行没写完（{len(scan.torn)} 字节，写入时程序被中断），读取时忽略，下次写入时另存到 {path.name}.torn"))
    return out


def _check_modes(paths: Paths) -> list[Finding]:
    out = []
    for path in [paths.state_db, *journal_files(paths)]:
        if path.exists() and path.stat().st_mode & 0o077:
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
        for path in [paths.state_db, *journal_files(paths)]:
            if path.exists() and path.stat().st_mode & 0o077:
                os.chmod(path, FILE_MODE)
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
    path = paths.state_db
    if not path.exists():
        return []
    raw = path.read_bytes()
    try:
        load_state_bytes(path, raw)
        return []
    except HistoryCorruptError:
        pass
    tables = salvage_state(raw)
    aside = _aside(path, stamp)
    _write_aside(aside, raw)
    version = tables.get("meta") and schema_of({"meta": tables["meta"]}) or SCHEMA_VERSION
    tables.pop("meta", None)
    data, _ = migrate({**tables, "meta": {"1": {"schema": version}}}) if tables else migrate({})
    atomic_write(path, orjson.dumps(data))
    count = sum(len(t) for name, t in data.items() if name != "meta")
    return [f"{path}: 找回 {count} 条记录（员工、客户、跟进、群……），原文件原样另存到 {aside.name}"]


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
