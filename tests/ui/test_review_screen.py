"""复盘 with Pilot: filters that combine, sorting, paging, search (highlight, cancel), the
transcript viewer, comments shown to the staff member once, a masked export, and the dashboard.

The history is built here by hand, deterministically (fixed clock, seeded RNG), in the test's
own COACH_HOME; the library is the small one of tests/livefakes.py.
"""

from __future__ import annotations

import io
import random
import threading
from datetime import datetime, timedelta

from livefakes import make_library
from screen_text import screen_lines
from rich.console import Console
from rich.text import Text
from textual.geometry import Region
from textual.widgets import DataTable, Input, OptionList, Select, Static

from assistant.core.history import History, SessionFilter
from assistant.core.labels import outcome_label
from assistant.ui.app import CoachApp
from assistant.ui.screens.dashboard import DashboardScreen
from assistant.ui.screens.review import PAGE, ReviewScreen
from assistant.ui.screens.review_rows import HIGHLIGHT
from assistant.ui.screens.transcript import TranscriptScreen
from assistant.ui.services import Services

NOW = datetime(2026, 11, 25, 17, 0, 0)
STAFF = [("u1", "李娜", "理财经理"), ("u2", "王强", "客户经理"), ("u9", "赵敏", "网点负责人")]
SEGMENTS = ("senior", "payroll", "merchant")
STEPS = ("probe", "recommend", "handle_objection", "close")
LINES = ("隔壁银行利息比你们高", "我再考虑考虑", "收益太低了", "我怕有风险")


def _session(rng: random.Random, i: int) -> tuple[dict, list[dict]]:
    """Session number `i` (newest last), one every ~5 hours back from NOW, with its events."""
    start = NOW - timedelta(hours=5 * (120 - i))
    mode = ("live", "live", "rehearse", "drill")[i % 4]
    sid = f"s-{i:03d}"
    live = mode == "live"
    outcome = ("成交", "未成交", "待跟进")[i % 3]
    record = {"id": sid, "mode": mode, "staff_id": STAFF[i % 2][0], "customer_id": f"c{i % 3}" if live else None,
              "persona_id": None, "scenario_id": None if live else "scen-rate", "segment": SEGMENTS[i % 3] if live else None,
              "started": start.isoformat(), "ended": (start + timedelta(minutes=20)).isoformat(), "outcome": outcome,
              "furthest_step": STEPS[i % 4], "score": None if live else 50 + rng.randint(0, 50),
              "topics": ["rate_low"] if i % 2 else ["think_it_over"], "cards_used": ["rate-low-other-bank"] if i % 2 else []}
    t = lambda k: (start + timedelta(minutes=k)).isoformat()  # noqa: E731
    line = LINES[i % 4] + ("，电话13812345678" if i == 117 else "")
    events = [
        {"session_id": sid, "seq": 0, "time": t(0), "speaker": "system", "text": "步骤：回应异议", "type": "step", "step": "handle_objection"},
        {"session_id": sid, "seq": 1, "time": t(1), "speaker": "customer", "text": line, "type": "line",
         "matches": [{"card_id": "rate-low-other-bank", "score": 88}, {"card_id": "think-it-over", "score": 41}]},
        {"session_id": sid, "seq": 2, "time": t(2), "speaker": "coach", "text": "王姐，我们算一笔账。", "type": "suggestion",
         "card_id": "rate-low-other-bank"},
        {"session_id": sid, "seq": 3, "time": t(3), "speaker": "staff", "text": "王姐，我们算一笔账，保证收益", "type": "use",
         "used_card": "rate-low-other-bank", "edited": True, "flags": ["promise-return"]},
        {"session_id": sid, "seq": 4, "time": t(4), "speaker": "coach", "text": "得分 80", "type": "score", "score": 80,
         "reasons": ["覆盖了要点", "少讲了风险提示"]},
    ]
    return record, events


