"""`coach suggest TEXT` / `coach suggest --batch FILE --json`: rank cards for what was said and
show the rendered reply. Imports stay inside functions: a one-shot process must start fast and
never load Textual."""

from __future__ import annotations

import argparse
import sys

from assistant.commands.argparse_zh import integer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", metavar="一句话", help="客户或自己说的一句话")
    parser.add_argument("--batch", metavar="FILE", help="每行一句，逐行匹配（- 表示标准输入；空行跳过）；配合 --json 每行输出一个 JSON（空行也占一行）")
    parser.add_argument("--kind", help="只在这一类卡片里找（objection、conversion、group_fix、segment……）")
    parser.add_argument("--top", type=integer, default=3, metavar="N", help="最多列出几张卡片（默认 3）")
    parser.add_argument("--var", action="append", default=[], metavar="名称=值",
                        help="填入话术变量，如 --var name=张阿姨 或 --var 客户称呼=张阿姨（可重复）")
    parser.add_argument("--customer", metavar="客户",
                        help="按这位客户填话术（编号或姓名）：称呼、持有产品、金额、利率、期限、到期天数，和当前使用者的姓名")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


def run(args: argparse.Namespace) -> int:
    from assistant.core.errors import InputError

    if (args.text is None) == (args.batch is None):
        raise InputError("请给一句话（coach suggest \"收益太低了\"），或用 --batch 文件 逐行匹配，二者选一。")
    if args.text is not None and not args.text.strip():
        raise InputError("这句话是空的：请把客户说的话放在引号里，如 coach suggest \"收益太低了\"。")
    if args.top < 1:
        raise InputError("--top 至少为 1。")
    from assistant.commands import loading

    with loading():  # no garbage collection while the library and the matcher load
        session = _Session.open(args)
    if args.batch is None:
        result = session.suggest(args.text)
        _print(session, result, args.json)
        return 0
    from assistant.commands import read_lines

    for line in read_lines(args.batch):
        if not line.strip() and not args.json:  # people: no 「」 with "nothing fits"; JSON keeps one object a line
            continue
        _print(session, session.suggest(line), args.json)
        sys.stdout.flush()
    return 0


class _Session:
    """Library, matcher and renderer built once for every line of a run."""

    def __init__(self, library, matcher, renderer, variables: dict, kind: str | None, top: int, known: dict | None = None):
        self.library, self.matcher, self.renderer = library, matcher, renderer
        self.variables, self.kind, self.top = variables, kind, top
        #: What the app knows of --customer (and the signed-in staff member), under --var.
        self.known = known or {}
        self.line_vars = {**self.known, **variables}

    @classmethod
    def open(cls, args: argparse.Namespace) -> "_Session":
        from assistant.commands import load_library
        from assistant.core.language.matcher import Matcher
        from assistant.core.playbooks.render import Renderer

        library = load_library()
        kind = _check_kind(library, args.kind)
        variables = parse_vars(args.var, library)
        known = _customer_facts(library, args.customer) if getattr(args, "customer", None) else {}
        return cls(library, Matcher.from_library(library, extra=_remembered(library)), Renderer(library), variables, kind,
                   args.top, known)

    def suggest(self, text: str) -> dict:
        """The JSON-shaped result for one line (the human output reads the same dict)."""
        from assistant.core.live.facts import heard_variables

        # what the customer states in the line (隔壁银行给3%) fills its own reply; --var still wins
        self.line_vars = {**self.known, **heard_variables(text), **self.variables}
        matches = self.matcher.search(text, kind=self.kind, top=self.top) if text.strip() else []
        return {"query": text, "results": [self._result(m) for m in matches]}

    def _result(self, match) -> dict:
        from assistant.core.live.replies import pick_response  # not live.session: its imports cost ~60 ms

        card = self.library.card(match.card_id).card
        response = pick_response(card, None, None)
        reply = self._render(response.text if response else (card.summary or ""), card.id)
        return {
            "id": match.card_id, "kind": match.kind, "topic": match.topic, "title": match.title,
            "score": match.score, "tier": match.tier, "matched": match.matched,
            "concepts": list(match.concepts), "reply": reply,
        }

    def _render(self, template: str, source: str) -> str:
        return self.renderer.render(template, self.line_vars, source=source).text

    def follow_up(self, card_id: str) -> str | None:
        card = self.library.card(card_id).card
        return self._render(card.follow_up, card_id) if card.follow_up else None


