"""The exchange format: a whole history (or a team folder's stream) as JSON lines.

The first line says what the file is: {"coach": "history", "format": 1, "origin": DEVICE, ...}.
Every other line is one record: {"k": KIND, "r": {...}} with KIND in `KINDS`. Ids are written as
the writing device names them; the importer renames them into its own (identity.translate).

The same lines serve `coach history export --format jsonl --full` (one file, read whole: any bad
line refuses the file) and the team folder (appended by one writer: a half-written last line is
a publish in progress or a crash, and is left for later).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator

import orjson

from assistant.core.errors import CoachError

#: The version of these lines this program writes; a file with a larger one is refused.
FORMAT = 1
#: Record kinds, in the order an export writes them; each maps to its table (None: a journal).
KINDS: dict[str, str | None] = {
    "staff": "staff", "customer": "customers", "group": "groups", "group_event": "group_events",
    "session": None, "event": None, "followup": "followups", "flag": "flags", "drill": "drill",
}


class ExchangeError(CoachError):
    """A file that is not a coach history export (or is damaged, or newer): nothing was imported."""

    #: Bad input, as every other command's (InputError): the file given is wrong, not the history.
    exit_code = 2


@dataclass
class Batch:
    """Records read from one file (or from one part of a team file)."""

    path: Path
    #: The device that wrote the file.
    origin: str
    #: (kind, record, line number), in file order.
    records: list[tuple[str, dict, int]] = field(default_factory=list)
    #: Byte offset after the last whole line read, and the number of the next line.
    end: int = 0
    next_line: int = 1


def header(origin: str, written: str, kind: str = "export") -> dict:
    return {"coach": "history", "format": FORMAT, "origin": origin, "written": written, "kind": kind}


def line(kind: str, record: dict) -> bytes:
    return orjson.dumps({"k": kind, "r": record}) + b"\n"


def check_header(path: Path, raw: bytes) -> dict:
    """The first line's meaning, or ExchangeError saying why this is not our file."""
    try:
        head = orjson.loads(raw)
    except orjson.JSONDecodeError:
        head = None
    if not isinstance(head, dict) or head.get("coach") != "history" or not isinstance(head.get("origin"), str):
        raise ExchangeError(f"{path} 第 1 行：不是 coach 导出的历史记录（应由 `coach history export --format jsonl "
                            "--full` 生成）。没有导入任何记录。")
    version = head.get("format")
    if not isinstance(version, int) or version > FORMAT:
        raise ExchangeError(f"{path}：由更新版本的 coach 写成（格式 {version}，本程序只认识到 {FORMAT}）。"
                            "请先升级 coach。没有导入任何记录。")
    return head


def parse_record(path: Path, number: int, raw: bytes) -> tuple[str, dict]:
    """One record line, or ExchangeError naming the file and line."""
    try:
        item = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ExchangeError(f"{path} 第 {number} 行：第 {exc.colno} 个字符起不是完整的 JSON。没有导入任何记录。") from None
    kind = item.get("k") if isinstance(item, dict) else None
    record = item.get("r") if isinstance(item, dict) else None
    if kind not in KINDS or not isinstance(record, dict):
        raise ExchangeError(f"{path} 第 {number} 行：不认识的记录（应为 {'、'.join(KINDS)} 之一）。没有导入任何记录。")
    problem = _shape_problem(kind, record)
    if problem:
        raise ExchangeError(f"{path} 第 {number} 行：{problem}。没有导入任何记录。")
    return kind, record


def _shape_problem(kind: str, record: dict) -> str | None:
    if kind == "event":
        if not isinstance(record.get("session_id"), str) or not isinstance(record.get("seq"), int):
            return "对话事件缺少 session_id 或 seq"
        return None
    if not isinstance(record.get("id"), str) or not record["id"]:
        return f"{kind} 记录缺少 id"
    if kind == "session" and not isinstance(record.get("started"), str):
        return "会话缺少开始时间 started"
    return None


def parse(path: Path, data: bytes, start: int = 0, first_line: int = 1, origin: str | None = None,
          whole: bool = True, limit: int | None = None) -> Batch:
    """Records of `data` (the file's bytes from offset `start`).

    `origin` None: `data` begins with the header line. `whole`: a last line without its newline is
    an error (a file given to import); otherwise it is left unread (a team file being appended).
    `limit`: stop after about that many records (the rest is read by the next call).
    """
    end = len(data) if whole else data.rfind(b"\n") + 1
    if whole and data and not data.endswith(b"\n"):
        data, end = data + b"\n", len(data) + 1
    pos, number = 0, first_line
    if origin is None:
        nl = data.find(b"\n", 0, end)
        if nl < 0:
            raise ExchangeError(f"{path}：文件是空的或没写完，不是 coach 导出的历史记录。没有导入任何记录。")
        origin = check_header(path, data[:nl])["origin"]
        pos, number = nl + 1, number + 1
    batch = Batch(path, origin)
    while pos < end and (limit is None or len(batch.records) < limit):
        nl = data.index(b"\n", pos)
        raw = data[pos:nl]
        if raw.strip():
            kind, record = parse_record(path, number, raw)
            batch.records.append((kind, record, number))
        pos, number = nl + 1, number + 1
    batch.end, batch.next_line = start + min(pos, len(data)), number
    return batch


def read_file(path: Path) -> Batch:
    """A whole export file; ExchangeError when any of it is unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"读不了 {path}：{exc.strerror}。没有导入任何记录。") from None
    return parse(path, data)


def export_files(target: Path) -> list[Path]:
    """The files `coach history import` reads for FILE or DIR (a folder: its *.jsonl, sorted)."""
    if target.is_dir():
        return sorted(p for p in target.glob("*.jsonl") if p.is_file())
    if not target.exists():
        raise ExchangeError(f"找不到 {target}。请写导出文件或放导出文件的文件夹的路径。")
    return [target]


# ------------------------------------------------------------------ writing a full export


def full_records(history: Any) -> Iterator[tuple[str, dict]]:
    """Everything needed to rebuild this history elsewhere, each record with its device id."""
    local = history.origin
    for kind, table in KINDS.items():
        if kind == "session":
            rows: Any = history.iter_sessions()
        elif kind == "event":
            yield from (("event", e) for e in history.iter_events())
            continue
        else:
            rows = history.state.all(table)
        for record in rows:
            yield kind, record if record.get("origin") else {**record, "origin": local}


def write_full(history: Any, out: IO[bytes]) -> dict[str, int]:
    """Write the export to a binary stream; returns how many records of each kind."""
    out.write(orjson.dumps(header(history.origin, history.now())) + b"\n")
    counts = dict.fromkeys(KINDS, 0)
    chunk: list[bytes] = []
    for kind, record in full_records(history):
        chunk.append(line(kind, record))
        counts[kind] += 1
        if len(chunk) >= 5000:
            out.write(b"".join(chunk))
            chunk.clear()
    out.write(b"".join(chunk))
    return counts
