"""Masking, export formats and stats on a small known history."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import datetime, timedelta

import pytest

from assistant.core.history import History
from assistant.core.history.export import export_text
from assistant.core.history.mask import Masker, mask_numbers
from assistant.core.history.stats import compute
from assistant.core.playbooks.models import FollowupRule


@pytest.mark.parametrize("text, masked", [
    ("手机13812345678", "手机138****5678"),
    ("电话 138-1234-5678", "电话 138-****-5678"),
    ("+86 13812345678", "+86 138****5678"),
    ("身份证110101195803071234", "身份证110101********1234"),
    ("身份证11010119580307123X", "身份证110101********123X"),
    ("卡号6222021234567890", "卡号6222********7890"),
    ("卡号 6222 0212 3456 7890 123", "卡号 6222 **** **** ***0 123"),
    ("利率2.66%，金额200000元，2026-12-08到期", "利率2.66%，金额200000元，2026-12-08到期"),
    ("订单号20261125103000", "订单号20261125103000"),
])
def test_mask_numbers(text, masked):
    assert mask_numbers(text) == masked


def test_mask_names_only_when_on():
    assert Masker(["王阿姨"]).text("王阿姨您好") == "王**您好"
    assert Masker(["王阿姨"], mask_names=False).text("王阿姨 13812345678") == "王阿姨 138****5678"
    assert Masker(["王阿姨"], enabled=False).text("王阿姨 13812345678") == "王阿姨 13812345678"


def ticking():
    counter = itertools.count()
    return lambda: datetime(2026, 11, 20, 10, 0) + timedelta(minutes=next(counter))


@pytest.fixture
def known() -> History:
    """Three sessions: a live deal, a live 待跟进, a rehearsal scored 70."""
    h = History(clock=ticking())
    h.add_staff("李娜", "理财经理", id="u1")
    h.add_staff("王强", "客户经理", id="u2")
    c = h.add_customer("王阿姨", id="c1", segment="senior")
    s1 = h.start_session("live", "u1", customer_id=c["id"], segment="senior", started="2026-11-18T10:00:00")
    h.log_event(s1, "customer", "王阿姨说：我手机13812345678，利息太低了", step="handle_objection",
                matches=[{"card_id": "rate-low", "score": 80}, {"card_id": "prefer-deposit", "score": 55}])
    h.log_event(s1, "staff", "理解您", type="use", used_card="rate-low", edited=True, step="handle_objection")
    h.end_session(s1, outcome="成交", furthest_step="close", topics=["rate_low"])
    s2 = h.start_session("live", "u1", customer_id=c["id"], started="2026-11-19T10:00:00")
    h.log_event(s2, "customer", "我再考虑考虑", matches=[{"card_id": "think-it-over", "score": 70}], step="handle_objection")
    h.end_session(s2, outcome="待跟进", furthest_step="handle_objection", topics=["think_it_over", "rate_low"])
    s3 = h.start_session("rehearse", "u2", scenario_id="maturity-call", started="2026-11-19T15:00:00")
    h.log_event(s3, "coach", "得分 70", type="score", score=70)
    h.end_session(s3, outcome="未成交", furthest_step="recommend", score=70)
    h.add_followup(rule_id="session-pending-24h", due="2026-11-20T10:00", session_id=s2)
    late = h.add_followup(rule_id="session-pending-72h", due="2026-11-22T10:00", session_id=s2)
    on_time = h.add_followup(rule_id="session-pending-24h", due="2026-11-21T10:00", session_id=s1)
    h.mark_followup(on_time["id"], "done")  # the clock says 2026-11-20: done before it was due
    return h


def test_stats_numbers(known):
    rules = [FollowupRule(id="session-pending-24h", title="x", after="session_end", hours=24),
             FollowupRule(id="session-pending-72h", title="y", after="session_end", hours=72)]
    known.clock = lambda: datetime(2026, 11, 23, 12, 0)
    n = compute(known, library=type("Lib", (), {"followup_rules": rules})())
    assert n["sessions"] == 3 and n["events"] == 4
    assert n["outcomes"] == {"live": {"成交": 1, "待跟进": 1}, "rehearse": {"未成交": 1}}
    live = {row["step"]: row for row in n["funnel"]["live"]}
    assert (live["handle_objection"]["reached"], live["handle_objection"]["stopped"]) == (2, 1)
    assert (live["close"]["reached"], live["close"]["stopped"], live["nurture"]["reached"]) == (1, 1, 0)
    assert n["topics"] == [{"topic": "rate_low", "sessions": 2}, {"topic": "think_it_over", "sessions": 1}]
    assert (n["cards"]["shown"], n["cards"]["used"], n["cards"]["edited"]) == (3, 1, 1)
    assert n["rehearsal_scores"] == [{"staff_id": "u2", "name": "王强", "sessions": 1, "abandoned": 0, "average": 70.0, "best": 70,
                                    "last": 70}]
    assert n["followups"]["24h"] == {"due": 2, "on_time": 1, "rate": 0.5}
    assert n["followups"]["72h"] == {"due": 1, "on_time": 0, "rate": 0.0}
    assert compute(known, since="2026-11-19")["sessions"] == 2


def test_export_csv_masked_by_default(known):
    rows = list(csv.DictReader(io.StringIO(export_text(known, "csv"))))
    assert len(rows) == 4
    first = rows[0]
    assert first["内容"] == "王**说：我手机138****5678，利息太低了"
    assert first["客户"] == "王**" and first["员工"] == "李娜" and first["说话人"] == "客户"
    assert first["建议卡片"] == "rate-low；prefer-deposit" and first["步骤"] == "handle_objection"  # no library: ids
    assert rows[1]["用了的卡片"] == "rate-low" and rows[1]["改过"] == "是"
    plain = list(csv.DictReader(io.StringIO(export_text(known, "csv", mask=False))))
    assert plain[0]["内容"] == "王阿姨说：我手机13812345678，利息太低了"


def test_export_csv_and_md_say_the_result_as_screens_do_and_jsonl_keeps_the_raw_outcome():
    h = History(clock=ticking())
    h.add_staff("李娜", "理财经理", id="u1")
    started = iter(f"2026-11-19T1{i}:00:00" for i in range(5))
    sessions = {}
    for name, mode, outcome in [("deal", "live", "成交"), ("open", "live", None), ("ended", "live", ""),
                                ("drill", "drill", None)]:
        sid = sessions[name] = h.start_session(mode, "u1", started=next(started))
        h.log_event(sid, "staff", "您好", step="care")
        if name != "open":
            h.end_session(sid, outcome=outcome or None, score=90 if mode == "drill" else None)
    rows = {r["会话编号"]: r["结果"] for r in csv.DictReader(io.StringIO(export_text(h, "csv")))}
    assert [rows[sessions[n]] for n in ("deal", "open", "ended", "drill")] == ["成交", "未结束", "已结束", "过关"]
    md = export_text(h, "md")
    assert md.count("结果：未结束") == 1 and "强化 · 李娜 · 结果：过关" in md  # an ended drill is not 未结束 (nor 「—」)
    raw = {r["session_id"]: r["outcome"] for r in map(json.loads, export_text(h, "jsonl").splitlines())}
    assert [raw[sessions[n]] for n in ("deal", "open", "ended", "drill")] == ["成交", None, None, None]


def test_export_jsonl_filters(known):
    lines = [json.loads(x) for x in export_text(known, "jsonl", staff="李娜", since="2026-11-19").splitlines()]
    assert [(r["session_started"][:10], r["text"]) for r in lines] == [("2026-11-19", "我再考虑考虑")]
    assert lines[0]["suggested"] == ["think-it-over"]
    assert export_text(known, "jsonl", customer="c1", until="2026-11-18").count("\n") == 2


def test_export_md_groups_by_session(known):
    md = export_text(known, "md", staff="u2")
    assert "## 2026-11-19 15:00 · 演练 · 王强 · 结果：未成交" in md
    assert "**教练**：得分 70" in md and "得分 70）" in md


def test_outcomes_count_a_given_up_rehearsal_as_abandoned_as_review_shows_it():
    from assistant.core.history.stats import outcomes

    sessions = [{"mode": "rehearse", "ended": "2026-12-01T10:00:00", "finished": False, "replies": 3, "score": 56},
                {"mode": "rehearse", "ended": "2026-12-01T11:00:00", "outcome": "成交"},
                {"mode": "live", "ended": None}]
    assert outcomes(sessions) == {"rehearse": {"未完成": 1, "成交": 1}, "live": {"未结束": 1}}
