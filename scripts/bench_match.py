#!/usr/bin/env python3
"""Matcher speed: per-query p50/p99 on the shipped library and on synthetic libraries of 10k and
100k triggers, side by side with a naive baseline (rapidfuzz `process.extract` over the raw
trigger strings, default WRatio) in the same run; plus the wall and CPU time of one-shot
`coach suggest`, `coach suggest --json` and `coach check` processes (median of N, load average
beside). Queries are the labelled utterances (tests/data/utterances.yaml).

Targets: p99 < 5 ms (shipped), < 50 ms (100k triggers); one-shot `coach suggest` < 0.6 s, `coach check` < 1 s.
Usage: .venv/bin/python scripts/bench_match.py [--json] [--sizes 10000 100000] [--queries N] [--runs N]
       .venv/bin/python scripts/bench_match.py --one-shot [--runs N] [--env-bytecode]  (the one-shot commands only)
       .venv/bin/python scripts/bench_match.py --remember N [--remember-before M]

With --remember N it measures only 记住这句: the time from a remembered line to a matcher that uses
it, on the shipped library, for N new lines one after another, then removing one (the median of
each, wall and process CPU, with the load average): `remembered.matcher_after` (the matcher grown,
what the app does now), and for --remember-before M lines the full build it replaced
(`remembered.matcher_for`, every trigger prepared again). The first growth of a matcher also
reads its index back (the app does that while F8 is offered): reported apart as "cold".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# Words staff and customers use, to splice realistic-looking synthetic triggers.
EXTRA_WORDS = (
    "客户 理财 定期 存款 利息 收益 风险 手续费 到期 提前 支取 微信 群 活动 网点 经理 老人 商户 代发 工资 "
    "电影 礼品 基金 保险 大额存单 手机银行 转账 密码 亲戚 孩子 老公 儿子 时间 开会 上班 周末 社区 小区 "
    "怎么 为什么 能不能 是不是 有没有 太 很 一直 已经 还 想 要 不想 不敢 担心 觉得 听说 朋友 邻居 银行"
).split()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(fn, queries: list[str], repeat: int) -> dict:
    """p50/p99/mean in milliseconds of fn(query) over every query, `repeat` times each."""
    fn(queries[0])  # warm-up: lazy imports and tables
    samples = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            samples.append((time.perf_counter() - t) * 1000)
    return {"p50": percentile(samples, 0.5), "p99": percentile(samples, 0.99),
            "mean": statistics.fmean(samples), "n": len(samples)}


def shipped_entries() -> list[tuple]:
    """Every trigger the shipped matcher reads: the cards' own and `kind: triggers` files."""
    from assistant.core.language.matcher import library_entries
    from assistant.core.playbooks.loader import load_library

    return [tuple(vars(e).values()) for e in library_entries(load_library())]


def shipped_concepts():
    """The shipped concept index (every library size is read with it, as the app does)."""
    from assistant.core.language.concepts import ConceptIndex
    from assistant.core.playbooks.loader import load_library

    return ConceptIndex.from_library(load_library())


