"""Export from the review screens: the sessions' events under the current filters (through the
history's export: csv/jsonl/md, personal data masked unless asked), and each dashboard view as a
table. Files are created readable by the user only (customers' personal information).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import IO, Any, Callable

import orjson

from assistant.core.errors import InputError
from assistant.core.history.export import SafeDictWriter, export_rows, write_export_file, write_rows
from assistant.core.history.filters import SessionFilter
from assistant.core.history.mask import Masker
from assistant.core.playbooks.models import STEP_ORDER

FORMATS = ("csv", "jsonl", "md")


def export_sessions(history: Any, f: SessionFilter, fmt: str, out: IO[str], mask: bool = True,
                    titles: dict[str, str] | None = None, steps: dict[str, str] | None = None) -> int:
    """Every event of the sessions matching `f`, in the history export's format; returns the count.
    `titles` and `steps` (see `titles_of`, `steps_of`) name things in the csv and md people read."""
    sessions = history.query_sessions(f, sort="started", limit=None)[0]
    masker = Masker((c.get("name") for c in history.list_customers()), enabled=mask)
    return write_rows(export_rows(history, sessions, masker), _format(fmt), out, titles, steps)


def titles_of(library: Any) -> dict[str, str]:
    """Card, compliance-rule and scenario ids → their titles, for an export people read (no ids in it)."""
    rules = getattr(library, "compliance", None)
    titles = {r.id: r.title for r in [*getattr(rules, "forbidden", ()), *getattr(rules, "disclosures", ())]}
    scenarios = {sid: s.title for sid, s in (getattr(library, "scenarios", None) or {}).items()}
    return {**scenarios, **titles, **{card_id: ref.card.title for card_id, ref in library.cards.items()}}


def steps_of(library: Any) -> dict[str, str]:
    """Step code → its name (care → 主动关怀), for an export people read."""
    return {s.code: s.label for s in (library.taxonomy.steps if getattr(library, "taxonomy", None) else ())}


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(f"导出格式「{fmt}」不认识，可以用：{'、'.join(FORMATS)}")
    return fmt


def default_path(folder: Path, what: str, fmt: str, now: datetime) -> Path:
    return folder / f"coach-{what}-{now:%Y%m%d-%H%M%S}.{fmt}"


def write_file(path: str | Path, write: Callable[[IO[str]], int]) -> int:
    """Create `path` (0600, parent folders as needed) and fill it with `write`; returns its count.

    Written whole or not at all (see write_export_file); a CSV starts with a BOM for Excel.
    """
    path = Path(path).expanduser()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"不能写入 {path}：{exc.strerror}。请换一个路径。") from None
    return write_export_file(path, write, bom=path.suffix.lower() == ".csv")


# ------------------------------------------------------------------ dashboard views as tables


def _funnel_rows(d: dict) -> list[dict]:
    live, practice = d["funnel"]["live"], d["funnel"]["practice"]
    return [{"step": s, "live_reached": a["reached"], "live_stopped": a["stopped"],
             "practice_reached": b["reached"], "practice_stopped": b["stopped"]}
            for s, a, b in zip(STEP_ORDER, live, practice)]


def _group_rows(groups: list[dict]) -> list[dict]:
    rows = []
    for g in groups:
        row = {"group": g["label"], "sessions": g["sessions"], "live": g["live"], "practice": g["practice"]}
        for kind in ("live", "practice"):
            row.update({f"{kind}_{r['step']}": r["reached"] for r in g["funnel"][kind]})
        rows.append(row)
    return rows


def _score_rows(d: dict) -> list[dict]:
    weeks = d["scores"]["weeks"]
    return [{"staff": r["name"], **dict(zip(weeks, r["weeks"])), "abandoned": r.get("abandoned", 0)}
            for r in d["scores"]["staff"]]


def _followup_rows(d: dict) -> list[dict]:
    rows = [{"staff": "全部", **d["followups"]["overall"]}] + [{"staff": r["name"], **r} for r in d["followups"]["by_staff"]]
    return [{"staff": r["staff"], **{f"{h}_{k}": r[h][k] for h in ("24h", "72h") for k in ("due", "on_time", "rate")}}
            for r in rows]


def _card_rows(d: dict) -> list[dict]:
    cards = d.get("cards") or {}
    won = [{"list": "win", **r} for r in d["winning_cards"]]
    never = [{"list": "never_used", "card_id": r["card_id"], "shown": r["shown"]} for r in cards.get("never_used", [])]
    return won + never


#: view → (Chinese name, rows of the dashboard dict)
VIEWS: dict[str, tuple[str, Callable[[dict], list[dict]]]] = {
    "funnel": ("八步漏斗", _funnel_rows),
    "staff": ("按员工", lambda d: _group_rows(d["by_staff"])),
    "segment": ("按客群", lambda d: _group_rows(d["by_segment"])),
    "topics": ("异议话题（本周/上周）", lambda d: d["topics"]),
    "cards": ("卡片：成交用过 / 出现从未用", _card_rows),
    "scores": ("演练得分趋势", _score_rows),
    "streaks": ("强化练习连续天数", lambda d: [{k: v for k, v in r.items() if k != "staff_id"} for r in d["streaks"]]),
    "followups": ("跟进纪律（24h/72h）", _followup_rows),
}


#: Column keys of the dashboard tables → the headers a branch manager reads in CSV and Markdown
#: (JSON lines keep the keys: they are for programs).
HEADERS = {"step": "步骤", "live_reached": "实战到达", "live_stopped": "实战停在这步", "practice_reached": "练习到达",
           "practice_stopped": "练习停在这步", "group": "分组", "sessions": "会话", "live": "实战", "practice": "练习",
           "staff": "员工", "name": "员工", "topic": "异议话题", "this_week": "本周至今", "last_week": "上周同期",
           "change": "变化", "list": "清单", "card_id": "卡片", "won": "成交次数", "used": "使用次数", "win_rate": "成交率",
           "shown": "出现次数", "days": "连续练习天数", "drill_days": "练习天数", "items": "练习题", "due": "今天到期",
           "best_item_streak": "单题最长连对", "abandoned": "未完成（不计分）"}
_FOLLOWUP = {"due": "应跟进", "on_time": "按时跟进", "rate": "按时率"}
_LISTS = {"win": "成交用过", "never_used": "出现从未用"}


def for_people(rows: list[dict], library: Any) -> list[dict]:
    """Dashboard rows as people read them: Chinese headers, and step, topic and card names
    instead of their codes (an Excel sheet of `care`, `rate_low` and card ids says nothing)."""
    titles = titles_of(library)
    names: dict[str, Callable[[Any], Any]] = {"step": library.step_label, "topic": library.topic_label,
                                              "card_id": lambda c: titles.get(c, c), "list": lambda v: _LISTS.get(v, v)}
    return [{_header(k, library): names[k](v) if k in names else v for k, v in r.items()} for r in rows]


def _header(key: str, library: Any) -> str:
    kind, _, rest = key.partition("_")
    if key in HEADERS:
        return HEADERS[key]
    if kind in ("live", "practice") and rest in STEP_ORDER:  # a group's funnel: live_care
        return f"{HEADERS[kind]}到达：{library.step_label(rest)}"
    if kind in ("24h", "72h") and rest in _FOLLOWUP:
        return f"{kind[:-1]}小时{_FOLLOWUP[rest]}"
    return key  # a week's date in the score trend reads as it is


def view_rows(dashboard: dict, view: str) -> list[dict]:
    if view not in VIEWS:
        raise InputError(f"没有「{view}」这个视图，可以用：{'、'.join(VIEWS)}")
    return VIEWS[view][1](dashboard)


def write_table(rows: list[dict], fmt: str, out: IO[str], title: str = "", library: Any = None) -> int:
    """Rows (dicts with the same keys) as CSV, JSON lines or a Markdown table; with `library`, the
    CSV and Markdown are written for people (`for_people`)."""
    if library is not None and fmt != "jsonl":
        rows = for_people(rows, library)
    columns = list(dict.fromkeys(k for r in rows for k in r))
    if _format(fmt) == "csv":
        writer = SafeDictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    elif fmt == "jsonl":
        out.writelines(orjson.dumps(r).decode("utf-8") + "\n" for r in rows)
    else:
        out.write(f"## {title}\n\n" if title else "")
        out.write("| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n")
        out.writelines("| " + " | ".join("" if r.get(c) is None else str(r.get(c)) for c in columns) + " |\n"
                       for r in rows)
    return len(rows)
