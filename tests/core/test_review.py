"""The review numbers on a small hand-built history with a fixed clock (Wednesday 2026-11-25)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest

from assistant.core.review import numbers as review
from assistant.core.history import History, SessionFilter, stats
from assistant.core.history.demo import build_demo
from assistant.core.review.export import export_sessions, view_rows, write_file, write_table
from assistant.core.review.search import fuzzy_search, highlight_spans, search, terms

NOW = datetime(2026, 11, 25, 10, 0, 0)


def _session(h: History, mode: str, staff: str, started: str, **end) -> str:
    sid = h.start_session(mode=mode, staff_id=staff, started=started,
                          customer_id=end.pop("customer_id", None), segment=end.pop("segment", None))
    h.end_session(sid, ended=started[:11] + "11:00:00", **end)
    return sid


@pytest.fixture
def history() -> History:
    h = History(clock=lambda: NOW)
    h.add_staff("李娜", "理财经理", id="u1")
    h.add_staff("王强", "客户经理", id="u2")
    h.add_customer("王阿姨", id="c1", segment="senior")
    s1 = h.start_session(mode="live", staff_id="u1", customer_id="c1", segment="senior", started="2026-11-24T10:00:00")
    h.log_event(s1, "customer", "利息太低了，我的电话13812345678", step="handle_objection",
                matches=[{"card_id": "rate-card", "score": 80}, {"card_id": "other-card", "score": 50}])
    h.log_event(s1, "staff", "王阿姨，我们算一笔账", type="use", used_card="rate-card", edited=True)
    h.end_session(s1, outcome="成交", furthest_step="close", topics=["rate_low"], ended="2026-11-24T10:30:00")
    s2 = _session(h, "live", "u2", "2026-11-17T10:00:00", customer_id="c1", segment="senior", outcome="未成交",
                  furthest_step="handle_objection", topics=["rate_low", "think_it_over"], cards_used=[])
    _session(h, "rehearse", "u1", "2026-11-24T15:00:00", score=80, furthest_step="propose", outcome="成交")
    _session(h, "rehearse", "u1", "2026-11-10T15:00:00", score=60, outcome="未成交")
    _session(h, "drill", "u1", "2026-11-24T16:00:00")
    _session(h, "drill", "u1", "2026-11-23T16:00:00")
    h.add_followup(session_id=s2, rule_id="first-contact-24h", due="2026-11-18T10:00:00", status="done",
                   done_at="2026-11-18T09:00:00")
    h.add_followup(session_id=s2, rule_id="result-72h", due="2026-11-20T10:00:00")
    h.upsert_drill(staff_id="u1", card_id="rate-card", step="handle_objection", streak=3, due="2026-11-25")
    yield h
    h.close()


def test_funnel_splits_live_and_practice(history):
    d = review.dashboard(history, now=NOW)
    live = {r["step"]: r for r in d["funnel"]["live"]}
    assert (live["care"]["reached"], live["handle_objection"]["reached"], live["close"]["reached"]) == (2, 2, 1)
    assert (live["handle_objection"]["stopped"], live["close"]["stopped"], live["nurture"]["reached"]) == (1, 1, 0)
    practice = {r["step"]: r for r in d["funnel"]["practice"]}
    assert practice["propose"]["reached"] == 1 and practice["recommend"]["reached"] == 0
    assert d["kinds"] == {"live": 2, "practice": 4}


def test_stats_and_dashboard_agree_on_the_demo_funnel():
    """`coach history stats` (per mode) and the dashboard (live vs practice) count one funnel."""
    h = History(clock=lambda: NOW)
    build_demo(h, None, now=NOW, events=3000)
    per_mode = stats.compute(h)["funnel"]
    d = review.dashboard(h, now=NOW)
    assert set(per_mode) == {"live", "rehearse", "drill"}
    assert d["funnel"]["live"] == per_mode["live"]
    practice = [{"step": r["step"], "reached": r["reached"] + dr["reached"], "stopped": r["stopped"] + dr["stopped"]}
                for r, dr in zip(per_mode["rehearse"], per_mode["drill"])]
    assert d["funnel"]["practice"] == practice
    assert d["funnel"]["live"][0]["reached"] > 0 and practice[0]["reached"] > 0
    by_staff = [g["funnel"] for g in d["by_staff"]]
    for kind in review.KINDS:
        summed = [sum(f[kind][i]["reached"] for f in by_staff) for i in range(8)]
        assert summed == [r["reached"] for r in d["funnel"][kind]]
    h.close()


def test_funnel_by_staff_and_segment(history):
    d = review.dashboard(history, now=NOW)
    by_staff = {r["label"]: r for r in d["by_staff"]}
    assert by_staff["李娜"]["sessions"] == 5 and by_staff["李娜"]["live"] == 1
    assert by_staff["王强"]["funnel"]["live"][5]["reached"] == 1
    segments = {r["group"]: r["sessions"] for r in d["by_segment"]}
    assert segments == {"senior": 2, "": 4}


def test_topics_this_week_vs_last(history):
    rows = review.dashboard(history, now=NOW)["topics"]
    assert rows == [{"topic": "rate_low", "this_week": 1, "last_week": 1, "change": 0},
                    {"topic": "think_it_over", "this_week": 0, "last_week": 1, "change": -1}]


def test_winning_cards_and_cards_never_used(history):
    d = review.dashboard(history, now=NOW)
    assert d["winning_cards"] == [{"card_id": "rate-card", "won": 1, "used": 1, "win_rate": 1.0}]
    sessions = history.query_sessions(limit=None)[0]
    cards = review.card_numbers(history, sessions)
    assert (cards["shown"], cards["used"], cards["edited"]) == (2, 1, 1)
    assert [c["card_id"] for c in cards["never_used"]] == ["other-card"]
    assert review.card_numbers(history, sessions, cancel=lambda: True) is None


def test_score_trend_by_week(history):
    trend = review.dashboard(history, now=NOW)["scores"]
    assert trend["weeks"][-1] == "2026-11-23" and len(trend["weeks"]) == review.TREND_WEEKS
    (row,) = trend["staff"]
    assert row["name"] == "李娜" and row["weeks"][-1] == 80 and row["weeks"][-3] == 60 and row["weeks"][-2] is None


def test_drill_streaks(history):
    (row,) = review.dashboard(history, now=NOW)["streaks"]
    assert (row["name"], row["days"], row["drill_days"], row["items"], row["due"], row["best_item_streak"]) == \
        ("李娜", 2, 2, 1, 1, 3)


def test_followup_discipline(history):
    d = review.dashboard(history, now=NOW)["followups"]
    assert d["overall"]["24h"] == {"due": 1, "on_time": 1, "rate": 1.0}
    assert d["overall"]["72h"] == {"due": 1, "on_time": 0, "rate": 0.0}
    assert [r["name"] for r in d["by_staff"]] == ["王强"]


def test_filters_apply_to_every_number(history):
    d = review.dashboard(history, SessionFilter(staff_id="u2"), now=NOW)
    assert d["sessions"] == 1 and d["streaks"] == [] and d["winning_cards"] == []
    assert d["followups"]["overall"]["24h"]["due"] == 1


def test_export_sessions_is_masked_by_default(history):
    out = io.StringIO()
    assert export_sessions(history, SessionFilter(staff_id="u1", mode="live"), "csv", out) == 2
    text = out.getvalue()
    assert "13812345678" not in text and "138****5678" in text and "王阿姨" not in text
    raw = io.StringIO()
    export_sessions(history, SessionFilter(staff_id="u1"), "jsonl", raw, mask=False)
    assert "13812345678" in raw.getvalue()


def test_export_file_is_private(history, tmp_path):
    path = tmp_path / "out" / "x.md"
    write_file(path, lambda out: export_sessions(history, SessionFilter(), "md", out))
    assert path.stat().st_mode & 0o777 == 0o600 and "## 2026-11-24 10:00" in path.read_text(encoding="utf-8")


def test_dashboard_views_as_tables(history):
    d = review.dashboard(history, now=NOW)
    rows = view_rows(d, "funnel")
    assert rows[0] == {"step": "care", "live_reached": 2, "live_stopped": 0, "practice_reached": 1, "practice_stopped": 0}
    out = io.StringIO()
    write_table(view_rows(d, "followups"), "md", out, title="跟进")
    assert "| staff | 24h_due" in out.getvalue() and "| 全部 | 1 | 1 | 1.0" in out.getvalue()


def test_dashboard_tables_for_people_say_steps_topics_and_cards_in_chinese(history):
    """The dashboard's CSV read `step,live_reached` / `care,11`: Excel showed a branch manager codes."""
    from types import SimpleNamespace

    labels = {"care": "主动关怀", "rate_low": "嫌收益低"}
    card = SimpleNamespace(card=SimpleNamespace(title="他行报价更高"))
    library = SimpleNamespace(step_label=lambda c: labels.get(c, c), topic_label=lambda c: labels.get(c, c),
                              cards={"rate-card": card}, compliance=None)
    d = review.dashboard(history, now=NOW)
    out = io.StringIO()
    write_table(view_rows(d, "funnel"), "csv", out, library=library)
    assert out.getvalue().splitlines()[:2] == ["步骤,实战到达,实战停在这步,练习到达,练习停在这步", "主动关怀,2,0,1,0"]
    out = io.StringIO()
    write_table(view_rows(d, "followups"), "md", out, library=library)
    assert "| 员工 | 24小时应跟进 | 24小时按时跟进 | 24小时按时率 |" in out.getvalue()
    out = io.StringIO()
    write_table(view_rows(d, "cards"), "csv", out, library=library)
    assert out.getvalue().startswith("清单,卡片,成交次数") and "成交用过,他行报价更高," in out.getvalue()
    out = io.StringIO()
    write_table(view_rows(d, "funnel"), "jsonl", out, library=library)  # for programs: the keys stay
    assert out.getvalue().startswith('{"step":"care","live_reached":2')


