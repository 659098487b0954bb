"""`coach history export`: one record per event with its session, speaker, text, step, and the
cards suggested and used; CSV (opens in Excel), JSON lines, or Markdown grouped by session.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path
from typing import IO, Any, Callable, Iterator

import orjson

from assistant.core.history.filters import SessionFilter
from assistant.core.history.mask import Masker
from assistant.core.labels import outcome_label, session_mode_label

FIELDS = ("session_id", "session_started", "mode", "staff_id", "staff_name", "customer_id", "customer",
          "scenario_id", "outcome", "seq", "time", "speaker", "type", "step", "text", "suggested",
          "used_card", "edited", "flags", "score")
SPEAKERS = {"customer": "客户", "staff": "员工", "coach": "教练", "system": "系统"}
#: The CSV's headers: a 网点负责人 opens it in Excel (JSON lines keep FIELDS, for programs). The
#: 编号 columns stay so a sheet can be joined with another.
HEADERS = {"session_id": "会话编号", "session_started": "开始时间", "mode": "方式", "staff_id": "员工编号",
           "staff_name": "员工", "customer_id": "客户编号", "customer": "客户", "scenario_id": "场景", "outcome": "结果",
           "seq": "序号", "time": "时间", "speaker": "说话人", "type": "类型", "step": "步骤", "text": "内容",
           "suggested": "建议卡片", "used_card": "用了的卡片", "edited": "改过", "flags": "合规提醒", "score": "得分"}
#: Event type → what it was, in the CSV.
TYPES = {"line": "说话", "step": "换步骤", "suggestion": "建议", "use": "用卡", "score": "评分", "end": "结束",
         "note": "备注", "retract": "重说", "ask": "问教练"}


def _resolve(value: str | None, records: list[dict]) -> str | None:
    """An id, or the id of the record with that name (so `--staff 李娜` works)."""
    if not value:
        return None
    return next((r["id"] for r in records if value in (r.get("id"), r.get("name"))), value)


def select_sessions(history: Any, since=None, until=None, staff=None, customer=None) -> list[dict]:
    f = SessionFilter(since=since, until=until, staff_id=_resolve(staff, history.list_staff()),
                      customer_id=_resolve(customer, history.list_customers()))
    return history.query_sessions(f, sort="started", limit=None)[0]


def export_rows(history: Any, sessions: list[dict], masker: Masker) -> Iterator[dict]:
    """Rows in session order (then seq); reads only the months those sessions live in."""
    staff = {s["id"]: s.get("name") for s in history.list_staff()}
    customers = {c["id"]: c.get("name") for c in history.list_customers()}
    by_id = {s["id"]: s for s in sessions}
    order = {s["id"]: i for i, s in enumerate(sessions)}
    for month in sorted({s["month"] for s in sessions}):
        events = [e for e in history.events_journal.read(month)[0] if e["session_id"] in by_id]
        events.sort(key=lambda e: (order[e["session_id"]], e.get("seq", 0)))
        for e in events:
            yield _row(by_id[e["session_id"]], e, staff, customers, masker)


def _row(s: dict, e: dict, staff: dict, customers: dict, masker: Masker) -> dict:
    suggested = [m.get("card_id") for m in e.get("matches") or () if isinstance(m, dict)]
    return {
        "session_id": s["id"], "session_started": s.get("started"), "mode": s.get("mode"),
        "mode_label": session_mode_label(s), "outcome_label": outcome_label(s),
        "staff_id": s.get("staff_id"), "staff_name": staff.get(s.get("staff_id")),
        "customer_id": s.get("customer_id"), "customer": masker.name(customers.get(s.get("customer_id"))),
        "scenario_id": s.get("scenario_id"), "outcome": s.get("outcome"), "seq": e.get("seq"),
        "time": e.get("time"), "speaker": e.get("speaker"), "type": e.get("type"), "step": e.get("step"),
        "text": masker.text(e.get("text")), "suggested": suggested, "used_card": e.get("used_card"),
        "edited": bool(e.get("edited")), "flags": list(e.get("flags") or ()), "score": e.get("score"),
    }


#: What Excel (and LibreOffice) start a formula with; a tab or CR in front hides one (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def excel_safe(value: Any) -> Any:
    """A cell Excel shows as text: a leading `'` before a formula-looking string (OWASP CSV
    injection). Numbers stay numbers; `-5` typed by us is a number, not a string."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def excel_unsafe(value: str) -> str:
    """The cell as it was before `excel_safe` (a CSV we wrote, imported back): `'=x` → `=x`."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


class SafeDictWriter(csv.DictWriter):
    """csv.DictWriter whose every cell goes through `excel_safe` (the file is meant for Excel)."""

    def writerow(self, rowdict):
        return super().writerow({k: excel_safe(v) for k, v in rowdict.items()})

    def writeheader(self):
        return super().writerow({f: excel_safe(f) for f in self.fieldnames})

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)


def write_csv(rows: Iterator[dict], out: IO[str], titles: dict[str, str] | None = None,
              steps: dict[str, str] | None = None) -> int:
    """People open this file in Excel: Chinese headers, and names instead of codes (`titles`: card,
    rule and scenario id → title, see core/review/export.titles_of; `steps`: step code → name)."""
    writer = SafeDictWriter(out, fieldnames=[HEADERS[f] for f in FIELDS])
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({HEADERS[k]: v for k, v in _for_people(row, titles or {}, steps or {}).items() if k in HEADERS})
        count += 1
    return count


def _for_people(row: dict, titles: dict[str, str], steps: dict[str, str]) -> dict:
    def names(ids) -> str:  # joined with ；: titles hold 、 themselves
        return "；".join(titles.get(i, i) for i in ids if i)

    def when(iso: str | None) -> str:  # 2026-11-16 11:19:10: Excel reads a date and time; with a T, text
        return (iso or "").replace("T", " ")

    # 结果 as every screen says it (未结束, 已结束, 过关/未过关 for a drill); JSON lines keep the raw outcome
    return {**row, "mode": row["mode_label"], "outcome": row["outcome_label"], "scenario_id": names([row["scenario_id"]]),
            "session_started": when(row["session_started"]), "time": when(row["time"]),
            "speaker": SPEAKERS.get(row["speaker"], row["speaker"]), "type": TYPES.get(row["type"], row["type"]),
            "step": steps.get(row["step"], row["step"]), "suggested": names(row["suggested"]),
            "used_card": names([row["used_card"]]), "edited": "是" if row["edited"] else "", "flags": names(row["flags"])}


def write_jsonl(rows: Iterator[dict], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(orjson.dumps(row).decode("utf-8") + "\n")
        count += 1
    return count


def write_md(rows: Iterator[dict], out: IO[str], titles: dict[str, str] | None = None) -> int:
    """A readable transcript per session; cards and compliance rules by their titles (`titles`: id →
    title, see core/review/export.titles_of), as Live shows them."""
    count, current = 0, None
    for row in rows:
        if row["session_id"] != current:
            current = row["session_id"]
            who = " · ".join(filter(None, [row["mode_label"], row["staff_name"], row["customer"]]))
            out.write(f"\n## {(row['session_started'] or '')[:16].replace('T', ' ')} · {who} · 结果：{row['outcome_label']}\n\n")
        out.write(_md_line(row, titles or {}))
        count += 1
    return count


def _md_line(row: dict, titles: dict[str, str]) -> str:
    text = (row["text"] or "").replace("\n", " ")
    mine = row["speaker"] == "staff" and row["type"] == "note"  # /note: written for myself, not said
    asked = row["speaker"] == "staff" and row["type"] == "ask"  # typed in Live as my own question to the coach
    who = "备注" if mine else "员工问教练" if asked else SPEAKERS.get(row["speaker"], row["speaker"])
    line = f"- {(row['time'] or '')[11:16]} **{who}**：{text}"
    notes = []
    if row["suggested"]:
        notes.append("建议 " + "、".join(f"「{titles.get(c, c)}」" for c in filter(None, row["suggested"])))
    if row["used_card"]:
        notes.append(f"用了「{titles.get(row['used_card'], row['used_card'])}」" + ("（改过）" if row["edited"] else ""))
    if row["flags"]:
        notes.append("合规提醒 " + "、".join(f"「{titles.get(f, f)}」" for f in row["flags"]))  # titles hold 、 themselves
    if row["score"] is not None:
        notes.append(f"得分 {row['score']}")
    return line + (f"  _（{'；'.join(notes)}）_" if notes else "") + "\n"


def export(history: Any, fmt: str, out: IO[str], since=None, until=None, staff=None, customer=None,
           mask: bool = True, titles: dict[str, str] | None = None, steps: dict[str, str] | None = None) -> int:
    """Write the export to `out`; returns the number of events written."""
    sessions = select_sessions(history, since, until, staff, customer)
    masker = Masker((c.get("name") for c in history.list_customers()), enabled=mask)
    return write_rows(export_rows(history, sessions, masker), fmt, out, titles, steps)


def write_rows(rows: Iterator[dict], fmt: str, out: IO[str], titles: dict[str, str] | None = None,
               steps: dict[str, str] | None = None) -> int:
    """`titles` (id → title) and `steps` (code → name) name things in csv and md, which people
    read; jsonl keeps the ids, for programs."""
    if fmt == "jsonl":
        return write_jsonl(rows, out)
    return write_csv(rows, out, titles, steps) if fmt == "csv" else write_md(rows, out, titles)


#: What an existing --out target is when it is not a regular file (it is never replaced).
_KINDS = ((stat.S_ISDIR, "文件夹"), (stat.S_ISCHR, "设备"), (stat.S_ISBLK, "设备"), (stat.S_ISFIFO, "管道"),
          (stat.S_ISSOCK, "套接字"))


def export_target(path: str | Path) -> Path:
    """Where an export goes: a new file, or an existing regular file (through a symlink, the file
    it points to, so the link stays). A folder, device, pipe or socket is refused: renaming the
    finished export over it would replace it (/dev/full, a named pipe a script reads)."""
    from assistant.core.errors import InputError

    path = Path(path).expanduser()
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if not path.parent.is_dir():  # else the error named the temp file written beside it
            raise InputError(f"{path.parent} 不是已有的文件夹，{path.name} 没有写入：请先建好这个文件夹，"
                             "或在 --out 后面换一个路径。") from None
        return path
    except OSError:
        return path  # unreadable: the write below says why, naming the file
    if stat.S_ISREG(mode):
        return path.resolve()
    kind = next((name for test, name in _KINDS if test(mode)), "特殊文件")
    raise InputError(f"{path} 是一个{kind}，不是普通文件，导出不会覆盖它：请在 --out 后面写一个文件名"
                     "（如 导出.csv）；要输出到屏幕或交给别的程序，去掉 --out。")


def write_export_file(path: str | Path, write: Callable[[IO[str]], int], bom: bool) -> int:
    """Fill `path` through `write` (0600): a temp file beside it, renamed when complete, so a full
    disk or an error never leaves a short or empty export behind. `bom` for CSV (zh-CN Excel)."""
    from assistant.core.errors import InputError
    from assistant.core.history.files import FILE_MODE
    from assistant.core.platform import describe_os_error, fsync_dir

    path = export_target(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    except OSError as exc:
        raise InputError(f"写不了 {path}：{describe_os_error(exc)}请换一个文件夹或文件名。") from None
    try:
        with open(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            count = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(f"导出没有完成，{path} 没有写入：{describe_os_error(exc)}") from None
        raise
    fsync_dir(path.parent)
    return count


def export_text(history: Any, fmt: str, **kwargs: Any) -> str:
    buffer = io.StringIO()
    export(history, fmt, buffer, **kwargs)
    return buffer.getvalue()