def _remembered(library) -> list:
    """The branch's remembered lines (「记住这句」), when this home has a history at all: a
    one-shot suggest on a fresh machine neither opens nor creates one."""
    from assistant.paths import get_paths

    paths = get_paths()
    if not paths.state_db.exists():
        return []
    from assistant.core import remembered
    from assistant.core.history import History

    history = History(paths)
    try:
        return remembered.entries(history, library)
    finally:
        history.close()


def _customer_facts(library, wanted: str) -> dict:
    """Variables from the customer record and its lead product, and the signed-in staff member (as Live fills them)."""
    from datetime import date

    from assistant.commands.chat import _customer
    from assistant.core.errors import InputError
    from assistant.core.live.facts import known_variables
    from assistant.core.live.replies import customer_variables
    from assistant.paths import get_paths

    paths = get_paths()
    if not paths.state_db.exists():
        raise InputError(f"还没有客户资料，找不到「{wanted}」。先用 coach customers import 导入客户（或 coach demo 生成演示数据）。")
    from assistant.core.history import History

    history = History(paths)
    try:
        customer = _customer(history, wanted)
        staff = history.current_staff()
    finally:
        history.close()
    return {**customer_variables(customer, library.variables), **known_variables(customer, staff, date.today())}


def parse_vars(pairs: list[str], library) -> dict:
    """`name=value` pairs; a name may be the variable key or its Chinese label."""
    from assistant.core.errors import InputError

    by_label = {spec.label: key for key, spec in library.variables.items()}
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(f"--var {pair}：格式应为 名称=值，例如 --var name=张阿姨")
        key = name if name in library.variables else by_label.get(name)
        if key is None:
            raise InputError(f"--var {name}：话术库里没有这个变量{_nearest(name, [*library.variables, *by_label])}")
        out[key] = value
    return out


def _check_kind(library, kind: str | None) -> str | None:
    from assistant.core.errors import InputError

    if kind is None:
        return None
    kinds = sorted({ref.kind for ref in library.matchable_cards()})
    if kind not in kinds:
        raise InputError(f"--kind {kind}：没有这一类可匹配的卡片{_nearest(kind, kinds)}；可选：{'、'.join(kinds)}")
    return kind


def _nearest(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1)
    return f"（是不是 `{close[0]}`？）" if close else ""


# ------------------------------------------------------------------ output


def _print(session: _Session, result: dict, as_json: bool) -> None:
    if as_json:
        import json

        print(json.dumps(result, ensure_ascii=False))
        return
    print(f"「{result['query']}」")
    if not result["results"]:
        cutoff = session.matcher.cutoff
        print(f"  没有合适的话术卡片（匹配度都低于 {cutoff:g}）。换个说法试试，或用 `coach library` 浏览话术库。")
        return
    if all(r["tier"] == "maybe" for r in result["results"]):
        print("  没有把握的卡片；下面几张可能是，请自己判断：")
    for n, r in enumerate(result["results"], 1):
        label = session.library.topic_label(r["topic"])
        maybe = "可能是 " if r["tier"] == "maybe" else ""
        print(f"{n}. {maybe}【{label}】{r['title']}  匹配度 {r['score']:.0f}")  # the id: --json only
        print(f"   匹配到：{r['matched']}")
        if r["concepts"]:
            print(f"   听出来：{'、'.join(r['concepts'])}")
        print(_indent("话术：", r["reply"]))
        follow_up = session.follow_up(r["id"])
        if follow_up:
            print(_indent("追问：", follow_up))


def _indent(head: str, text: str) -> str:
    lines = text.strip().splitlines() or [""]
    pad = " " * 3
    return "\n".join([pad + head + lines[0], *(pad + "      " + line for line in lines[1:])])
