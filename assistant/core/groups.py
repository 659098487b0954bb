"""The WeChat group doctor: apply the group rules carried in the playbooks to real groups.

Pure functions over plain group/event dicts (shapes in docs/DESIGN.md). The numbers (11 people,
3 days, 2 weeks, 200 people…) live in `playbooks/group_fix/*.yaml`, never here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable

from assistant.core.errors import InputError
from assistant.core.playbooks.models import AssistStage, GroupRule
from assistant.core.textsafe import clean_text

TIERS = ("大众", "潜在", "精英")
ROLES = ("主管群", "辅管群")
SUBROLES = ("产品标签群", "业务场景群")
DATE_FIELDS = ("created", "last_activity", "last_promotion", "last_deal")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

#: Render a template with variables; the caller passes the library's sandboxed renderer.
RenderFn = Callable[[str, dict], str]


@dataclass(frozen=True)
class Finding:
    """One thing to do about one group, with why (evidence) and what to say (message)."""

    group_id: str
    group_name: str
    rule_id: str
    title: str
    severity: str
    evidence: str
    action: str
    message: str | None = None
    card: str | None = None
    scenario: str | None = None
    followup_days: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


# ------------------------------------------------------------------ checking


def check_groups(
    groups: Iterable[dict],
    events: Iterable[dict],
    rules: list[GroupRule],
    today: date,
    assist_steps: list[AssistStage] = (),
    render: RenderFn | None = None,
) -> list[Finding]:
    """Every finding for every group, most severe first; a healthy group yields none."""
    by_group: dict[str, list[dict]] = {}
    for ev in events:
        by_group.setdefault(ev.get("group_id", ""), []).append(ev)
    findings = []
    for group in groups:
        for rule in rules:
            if _applies(rule, group):
                found = _check(rule, group, by_group.get(group.get("id", ""), []), today, list(assist_steps), render)
                if found:
                    findings.append(found)
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.group_name, f.rule_id))


def _applies(rule: GroupRule, group: dict) -> bool:
    return all(str(group.get(key, "")) == str(value) for key, value in rule.applies_to.items())


def _check(rule, group, events, today, assist_steps, render) -> Finding | None:
    checker = _CHECKS[rule.check]
    evidence = checker(rule, group, events, today, assist_steps)
    if evidence is None:
        return None
    template = rule.message
    if rule.check == "assist_stage":
        template = evidence[1] or template
        evidence = evidence[0]
    return Finding(
        group_id=group.get("id", ""),
        group_name=group.get("name", ""),
        rule_id=rule.id,
        title=rule.title,
        severity=rule.severity,
        evidence=evidence,
        action=rule.action,
        message=_render(template, group, render),
        card=rule.card,
        scenario=rule.scenario,
        followup_days=rule.followup_days,
    )


def _render(template: str | None, group: dict, render: RenderFn | None) -> str | None:
    if not template:
        return None
    variables = {"group_name": group.get("name", ""), "tag": group.get("tag") or "", "members": group.get("members")}
    return render(template, variables) if render else template


def _members_over(rule, group, events, today, steps):
    members = group.get("members")
    if members is not None and rule.threshold is not None and members > rule.threshold:
        return f"成员 {members} 人，超过 {rule.threshold:g} 人"
    return None


def _members_under(rule, group, events, today, steps):
    members = group.get("members")
    if members is not None and rule.threshold is not None and members < rule.threshold:
        return f"成员 {members} 人，少于 {rule.threshold:g} 人"
    return None


FIELD_LABELS = {"created": "建群", "last_activity": "最近活跃", "last_promotion": "最近有人晋级", "last_deal": "最近成交"}
#: How to say that the thing has never happened (the count then runs from the group's creation).
NEVER_LABELS = {"last_activity": "还没有人说过话", "last_promotion": "还没有人晋级", "last_deal": "还没有成交"}


def _days_since(rule, group, events, today, steps):
    """Days since `field`; a group that never had a deal/promotion counts from its creation."""
    field_name = rule.field or "last_activity"
    when = parse_date(group.get(field_name)) or parse_date(group.get("created"))
    if when is None or rule.threshold is None:
        return None
    days = (today - when).days
    if days < rule.threshold:
        return None
    if not group.get(field_name):
        never = NEVER_LABELS.get(field_name, f"没有 {field_name}")
        return f"建群 {days} 天，{never}（规则：{rule.threshold:g} 天）"
    return f"距{FIELD_LABELS.get(field_name, field_name)} {days} 天（规则：{rule.threshold:g} 天）"


def _event_seen(rule, group, events, today, steps):
    """Events of the rule's type within the last `threshold` days (default 7) not yet handled."""
    window = rule.threshold if rule.threshold is not None else 7
    hits = [
        ev
        for ev in events
        if ev.get("type") == rule.event
        and not ev.get("handled")
        and (when := parse_date(ev.get("time"))) is not None
        and 0 <= (today - when).days <= window
    ]
    if not hits:
        return None
    latest = max(hits, key=lambda ev: ev.get("time", ""))
    who = latest.get("who") or "有人"
    text = latest.get("text") or ""
    return f"{who} 在群里问：{text}" if len(hits) == 1 else f"{len(hits)} 条未处理，最近一条：{who}：{text}"