def build_history() -> History:
    history = History(clock=lambda: NOW)
    for ident, name, role in STAFF:
        history.add_staff(name, role, id=ident)
    history.add_customers([{"id": f"c{i}", "name": name, "segment": SEGMENTS[i]}
                           for i, name in enumerate(("王阿姨", "陈工", "孙老板"))])
    rng = random.Random(7)
    made = [_session(rng, i) for i in range(120)]
    history.append_bulk([s for s, _ in made], [e for _, evs in made for e in evs])
    history.add_followup(session_id="s-117", rule_id="first-contact-24h", due="2026-11-20T10:00:00", status="done",
                         done_at="2026-11-20T09:00:00")
    history.add_followup(session_id="s-118", rule_id="result-72h", due="2026-11-22T10:00:00")
    history.upsert_drill(staff_id="u1", card_id="rate-low-other-bank", step="handle_objection", streak=2, due="2026-11-25")
    return history


def app_for(history: History, staff: str = "u9") -> CoachApp:
    """The app in review mode as `staff` (u9 is the 网点负责人, who sees the whole team)."""
    history.set_current_staff(staff)
    services = Services(make_library(), None, None, history, clock=lambda: NOW)
    return CoachApp(mode="review", build=lambda: services)


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def plain(static: Static) -> str:
    """What a panel shows, as plain text."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


def screen_of(pilot) -> ReviewScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


# ------------------------------------------------------------------ table, filters, sorting, paging


async def test_first_page_then_paging():
    history = build_history()
    async with app_for(history).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        assert screen.total == 120 and len(screen.rows) == PAGE and screen.shown_seq == screen.seq
        assert screen.rows[0]["id"] == "s-119"  # newest first
        assert screen.query_one("#sessions", DataTable).row_count == PAGE
        await pilot.press("pagedown", "pagedown")
        await settle(pilot)
        assert screen.page == 2 and len(screen.rows) == 20 and screen.rows[-1]["id"] == "s-000"
        await pilot.press("pagedown")  # no page 4
        await settle(pilot)
        assert screen.page == 2
        await pilot.press("pageup")
        await settle(pilot)
        assert screen.page == 1 and screen.rows[0]["id"] == "s-069"
        await pilot.press("down", "down", "enter")  # read the third session, then come back to it
        await settle(pilot)
        assert pilot.app.screen.session_id == "s-067"
        await pilot.press("escape")
        await settle(pilot)
        assert screen.query_one("#sessions", DataTable).cursor_row == 2 and screen.page == 1
        assert "第 2/3 页" in str(screen.query_one("#review-title", Static).render())


async def test_a_paint_before_the_table_measured_its_rows_does_not_leave_cut_columns(monkeypatch):
    """At 80x24 on first start the table showed 「12-0」 and 「待跟」 under headers cut alike: a
    paint between add_row and the DataTable's idle (where auto-width columns are measured) cached
    every line at the headers' widths, and the measuring changed nothing the line cache keys on."""
    page = ReviewScreen.on_review_screen_page

    def page_then_paint(self, message):
        page(self, message)
        table = self.query_one("#sessions", DataTable)
        self.set_focus(table)  # as on a real start, where the table has its focus by now
        table.render_lines(Region(0, 0, *table.size))  # what a paint before the table's idle draws

    monkeypatch.setattr(ReviewScreen, "on_review_screen_page", page_then_paint)
    history = build_history()
    async with app_for(history).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = screen_of(pilot).query_one("#sessions", DataTable)
        header, first = (table.render_line(y).text for y in (0, 1))
        assert header.split()[:6] == ["开始", "方式", "员工", "客户/场景", "结果", "到达"]
        row = screen_of(pilot).rows[0]
        assert first.startswith(f" {row['started'][5:16].replace('T', ' ')}  ")  # 11-25 12:00, not 11-2
        assert f" {outcome_label(row)} " in first


