"""The files of the mutable tables: the snapshot (`state.json`) and the change log (`state.log`),
as bytes — reading, checking and writing them; `state.py` keeps the tables and decides when.

Snapshot: a header line `{"coach_state": {"rows": N, "tables": {name: [offset, length, rows,
next key, first line]}}}`, then each table's rows together, one put line each. The sections let a
process read only the tables it uses (100k customers need not be read to list follow-ups), and
let a scan look for a few rows in one table's bytes. A header without `tables` (written before
sections) is read whole, as it always was; files with sections read fine by that older code too.

Log: put / delete / truncate lines, appended; a command that changes many rows writes them
between `{"batch":"begin"}` and `{"batch":"end"}` lines, streamed as it goes: until the end line
is on disk none of them is read (an interrupted import is a torn tail, never half an import).
"""

from __future__ import annotations

import re
from itertools import groupby
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import orjson

from assistant.core.history.files import write_all
from assistant.core.history.journal import corrupt


def dumps(value: Any) -> bytes:
    """orjson.dumps for a document kept in memory: orjson's result holds a 4 KB buffer whatever
    its length (measured: 100k customers took 400 MB instead of 40), so keep a tight copy."""
    return bytes(memoryview(orjson.dumps(value)))


def check_shape(path: Path, data: Any) -> None:
    """A TinyDB file is {table: {doc_id: {...}}}; anything else is not ours."""
    if not isinstance(data, dict):
        raise corrupt(path, "内容不是 coach 的数据表（顶层不是对象）")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise corrupt(path, f"表「{name}」的内容不是记录，不像是 coach 写的文件")


def load_state_bytes(path: Path, data: bytes) -> dict:
    if not data.strip():
        raise corrupt(path, "文件是空的（可能在写入时断电或被别的程序清空）")
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise corrupt(path, f"第 {exc.lineno} 行第 {exc.colno} 个字符起不是完整的 JSON") from None
    check_shape(path, parsed)
    return parsed


def log_path(snapshot: Path) -> Path:
    """The change log beside a snapshot: state.json → state.log."""
    return snapshot.with_suffix(".log")


#: First line of a snapshot in the line format: which format, and how many rows follow (a
#: snapshot with fewer rows than it says is torn, not merely short).
SNAPSHOT_HEAD = b'{"coach_state":'
#: A put line as we write it, read without decoding the document (orjson keeps key order).
_PUT = re.compile(rb'\{"t":"([a-z_]+)","i":"(\d+)"(?:,"k":"([^"\\]*)")?,"v":(\{.*\})\}')
#: The batch markers in the log.
BEGIN, END = b'{"batch":"begin"}\n', b'{"batch":"end"}\n'


def put_line(table: str, key: str, doc: dict) -> bytes:
    """{"t": table, "i": doc id, "k": record id, "v": document} as one line."""
    ident = doc.get("id")
    head = {"t": table, "i": key, "k": ident} if isinstance(ident, str) else {"t": table, "i": key}
    return orjson.dumps({**head, "v": doc}) + b"\n"


class Op:
    """One change read from a line: put (raw document bytes), delete, truncate a table, or a batch
    marker (kind "begin"/"end")."""

    __slots__ = ("table", "key", "ident", "raw", "kind")

    def __init__(self, table: str, key: str | None, ident: str | None, raw: bytes | None, kind: str):
        self.table, self.key, self.ident, self.raw, self.kind = table, key, ident, raw, kind


def parse_line(path: Path, number: int, line: bytes) -> Op:
    m = _PUT.fullmatch(line)
    if m:
        return Op(m[1].decode(), m[2].decode(), m[3].decode() if m[3] is not None else None, m[4], "put")
    try:
        op = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise corrupt(path, f"第 {number} 行第 {exc.colno} 个字符起不是完整的 JSON") from None
    if isinstance(op, dict) and op.get("batch") in ("begin", "end") and len(op) == 1:
        return Op("", None, None, None, op["batch"])
    if isinstance(op, dict) and isinstance(op.get("t"), str):
        if "x" in op:
            return Op(op["t"], None, None, None, "truncate")
        if isinstance(op.get("i"), str) and "d" in op:
            return Op(op["t"], op["i"], None, None, "delete")
        if isinstance(op.get("i"), str) and isinstance(op.get("v"), dict):
            ident = op["v"].get("id")
            return Op(op["t"], op["i"], ident if isinstance(ident, str) else None, dumps(op["v"]), "put")
    raise corrupt(path, f"第 {number} 行不是数据表的改动记录，不像是 coach 写的文件")


