"""`coach triggers list|remove ID|export DIR`: the customer lines the branch remembered
(「记住这句」) as extra triggers, and their export as a playbook folder for another branch."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="triggers_command")
    lst = sub.add_parser("list", help="列出记住的客户说法（默认）")
    lst.add_argument("--json", action="store_true", help="以 JSON 输出")
    rm = sub.add_parser("remove", help="删掉一句记住的说法")
    rm.add_argument("id", metavar="编号", help="编号（coach triggers list 第一列）")
    ex = sub.add_parser("export", help="导出为话术目录，别的网点用 coach --playbooks 目录 加载")
    ex.add_argument("dir", metavar="目录", help="导出到这个目录（写入 triggers/branch-remembered.yaml）")


def run(args: argparse.Namespace) -> int:
    from assistant.core import remembered
    from assistant.core.history import History

    history = History()
    command = args.triggers_command or "list"
    if command == "remove":
        gone = remembered.forget(history, args.id)
        print(f"已删除：{gone['id']}「{gone['text']}」（卡片 {gone['card_id']}）")
        return 0
    if command == "export":
        path = remembered.export(history, args.dir, history.get_setting("branch_name"))
        n = len(remembered.list_remembered(history))
        print(f"已导出 {n} 句到 {path}\n别的网点加载：coach --playbooks {args.dir}")
        return 0
    return _list(history, getattr(args, "json", False))


def _list(history, as_json: bool) -> int:
    from assistant.core import remembered

    records = remembered.list_remembered(history)
    if as_json:
        import json

        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    if not records:
        print("还没有记住任何一句。实战里教练没有把握时，从话术库找到卡片并使用，再点「记住这句」。")
        return 0
    titles = _titles()
    for r in records:
        who = r.get("by_name") or "未知"
        when = (r.get("time") or "")[:16].replace("T", " ")
        print(f"{r['id']}  「{r['text']}」 → {titles.get(r['card_id'], r['card_id'])}（{r['card_id']}）  {who} {when}")
    print(f"共 {len(records)} 句。删除：coach triggers remove 编号；导出：coach triggers export 目录")
    return 0


def _titles() -> dict[str, str]:
    from assistant.commands import load_library

    return {cid: ref.card.title for cid, ref in load_library().cards.items()}
