"""`coach check TEXT` / `coach check --batch FILE [--json]`: the compliance rules over what staff
say, one result per line; exit 1 when any line breaks a rule marked error. Imports stay inside
`run`: a one-shot process must start fast and never load Textual."""

from __future__ import annotations

import argparse
import json
import sys

SEVERITY_LABEL = {"error": "违规", "warning": "提醒", "info": "提示"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", metavar="一句话", help="员工要说或已说的一句话")
    parser.add_argument("--batch", metavar="FILE", help="每行一句，逐行检查（- 表示标准输入；空行跳过）")
    parser.add_argument("--json", action="store_true", help="每行输出一个 JSON：{text, flags:[{rule_id, severity, quote, message, safer, source}]}")


def run(args: argparse.Namespace) -> int:
    from assistant.core.compliance import check, compiled_rules
    from assistant.core.compliance.learned import shipped_model
    from assistant.core.errors import InputError
    from assistant.commands import load_library, loading, read_lines

    if (args.text is None) == (args.batch is None):
        raise InputError("请给一句话（coach check \"这款理财保本\"），或用 --batch 文件 逐行检查，二者选一。")
    if args.text is not None and not args.text.strip():  # a ✓ for nothing would read as "checked, fine"
        raise InputError("这句话是空的：请把要检查的话放在引号里，如 coach check \"这款理财保本\"。")
    # (line number in the file, text): people fix a flagged line by its number
    lines = [(None, args.text)] if args.batch is None else [(n, ln) for n, ln in enumerate(read_lines(args.batch), 1) if ln.strip()]
    with loading():  # no garbage collection while the library, the rules and the learned opinion load
        library = load_library()
        compiled_rules(library)
        shipped_model()
    errors = warned = 0
    for number, line in lines:
        result = line_result(line, check(line, library))
        severities = {f["severity"] for f in result["flags"]}
        errors, warned = errors + ("error" in severities), warned + bool(severities - {"error"})
        print(json.dumps(result, ensure_ascii=False) if args.json else human(result, number))
        sys.stdout.flush()
    if args.batch is not None and not args.json:
        print(f"共检查 {len(lines)} 行：{errors} 行违规，{warned} 行有提醒。")
    return 1 if errors else 0


def line_result(text: str, flags) -> dict:
    """The JSON shape of one checked line."""
    from assistant.core.compliance import flag_dict

    return {"text": text, "flags": [flag_dict(f) for f in flags]}


def human(result: dict, number: int | None = None) -> str:
    """One checked line for people (with its line number in a batch file): ✓ when clean, else
    each rule with the safer wording and its source."""
    where = f"第 {number} 行 " if number is not None else ""
    if not result["flags"]:
        return f"✓ {where}{result['text']}"
    out = [f"✗ {where}{result['text']}"]
    for f in result["flags"]:
        out.append(f"  [{SEVERITY_LABEL.get(f['severity'], f['severity'])}] 「{f['quote']}」{f['message']}")
        out.append(f"    可改为：{f['safer']}")
        if f["source"]:
            out.append(f"    依据：{f['source']}")
    return "\n".join(out)
