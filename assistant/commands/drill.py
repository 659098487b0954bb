"""`coach drill`: today's spaced-repetition exercises (cards and steps you fumbled).

Without flags it opens the drill screen (`--staff` alone: that staff member's drill). `--list` (or `--json`) lists the items due today;
`--answer` answers them in order with replies from `--replies FILE` or stdin (one per line),
scores each like a rehearsal reply and reschedules it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from assistant.commands.argparse_zh import integer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--staff", metavar="ID", help="哪位员工的练习（默认当前员工）；只给 --staff 时"
                        "以这位员工的身份（编号或姓名）打开练习界面")
    parser.add_argument("--list", action="store_true", help="列出今天到期的练习")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument("--answer", action="store_true", help="依次作答今天的练习（回复来自 --replies 或标准输入）")
    parser.add_argument("--replies", metavar="FILE", help="作答内容，一行一句（- 表示标准输入）")
    parser.add_argument("--date", help="按哪一天算到期（YYYY-MM-DD，默认今天）")
    parser.add_argument("--seed", type=integer, default=0, help="练习题里客户说法的随机种子")


def run(args: argparse.Namespace) -> int:
    if args.answer or args.replies:
        return _answer(args)
    if args.list or args.json:
        return _list(args)
    from assistant.commands.rehearse import open_screen

    return open_screen("drill", args.staff)


def _context(args):
    from assistant.commands.rehearse import staff_of
    from assistant.core.history import History
    from assistant.commands import load_library
    from assistant.core.rehearse.drill import ANON_STAFF

    history = History()
    staff_id = staff_of(history, args.staff) or ANON_STAFF
    return history, load_library(), staff_id, _today(args.date)


def _today(text: str | None) -> dt.date:
    from assistant.core.errors import InputError

    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--date「{text}」不是日期，应为 YYYY-MM-DD") from None


def _list(args) -> int:
    from assistant.core.rehearse.drill import TOP_BOX, due_items, make_exercise

    history, library, staff_id, today = _context(args)
    rows = []
    for item in due_items(history, staff_id, today):
        ex = make_exercise(item, library, args.seed)
        rows.append({**item, "exercise": {"title": ex.title, "customer": ex.customer,
                                          "key_points": [kp.label for kp in ex.key_points]}})
    if args.json:
        print(json.dumps({"staff_id": staff_id, "date": today.isoformat(), "due": rows}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("今天没有到期的练习。去演练一场吧：coach rehearse --list")
    for i, row in enumerate(rows, 1):
        ex = row["exercise"]
        print(f"{i}. {ex['title']}（熟练度 {row['box']}/{TOP_BOX}，连对{row['streak']}次）")
        print(f"   客户：{ex['customer']}")
        print(f"   要讲到：{'；'.join(ex['key_points'])}")
    return 0


def _answer(args) -> int:
    from assistant.commands.rehearse import read_replies
    from assistant.core.rehearse.drill import TOP_BOX, due_items, make_exercise, save_result, score_exercise
    from assistant.core.rehearse.scoring import scoring_of

    history, library, staff_id, today = _context(args)
    replies = read_replies(args.replies or "-")
    pass_mark = scoring_of(library).pass_mark
    results = []
    for item, text in zip(due_items(history, staff_id, today), replies):
        ex = make_exercise(item, library, args.seed)
        score = score_exercise(ex, text, library)
        saved = save_result(history, item, score.total, today, pass_mark)
        results.append({"id": item["id"], "title": ex.title, "customer": ex.customer, "reply": text,
                        "score": score.total, "passed": score.passed, "reasons": score.reasons,
                        "model_reply": score.model_reply, "box": saved["box"], "due": saved["due"],
                        "streak": saved["streak"]})
    if args.json:
        print(json.dumps({"staff_id": staff_id, "date": today.isoformat(), "results": results}, ensure_ascii=False, indent=2))
        return 0
    _print_results(results)
    return 0


def _print_results(results: list[dict]) -> None:
    from assistant.commands.rehearse import print_scored

    if not results:
        print("今天没有到期的练习（或没有读到作答内容）。")
    for r in results:
        print(f"【{r['title']}】客户：{r['customer']}")
        print_scored(r, f"　下次：{r['due']}（熟练度 {r['box']}/{TOP_BOX}）")
