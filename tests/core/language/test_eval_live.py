"""scripts/eval_match.py --live matches each line as the Live screen does (whole line and clauses)."""

import importlib.util
import sys
from pathlib import Path

from assistant.core.language.matcher import Matcher
from assistant.core.language.matchprep import Entry

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "eval_match.py"


def _script():
    spec = importlib.util.spec_from_file_location("eval_match_live", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_live_counts_what_a_clause_finds():
    script = _script()
    rows = [("rate-low", "rate_low", ["利息太低了"]), ("too-busy", "too_busy", ["我在开会"])]
    m = Matcher([Entry(c, "objection", t, c, x) for c, t, xs in rows for x in xs], 45.0, use_cache=False)
    line = "利息太低了，不过我今天主要是来办点别的事情的，顺便问问开户要带什么东西呢"
    items = [{"text": line, "topic": "rate_low", "kind": "customer", "url": "u", "form": "direct"}]
    assert script.evaluate_real(m, items, "x").customer_top1 == 0  # the whole line scores 41 < 45
    script.LIVE = True
    live = script.evaluate_real(m, items, "x")
    assert live.customer_top1 == 1 and live.sure == 1