def apply_op(tables: dict[str, dict[str, bytes]], op: Op) -> None:
    if op.kind in ("begin", "end"):
        return
    table = tables.setdefault(op.table, {})
    if op.kind == "truncate":
        table.clear()
    elif op.kind == "delete":
        table.pop(op.key, None)
    else:
        table[op.key] = op.raw


def op_line(op: Op) -> bytes:
    if op.kind == "put":
        return raw_put(op.table, op.key, op.raw)
    if op.kind == "delete":
        return orjson.dumps({"t": op.table, "i": op.key, "d": 1}) + b"\n"
    return orjson.dumps({"t": op.table, "x": 1}) + b"\n"


def read_lines(path: Path, data: bytes, first_line: int = 1) -> tuple[list[Op], int, int]:
    """Ops of the whole lines of `data`: (ops, bytes used, next line number). A torn tail, or a
    batch without its end line (still being written, or cut off by a crash), is left unread."""
    ops: list[Op] = []
    held: list[Op] | None = None
    number = used_line = first_line
    pos = used = 0
    end = data.rfind(b"\n") + 1
    for line in data[:end].split(b"\n")[:-1]:
        pos += len(line) + 1
        number += 1
        if line.strip():
            op = parse_line(path, number - 1, line)
            if op.kind == "begin":
                held = []
            elif op.kind == "end":
                ops += held or ()
                held = None
            else:
                (ops if held is None else held).append(op)
        if held is None:
            used, used_line = pos, number
    return ops, used, used_line


def decode_snapshot(path: Path, data: bytes) -> dict[str, dict[str, bytes]]:
    """A snapshot file: the line format (checked whole), or the older single TinyDB object."""
    if not data.startswith(SNAPSHOT_HEAD):
        parsed = load_state_bytes(path, data)  # a state.json from before the log (schema 2 or older)
        return {name: {k: dumps(doc) for k, doc in table.items()} for name, table in parsed.items()}
    head_end = data.find(b"\n") + 1
    rows = read_head(path, data[:head_end])["rows"]
    ops, used, _ = read_lines(path, data[head_end:], 2)
    if len(ops) != rows or used != len(data) - head_end:
        raise corrupt(path, f"不是完整的文件（文件头说有 {rows} 条记录，读到 {len(ops)} 条；可能在写入时断电）")
    tables: dict[str, dict[str, bytes]] = {}
    for op in ops:
        apply_op(tables, op)
    return tables


def read_head(path: Path, line: bytes) -> dict:
    """The header line's {"rows": N, "tables": {...} or absent}; a bad one is corrupt."""
    try:
        head = orjson.loads(line)["coach_state"]
        head["rows"] = int(head["rows"])
        tables = head.get("tables")
        if tables is not None and not all(isinstance(v, list) and len(v) == 5 and all(isinstance(x, int) for x in v)
                                          for v in tables.values()):
            raise ValueError
        return head
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        raise corrupt(path, "第 1 行（文件头）读不了") from None


#: A whole put line as we write it, for scanning a snapshot in one pass (MULTILINE).
_PUT_LINES = re.compile(rb'^\{"t":"([a-z_]+)","i":"(\d+)"(?:,"k":"([^"\\]*)")?,"v":(\{.*\})\}$', re.MULTILINE)


def fast_rows(data: bytes, rows: int) -> tuple[dict[str, dict[str, bytes]], dict[str, dict[str, str]]] | None:
    """(tables, id index) of snapshot lines whose every line is a put we wrote, in one regex pass
    (opening 100k customers took 1.2 s line by line); None sends the caller to the line-by-line
    reading, which checks and reports."""
    if data and not data.endswith(b"\n"):
        return None
    if data.count(b"\n") != rows:
        return None
    tables: dict[str, dict[str, bytes]] = {}
    ids: dict[str, dict[str, str]] = {}
    count = 0
    for t, group in groupby(_PUT_LINES.finditer(data), key=lambda m: m[1]):  # a table's rows are together
        table = tables.setdefault(t.decode(), {})
        index = ids.setdefault(t.decode(), {})
        for m in group:  # one match at a time: no list of 100k tuples beside the file's bytes
            key = m[2].decode()
            table[key] = m[4]
            if m[3]:
                index[m[3].decode()] = key
            count += 1
    return (tables, ids) if count == rows else None