def _assist_stage(rule, group, events, today, steps):
    """Where a 辅管群 stands in the five steps, and the message for the next one."""
    if not steps:
        return None
    ids = [s.id for s in steps]
    current = group.get("assist_stage")
    index = ids.index(current) if current in ids else -1
    if index == len(steps) - 1:
        return (f"已到第 {index + 1} 步「{steps[index].label}」，保持节奏", None)
    nxt = steps[index + 1]
    where = f"当前第 {index + 1} 步「{steps[index].label}」" if index >= 0 else "还没开始五步法"
    return (f"{where}；下一步：第 {index + 2} 步「{nxt.label}」——{nxt.goal}", nxt.message)


_CHECKS = {
    "members_over": _members_over,
    "members_under": _members_under,
    "days_since": _days_since,
    "event_seen": _event_seen,
    "assist_stage": _assist_stage,
}


# ------------------------------------------------------------------ CSV import

#: Column name (English or Chinese) → field.
HEADER_ALIASES = {
    "name": "name", "群名": "name", "群名称": "name", "名称": "name",
    "tier": "tier", "层级": "tier", "分层": "tier", "群层级": "tier",
    "role": "role", "类型": "role", "角色": "role", "群类型": "role",
    "members": "members", "人数": "members", "成员数": "members", "群人数": "members",
    "created": "created", "建群日期": "created", "创建日期": "created", "建群时间": "created",
    "last_activity": "last_activity", "最近活跃": "last_activity", "最后活跃": "last_activity",
    "last_promotion": "last_promotion", "最近晋级": "last_promotion", "最近升级": "last_promotion",
    "last_deal": "last_deal", "最近成交": "last_deal", "最后成交": "last_deal",
    "owner": "owner", "群主": "owner",
    "tag": "tag", "标签": "tag", "用途": "tag",
    "notes": "notes", "备注": "notes",
    "assist_stage": "assist_stage", "五步法阶段": "assist_stage",
}
#: Field → the column name staff see (messages, the CSV export's header; import reads it back).
COLUMN_LABELS = {
    "name": "群名", "tier": "层级", "role": "类型", "members": "人数", "created": "建群日期",
    "last_activity": "最近活跃", "last_promotion": "最近晋级", "last_deal": "最近成交", "owner": "群主",
    "tag": "标签", "notes": "备注", "assist_stage": "五步法阶段",
}


