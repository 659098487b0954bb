"""`coach config`: the user's settings under COACH_HOME.

`coach config get [KEY]` shows one setting or all of them (`--json` for machines),
`coach config set KEY VALUE` stores one, `coach config unset KEY` removes it. `branch_name` fills
{{ branch }} in every script and follow-up message.
"""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from assistant.core.config import SETTINGS

    # one setting a line, as written: argparse wraps by characters, not display width, and cut
    # the team folder's example path in two (/mnt/网点共享/co | ach-team)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = "可以设置的有：\n" + "\n".join(f"  {k}  {s.label}，例：{s.example}" for k, s in SETTINGS.items())
    actions = parser.add_subparsers(dest="config_action", metavar="get|set|unset")
    get = actions.add_parser("get", help="显示设置（不写 KEY 显示全部）")
    get.add_argument("key", nargs="?", metavar="KEY")
    get.add_argument("--json", action="store_true", help="以 JSON 输出")
    put = actions.add_parser("set", help="保存一项设置，例：coach config set branch_name 幸福路支行")
    put.add_argument("key", metavar="KEY")
    put.add_argument("value", metavar="VALUE")
    drop = actions.add_parser("unset", help="删掉一项设置")
    drop.add_argument("key", metavar="KEY")


def run(args: argparse.Namespace) -> int:
    from assistant.core import config

    action = args.config_action or "get"
    if action == "set":
        if args.key == "team_dir":
            return _set_team_dir(config, args.value)
        config.set_value(args.key, args.value)
        print(f"已保存：{args.key} = {args.value.strip()}")
        return 0
    if action == "unset":
        config.set_value(args.key, None)
        print(f"已删除：{args.key}")
        return 0
    return _get(config, getattr(args, "key", None), getattr(args, "json", False))


def _get(config, key: str | None, as_json: bool) -> int:
    if key:
        value = config.get_value(key)
        print(json.dumps({key: value}, ensure_ascii=False) if as_json else (value or ""))
        return 0 if value is not None else 1
    data = config.load()
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for name, spec in config.SETTINGS.items():
        value = data.get(name)
        shown = value if value else f"（未设置；coach config set {name} {spec.example}）"
        print(f"{name}  {spec.label}：{shown}")
    return 0


def _set_team_dir(config, value: str) -> int:
    """The shared folder must be there (a share not mounted is the usual mistake); then sync once."""
    from pathlib import Path

    from assistant.commands.history import print_sync
    from assistant.core.errors import InputError
    from assistant.core.history import History
    from assistant.core.history.team import sync

    folder = Path(value.strip()).expanduser()
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} 是一个文件，不是文件夹：团队文件夹要写共享盘上的一个文件夹（网点每台电脑设成同一个）。")
    if not folder.is_dir():
        raise InputError(f"找不到文件夹 {folder}。请先连上共享盘、建好这个文件夹，再设置（网点每台电脑设成同一个文件夹）。")
    config.set_value("team_dir", str(folder.resolve()))
    print(f"已保存：team_dir = {folder.resolve()}")
    print_sync(sync(History()))
    return 0
