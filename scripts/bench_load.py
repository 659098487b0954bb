#!/usr/bin/env python3
"""Print how long loading the playbook library takes in a fresh process: cold (no cache) and warm.

Each run is a new interpreter (imports included), as for a one-shot `coach suggest`.
Usage: .venv/bin/python scripts/bench_load.py [--runs N] [DIR ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD = """
import sys, time
t = time.perf_counter()
from assistant.core.playbooks.loader import load_library
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
    times: dict[str, list[float]] = {"cold（无缓存）": [], "warm（有缓存）": [], "改了一个文件后": []}
    what = ""
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            dirs = copy_dirs(args.dirs, Path(tmp))
            home = str(Path(tmp) / "home")
            seconds, what = one_run(home, dirs)
            times["cold（无缓存）"].append(seconds)
            times["warm（有缓存）"].append(one_run(home, dirs)[0])
            touch_one(Path(dirs[0]))
            times["改了一个文件后"].append(one_run(home, dirs)[0])
    print(f"话术库：{what}（每次都是新进程，含 import）")
    for label, values in times.items():
        print(f"{label}：median {statistics.median(values) * 1000:.0f} ms  max {max(values) * 1000:.0f} ms")


def copy_dirs(dirs: list[str], tmp: Path) -> list[str]:
    """Copies of the folders (default: the built-in playbooks), so touching a file is harmless."""
    sources = [Path(d) for d in dirs] or [REPO / "playbooks"]
    copies = []
    for i, src in enumerate(sources):
        target = tmp / f"dir{i}"
        shutil.copytree(src, target)
        copies.append(str(target))
    return copies


def touch_one(folder: Path) -> None:
    path = sorted(folder.rglob("*.yaml"))[-1]
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