async def test_the_columns_follow_the_terminal_across_120_columns():
    history = build_history()
    async with app_for(history).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = screen_of(pilot).query_one("#sessions", DataTable)
        await pilot.press("down", "down")
        assert table.columns["customer_id"].width == 24
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        header = table.render_line(0).text
        assert table.columns["customer_id"].width == 10 and "客群" in header  # 得分 … 客群 on the screen
        assert table.row_count == PAGE and table.cursor_row == 2
        await pilot.resize_terminal(130, 30)
        await settle(pilot)
        assert table.columns["customer_id"].width == 24 and table.row_count == PAGE


async def test_sort_by_header_and_keys():
    history = build_history()
    async with app_for(history).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        screen.sort_by("score")
        await settle(pilot)
        scores = [r["score"] for r in screen.rows]
        assert screen.sort == "-score" and scores == sorted(scores, reverse=True)[: len(scores)]
        await pilot.press("r")
        await settle(pilot)
        scores = [r["score"] for r in screen.rows if r["score"] is not None]
        assert screen.sort == "score" and scores == sorted(scores)
        await pilot.click(DataTable, offset=(3, 0))  # the 开始 header
        await settle(pilot)
        assert screen.sort == "-started"
        await pilot.press("s")
        await settle(pilot)
        assert screen.sort == "mode"


async def test_filters_combine_from_keys_and_dialog():
    history = build_history()
    async with app_for(history).run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        await pilot.press("m")  # 实战 only
        await settle(pilot)
        assert screen.filter.mode == "live" and screen.total == 60
        await pilot.press("o")  # and 成交
        await settle(pilot)
        assert screen.total == 20 and all(r["mode"] == "live" and r["outcome"] == "成交" for r in screen.rows)
        assert "实战" in str(screen.query_one("#review-filter", Static).render())
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert screen.total == 120
        await pilot.press("f")
        await pilot.pause()
        dialog = pilot.app.screen
        dialog.query_one("#f-since", Input).value = "2026-11-10"
        dialog.query_one("#f-staff", Select).value = "u1"
        dialog.query_one("#f-mode", Select).value = "rehearse"
        dialog.query_one("#f-score-min", Input).value = "70"
        await pilot.press("ctrl+s")
        await settle(pilot)
        expected = [s for s in history.query_sessions(limit=None)[0]
                    if s["started"] >= "2026-11-10" and s["staff_id"] == "u1" and s["mode"] == "rehearse" and s["score"] >= 70]
        assert screen.total == len(expected) > 0
        assert {r["id"] for r in screen.rows} == {s["id"] for s in expected}


async def test_staff_start_on_their_own_sessions():
    history = build_history()
    async with app_for(history, staff="u2").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        assert screen.filter == SessionFilter(staff_id="u2") and screen.total == 60
        assert "王强" in str(screen.query_one("#review-filter", Static).render())
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert screen.total == 120


async def test_filter_dialog_names_a_bad_date():
    history = build_history()
    async with app_for(history).run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        dialog = pilot.app.screen
        dialog.query_one("#f-until", Input).value = "11月"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "「到」「11月」不是日期" in str(dialog.query_one("#filter-error").render())


# ------------------------------------------------------------------ search


async def test_search_as_you_type_highlights_and_opens_the_moment():
    history = build_history()
    async with app_for(history).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        await pilot.press("slash", *"利息")
        await settle(pilot)
        assert screen.has_class("-search-mode") and len(screen.hits) == 30
        prompt = screen.query_one("#hits", OptionList).get_option_at_index(0).prompt
        assert "隔壁银行利息比你们高" in prompt.plain
        assert lit_words(prompt) == ["利息"]
        await pilot.press("enter")  # from the search box: opens the first result
        await settle(pilot)
        transcript = pilot.app.screen
        assert isinstance(transcript, TranscriptScreen) and transcript.moment["seq"] == 1
        await pilot.press("escape")
        await pilot.press("escape")  # clears the search, back to the table
        await settle(pilot)
        assert not screen.has_class("-search-mode")


