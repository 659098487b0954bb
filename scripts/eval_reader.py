#!/usr/bin/env python3
"""How far a careful reader gets on the real dev lines: the ceiling beside eval_match's figures.

tests/data/real/reader/dev-cold.yaml holds a reader's answers (up to three topic codes, or [none])
for the dev customer and marketer lines and a sample of dev none lines, given cold: the reader saw
each line and the topic list only. This scores them against the dev labels with eval_match's rules
(top-1, top-3; a none line counts when given any topic), so the reader's figures and the matcher's
can be read side by side. staff-dev-cold.yaml holds a reader's flag/pass verdict on every dev staff
line (issue 13), scored like scripts/eval_check.py scores the check. Dev only: nobody showed the
test half to a reader.

Usage: .venv/bin/python scripts/eval_reader.py
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import realcorpus  # noqa: E402  (tests/realcorpus.py: the corpus reader every script uses)

ANSWERS = realcorpus.ROOT / "reader" / "dev-cold.yaml"
STAFF_ANSWERS = realcorpus.ROOT / "reader" / "staff-dev-cold.yaml"


def load_answers(path: Path = ANSWERS) -> dict:
    from ruamel.yaml import YAML

    return {row["text"]: row["answer"] for row in YAML(typ="safe").load(path.read_text(encoding="utf-8"))}


def score(answers: dict[str, list[str]], lines: list) -> dict[str, list[int]]:
    """kind -> [lines, top-1, top-3, given a topic] over the dev lines the reader answered."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for line in lines:
        answer = answers.get(line.text)
        if answer is None or line.kind not in ("customer", "marketer", "none"):
            continue
        row = tally[line.kind]
        row[0] += 1
        row[3] += answer != ["none"]
        if line.kind != "none":
            row[1] += answer[:1] == [line.topic]
            row[2] += line.topic in answer[:3]
    return tally


def score_staff(verdicts: dict[str, str], lines: list) -> dict[str, list[int]]:
    """label (flag/pass) -> [lines, lines the reader flagged] over the dev staff lines answered."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        verdict = verdicts.get(line.text)
        if verdict is None or line.kind != "staff":
            continue
        tally[line.label][0] += 1
        tally[line.label][1] += verdict == "flag"
    return tally


def main() -> int:
    dev = realcorpus.load_all("dev")
    tally = score(load_answers(), dev)
    print("读者（只看句子和话题表，冷读）在真实 dev 上：")
    for kind, name in (("customer", "客户异议"), ("marketer", "营销问题")):
        n, top1, top3, _ = tally[kind]
        print(f"  {name} {n} 句：top-1 {top1 / n:.1%}  top-3 {top3 / n:.1%}")
    n, _, _, given = tally["none"]
    print(f"  无关句 {n} 句：给了话题 {given / n:.1%}")
    staff = score_staff(load_answers(STAFF_ANSWERS), dev)
    (flags, caught), (passes, wrong) = staff["flag"], staff["pass"]
    print("读者（只看句子和一段销售规则概述，冷读）在真实 dev 员工话术上：")
    print(f"  违规 {flags} 句：判为违规 {caught / flags:.1%}；合规 {passes} 句：误判为违规 {wrong / passes:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
