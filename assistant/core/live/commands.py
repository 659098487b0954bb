"""The live input's /commands: what each does, and `parse_command` turning a typed line into a `Command`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OUTCOMES = ("成交", "未成交", "待跟进")

#: command → (usage, what it does); also the completion list of the live input.
COMMANDS: dict[str, tuple[str, str]] = {
    "customer": ("/customer", "选择或新建客户"),
    "step": ("/step <步骤>", "手动切换步骤（代码或中文名，如 /step 推荐产品）"),
    "next": ("/next", "进入下一步"),
    "card": ("/card <关键词>", "在话术库里搜卡片"),
    "var": ("/var 名称=值", "设置模板变量（中文名或代码，如 /var 他行报价=2.2）"),
    "note": ("/note <内容>", "记一条备注"),
    "me": ("/me <内容>", "记录我自己说的话"),
    "end": ("/end 成交|未成交|待跟进", "结束本次会话，生成跟进"),
    "undo": ("/undo", "恢复刚才结束会话时自动标为完成的跟进"),
    "help": ("/help", "显示命令列表"),
}


def help_text() -> str:
    """Every command with its usage, one per line (shown for /help and unknown commands)."""
    return "\n".join(f"{usage:<24}{desc}" for usage, desc in COMMANDS.values())


@dataclass(frozen=True)
class Command:
    """A parsed input line. `name` is a key of COMMANDS, or `say` for a plain line, or `error`."""

    name: str
    arg: str = ""
    #: For /var: (name, value); for /end: the outcome.
    value: Any = None
    error: str | None = None


def parse_command(line: str) -> Command:
    """Parse a typed line: plain text is `say`; `/cmd args` is a command; mistakes are `error`."""
    text = line.strip()
    if not text.startswith("/") or text.startswith("//"):
        return Command("say", text[1:] if text.startswith("//") else text)
    head, _, arg = text[1:].partition(" ")
    name, arg = head.lower(), arg.strip()
    if name not in COMMANDS:
        return Command("error", arg, error=f"没有 /{head} 这个命令。可用的命令：\n{help_text()}")
    return _check_args(name, arg)


def _check_args(name: str, arg: str) -> Command:
    usage = COMMANDS[name][0]
    if name in ("step", "card", "me", "note") and not arg:
        return Command("error", arg, error=f"{usage}：缺少内容")
    if name == "var":
        key, eq, value = arg.partition("=")
        if not eq or not key.strip():
            return Command("error", arg, error=f"用法：{usage}")
        return Command(name, arg, value=(key.strip(), value.strip()))
    if name == "end":
        if not arg:  # a bare /end asks for the outcome, as ctrl+g does (value None)
            return Command(name, arg)
        if arg not in OUTCOMES:
            return Command("error", arg, error=f"用法：{usage}（结果要写 成交、未成交 或 待跟进）")
        return Command(name, arg, value=arg)
    return Command(name, arg)
