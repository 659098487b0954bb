"""`coach demo` text a new user reads: every line rendered as the session's own staff member,
with every template variable filled (no 【推荐产品】 placeholder anywhere)."""

from __future__ import annotations

import re

from assistant.cli import main
from assistant.core.history import History
from assistant.core.history.demo_data import STAFF

PLACEHOLDER = re.compile(r"【[^】]*】")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def _demo() -> History:
    assert main(["demo"]) == 0
    return History()


def test_no_demo_text_holds_an_unfilled_placeholder(capsys):
    h = _demo()
    records = [*h.iter_sessions(), *h.iter_events(), *h.list_customers(), *h.list_followups(), *h.list_groups(),
               *h.list_group_events(), *h.list_drill(), *h.list_staff()]
    records += [f for s in h.iter_sessions() for f in h.flags_for(s["id"])]
    found = sorted({m for r in records for text in _strings(r) for m in PLACEHOLDER.findall(text)})
    assert found == []
    assert sum(1 for _ in h.iter_events()) > 500  # the check above read the real transcripts


def test_staff_lines_speak_as_the_sessions_own_staff(capsys):
    h = _demo()
    names = {ident: name for ident, name, _ in STAFF}
    spoken = 0
    for event in h.iter_events():
        if event["speaker"] not in ("staff", "coach"):
            continue
        own = names[h.session(event["session_id"])["staff_id"]]
        others = [n for n in names.values() if n != own and re.search(f"我是[^，。！？]{{0,12}}{n}", event["text"])]
        assert others == [], (event["session_id"], own, event["text"])
        spoken += own in event["text"]
    assert spoken >= 5  # staff do introduce themselves by name in the demo


def test_demo_drills_have_no_outcome(capsys):
    """A drill has no customer: the demo records none (复盘 and 首页 showed 待跟进/未成交 for drills)."""
    drills = [s for s in _demo().iter_sessions() if s.get("mode") == "drill"]
    assert drills and not [s["id"] for s in drills if s.get("outcome")]


def _wan(text: str) -> tuple[float, float]:
    """An asset tier's bounds in yuan: 10-20万 → (100000, 200000); 5万以下 / 100万以上 open-ended."""
    numbers = [float(n) * 10000 for n in re.findall(r"\d+", text)]
    if "以下" in text:
        return 0.0, numbers[0]
    if "以上" in text:
        return numbers[0], float("inf")
    return numbers[0], numbers[1]


def test_demo_customers_hold_no_more_than_their_asset_tier(capsys):
    """张奶奶 was 10-20万 and held 50万 of one product: the panel and the replies disagreed."""
    customers = _demo().list_customers()
    assert customers
    for c in customers:
        low, high = _wan(c["asset_tier"])
        assert all(p["amount"] <= high for p in c["products"]), (c["name"], c["asset_tier"], c["products"])
        assert sum(p["amount"] for p in c["products"]) >= low * 0.5, (c["name"], c["asset_tier"])