def synthetic_entries(base: list[tuple], size: int, seed: int = 7) -> list[tuple]:
    """`size` triggers: the shipped ones plus phrases spliced from their words and common words,
    eight per synthetic card."""
    from assistant.core.language import textnorm
    rng = random.Random(seed)
    words = [w for e in base for w in textnorm.tokens(e[4])] + EXTRA_WORDS
    topics = sorted({e[2] for e in base})
    out = list(base)
    while len(out) < size:
        n = len(out) - len(base)
        card = f"synthetic-{n // 8}"
        phrase = "".join(rng.choice(words) for _ in range(rng.randint(3, 7)))
        out.append((card, "objection", topics[(n // 8) % len(topics)], f"合成卡片{n // 8}", phrase))
    return out[:size]


def bench_library(name: str, entries: list[tuple], queries: list[str], repeat: int) -> dict:
    from rapidfuzz import process

    from assistant.core.language.matcher import Matcher

    t = time.perf_counter()
    matcher = Matcher(entries, use_cache=False, concepts=shipped_concepts())
    prepare_s = time.perf_counter() - t
    raw = [e[4] for e in entries]
    row = {"library": name, "triggers": len(entries), "prepare_s": prepare_s, "queries": len(queries)}
    row["matcher"] = timed(lambda q: matcher.search(q, top=3), queries, repeat)
    row["baseline"] = timed(lambda q: process.extract(q, raw, limit=3), queries, 1 if len(entries) > 20000 else repeat)
    return row


#: The one-shot commands timed: (label, arguments after `coach`).
ONE_SHOT = (
    ("coach suggest", ["suggest", "钱放你们这儿我晚上睡不着"]),
    ("coach suggest --json", ["suggest", "你们这个收益也太低了吧", "--json"]),
    ("coach check", ["check", "这个放心，亏不了"]),
)


def one_shot(runs: int, keep_env_bytecode: bool = False) -> dict:
    """Wall and CPU time of each ONE_SHOT command in a fresh process, `runs` times each, in turns,
    after a first run that builds the caches (timed too: what the first command after an install or
    a playbook edit costs). CPU time (user + sys) says more than wall time on a busy machine.

    The children write and read bytecode (.pyc) as an installed `coach` does, even when this shell
    sets PYTHONDONTWRITEBYTECODE (then every module changed since the install compiles from source
    on every run, ~0.1-0.2 s); `keep_env_bytecode` times them as the shell would run them."""
    import resource

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "COACH_HOME": home, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        if not keep_env_bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)

        def run(args: list[str]) -> tuple[float, float]:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            # cwd: `python -m` puts the working folder first on sys.path, before PYTHONPATH
            subprocess.run([sys.executable, "-m", "assistant", *args], env=env, cwd=REPO, capture_output=True)
            wall = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime

        first = {label: run(args) for label, args in ONE_SHOT}  # builds the caches
        walls: dict[str, list[float]] = {label: [] for label, _ in ONE_SHOT}
        cpus: dict[str, list[float]] = {label: [] for label, _ in ONE_SHOT}
        loads = [os.getloadavg()[0]]
        for _ in range(runs):
            for label, args in ONE_SHOT:
                wall, cpu = run(args)
                walls[label].append(wall)
                cpus[label].append(cpu)
            loads.append(os.getloadavg()[0])
    return {label: {"min_s": min(walls[label]), "median_s": statistics.median(walls[label]), "max_s": max(walls[label]),
                    "cpu_median_s": statistics.median(cpus[label]), "first_run_s": first[label][0], "runs": runs,
                    "load_avg": statistics.median(loads), "bytecode": not keep_env_bytecode or not os.environ.get("PYTHONDONTWRITEBYTECODE")}
            for label, _ in ONE_SHOT}


#: Customer lines a branch might remember, with the card they were answered by (bench only).
REMEMBER_LINES = (
    ("risk-fear-general", "我那点钱放你们这儿心里直打鼓"), ("fees", "每个月莫名其妙扣我钱"),
    ("think-it-over", "这事我得回去跟老伴合计合计"), ("complaint-calm", "你们这服务态度我要找行长"),
    ("rate-low-general", "这点利息还不够我坐公交的"), ("insurance-not-deposit", "你这到底是保险还是存款给句痛快话"),
    ("group-inactive", "群里天天刷屏我都静音了"), ("early-withdrawal-urgent-need", "孙子上学急着交钱能先拿出来不"),
    ("maturity-reminder", "我那笔钱是不是快到日子了"),
)


def timed_once(fn) -> tuple[float, float, object]:
    """(wall s, process CPU s, result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    got = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, got


def bench_remember(lines: int, before: int) -> dict:
    """Remember → matcher in force on the shipped library: grown (now) and built again (before)."""
    from assistant.core import remembered
    from assistant.core.history import History
    from assistant.core.playbooks.loader import load_library

    library, history = load_library(), History()
    matcher = remembered.matcher_for(library, history)  # the app's matcher at start (cached after the first run)
    matcher.search("你好")
    cold, warm, cpu, missed = None, [], [], []
    for card, text in REMEMBER_LINES[:lines]:
        remembered.remember(history, card, text, library=library)
        wall, used, matcher = timed_once(lambda: remembered.matcher_after(matcher, library, history))
        if cold is None:
            cold = (wall, used)
        else:
            warm.append(wall), cpu.append(used)
        found = matcher.search(text)
        missed += [] if found and found[0].card_id == card and found[0].tier == "sure" else [text]
    first = remembered.list_remembered(history)[0]
    remembered.forget(history, first["id"])
    removed = timed_once(lambda: remembered.matcher_after(matcher, library, history))[:2]
    saved = timed_once(lambda: remembered.save(matcher))[:2]
    out = {"triggers": len(matcher.entries), "grown_cold_s": cold, "grown_median_s": statistics.median(warm) if warm else None,
           "grown_cpu_median_s": statistics.median(cpu) if cpu else None, "grown_n": len(warm),
           "removed_s": removed, "cache_written_s": saved, "not_sure_after": missed, "load_avg_grown": os.getloadavg()[0]}
    rebuilt = []
    for card, text in REMEMBER_LINES[lines:lines + before]:
        remembered.remember(history, card, text, library=library)
        rebuilt.append(timed_once(lambda: remembered.matcher_for(library, history))[:2])
    if rebuilt:
        out.update(rebuilt_median_s=statistics.median(w for w, _ in rebuilt), rebuilt_cpu_median_s=statistics.median(c for _, c in rebuilt),
                   rebuilt_n=len(rebuilt), load_avg_rebuilt=os.getloadavg()[0])
    history.close()
    return out


def print_remember(r: dict) -> None:
    print(f"记住这句 → in force, shipped library ({r['triggers']} triggers):")
    print(f"  grown (now):   median {r['grown_median_s']:.3f}s wall, {r['grown_cpu_median_s']:.3f}s CPU over {r['grown_n']} lines; "
          f"first of a matcher (cold) {r['grown_cold_s'][0]:.3f}s wall, {r['grown_cold_s'][1]:.3f}s CPU (load average {r['load_avg_grown']:.1f})")
    print(f"  one removed:   {r['removed_s'][0]:.3f}s wall, {r['removed_s'][1]:.3f}s CPU; caches written after: {r['cache_written_s'][0]:.3f}s")
    if "rebuilt_n" in r:
        print(f"  rebuilt (before): median {r['rebuilt_median_s']:.2f}s wall, {r['rebuilt_cpu_median_s']:.2f}s CPU over {r['rebuilt_n']} lines "
              f"(load average {r['load_avg_rebuilt']:.1f})")
    print(f"  lines not the sure top card once remembered: {r['not_sure_after'] or 'none'}")


def main() -> int:
    parser = argparse.ArgumentParser(description="匹配速度基准")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=100, help="合成库用多少条查询（内置库用全部标注句）")
    parser.add_argument("--repeat", type=int, default=3, help="每条查询重复几次")
    parser.add_argument("--runs", type=int, default=7, help="coach suggest / check 单次进程各跑几次")
    parser.add_argument("--one-shot", action="store_true", help="只测单次进程（suggest、suggest --json、check），不测匹配库")
    parser.add_argument("--env-bytecode", action="store_true", help="子进程沿用本 shell 的 PYTHONDONTWRITEBYTECODE（默认照安装后的样子读写 .pyc）")
    parser.add_argument("--remember", type=int, default=0, help="只测「记住这句」：依次记住几句（最多 9）")
    parser.add_argument("--remember-before", type=int, default=3, help="其中再用旧办法（整库重建）测几句")
    args = parser.parse_args()
    if args.one_shot:
        result = {"libraries": [], "one_shot": one_shot(args.runs, args.env_bytecode)}
        print(json.dumps(result, ensure_ascii=False, indent=2)) if args.json else print_table(result)
        return 0

    os.environ.setdefault("COACH_HOME", tempfile.mkdtemp(prefix="coach-bench-"))
    if args.remember:
        result = bench_remember(min(args.remember, len(REMEMBER_LINES)), args.remember_before)
        print(json.dumps(result, ensure_ascii=False, indent=2)) if args.json else print_remember(result)
        return 0
    from eval_match import load_utterances

    queries = [u["text"] for u in load_utterances()]
    base = shipped_entries()
    rows = [bench_library("shipped", base, queries, args.repeat)]
    sample = random.Random(1).sample(queries, min(args.queries, len(queries)))
    for size in args.sizes:
        rows.append(bench_library(f"synthetic-{size // 1000}k", synthetic_entries(base, size), sample, args.repeat))
    result = {"libraries": rows, "one_shot": one_shot(args.runs, args.env_bytecode)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_table(result)
    return 0


def print_table(result: dict) -> None:
    if result["libraries"]:
        print(f"{'library':14} {'triggers':>8} {'prepare':>8} | {'matcher p50':>11} {'p99':>7} | {'baseline p50':>12} {'p99':>7}  (ms)")
    for r in result["libraries"]:
        m, b = r["matcher"], r["baseline"]
        print(f"{r['library']:14} {r['triggers']:8} {r['prepare_s']:7.2f}s | {m['p50']:11.2f} {m['p99']:7.2f} | "
              f"{b['p50']:12.2f} {b['p99']:7.2f}  ({r['queries']} queries)")
    print("\none-shot commands (fresh process, caches warm; targets: suggest < 0.6 s, check < 1 s):")
    for label, s in result["one_shot"].items():
        print(f"  {label:22} wall median {s['median_s']:.3f}s (min {s['min_s']:.3f}, max {s['max_s']:.3f}), CPU median "
              f"{s['cpu_median_s']:.3f}s over {s['runs']} runs, load average {s['load_avg']:.1f}; "
              f"first run (caches built) {s['first_run_s']:.1f}s{'' if s['bytecode'] else '; no .pyc'}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