def test_search_highlights_every_word_and_respects_filter(history):
    assert terms("电话  利息") == ["电话", "利息"]
    (hit,) = search(history, "電話 利息")
    text = hit.event["text"]
    assert [text[a:b] for a, b in hit.spans] == ["利息", "电话"]
    assert search(history, "电话", SessionFilter(staff_id="u2")) == []
    assert highlight_spans("收益太低", ["利息"]) is None


def test_fuzzy_search_finds_homophone_typos_not_found_word_for_word(history):
    exact = search(history, "丽息太低")
    assert exact == []
    (hit,) = fuzzy_search(history, "丽息太低", found=exact)
    assert hit.fuzzy and hit.event["text"].startswith("利息太低") and hit.session["staff_id"] == "u1"
    assert fuzzy_search(history, "利息太低", found=search(history, "利息太低")) == []


def test_search_keeps_two_pcs_lines_that_share_a_seq(history):
    """A manager's note written into a colleague's session can share a seq with the colleague's own
    line; search shows both (it used to keep one per session and seq)."""
    import json

    from assistant.paths import get_paths

    (hit,) = search(history, "利息")
    journal = next(p for p in get_paths().history_dir.glob("events-*.jsonl") if hit.session["id"] in p.read_text(encoding="utf-8"))
    note = {**hit.event, "text": "经理批注：利息这块已经讲清楚了", "origin": "d-manager", "time": "2026-11-24T10:05:00"}
    note.pop("matches", None)
    with journal.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(note, ensure_ascii=False, separators=(",", ":")) + "\n")
    texts = sorted(h.event["text"] for h in search(History(clock=lambda: NOW), "利息"))
    assert texts == ["利息太低了，我的电话13812345678", "经理批注：利息这块已经讲清楚了"]


