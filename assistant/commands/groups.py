"""`coach groups import|check|list|log`: the WeChat group doctor from the command line."""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta

from assistant.core.labels import EVENT_LABELS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="groups_command")
    imp = sub.add_parser("import", help="从 CSV 导入微信群（表头可用中文或英文）")
    imp.add_argument("file", metavar="文件", help="CSV 文件：群名,层级,类型,人数,建群日期,最近活跃,最近晋级,最近成交,群主,标签,备注（也认英文列名）")
    chk = sub.add_parser("check", help="按话术库里的群规则体检所有群")
    chk.add_argument("--date", help="按哪一天检查（YYYY-MM-DD，默认今天）")
    chk.add_argument("--json", action="store_true", help="以 JSON 输出")
    chk.add_argument("--followups", action="store_true", help="把带期限的发现加入跟进日程")
    lst = sub.add_parser("list", help="列出已登记的群")
    lst.add_argument("--json", action="store_true", help="以 JSON 输出")
    lst.add_argument("--out", help="另存为 CSV 文件（中文表头，Excel 可直接打开，可再导入）")
    log = sub.add_parser("log", help="记录群里发生的事")
    log.add_argument("group", help="群名或群 id")
    log.add_argument("type", choices=list(EVENT_LABELS), help="事件类型：" + "，".join(f"{k}={v}" for k, v in EVENT_LABELS.items()))
    log.add_argument("text", nargs="?", default="", metavar="内容", help="内容（例如客户问的原话）")
    log.add_argument("--who", default="", help="谁（例如 @你的客户昵称）")


def run(args: argparse.Namespace) -> int:
    from assistant.core.history import History

    history = History()
    command = args.groups_command or "check"
    if command == "import":
        return _import(history, args)
    if command == "list":
        return _list(history, args)
    if command == "log":
        return _log(history, args)
    return _check(history, args)


def _import(history, args) -> int:
    from pathlib import Path

    from assistant.commands import input_file
    from assistant.core.groups import parse_groups_csv

    result = parse_groups_csv(Path(input_file(args.file, "微信群 CSV 文件")))
    existing = {g["name"]: g for g in history.list_groups()}
    added = updated = same = 0
    for group in result.groups:
        old = existing.get(group["name"])
        if old is not None:
            group = _keep_later_dates(old, group)
        if old is not None and all(old.get(k) == v for k, v in group.items()):
            same += 1  # re-importing `groups list --out` rewrote every group and called it an update
        elif old is not None:
            history.update_group(old["id"], **group)
            updated += 1
        else:
            history.add_group(**group)
            added += 1
    for problem in result.problems:
        print(problem)
    print(f"导入完成：新增 {added} 个群，更新 {updated} 个，{same} 个没有变化，"
          f"{len([p for p in result.problems if '忽略' not in p])} 行有错未导入。")
    return 1 if any("忽略" not in p for p in result.problems) else 0


#: What happened in a group (`coach groups log`, the app's 群动态) moves these forward; an older
#: CSV re-imported moved them back, and the group doctor judged the group on a day already past.
_LATEST = ("last_activity", "last_promotion", "last_deal")


def _keep_later_dates(old: dict, group: dict) -> dict:
    """`group` from the CSV, with each 最近… date no earlier than the one already saved."""
    later = {k: old[k] for k in _LATEST if old.get(k) and group.get(k) and str(old[k]) > str(group[k])}
    return {**group, **later}


def _list(history, args) -> int:
    groups = history.list_groups()
    if getattr(args, "out", None):
        from assistant.core.groups import write_groups_csv
        from assistant.core.history.export import write_export_file

        count = write_export_file(args.out, lambda out: write_groups_csv(groups, out), bom=True)
        print(f"已导出 {count} 个群到 {args.out}")
        return 0
    if args.json:
        print(json.dumps(groups, ensure_ascii=False, indent=2))
        return 0
    if not groups:
        print("还没有登记微信群。用 `coach groups import 群.csv` 导入，或在应用的「社群」页添加。")
    for g in groups:
        role = g.get("subrole") or g.get("role") or ""
        print(f"{g['id']:>10}  {g['name']}  {g.get('tier', '')}群  {role}  {g.get('members', '?')}人")
    return 0


