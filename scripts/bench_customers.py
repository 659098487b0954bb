#!/usr/bin/env python
"""Benchmark the mutable tables at branch scale: customers import, re-import, updates, followups.

    .venv/bin/python scripts/bench_customers.py --customers 100000 [--json]

Each step runs `coach` (or a small script) in its own child process on one fresh COACH_HOME, so
its wall time and peak memory are that command's alone: import N customers from CSV, re-import
the same file with 1% of rows changed, one `update_customer` p50/p99 (200 calls in one process,
each fsynced), `coach followups`, `coach customers list --json` (time and peak memory: it streams).
Targets (issue 17): import < 30 s, re-import of 1k changed rows < 5 s, update p99 < 50 ms,
followups < 1 s, peak < 300 MB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
TARGETS = {"import_s": 30, "reimport_s": 5, "update_p99_ms": 50, "followups_s": 1, "peak_mb": 300,
           "peak_list_json_mb": 300}
SEGMENTS = ["senior", "payroll", "community", "women", "merchant"]


def write_csv(path: Path, n: int, changed: int = 0) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["称呼", "客群", "手机", "生日", "备注", "产品", "金额", "到期日"])
        for i in range(n):
            note = f"备注{i}" + ("（已更新）" if i < changed else "")
            w.writerow([f"客户{i:06d}", SEGMENTS[i % 5], f"139{i:08d}", "1960-03-0%d" % (1 + i % 9), note,
                        "定期三年", "50000", f"2027-0{1 + i % 9}-15"])


def run(args: list[str], home: Path) -> tuple[float, float, str]:
    """(seconds, peak MB of the child, stdout) for one command in its own process."""
    env = {**os.environ, "COACH_HOME": str(home)}
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "dt = time.perf_counter() - t; "
            "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024); "
            "print(p.stdout[-300:] + p.stderr[-300:], file=sys.stderr)")
    p = subprocess.run([PY, "-c", code, *args], capture_output=True, text=True, env=env, cwd=REPO)
    seconds, peak = p.stdout.split()
    return float(seconds), float(peak), p.stderr.strip()


UPDATES = """
import statistics, sys, time
from assistant.core.history import History
h = History()
ids = [c["id"] for c in h.state.all("customers")[:200]]
times = []
for i, ident in enumerate(ids):
    t = time.perf_counter()
    h.update_customer(ident, notes=f"电话回访 {i}")
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))])
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    a = parser.parse_args()
    coach = [PY, "-m", "assistant.cli"]
    out: dict = {"customers": a.customers, "load": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        home, data = Path(tmp) / "home", Path(tmp) / "c.csv"
        write_csv(data, a.customers)
        out["import_s"], peak1, said = run([*coach, "customers", "import", str(data)], home)
        out["import_said"] = said.splitlines()[-1] if said else ""
        changed = max(1, a.customers // 100)
        write_csv(data, a.customers, changed=changed)
        out["reimport_rows_changed"] = changed
        out["reimport_s"], peak2, said = run([*coach, "customers", "import", str(data)], home)
        out["reimport_said"] = said.splitlines()[-1] if said else ""
        env = {**os.environ, "COACH_HOME": str(home), "PYTHONPATH": str(REPO)}
        p50, p99 = subprocess.run([PY, "-c", UPDATES], capture_output=True, text=True, env=env, check=True).stdout.split()
        out["update_p50_ms"], out["update_p99_ms"] = round(float(p50), 2), round(float(p99), 2)
        out["followups_s"], peak3, _ = run([*coach, "followups"], home)
        out["list_json_s"], peak4, _ = run([*coach, "customers", "list", "--json"], home)
        out["peaks_mb"] = {"import": round(peak1), "reimport": round(peak2), "followups": round(peak3)}
        out["peak_mb"] = round(max(peak1, peak2, peak3), 1)
        out["peak_list_json_mb"] = round(peak4, 1)
        out["files_mb"] = {p.name: round(p.stat().st_size / 1e6, 1) for p in home.glob("state.*")}
    out["load_after"] = os.getloadavg()[0]
    if a.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for key, value in out.items():
        target = TARGETS.get(key)
        mark = "" if target is None else ("  ✓" if value < target else f"  ✗ (目标 < {target})")
        print(f"{key:22} {value}{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