def lit_words(prompt) -> list[str]:
    """The words a results-list prompt (Rich Text or Textual Content) shows highlighted."""
    from textual.content import Content

    sample = Text("x")
    sample.stylize(HIGHLIGHT)
    wanted = {HIGHLIGHT, str(Content.from_rich_text(sample).spans[0].style)}
    return [prompt.plain[s.start:s.end] for s in prompt.spans if str(s.style) in wanted]


async def test_a_wrapped_search_hit_never_starts_a_line_with_closing_punctuation():
    """QA at 80x24: searching 利息, a wrapped hit line started with 「，」 (folded at the exact width)."""
    from textual.style import Style

    from assistant.core.textwrap_zh import NO_START

    history = build_history()
    long_line = "利息，" * 8 + "利息太低了，我再想想，回头再说。"
    sid = history.start_session(mode="live", staff_id="u1", customer_id="c0")
    history.log_event(sid, "customer", long_line, type="line")
    async with app_for(history).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        await pilot.press("slash", *"利息")
        await settle(pilot)
        hits = screen.query_one("#hits", OptionList)
        index = next(i for i, h in enumerate(screen.hits) if h.event.get("text") == long_line)
        visual = hits._get_visual(hits.get_option_at_index(index))
        for width in range(20, 61):
            lines = [strip.text for strip in visual.to_strips(hits, visual, width, None, Style())]
            assert len(lines) > 1 and not [t for t in lines if t[:1] in NO_START], width


async def test_pinyin_search_results_take_down_and_enter_from_the_search_box():
    """「lixi → 利息」: ↓ in the search box moves into the results, Enter opens the one highlighted."""
    history = build_history()
    async with app_for(history).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        await pilot.press("slash", *"lixi")
        await settle(pilot)
        assert screen.hits and pilot.app.focused is screen.query_one("#review-search", Input)
        await pilot.press("down")
        await settle(pilot)
        hits = screen.query_one("#hits", OptionList)
        assert pilot.app.focused is hits
        await pilot.press("down", "enter")
        await settle(pilot)
        transcript = pilot.app.screen
        assert isinstance(transcript, TranscriptScreen) and transcript.session_id == screen.hits[1].session["id"]


async def test_search_traditional_and_filtered():
    history = build_history()
    async with app_for(history).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        await pilot.press("m", "o")  # live and 成交: 10 of the 30 sessions that said line 0
        await settle(pilot)
        await pilot.press(*"銀行 利息")  # typing Chinese on the table starts a search
        await settle(pilot)
        assert len(screen.hits) == 10
        assert all(h.session["mode"] == "live" and h.session["outcome"] == "成交" for h in screen.hits)
        first = screen.hits[0]
        assert [first.event["text"][a:b] for a, b in first.spans] == ["银行利息"]


async def test_a_typo_finds_what_was_said_as_a_similar_line():
    history = build_history()
    async with app_for(history).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        await pilot.press("slash", *"受益太低")  # 收益太低了 was said, in the 30 rehearsals of line 2
        await settle(pilot)
        assert len(screen.hits) == 30 and all(h.fuzzy for h in screen.hits)
        assert "找到 0 句，另有 30 句说法相近" in str(screen.query_one("#search-bar", Static).render())
        prompt = screen.query_one("#hits", OptionList).get_option_at_index(0).prompt
        assert prompt.plain.startswith("≈ ") and "收益太低了" in prompt.plain


async def test_pinyin_typed_without_the_input_method_finds_the_chinese():
    history = build_history()
    async with app_for(history).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        await pilot.press("slash", *"yhlx")  # initials of 银行利息 (隔壁银行利息比你们高, a trigger)
        await settle(pilot)
        assert len(screen.hits) == 30 and not any(h.fuzzy for h in screen.hits)
        bar = str(screen.query_one("#search-bar", Static).render())
        assert "「yhlx → 银行利息」：找到 30 句" in bar
        prompt = screen.query_one("#hits", OptionList).get_option_at_index(0).prompt
        assert lit_words(prompt) == ["银行利息"]
        await pilot.press("enter")  # from the search box: opens the first result
        await settle(pilot)
        transcript = pilot.app.screen
        assert isinstance(transcript, TranscriptScreen) and transcript.words == ["银行利息"]


