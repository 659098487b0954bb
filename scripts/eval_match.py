#!/usr/bin/env python3
"""Matcher accuracy on the labelled set: top-1 / top-3 overall and per topic, off-topic false
positives, and every miss. Targets: top-1 ≥ 85 %, top-3 ≥ 95 %.

A hit counts only above the matcher's cutoff (what staff would see). `topic: null` lines are
off-topic: any result for them is a false positive.

Usage: .venv/bin/python scripts/eval_match.py [--json] [--cutoff N] [--sweep] [--utterances FILE] [DIR ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field, fields
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
UTTERANCES = REPO / "tests" / "data" / "utterances.yaml"
TARGET_TOP1, TARGET_TOP3 = 0.85, 0.95
sys.path.insert(0, str(REPO))


@dataclass
class Report:
    n: int = 0
    top1: int = 0
    top3: int = 0
    n_off_topic: int = 0
    false_positives: int = 0
    #: topic → [n, top-1 hits, top-3 hits]
    per_topic: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    misses: list[dict] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.n if self.n else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.n if self.n else 0.0

    @property
    def fp_rate(self) -> float:
        return self.false_positives / self.n_off_topic if self.n_off_topic else 0.0

    def weak_topics(self) -> list[str]:
        """Topics under the top-1 or top-3 target."""
        return [t for t, (n, t1, t3) in sorted(self.per_topic.items()) if t1 / n < TARGET_TOP1 or t3 / n < TARGET_TOP3]

    def as_dict(self) -> dict:
        # Not asdict(): it cannot rebuild the defaultdict (its factory is a lambda).
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["per_topic"] = {t: {"n": n, "top1": t1, "top3": t3} for t, (n, t1, t3) in sorted(self.per_topic.items())}
        d.update(top1_rate=self.top1_rate, top3_rate=self.top3_rate, fp_rate=self.fp_rate, weak_topics=self.weak_topics())
        return d


def load_utterances(path: Path = UTTERANCES) -> list[dict]:
    from ruamel.yaml import YAML

    with open(path, encoding="utf-8") as fh:
        return YAML(typ="safe").load(fh)


def evaluate(matcher, items: list[dict]) -> Report:
    """Run every labelled line through the matcher (top 3)."""
    report = Report()
    for item in items:
        results = matcher.search(item["text"], top=3)
        expected = item["topic"]
        if expected is None:
            report.n_off_topic += 1
            if results:
                report.false_positives += 1
                report.misses.append(_miss(item, results))
            continue
        topics = [m.topic for m in results]
        row = report.per_topic[expected]
        report.n += 1
        row[0] += 1
        hit1, hit3 = topics[:1] == [expected], expected in topics
        report.top1 += hit1
        report.top3 += hit3
        row[1] += hit1
        row[2] += hit3
        if not hit1:
            report.misses.append(_miss(item, results))
    return report


def near_copies(matcher, items: list[dict], threshold: float = 90.0) -> list[dict]:
    """Labelled lines that (almost) literally are a trigger: they no longer test the matcher,
    only that the line was copied into the playbooks."""
    from rapidfuzz import fuzz, process

    from assistant.core.language.textnorm import normalize

    triggers = [normalize(e.trigger) for e in matcher.entries]
    out = []
    for item in items:
        if item["topic"] is None:
            continue
        best = process.extractOne(normalize(item["text"]), triggers, scorer=fuzz.ratio, score_cutoff=threshold)
        if best:
            out.append({"text": item["text"], "trigger": matcher.entries[best[2]].trigger, "ratio": round(best[1])})
    return out


def _miss(item: dict, results) -> dict:
    got = [{"topic": m.topic, "id": m.card_id, "score": m.score, "matched": m.matched} for m in results]
    return {"text": item["text"], "expected": item["topic"], "got": got}


def build_matcher(dirs: list[str] | None, cutoff: float | None):
    from assistant.core.playbooks.loader import load_library
    from assistant.core.language.matcher import DEFAULT_CUTOFF, Matcher

    return Matcher.from_library(load_library(dirs or None), cutoff=DEFAULT_CUTOFF if cutoff is None else cutoff)


def print_report(r: Report, cutoff: float) -> None:
    print(f"标注集 {r.n} 句（另有无关句 {r.n_off_topic} 句），阈值 {cutoff:g}")
    print(f"top-1 {r.top1_rate:6.1%}  (目标 {TARGET_TOP1:.0%})   top-3 {r.top3_rate:6.1%}  (目标 {TARGET_TOP3:.0%})   "
          f"无关句误报 {r.fp_rate:.1%} ({r.false_positives}/{r.n_off_topic})")
    print("\n话题                 句数  top-1  top-3")
    for topic, (n, t1, t3) in sorted(r.per_topic.items()):
        flag = "  ←" if topic in r.weak_topics() else ""
        print(f"{topic:20} {n:4} {t1 / n:6.0%} {t3 / n:6.0%}{flag}")
    print(f"\n未命中 top-1（{len(r.misses)}）：")
    for m in r.misses:
        got = "；".join(f"{g['topic']}/{g['id']} {g['score']:.0f}「{g['matched']}」" for g in m["got"]) or "（无结果）"
        print(f"  [{m['expected'] or '无关'}] {m['text']}  →  {got}")


def sweep(matcher, items: list[dict]) -> list[dict]:
    """top-1 / top-3 / false positives at a range of cutoffs (for calibrating DEFAULT_CUTOFF)."""
    rows = []
    for cutoff in range(20, 72, 4):
        matcher.cutoff = cutoff
        r = evaluate(matcher, items)
        rows.append({"cutoff": cutoff, "top1": r.top1_rate, "top3": r.top3_rate, "fp": r.fp_rate})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description="话术匹配准确率（标注集）")
    parser.add_argument("dirs", nargs="*", help="话术目录（默认：内置）")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cutoff", type=float, default=None, help="覆盖默认阈值")
    parser.add_argument("--sweep", action="store_true", help="列出不同阈值下的准确率与误报")
    parser.add_argument("--utterances", type=Path, default=UTTERANCES)
    args = parser.parse_args()
    matcher = build_matcher(args.dirs, args.cutoff)
    items = load_utterances(args.utterances)
    if args.sweep:
        rows = sweep(matcher, items)
        if args.json:
            print(json.dumps(rows))
        for row in rows if not args.json else ():
            print(f"cutoff {row['cutoff']:3}  top-1 {row['top1']:6.1%}  top-3 {row['top3']:6.1%}  误报 {row['fp']:6.1%}")
        return 0
    report = evaluate(matcher, items)
    copies = near_copies(matcher, items)
    copied = {c["text"] for c in copies}
    clean = evaluate(matcher, [i for i in items if i["text"] not in copied])
    if args.json:
        extra = {"near_copies": copies, "without_copies": {"n": clean.n, "top1_rate": clean.top1_rate, "top3_rate": clean.top3_rate}}
        print(json.dumps({"cutoff": matcher.cutoff, **report.as_dict(), **extra}, ensure_ascii=False, indent=2))
        return 0
    print_report(report, matcher.cutoff)
    if copies:
        print(f"\n与触发词几乎一样的标注句 {len(copies)} 句（相似度 ≥ 90，已不再考验匹配器）：")
        for c in copies:
            print(f"  {c['text']}  ≈  {c['trigger']} ({c['ratio']})")
        print(f"去掉这些句子后：top-1 {clean.top1_rate:.1%}  top-3 {clean.top3_rate:.1%}（{clean.n} 句）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
