"""复盘's step filter picks the sessions that went through the step, the same ones the funnel counts
as 到达 there. It used the furthest step (「至少到」): a live session whose first line was an
objection (回应异议, step 6) counted as having reached 推荐产品 (step 5) without any product talk,
and so did every 防他行策反 rehearsal, which opens at 回应异议."""

from __future__ import annotations

from assistant.core.history.filters import SessionFilter
from assistant.core.history.stats import funnel
from assistant.core.playbooks.models import STEP_ORDER

OBJECTION_FIRST = {"id": "a", "mode": "live", "furthest_step": "handle_objection", "steps": ["care", "handle_objection"]}
ALL_THE_WAY = {"id": "b", "mode": "live", "furthest_step": "close", "steps": ["care", "probe", "recommend", "close"]}
OLD_RECORD = {"id": "c", "mode": "live", "furthest_step": "close"}  # written before sessions kept their steps
OPENS_AT_OBJECTION = {"id": "d", "mode": "rehearse", "furthest_step": "close", "steps": ["handle_objection", "close"]}
SESSIONS = [OBJECTION_FIRST, ALL_THE_WAY, OLD_RECORD, OPENS_AT_OBJECTION]


def picked(step: str) -> set[str]:
    f = SessionFilter(step=step)
    return {s["id"] for s in SESSIONS if f.matches(s)}


def test_an_objection_raised_early_is_not_a_product_recommended():
    assert picked("recommend") == {"b", "c"}
    assert picked("handle_objection") == {"a", "c", "d"}


def test_the_filter_finds_what_the_funnel_counts_at_every_step():
    counts = {row["step"]: row["reached"] for row in funnel(SESSIONS, by=lambda _s: "all")["all"]}
    assert {step: len(picked(step)) for step in STEP_ORDER} == counts