async def test_a_long_search_shows_progress_and_escape_cancels_it():
    history = build_history()
    release = threading.Event()

    def slow_search(text, progress=None, cancel=None):
        progress(1, 4)
        yield from history.events("s-119")[1:2]
        while not (cancel and cancel()):
            release.wait(0.01)

    history.search_events = slow_search
    async with app_for(history).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        await pilot.press("slash", "x")
        for _ in range(20):
            await pilot.pause(0.02)
            if screen.query_one("#search-progress").progress:
                break
        assert screen.has_class("-searching") and screen.query_one("#search-progress").progress == 25
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.has_class("-searching")
        assert "已取消搜索" in str(screen.query_one("#search-bar", Static).render())


# ------------------------------------------------------------------ transcript, comments


def bubble_texts(screen: TranscriptScreen) -> list[str]:
    return [str(b.render()) for b in screen.bubbles]


async def test_transcript_shows_the_conversation_as_it_happened():
    history = build_history()
    async with app_for(history).run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen_of(pilot).open_session("s-118")
        await settle(pilot)
        viewer = pilot.app.screen
        texts = bubble_texts(viewer)
        assert "步骤：回应异议" in texts[0]
        assert "建议：他行报价更高（匹配度88）；再考虑考虑（匹配度41）" in texts[1]
        assert "来自卡片「他行报价更高」" in texts[2]
        assert "用了「他行报价更高」（改过再用）" in texts[3] and "合规提醒：promise-return" in texts[3]
        assert "得分 80：覆盖了要点；少讲了风险提示" in texts[4]
        head = str(viewer.query_one("#transcript-head", Static).render())
        assert "演练" in head and "scen-rate" in head and "李娜" in head
        opened = []
        pilot.app.open_scenario = opened.append
        pilot.app.open_card = opened.append
        await pilot.press("r", "down", "enter")
        assert opened == ["scen-rate", "rate-low-other-bank"]


async def test_an_open_live_session_says_the_step_it_reached_in_the_transcript_as_in_the_table():
    history = build_history()
    sid = history.start_session("live", "u1", customer_id="c0", started="2026-11-25T16:00:00")
    history.log_event(sid, "customer", "收益太低了", step="handle_objection")
    async with app_for(history).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = screen_of(pilot).query_one("#sessions", DataTable)
        assert "回应异议" in str(table.get_row(sid)[5])
        screen_of(pilot).open_session(sid)
        await settle(pilot)
        head = str(pilot.app.screen.query_one("#transcript-head", Static).render())
        assert "结果：未结束 · 到达：回应异议" in head  # was 到达：— until the session ended


async def test_a_long_conversation_shows_every_line():
    history = build_history()
    long = history.start_session(mode="live", staff_id="u1", customer_id="c0", started="2026-11-25T09:00:00")
    for i in range(70):
        history.log_event(long, "customer" if i % 2 else "staff", f"第{i}句")
    async with app_for(history).run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen_of(pilot).open_session(long)
        await settle(pilot)
        assert len(pilot.app.screen.query("Bubble")) == 70
        await pilot.press("up")
        assert pilot.app.screen.moment["text"] == "第0句"


