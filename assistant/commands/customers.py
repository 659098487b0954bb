"""`coach customers import FILE.csv` and `coach customers list [--json]`."""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="customers_command")
    imp = sub.add_parser("import", help="从 CSV 导入客户（表头可用中文或英文）")
    imp.add_argument("file", help="CSV：称呼,客群,资产档位,手机,微信,联系方式,生日,标签,备注,产品,金额,利率,到期日")
    lst = sub.add_parser("list", help="列出客户")
    lst.add_argument("--json", action="store_true", help="以 JSON 输出")


def run(args: argparse.Namespace) -> int:
    from assistant.core.history import History

    history = History()
    if args.customers_command == "import":
        return _import(history, args)
    return _list(history, getattr(args, "json", False))


def _segments() -> dict[str, str]:
    from assistant.core.playbooks.loader import load_library

    taxonomy = load_library().taxonomy
    return dict(taxonomy.segments) if taxonomy else {}


def _import(history, args) -> int:
    from pathlib import Path

    from assistant.core.history.csvimport import parse_customers_csv

    result = parse_customers_csv(Path(args.file), _segments())
    new, updated = [], 0
    with history.state.batch():  # one lock, one append and one fsync for the whole file
        existing = {(c.get("name"), (c.get("contact") or {}).get("phone")): c for c in history.list_customers()}
        for customer in result.customers:
            customer.pop("_line", None)
            same = existing.get((customer["name"], customer["contact"].get("phone")))
            if same is None:
                new.append(customer)
            elif any(same.get(k) != v for k, v in customer.items()):  # unchanged rows cost nothing
                history.update_customer(same["id"], **customer)
                updated += 1
        history.add_customers(new)
    for problem in result.problems:
        print(problem)
    bad = sum("错误" in p for p in result.problems)
    unchanged = len(result.customers) - len(new) - updated
    print(f"导入完成：新增 {len(new)} 位客户，更新 {updated} 位，{unchanged} 位没有变化，{bad} 行有错未导入。")
    return 1 if bad else 0


def _list(history, as_json: bool) -> int:
    customers = history.list_customers()
    if as_json:
        print(json.dumps(customers, ensure_ascii=False, indent=2))
        return 0
    if not customers:
        print("还没有客户。用 `coach customers import 客户.csv` 导入，或运行 `coach demo` 看演示数据。")
    label = _segment_labels()
    for c in customers:
        products = "、".join(f"{p.get('name')}（{p.get('maturity', '')}到期）" if p.get("maturity") else p.get("name", "")
                            for p in c.get("products") or ())
        segment = label(c["segment"]) if c.get("segment") else ""
        print(f"{c['id']:>12}  {c['name']}  {segment}  {c.get('asset_tier') or ''}  {products}")
    return 0


def _segment_labels():
    """code → 老年客户 …, from the playbooks; the bare code when they cannot be read."""
    from assistant.core.errors import CoachError
    from assistant.core.playbooks.loader import load_library

    try:
        library = load_library()
    except CoachError:
        return lambda code: code
    return lambda code: library.segment_label(code) or code
