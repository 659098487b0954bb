"""`coach rehearse`: practise a call with a simulated customer.

Without flags it opens the rehearse screen (`--staff` alone: as that staff member). `--list` shows the scenarios and their personas;
`--scenario ID --persona ID --replies FILE` plays the replies (one per line) headless and prints
the transcript with every score (`--json` for machines). Runs are logged to the history.
"""

from __future__ import annotations

import argparse
import json

from assistant.commands.argparse_zh import integer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--list", action="store_true", help="列出演练场景和客户角色")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument("--scenario", metavar="ID", help="场景 id（可省略前缀 scenario-）")
    parser.add_argument("--persona", metavar="ID", help="客户角色 id（默认第一个）")
    parser.add_argument("--seed", type=integer, default=0, help="随机种子：同一种子同样的对话（默认 0）")
    parser.add_argument("--replies", metavar="FILE", help="你的回复，一行一句（- 表示从标准输入读）")
    parser.add_argument("--staff", metavar="ID", help="记在哪位员工名下（编号或姓名，默认当前员工）；"
                        "只给 --staff 时以这位员工的身份打开演练界面")
    parser.add_argument("--customer", metavar="ID", help="按这位真实客户的资料演练（编号或姓名）："
                        "年龄、客群、持有产品和到期日、以前提过的顾虑；不给 --scenario 时按客户情况挑场景")
    parser.add_argument("--no-log", action="store_true", help="不写入历史记录")


def run(args: argparse.Namespace) -> int:
    if args.list:
        return _list(args)
    if args.scenario or args.persona or args.replies or args.customer:
        return _play(args)
    return open_screen("rehearse", args.staff)


def open_screen(mode: str, staff: str | None = None) -> int:
    """Open the app in `mode`, or say that the screen is not there yet. With `staff` (an id or a
    name) that person becomes the current user first, as if chosen with 切换身份."""
    try:
        from assistant.commands.tui import run_app
    except ImportError:
        print("这个界面还没做好。可以先用无界面方式：coach rehearse --list / coach rehearse --scenario … --replies 文件")
        return 1
    if staff:
        use_staff(staff)
    return run_app(mode=mode)


def use_staff(ident: str) -> dict:
    """Make the staff member with this id (or, failing that, this exact name) the current user."""
    history = _history()
    try:
        record = find_staff(history, ident)
        history.set_current_staff(record["id"])
        return record
    finally:
        history.close()


def find_staff(history, ident: str) -> dict:
    """The staff record by id, else by a name only one person has; InputError naming who exists."""
    from assistant.core.errors import InputError

    record = history.get_staff(ident)
    if record:
        return record
    everyone = history.list_staff()
    named = [s for s in everyone if s.get("name") == ident]
    if len(named) == 1:
        return named[0]
    known = "、".join(f"{s['id']}（{s.get('name', '')}）" for s in everyone) or "还没有员工，先打开 coach 填写身份"
    why = f"有 {len(named)} 位员工叫「{ident}」，请用编号" if named else f"没有编号或姓名为「{ident}」的员工"
    raise InputError(f"--staff：{why}。现有：{known}")


# ------------------------------------------------------------------ --list


