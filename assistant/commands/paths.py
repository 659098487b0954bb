"""`coach paths [--json]`: where each file lives."""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


def run(args: argparse.Namespace) -> int:
    from assistant.paths import get_paths

    data = get_paths().as_dict()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for key, value in data.items():
            print(f"{key:18} {value}")
    return 0
