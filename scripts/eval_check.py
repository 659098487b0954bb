#!/usr/bin/env python3
"""Compliance check on the real staff corpus (tests/data/real/{dev,test}/staff-*.yaml): the share
of `flag` rows the check flags as errors, and the share of `pass` rows it flags at all (the same
scoring as tests/playbooks/test_compliance_table.py).

Prints numbers only, per file and total, for dev and test; per rule family for dev only. The test
half is frozen: its lines are never printed, and it is not broken down by family (a family table
would invite tuning on it).

--first-look GLOB scores only the dev files matching GLOB (e.g. 'staff-g.yaml') and prints their
counts: the figure to record for a new batch BEFORE anyone reads it. Paths outside the dev half
are refused. With --since REV only the rows added after git revision REV are scored (one batch of
a file that grows in several commits).

Usage: .venv/bin/python scripts/eval_check.py [--first-look GLOB [--since REV]]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REAL = REPO / "tests" / "data" / "real"
sys.path.insert(0, str(REPO))


class Tally:
    """Flag rows caught as errors, pass rows flagged at all."""

    def __init__(self) -> None:
        self.n_flag = self.caught = self.n_pass = self.wrong = 0

    def add(self, label: str, flags: list) -> None:
        if label == "flag":
            self.n_flag += 1
            self.caught += any(f.severity == "error" for f in flags)
        elif label == "pass":
            self.n_pass += 1
            self.wrong += bool(flags)

    def line(self, name: str) -> str:
        rec = f"{self.caught / self.n_flag:6.1%}" if self.n_flag else "     -"
        fal = f"{self.wrong / self.n_pass:6.1%}" if self.n_pass else "     -"
        return (f"{name:<28} flag {self.n_flag:4d} caught {self.caught:4d} {rec}   "
                f"pass {self.n_pass:4d} wrong {self.wrong:4d} {fal}")


def _rows(path: Path) -> list[dict]:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text(encoding="utf-8")) or []


def _rows_at(path: Path, rev: str) -> list[dict]:
    """The file's rows at git revision `rev` ([] when it did not exist yet)."""
    import subprocess

    from ruamel.yaml import YAML

    rel = path.resolve().relative_to(REPO).as_posix()
    shown = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=REPO, capture_output=True, text=True)
    return (YAML(typ="safe").load(shown.stdout) or []) if shown.returncode == 0 else []


def score_files(paths: list[Path], lib, by_family: bool, since: str | None = None) -> None:
    from assistant.core.compliance import check

    total, families = Tally(), defaultdict(Tally)
    for path in paths:
        tally = Tally()
        old = {(r["text"], r["url"]) for r in _rows_at(path, since)} if since else set()
        for row in (r for r in _rows(path) if (r["text"], r["url"]) not in old):
            flags = check(row["text"], lib)
            label = row.get("label", "")
            tally.add(label, flags)
            total.add(label, flags)
            families[row.get("rule", "?")].add(label, flags)
        print("  " + tally.line(path.name))
    print("  " + total.line("TOTAL"))
    if by_family:
        print("  per rule family:")
        for family in sorted(families):
            print("    " + families[family].line(family))


def dev_files(pattern: str) -> list[Path]:
    """Dev staff files matching `pattern`; anything reaching outside tests/data/real/dev is refused."""
    if "/" in pattern or "\\" in pattern or ".." in pattern:
        raise SystemExit("--first-look 只接受 dev 目录下的文件名模式（如 'staff-g.yaml'），不接受路径")
    dev = (REAL / "dev").resolve()
    paths = sorted(p for p in dev.glob(pattern) if p.resolve().parent == dev and p.name.startswith("staff-"))
    if not paths:
        raise SystemExit(f"dev 目录下没有匹配 {pattern} 的 staff 文件")
    return paths


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="compliance check on the real staff corpus (numbers only)")
    parser.add_argument("--first-look", metavar="GLOB", help="dev staff files only, counts only (before reading them)")
    parser.add_argument("--since", metavar="REV", help="with --first-look: only rows added after this git revision")
    args = parser.parse_args(argv)
    from assistant.core.playbooks.loader import load_library
    from assistant.paths import BUILTIN_PLAYBOOKS

    lib = load_library([BUILTIN_PLAYBOOKS], use_cache=False)
    if args.first_look:
        print(f"first look (dev, unread): {args.first_look}" + (f", rows added after {args.since}" if args.since else ""))
        score_files(dev_files(args.first_look), lib, by_family=False, since=args.since)
        return 0
    print("dev:")
    score_files(sorted((REAL / "dev").glob("staff-*.yaml")), lib, by_family=True)
    print("test (frozen; numbers only):")
    score_files(sorted((REAL / "test").glob("staff-*.yaml")), lib, by_family=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
