"""`coach followups [--date] [--json]`: today's due and overdue follow-ups with the card or
scenario to open; `coach followups done ID` and `coach followups postpone ID --to DATE`.
"""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", help="按哪一天看（YYYY-MM-DD，默认今天）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    sub = parser.add_subparsers(dest="followups_command")
    done = sub.add_parser("done", help="标记为已完成")
    done.add_argument("id", metavar="编号", help="跟进编号（列表里第一列）")
    done.add_argument("--note", default="", help="备注（例如 客户说下周来网点）")
    later = sub.add_parser("postpone", help="改期")
    later.add_argument("id", metavar="编号", help="跟进编号")
    later.add_argument("--to", required=True, help="改到哪天（YYYY-MM-DD）")
    later.add_argument("--note", default="", help="备注（例如 客户出差）")


def _day(value: str | None):
    from datetime import date

    from assistant.core.errors import InputError

    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"日期「{value}」不对，应为 YYYY-MM-DD") from None


def _later_day(value: str):
    """--to as a date not before today: a day already gone (a typo for next year, mostly) made the
    follow-up "postponed" and overdue at once."""
    from datetime import date

    from assistant.core.errors import InputError

    day, today = _day(value), date.today()
    if day < today:
        raise InputError(f"--to {value} 已经过去了（今天是 {today}），没有改期：请写今天或以后的日期，如 --to {today}。")
    return day


def run(args: argparse.Namespace) -> int:
    from assistant.core.history import History

    history = History()
    if args.followups_command in ("done", "postpone"):
        args.id = _resolve(history, args.id)
    if args.followups_command == "done":
        record = history.mark_followup(args.id, "done", args.note)
        print(f"已完成：{record.get('title')}")
        return 0
    if args.followups_command == "postpone":
        from assistant.core.followups import postpone_to

        current = history.get_followup(args.id) or {}
        record = history.mark_followup(args.id, "postponed", args.note, due=postpone_to(_later_day(args.to), current.get("due")))
        print(f"已改期到 {record['due'].replace('T', ' ')}：{record.get('title')}")
        return 0
    return _agenda(history, _day(args.date), args.json)


def _resolve(history, ident: str) -> str:
    """An exact id, or a unique start of one (ids are short, but typing half is enough)."""
    from assistant.core.errors import UnknownIdError

    ids = [f["id"] for f in history.list_followups()]
    if ident in ids:
        return ident
    hits = [i for i in ids if i.startswith(ident) or i.removeprefix("f-").startswith(ident)]
    if len(hits) == 1:
        return hits[0]
    what = "有好几条以它开头" if hits else "没有这条"
    raise UnknownIdError(f"跟进编号「{ident}」{what}。用 `coach followups` 查看编号。")


def _agenda(history, today, as_json: bool) -> int:
    from assistant.core.followups import agenda
    from assistant.commands import load_library

    library = load_library()
    # Only today's look stores the reminders due today; another day's is a preview (it writes nothing).
    items = agenda(history, library, today, viewer=history.current_staff() or {}, record=_is_today(today))
    customers = history.get_customers(i.customer_id for i in items if i.message)  # one search, not one a row
    rendered = [_row(item, history, library, customers, today) for item in items]
    if as_json:
        print(json.dumps({"date": today.isoformat(), "items": rendered}, ensure_ascii=False, indent=2))
        return 0
    if not items:
        print(f"{today.isoformat()} 没有到期或逾期的跟进。")
        return 0
    overdue = sum(i.state == "overdue" for i in items)
    print(f"{today.isoformat()}：到期 {len(items) - overdue} 条，逾期 {overdue} 条\n")
    for row in rendered:
        _print_item(row)
    print("完成后：coach followups done 编号    改期：coach followups postpone 编号 --to YYYY-MM-DD")
    return 0


def _is_today(day) -> bool:
    from datetime import date

    return day == date.today()


def _row(item, history, library, customers: dict, today) -> dict:
    """The item with when it is due in words and its message filled in; a holiday greeting whose
    holiday has come says so instead of 「…快到了，提前祝您」 (found in a walk: read after 元旦)."""
    from assistant.core.followups import due_words

    row = {**item.as_dict(), "when": due_words(item.due, today), "message": None, "note": None}
    holiday = _holiday(library, item)
    if holiday and holiday[1] <= today:
        day = f"{holiday[1].month}月{holiday[1].day}日"
        row["note"] = (f"今天就是{holiday[0]}：当面或发消息直接祝节日快乐，提前的问候不用再发" if holiday[1] == today else
                       f"{holiday[0]}（{day}）已经过了：提前的问候不用再发，标为完成即可")
        return row
    row["message"] = _message(item, history, library, customers, holiday and holiday[0])
    return row


def _message(item, history, library, customers: dict, holiday: str | None) -> str | None:
    if not item.message:
        return None
    from assistant.core.playbooks.render import Renderer, variables_for_customer

    customer = customers.get(item.customer_id)
    variables = variables_for_customer(customer, library)
    if holiday:
        variables["holiday"] = holiday
    staff = history.current_staff()
    if staff:
        variables["staff_name"] = staff["name"]
    return Renderer(library).render(item.message, variables).text


def _holiday(library, item):
    """(name, date) of the holiday a greeting task is for (its template says {{ holiday }}: unfilled,
    every greeting read 「【节日】快到了」), from the holiday's date the task was made for; else None."""
    from datetime import date

    from assistant.core.followup_rules import holidays_of, rules_of

    rule = next((r for r in rules_of(library) if r.id == item.rule_id), None)
    if rule is None or rule.after != "holiday":
        return None
    anchor = item.anchor or ""  # a preview's greeting task is not stored: read the item, not the history
    try:
        day = date.fromisoformat(anchor[:10])
    except ValueError:
        return None
    return next(((name, when) for name, when in holidays_of(day.year).items() if when == day), None)


def _print_item(row: dict) -> None:
    print(f"[{row['when']}] {row['id']}  {row['due'].replace('T', ' ')}  {row['title']}")
    refs = "  ".join(x for x in (row["card_id"] and f"卡片 {row['card_id']}",
                                 row["scenario_id"] and f"演练 {row['scenario_id']}") if x)
    if refs:
        print(f"       打开：{refs}")
    if row["message"]:
        print("       可以这样说：" + row["message"].replace("\n", "\n       "))
    if row["note"]:
        print("       " + row["note"])
    print()