def test_a_csv_for_excel_says_everything_in_chinese_and_jsonl_keeps_the_ids():
    """A branch manager opened the CSV in Excel: session_id,speaker,step… and customer, care,
    rate-card, promise-principal in the cells."""
    from types import SimpleNamespace

    from assistant.core.review.export import steps_of, titles_of

    library = SimpleNamespace(
        compliance=SimpleNamespace(forbidden=[SimpleNamespace(id="promise-principal", title="承诺保本")], disclosures=[]),
        cards={"rate-card": SimpleNamespace(card=SimpleNamespace(title="嫌利息低")),
               "cd-card": SimpleNamespace(card=SimpleNamespace(title="大额存单又没额度了"))},
        scenarios={"scenario-call": SimpleNamespace(title="到期提醒电话")},
        taxonomy=SimpleNamespace(steps=[SimpleNamespace(code="probe", label="提问及解析")]))
    h = History(clock=lambda: NOW)
    sid = h.start_session(mode="rehearse", scenario_id="scenario-call", started="2026-11-24T10:00:00")
    h.log_event(sid, "customer", "利息太低了", step="probe",
                matches=[{"card_id": "rate-card", "score": 80}, {"card_id": "cd-card", "score": 70}])
    h.log_event(sid, "staff", "=这款保本的", step="probe", type="use", used_card="rate-card", flags=["promise-principal"])
    out = io.StringIO()
    export_sessions(h, SessionFilter(), "csv", out, mask=False, titles=titles_of(library), steps=steps_of(library))
    header, *rows = csv.reader(io.StringIO(out.getvalue()))
    assert header[:9] == ["会话编号", "开始时间", "方式", "员工编号", "员工", "客户编号", "客户", "场景", "结果"]
    assert header[9:] == ["序号", "时间", "说话人", "类型", "步骤", "内容", "建议卡片", "用了的卡片", "改过", "合规提醒", "得分"]
    said, used = (dict(zip(header, r)) for r in rows)
    assert (said["会话编号"], said["方式"], said["场景"]) == (sid, "演练", "到期提醒电话")  # the id stays, to join on
    assert said["开始时间"] == "2026-11-24 10:00:00"  # a date and time to Excel (with a T it was text)
    assert (said["说话人"], said["类型"], said["步骤"], said["建议卡片"]) == ("客户", "说话", "提问及解析", "嫌利息低；大额存单又没额度了")
    assert (used["说话人"], used["类型"], used["用了的卡片"], used["合规提醒"]) == ("员工", "用卡", "嫌利息低", "承诺保本")
    assert used["内容"] == "'=这款保本的"  # still safe for Excel
    raw = io.StringIO()
    export_sessions(h, SessionFilter(), "jsonl", raw, titles=titles_of(library), steps=steps_of(library))
    first = json.loads(raw.getvalue().splitlines()[0])  # for programs: keys and ids
    assert (first["speaker"], first["step"], first["suggested"], first["scenario_id"]) == (
        "customer", "probe", ["rate-card", "cd-card"], "scenario-call")


def test_an_md_transcript_names_rules_and_cards_by_title_and_my_notes_as_notes():
    from types import SimpleNamespace

    from assistant.core.review.export import titles_of

    library = SimpleNamespace(
        compliance=SimpleNamespace(forbidden=[SimpleNamespace(id="promise-principal", title="承诺保本")], disclosures=[]),
        cards={"rate-card": SimpleNamespace(card=SimpleNamespace(title="嫌利息低"))})
    h = History(clock=lambda: NOW)
    sid = h.start_session(mode="live", started="2026-11-24T10:00:00")
    h.log_event(sid, "customer", "利息太低了", matches=[{"card_id": "rate-card", "score": 80}])
    h.log_event(sid, "staff", "这款保本的", flags=["promise-principal"])
    h.log_event(sid, "staff", "客户下午再联系", type="note")
    out = io.StringIO()
    export_sessions(h, SessionFilter(), "md", out, mask=False, titles=titles_of(library))
    text = out.getvalue()
    assert "建议 「嫌利息低」" in text and "合规提醒 「承诺保本」" in text
    assert "**备注**：客户下午再联系" in text and "promise-principal" not in text and "rate-card" not in text