def read_section(path: Path, data: bytes, name: str, rows: int, first_line: int) -> dict[str, bytes]:
    """One table's rows from its section of the snapshot, checked (line numbers as in the file)."""
    fast = fast_rows(data, rows)
    if fast is not None:
        return fast[0].get(name, {})
    ops, used, _ = read_lines(path, data, first_line)
    if len(ops) != rows or used != len(data) or any(op.table != name or op.kind != "put" for op in ops):
        raise corrupt(path, f"表「{name}」不完整（文件头说有 {rows} 条记录，读到 {len(ops)} 条；可能在写入时断电）")
    return {op.key: op.raw for op in ops}


def raw_put(name: str, key: str, raw: bytes) -> bytes:
    """A put line from stored document bytes, without decoding them when we can help it."""
    m = _ID.match(raw)
    if m:
        return b'{"t":"%s","i":"%s","k":"%s","v":%s}\n' % (name.encode(), key.encode(), m[1], raw)
    return put_line(name, key, orjson.loads(raw))


#: The record id at the start of a stored document (we put `id` first), if it needs no escaping.
_ID = re.compile(rb'\{"id":"([^"\\]*)"')


def record_id(raw: bytes) -> Any:
    m = _ID.match(raw)
    return m[1].decode() if m else orjson.loads(raw).get("id")


# ------------------------------------------------------------------ writing a snapshot

#: A table to write: its rows as {key: document bytes}, or a function giving its section's bytes
#: in pieces (a table this process never read is copied as it is) with its length, rows and next key.
Source = dict[str, bytes] | tuple[Callable[[], Iterator[bytes]], int, int, int]
_CHUNK = 1 << 20


def _lines(name: str, rows: dict[str, bytes]) -> Iterator[bytes]:
    for key, raw in rows.items():
        yield raw_put(name, key, raw)


def _pieces(name: str, source: Source) -> Iterator[bytes]:
    if isinstance(source, dict):
        return _lines(name, source)
    return source[0]()


def snapshot_head(sources: dict[str, Source]) -> bytes:
    """The header line for `sources` (measures each table's lines: built twice, never all held)."""
    tables, offset, line, total = {}, 0, 2, 0
    for name, source in sources.items():
        if isinstance(source, dict):
            length = sum(map(len, _lines(name, source)))
            rows, nxt = len(source), max(map(int, source), default=0) + 1
        else:
            _, length, rows, nxt = source
        tables[name] = [offset, length, rows, nxt, line]
        offset, line, total = offset + length, line + rows, total + rows
    return orjson.dumps({"coach_state": {"rows": total, "tables": tables}}) + b"\n"


def write_snapshot(fd: int, sources: dict[str, Source]) -> bytes:
    """Write a whole snapshot to `fd` piece by piece; returns its header line."""
    head = snapshot_head(sources)
    write_all(fd, head)
    buffer, size = [], 0
    for name, source in sources.items():
        for piece in _pieces(name, source):
            buffer.append(piece)
            size += len(piece)
            if size >= _CHUNK:
                write_all(fd, b"".join(buffer))
                buffer, size = [], 0
    write_all(fd, b"".join(buffer))
    return head


def encode_snapshot(tables: dict[str, dict[str, bytes]]) -> bytes:
    """A whole snapshot as bytes (repair; the store writes piece by piece with `write_snapshot`)."""
    sources: dict[str, Source] = dict(tables)
    return snapshot_head(sources) + b"".join(b"".join(_pieces(n, s)) for n, s in sources.items())


def scan_section(data: bytes, patterns: Iterable[re.Pattern]) -> dict[int, bytes]:
    """The lines of `data` (one table's section) in which any pattern matches: {line start: line}.
    One regex pass per pattern over the bytes, no row decoded: how a big table is searched
    without being read into memory."""
    found: dict[int, bytes] = {}
    for pattern in patterns:
        for m in pattern.finditer(data):
            start = data.rfind(b"\n", 0, m.start()) + 1
            if start not in found:
                end = data.find(b"\n", m.end())
                found[start] = data[start:end if end >= 0 else len(data)]
    return found