async def test_a_comment_is_stored_shown_to_the_staff_member_once_then_seen():
    history = build_history()
    async with app_for(history, staff="u9").run_test(size=(100, 40)) as pilot:  # 赵敏 reviews
        await settle(pilot)
        screen_of(pilot).open_session("s-116")  # 李娜's session
        await settle(pilot)
        await pilot.press("down", "down", "down", "c", *"先认同再解释", "enter")
        await settle(pilot)
        (flag,) = history.flags_for("s-116")
        assert (flag["seq"], flag["staff_id"], flag["comment"]) == (3, "u9", "先认同再解释")
        assert "赵敏 批注：先认同再解释" in bubble_texts(pilot.app.screen)[3]
    history.close()

    again = History(clock=lambda: NOW)
    async with app_for(again, staff="u1").run_test(size=(100, 40)) as pilot:  # 李娜 next time
        await settle(pilot)
        screen = screen_of(pilot)
        assert "●新" in str(screen.query_one("#sessions", DataTable).get_row("s-116")[7])
        screen.open_session("s-116")
        await settle(pilot)
        viewer = pilot.app.screen
        assert len(viewer.unseen) == 1 and viewer.moment["seq"] == 3
        assert any("新批注" in (n.title or "") for n in pilot.app._notifications)
        assert again.flags_for("s-116")[0]["seen_by"] == ["u9", "u1"]
        await pilot.press("escape")
        screen.open_session("s-116")
        await settle(pilot)
        assert pilot.app.screen.unseen == []


# ------------------------------------------------------------------ export, dashboard


async def test_export_writes_a_masked_file(tmp_path):
    history = build_history()
    target = tmp_path / "out" / "review.csv"
    async with app_for(history).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("m", "x")  # live sessions only
        await settle(pilot)
        dialog = pilot.app.screen
        assert any("CSV 表格（Excel 打开）" in line for line in screen_lines(pilot.app))  # not a bare csv
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert target.read_bytes().startswith("\ufeff".encode())  # the BOM lets zh-CN Excel read UTF-8
    text = target.read_text(encoding="utf-8-sig")
    assert text.startswith("会话编号,开始时间,方式,") and text.count("\n") == 1 + 60 * 5  # Excel shows Chinese headers
    assert "13812345678" not in text and "138****5678" in text and "王阿姨" not in text and "王**" in text
    assert target.stat().st_mode & 0o777 == 0o600


async def test_dashboard_shows_the_funnel_and_exports_a_view(tmp_path):
    history = build_history()
    async with app_for(history).run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m", "d")
        await settle(pilot)
        dash = pilot.app.screen
        assert isinstance(dash, DashboardScreen) and dash.numbers["sessions"] == 60
        funnel = dash.numbers["funnel"]["live"]
        assert [r["reached"] for r in funnel] == [60, 60, 30, 30, 30, 0, 0, 0]
        assert dash.numbers["cards"] is not None
        assert "实战 60" in plain(dash.query_one("#panel-funnel", Static))
        assert "他行报价更高" in plain(dash.query_one("#panel-cards", Static))
        await pilot.press("x")
        await pilot.pause()
        dialog = pilot.app.screen
        dialog.query_one("#export-view", Select).value = "funnel"
        dialog.query_one("#export-path", Input).value = str(tmp_path / "funnel.md")
        await pilot.press("ctrl+s")
        await pilot.pause()
    exported = (tmp_path / "funnel.md").read_text(encoding="utf-8")
    assert "| 步骤 | 实战到达 | 实战停在这步 |" in exported and "| 主动关怀 | 60 |" in exported  # not step, care


def test_dashboard_snapshot(snap_compare):
    """Dashboard at 100×40 over the hand-built history (120 sessions, fixed clock 2026-11-25):
    the title says 全部会话 and 120 个会话（实战 60，练习 60）; the funnel panel shows ①–⑧ with
    green (实战) and cyan (练习) bars: 实战 60 reach ①② and 30 reach ③–⑤, 练习 60 reach ①–⑥ and
    30 reach ⑦; the topics panel
    compares 本周至今 with 上周同期: 嫌收益低 7 vs 7 (=), 再考虑考虑 6 vs 7 (↓1); 按员工 shows
    李娜 and 王强 with eight-block funnel shapes and the step where most live chats stuck; the cards panel lists
    他行报价更高 as the card that wins. Panels below scroll."""
    history = build_history()

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(app_for(history), terminal_size=(100, 40), run_before=run_before)