def _list(args) -> int:
    from assistant.commands import load_library
    from assistant.core.rehearse.labels import CHANNELS, DIFFICULTIES

    library = load_library()
    rows = [_scenario_row(s) for s in library.scenarios.values()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("话术库里还没有演练场景。")
    for row in rows:
        print(f"{row['id']}  {row['title']}{CHANNELS.get(row['channel'], '')}")
        for p in row["personas"]:
            print(f"    --persona {p['id']}  {p['title']}  难度{DIFFICULTIES.get(p['difficulty'], p['difficulty'])}"
                  f"  耐心 {p['patience']}")
    return 0


def _scenario_row(s) -> dict:
    personas = [{"id": p.id, "title": p.title, "segment": p.segment, "asset_tier": p.asset_tier,
                 "temperament": p.temperament, "difficulty": p.difficulty, "patience": p.patience,
                 "objections": list(p.objections)} for p in s.personas]
    return {"id": s.id, "title": s.title, "summary": s.summary, "channel": s.channel, "personas": personas}


# ------------------------------------------------------------------ headless play


def read_replies(path: str) -> list[str]:
    """Replies one per line from FILE or stdin (`-`); blank lines are skipped. Read as `--batch`
    files are (a BOM dropped; a GBK file, a folder or an empty file is a message, not a traceback)."""
    from assistant.commands import read_lines

    return [line.strip() for line in read_lines(path) if line.strip()]


def resolve(library, scenario_id: str | None, persona_id: str | None):
    """(scenario, persona id), accepting ids without the `scenario-` prefix; InputError (exit 2) else."""
    from assistant.core.errors import InputError, UnknownIdError
    from assistant.core.rehearse.sim import find_persona

    if not scenario_id:
        raise InputError("要指定 --scenario；用 coach rehearse --list 查看有哪些场景。")
    if scenario_id not in library.scenarios and f"scenario-{scenario_id}" in library.scenarios:
        scenario_id = f"scenario-{scenario_id}"
    try:
        scenario = library.scenario(scenario_id)
        persona = find_persona(scenario, persona_id) if persona_id else scenario.personas[0]
    except UnknownIdError as exc:
        raise InputError(f"{exc}（coach rehearse --list 查看全部）") from None
    return scenario, persona.id


def _play(args) -> int:
    from assistant.commands import load_library
    from assistant.core.rehearse.session import play, staff_variables

    library = load_library()
    history = None if args.no_log and not args.customer else _history()
    real = _real_customer(library, history, args) if args.customer else None
    scenario, persona_id = resolve(library, args.scenario or (real and real[0]), args.persona)
    replies = read_replies(args.replies) if args.replies else []
    persona = None
    if real:
        persona = real_persona(library, scenario, real[1], history)
        persona_id = persona.id
    log = None if args.no_log else history
    staff_id = staff_of(history, args.staff)
    report = play(library, scenario.id, persona_id, replies, seed=args.seed, history=log, staff_id=staff_id,
                  variables=staff_variables(history, staff_id), persona=persona,
                  customer_id=real[1]["id"] if real else None)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_report(report)
    return 0


def _real_customer(library, history, args) -> tuple[str | None, dict]:
    """(scenario that fits the call, customer record) for --customer (an id or a name only one has)."""
    import datetime as dt

    from assistant.core.errors import InputError
    from assistant.core.rehearse.real_customer import scenario_for

    record = history.get_customer(args.customer)
    if record is None:
        named = [c for c in history.list_customers() if c.get("name") == args.customer]
        if len(named) != 1:
            why = f"有 {len(named)} 位客户叫「{args.customer}」，请用编号" if named else f"没有编号或姓名为「{args.customer}」的客户"
            raise InputError(f"--customer：{why}。用 coach customers list 查看。")
        record = named[0]
    return scenario_for(library, record, dt.date.today()), record


def real_persona(library, scenario, customer: dict, history):
    """The persona of a real customer for `scenario` (their profile, products and past objections)."""
    import datetime as dt

    from assistant.core.rehearse.real_customer import customer_persona

    return customer_persona(library, scenario, customer, history, dt.date.today())[0]


def _history():
    from assistant.core.history import History

    return History()


def staff_of(history, ident: str | None) -> str | None:
    """The id of `--staff` (an id or a name only one person has; InputError naming who exists), or
    the current user's: a headless run logged under a name, or a typo, reached no one's 复盘 or drills."""
    if not ident:
        return _current_staff(history)
    if history is not None:
        return find_staff(history, ident)["id"]
    history = _history()  # --no-log: nothing is written, the name is still checked
    try:
        return find_staff(history, ident)["id"]
    finally:
        history.close()


def _current_staff(history) -> str | None:
    staff = history.current_staff() if history is not None and hasattr(history, "current_staff") else None
    return staff["id"] if staff else None


def print_scored(row: dict, after: str = "") -> None:
    """A reply with its score, reasons and the model reply (one rehearsal turn or drill answer)."""
    print(f"  我：{row['reply']}")
    print(f"  得分 {row['score']}{' ✓' if row['passed'] else ''}{after}")
    for reason in row["reasons"]:
        print(f"    {reason}")
    if row.get("model_reply"):
        print(f"    参考说法：{row['model_reply']}")


def print_report(report: dict) -> None:
    """The transcript and scorecard as plain text."""
    print(f"【{report['scenario']['title']}】客户：{report['persona']['title']}（种子 {report['seed']}）")
    if report.get("customer_id") and report["persona"].get("description"):
        print(f"  {report['persona']['description']}")
    print()
    for turn in report["turns"]:
        print(f"客户：{turn['customer']}")
        if turn.get("reply") is None:
            continue
        print_scored(turn)
    card = report["scorecard"]
    from assistant.core.labels import run_end_label

    outcome = run_end_label(report["outcome"], report["finished"]) + ("" if report["finished"] else "（回复用完了）")
    print(f"\n结果：{outcome}　总分：{report['total']}　{card['verdict']}")
    # The sections in the scorecard screen's order and words (下次重点练, 各项能力, 各步骤).
    titles = card["titles"]
    if card["practise"]:
        print(f"{titles['practise']}：")
        for i, p in enumerate(card["practise"], 1):
            print(f"  {i}. {p['label']}（{p['why']}）")
    elif card["replies"]:  # every step passed: the title says so, there is nothing to list
        print(titles["practise"])
    skills = "　".join(f"{s['label']} {s['score']}" for s in card["skills"].values() if s["score"] is not None)
    if skills:
        print(f"{titles['skills']}：{skills}")
    steps = "　".join(f"{label} {card['steps'][step]}" for step, label in card["step_labels"].items())
    if steps:
        print(f"{titles['steps']}：{steps}")
