#!/usr/bin/env python3
"""Print how long loading the playbook library takes in a fresh process: cold (no cache) and warm.

Each run is a new interpreter (imports included), as for a one-shot `coach suggest`.
Usage: .venv/bin/python scripts/bench_load.py [--runs N] [DIR ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD = """
import sys, time
t = time.perf_counter()
from assistant.core.loader import load_library
lib = load_library(sys.argv[1:] or None)
print(time.perf_counter() - t, lib.n_files, len(lib.cards))
"""


def one_run(home: str, dirs: list[str]) -> tuple[float, str]:
    env = {**os.environ, "COACH_HOME": home}
    out = subprocess.run([sys.executable, "-c", CHILD, *dirs], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    seconds, files, cards = out.stdout.split()
    return float(seconds), f"{files} 个文件，{cards} 张卡片"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("dirs", nargs="*")
    args = parser.parse_args()
    cold, warm, what = [], [], ""
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as home:
            seconds, what = one_run(home, args.dirs)
            cold.append(seconds)
            warm.append(one_run(home, args.dirs)[0])
    print(f"话术库：{what}（每次都是新进程，含 import）")
    print(f"cold（无缓存）：median {statistics.median(cold) * 1000:.0f} ms  max {max(cold) * 1000:.0f} ms")
    print(f"warm（有缓存）：median {statistics.median(warm) * 1000:.0f} ms  max {max(warm) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