@dataclass
class ImportResult:
    """Rows that parsed (ready to save) and the problems of the rest, with their line numbers."""

    groups: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_groups_csv(path: Path) -> ImportResult:
    """Read a groups CSV (UTF-8 with or without BOM, or GBK from Excel); bad rows name their line.

    Headers in Chinese or English; cells lose control characters (as customers import does)."""
    from assistant.core.history.export import excel_unsafe

    text = _read_text(path)
    result = ImportResult()
    rows = _csv_rows(text, path)
    header = next(rows, None)
    if header is None:
        raise InputError(f"{path}: 文件是空的。第一行应是表头，例如 群名,层级,类型,人数,建群日期")
    header = [clean_text(h).strip() for h in header[1]]
    columns = [HEADER_ALIASES.get(h.lower(), HEADER_ALIASES.get(h)) for h in header]
    if "name" not in columns:
        raise InputError(f"{path}:1: 表头缺少群名这一列（群名 / name）。可用的列：{'、'.join(COLUMN_LABELS.values())}"
                         "（也认英文列名）")
    for h, c in zip(header, columns):
        if c is None and h:
            result.problems.append(f"{path}:1: 忽略未知列「{h}」")
    for line_no, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        raw = {c: excel_unsafe(clean_text(cell).strip()) for c, cell in zip(columns, row) if c}
        group, errors = normalize_group(raw)
        if errors:
            result.problems.extend(f"{path}:{line_no}: {e}" for e in errors)
        else:
            result.groups.append(group)
    return result


#: Longest cell we read (a group's notes); the csv module's own limit (128 KB) would crash.
MAX_CELL_CHARS = 10_000


def _csv_rows(text: str, path: Path):
    """(line number, cells) of each record, as customers import reads them; a cell too long is refused."""
    from assistant.core.history.csvimport import csv_records

    for line, cells in csv_records(text, path):
        if any(len(c) > MAX_CELL_CHARS for c in cells):
            raise InputError(f"{path}:{line}: 有一格超过 {MAX_CELL_CHARS} 个字，整个文件都没有导入。")
        yield line, cells


def write_groups_csv(groups: Iterable[dict], out) -> int:
    """Groups as CSV for people: the Chinese column names (import reads the file back), cells safe
    for Excel; returns the number of rows."""
    from assistant.core.history.export import SafeDictWriter

    writer = SafeDictWriter(out, fieldnames=list(COLUMN_LABELS.values()))
    writer.writeheader()
    count = 0
    for g in groups:
        row = {label: g.get(field) for field, label in COLUMN_LABELS.items()}
        row["类型"] = g.get("subrole") or g.get("role")  # 产品标签群 reads back as 主管群 + its subrole
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        count += 1
    return count


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: 读不到文件（{exc.strerror}）") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: 不是 UTF-8 或 GBK 编码的文本文件")


def normalize_group(raw: dict) -> tuple[dict, list[str]]:
    """Check and normalise one group's fields; returns (group, errors)."""
    errors: list[str] = []
    group: dict = {k: v for k, v in raw.items() if v not in ("", None)}
    if not group.get("name"):
        errors.append("群名为空")
    tier = str(group.get("tier", "")).removesuffix("群").removesuffix("客户")
    if tier and tier not in TIERS:
        errors.append(f"层级「{group['tier']}」不认识，应为 大众/潜在/精英")
    elif tier:
        group["tier"] = tier
    role = str(group.get("role", ""))
    if role in SUBROLES:
        group["role"], group["subrole"] = "主管群", role
    elif "-" in role and role.split("-", 1)[1] in SUBROLES:
        group["role"], group["subrole"] = role.split("-", 1)
    elif role and role not in ROLES:
        errors.append(f"类型「{role}」不认识，应为 主管群/辅管群（或 产品标签群/业务场景群）")
    if "members" in group:
        try:
            group["members"] = int(str(group["members"]).replace(",", ""))
            if group["members"] < 0:
                raise ValueError
        except ValueError:
            errors.append(f"人数「{raw.get('members')}」不对（应为非负整数）")
    for name in DATE_FIELDS:
        if name in group:
            parsed = parse_date(group[name])
            if parsed is None:
                errors.append(f"{COLUMN_LABELS[name]}「{group[name]}」不是日期（应为 YYYY-MM-DD）")
            else:
                group[name] = parsed.isoformat()
    return group, errors


def parse_date(value) -> date | None:
    """Accept date, datetime, 'YYYY-MM-DD', 'YYYY/MM/DD' or an ISO datetime string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        try:
            y, m, d = (int(p) for p in text.split("-")[:3])
            return date(y, m, d)
        except (ValueError, TypeError):
            return None