def _log(history, args) -> int:
    from assistant.core.errors import UnknownIdError

    groups = history.list_groups()
    match = next((g for g in groups if args.group in (g["id"], g["name"])), None)
    if match is None:
        names = "、".join(g["name"] for g in groups[:10]) or "（还没有群）"
        raise UnknownIdError(f"没有叫「{args.group}」的群。已登记：{names}")
    now = history.now()  # one reading of the history's clock: the event and the group agree
    history.log_group_event(match["id"], args.type, text=args.text, who=args.who, time=now)
    changes = {"deal": "last_deal", "promotion": "last_promotion"}
    today = now[:10]
    fields = {"last_activity": today}
    if args.type in changes:
        fields[changes[args.type]] = today
    history.update_group(match["id"], **fields)
    print(f"已记录：{match['name']} · {EVENT_LABELS[args.type]} {args.text}")
    return 0


def _check(history, args) -> int:
    from assistant.core.groups import parse_date
    from assistant.commands import load_library
    from assistant.core.playbooks.render import Renderer

    today = parse_date(args.date) if getattr(args, "date", None) else _today(history)
    if today is None:
        from assistant.core.errors import InputError

        raise InputError(f"--date「{args.date}」不是日期，应为 YYYY-MM-DD")
    library = load_library()
    findings = doctor(history, library, today, Renderer(library, clock=lambda: today))
    if getattr(args, "followups", False):
        _add_followups(history, findings, today)
    if getattr(args, "json", False):
        print(json.dumps({"date": today.isoformat(), "findings": [f.as_dict() for f in findings]}, ensure_ascii=False, indent=2))
        return 0
    _print_findings(findings, history, library)
    return 0


def _today(history) -> date:
    """Today by the history's clock (tests fix it), not the wall clock."""
    return date.fromisoformat(history.now()[:10])


def doctor(history, library, today, renderer):
    """Run the group rules of `library` over every registered group."""
    from assistant.core.groups import check_groups

    me = {"staff_name": staff["name"]} if (staff := history.current_staff()) and staff.get("name") else {}
    return check_groups(
        history.list_groups(),
        history.list_group_events(),
        library.group_rules,
        today,
        library.assist_steps,
        render=lambda template, variables: renderer.render(template, {**me, **variables}).text,
    )


def _add_followups(history, findings, today) -> None:
    for f in findings:
        if f.followup_days is None:
            continue
        due = (today + timedelta(days=f.followup_days)).isoformat() + "T09:00"
        history.add_followup(
            customer_id=None, rule_id=f.rule_id, due=due, title=f"{f.group_name}：{f.title}",
            card_id=f.card, scenario_id=f.scenario, group_id=f.group_id,
        )


def _print_findings(findings, history, library) -> None:
    icons = {"error": "‼", "warning": "!", "info": "·"}
    if not history.list_groups():
        print("还没有登记微信群。用 `coach groups import 群.csv` 导入。")
        return
    if not findings:
        print("所有群都健康，今天没有要处理的。")
        return
    current = None
    for f in findings:
        if f.group_name != current:
            current = f.group_name
            print(f"\n【{current}】")
        print(f" {icons.get(f.severity, '·')} {f.title}：{f.evidence}")
        print(f"   → {f.action}")
        if f.message:
            print("   可以这样说：" + f.message.strip().replace("\n", "\n   "))
        refs = "  ".join(x for x in (f.card and f"卡片「{library.title_of('card', f.card)}」",
                                     f.scenario and f"演练「{library.title_of('scenario', f.scenario)}」") if x)
        if refs:
            print(f"   参考：{refs}")
