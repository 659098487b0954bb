"""LiveSession and parse_command: pure, no Textual, fakes for the services (tests/livefakes.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from livefakes import T0, FakeHistory, FakeMatcher, FakeRenderer, clock, fake_check, fake_covered, make_library

from assistant.core.live.session import MAX_MATCH_CHARS, LiveSession, parse_command

CUSTOMER = {"id": "c1", "name": "王姐", "segment": "senior", "products": [{"name": "稳享90天", "amount": 200000}]}


@pytest.fixture
def session() -> LiveSession:
    lib = make_library()
    return LiveSession(lib, FakeMatcher(lib), FakeRenderer(lib), FakeHistory(), staff={"id": "u1", "name": "小李"},
                       customer=CUSTOMER, clock=clock(), check=fake_check, covered=fake_covered)


# ------------------------------------------------------------------ commands


@pytest.mark.parametrize("line, name, value", [
    ("收益太低了", "say", None),
    ("/me 您好王姐", "me", None),
    ("/step 推荐产品", "step", None),
    ("/next", "next", None),
    ("/var 他行报价=2.2", "var", ("他行报价", "2.2")),
    ("/end 待跟进", "end", "待跟进"),
    ("/end", "end", None),  # the outcome is asked in a dialog
    ("/help", "help", None),
    ("/card 利息", "card", None),
    ("/customer", "customer", None),
    ("/note 客户下午再联系", "note", None),
])
def test_parse_command(line, name, value):
    cmd = parse_command(line)
    assert (cmd.name, cmd.value) == (name, value)
    assert cmd.error is None


@pytest.mark.parametrize("line, words", [
    ("/foo", ["没有 /foo", "/step", "/end"]),
    ("/end 成功", ["成交", "未成交", "待跟进"]),
    ("/var 他行报价", ["/var 名称=值"]),
    ("/step", ["缺少"]),
])
def test_bad_commands_say_what_to_do(line, words):
    cmd = parse_command(line)
    assert cmd.name == "error"
    assert all(w in cmd.error for w in words)


def test_double_slash_is_a_plain_line():
    assert parse_command("//这不是命令") .arg == "/这不是命令"


# ------------------------------------------------------------------ suggestions


def test_customer_line_gives_rendered_suggestions(session):
    result = session.customer_said("你们收益太低了，隔壁银行利息比你们高")
    assert result and result.items[0].card_id == "rate-low-other-bank"
    top = result.items[0]
    assert top.reply.startswith("王姐，您货比三家")
    assert top.topic_label == "嫌收益低"
    assert top.follow_up == "您这笔钱大概什么时候会用到？"
    assert top.matched and top.spans
    event = next(e for e in session.history.events if e["speaker"] == "customer")
    assert event["matches"][0]["card_id"] == "rate-low-other-bank"


def test_matched_objection_moves_the_step_forward_not_back(session):
    session.customer_said("收益太低了")
    assert session.step == "handle_objection"
    session.set_step("care")
    session.customer_said("利息太低")
    assert session.step == "handle_objection"
    assert "rate_low" in session.topics


def test_a_card_search_has_no_tier_but_a_customer_line_keeps_it(session):
    class MaybeMatcher(FakeMatcher):
        def search(self, text, kind=None, top=3):
            return [SimpleNamespace(**vars(m), tier="maybe") for m in super().search(text, kind, top)]

    session.matcher = MaybeMatcher(session.library)
    found = session.search_cards("收益太低了")
    assert found.searched and found.items and {s.tier for s in found.items} == {"sure"}
    assert {s.tier for s in session.customer_said("收益太低了").items} == {"maybe"}


def test_nothing_above_cutoff_is_empty(session):
    result = session.customer_said("今天天气不错")
    assert not result and result.items == ()


@pytest.mark.parametrize("line, ack", [("好的", True), ("嗯嗯，谢谢", True), ("今天天气不错", False)])
def test_an_acknowledgement_is_told_apart_from_a_miss(session, line, ack):
    result = session.customer_said(line)
    assert result.items == () and result.acknowledgement is ack


def test_huge_paste_is_clipped_with_notice(session):
    result = session.customer_said("收益太低了" + "啊" * 10_000)
    assert len(result.query) == MAX_MATCH_CHARS
    assert "只用前" in result.notice


def test_no_customer_shows_placeholders():
    lib = make_library()
    s = LiveSession(lib, FakeMatcher(lib), FakeRenderer(lib), FakeHistory(), clock=clock(), check=fake_check,
                    covered=fake_covered)
    assert "【客户称呼】" in s.customer_said("收益太低了").items[0].reply


def test_var_by_label_or_key_fills_templates(session):
    assert session.set_var("客户称呼", "李阿姨") == "name"
    assert session.set_var("amount", "300000") == "amount"
    reply = session.customer_said("收益太低了").items[0].reply
    assert reply.startswith("李阿姨") and "300000" in reply
    with pytest.raises(ValueError, match="可用"):
        session.set_var("不存在", "1")


def test_var_refuses_what_cannot_be_used_and_keeps_dates_as_typed(session):
    with pytest.raises(ValueError, match="到期日「13月40日」不是日期"):
        session.set_var("到期日", "13月40日")
    with pytest.raises(ValueError, match="金额"):
        session.set_var("金额", "二十万")
    assert "maturity_date" not in session.overrides and "amount" not in session.overrides
    session.set_var("到期日", "12.10")
    assert session.overrides["maturity_date"] == "12.10"  # 12月10日, not the number 12.1


# ------------------------------------------------------------------ using and own lines


def test_use_logs_used_and_moves_forward_to_next_step(session):
    top = session.customer_said("我再考虑考虑").items[0]
    assert top.next_step == "close"
    session.use(top)
    event = session.history.events[-2]
    assert event["type"] == "use" and event["used_card"] == top.card_id and event["edited"] is False
    assert session.step == "close" and session.cards_used == [top.card_id]


def test_answering_an_objection_never_moves_the_tracker_back(session):
    top = session.customer_said("隔壁银行利息比你们高").items[0]
    assert session.step == "handle_objection" and top.next_step == "recommend"  # ⑥, card says ⑤
    session.use(top)
    assert session.step == "handle_objection" and session.furthest == "handle_objection"
    assert not any(e["type"] == "step" and "推荐" in e["text"] for e in session.history.events)
    session.set_step("推荐产品")  # staff may still go back by hand
    assert session.step == "recommend"


def test_edit_logs_edited_and_checks_compliance(session):
    top = session.customer_said("收益太低了").items[0]
    line = session.use(top, edited_text="这个产品保本，放心")
    use = next(e for e in session.history.events if e["type"] == "use")
    assert use["edited"] is True and use["flags"] == ["no-guarantee"]
    assert line.flags[0].safer


def test_staff_line_ticks_checklist_and_flags(session):
    assert [i.done for i in session.checklist()] == [False, False]
    line = session.staff_said("王姐您好，最近身体怎么样？")
    assert set(line.ticked) == {"greet", "care-need"}
    assert all(i.done for i in session.checklist())
    assert session.check_line("保本的") and not session.check_line("理财不保本，有风险")
    assert session.history.events[-1]["speaker"] == "staff"


def test_a_line_the_ui_already_checked_is_logged_with_those_flags_and_not_checked_again(session):
    flags = session.check_line("保本的")
    asked: list[str] = []
    session.check = lambda text, library: asked.append(text) or []
    line = session.staff_said("保本的", flags)
    assert asked == [] and line.flags == flags and session.history.events[-1]["flags"] == ["no-guarantee"]
    session.staff_said("放心吧")  # nothing passed: checked here
    assert asked == ["放心吧"]


def test_steps_by_label_number_and_next(session):
    assert session.set_step("推荐产品") == "recommend"
    assert session.set_step("7") == "close"
    assert session.next_step() == "nurture"
    assert session.next_step() == "nurture"
    with pytest.raises(ValueError, match="八步"):
        session.set_step("跳舞")
    assert session.furthest == "nurture"
    assert any(e["type"] == "step" for e in session.history.events)


# ------------------------------------------------------------------ end


def test_end_pending_creates_24h_and_72h_followups(session):
    session.customer_said("收益太低了")
    due = session.end("待跟进")
    assert [d.rule_id for d in due] == ["first-contact-24h", "result-72h"]
    start = T0.isoformat(timespec="minutes")
    assert due[0].due > start and due[0].due.startswith("2026-11-26T10:0")
    assert due[1].due.startswith("2026-11-28T10:0")
    record = session.history.sessions[session.session_id]
    assert record["outcome"] == "待跟进" and record["furthest_step"] == "handle_objection"
    assert len(session.history.followups) == 2


def test_end_deal_creates_no_followups(session):
    assert session.end("成交") == []
    with pytest.raises(ValueError):
        session.end("成功")


def _ended(history, outcome: str, at, customer=CUSTOMER, staff=None):
    lib = make_library()
    live = LiveSession(lib, FakeMatcher(lib), FakeRenderer(lib), history, staff=staff or {"id": "u1", "name": "小李"},
                       customer=customer, clock=clock(at), check=fake_check, covered=fake_covered)
    live.customer_said("收益太低了")
    live.end(outcome)
    return live


def test_a_deal_settles_the_customers_follow_ups_from_earlier_sessions_and_can_be_undone():
    from datetime import timedelta

    from assistant.core.history import History
    from assistant.core.live.closing import undo_resolved

    now = {"t": T0}
    history = History(clock=lambda: now["t"])
    first = _ended(history, "待跟进", T0)
    other = _ended(history, "待跟进", T0, customer={**CUSTOMER, "id": "c2", "name": "张叔"})
    reminder = history.add_followup(customer_id="c1", title="定期到期提醒", due="2026-11-26T09:00", rule_id="maturity")
    assert len(history.list_followups(status="open", customer_id="c1")) == 3
    now["t"] = T0 + timedelta(days=5)  # the 24h and 72h follow-ups are overdue by now
    deal = _ended(history, "成交", now["t"], staff={"id": "u1", "name": "李娜"})
    settled = {c.followup_id for c in deal.resolved}
    assert settled == {f["id"] for f in history.list_followups(customer_id="c1") if f["session_id"] == first.session_id}
    assert len(settled) == 2
    for ident in settled:
        record = history.get_followup(ident)
        assert record["status"] == "done"
        assert record["history"][-1]["note"].startswith("李娜：客户这次成交")
        assert record["history"][-1]["time"] == "2026-11-30T10:00:00"
    # a dated reminder and another customer's follow-ups stay open
    assert history.get_followup(reminder["id"])["status"] == "open"
    assert all(f["status"] == "open" for f in history.list_followups(customer_id="c2") if f["session_id"] == other.session_id)
    assert undo_resolved(history, deal.resolved) == 2
    assert all(history.get_followup(i)["status"] == "open" for i in settled)


def test_a_deal_leaves_a_colleagues_follow_ups_open_and_names_the_colleague():
    """Issue 16 item 7: only the owner (or a 网点负责人 acting explicitly as such) closes a follow-up;
    ending a session is not such an act, even for the 网点负责人."""
    from datetime import timedelta

    from assistant.core.history import History
    from assistant.core.live.closing import colleagues_note, colleagues_still_open

    now = {"t": T0}
    history = History(clock=lambda: now["t"])
    liu = history.add_staff("刘建华", "客户经理")
    li = history.add_staff("李娜", "理财经理")
    head = history.add_staff("赵敏", "网点负责人")
    first = _ended(history, "待跟进", T0, staff=liu)
    mine = _ended(history, "待跟进", T0, staff=li)
    now["t"] = T0 + timedelta(days=5)
    for ender in (li, head):
        deal = _ended(history, "成交", now["t"], staff=ender)
        assert all(history.get_followup(c.followup_id)["session_id"] == mine.session_id for c in deal.resolved)
    liu_open = [f for f in history.list_followups(customer_id="c1") if f["session_id"] == first.session_id]
    assert len(liu_open) == 2 and all(f["status"] == "open" for f in liu_open)
    assert colleagues_still_open(history, "c1", None, li, "成交", now["t"]) == ["刘建华"]
    assert colleagues_still_open(history, "c1", None, liu, "成交", now["t"]) == []
    assert colleagues_still_open(history, "c1", None, li, "待跟进", now["t"]) == []
    assert colleagues_note(["刘建华"]).startswith("刘建华 对这位客户的跟进仍未完成")
    from assistant.core.live.stored import StoredEnd, ended_note

    assert ended_note(StoredEnd("成交", colleagues=["刘建华"])) == "已结束并记录：成交。\n" + colleagues_note(["刘建华"])


def test_ending_a_stored_session_with_a_deal_returns_what_it_closed_and_says_so():
    from assistant.core.history import History
    from assistant.core.live.closing import undo_resolved
    from assistant.core.live.stored import end_stored_session, ended_note

    history = History(clock=lambda: T0)
    first = _ended(history, "待跟进", T0)
    left_open = _ended(history, "待跟进", T0)  # its own follow-ups, then reopened as if never ended
    history.update_session(left_open.session_id, ended=None, outcome=None)
    lib = make_library()
    services = type("S", (), dict(history=history, library=lib, matcher=FakeMatcher(lib), renderer=FakeRenderer(lib),
                                  clock=clock(T0), check=staticmethod(fake_check), covered=staticmethod(fake_covered)))
    record = history.session(left_open.session_id)
    end = end_stored_session(services, record, CUSTOMER, {"id": "u1", "name": "小李"}, "成交")
    assert end.outcome == "成交" and end.due == []
    earlier = {f["id"] for f in history.list_followups(customer_id="c1") if f["session_id"] == first.session_id}
    assert {c.followup_id for c in end.resolved} == earlier
    note = ended_note(end, "按 u 撤销")
    assert note == "已结束并记录：成交。\n之前的 2 个跟进已自动标为完成（按 u 撤销）：\n· 王姐：24小时内首次回访\n· 王姐：72小时内出结果"
    assert undo_resolved(history, end.resolved) == 2
    assert all(history.get_followup(i)["status"] == "open" for i in earlier)


def test_the_settled_note_says_how_to_undo_and_lists_each_follow_up():
    from assistant.core.followups import AgendaChange
    from assistant.core.live.closing import settled_note

    changes = [AgendaChange(str(i), title, "open", "done") for i, title in enumerate(["回访", "回访", ""])]
    assert settled_note(changes, "输入 /undo 撤销") == "之前的 3 个跟进已自动标为完成（输入 /undo 撤销）：\n· 回访\n· 回访\n· （无标题）"
    assert settled_note([]) == ""


def test_a_deal_leaves_the_after_sales_visit_of_an_earlier_deal_open():
    from assistant.core.history import History

    history = History(clock=lambda: T0)
    lib = make_library()
    lib.followup_rules.append(lib.followup_rules[0].model_copy(update={"id": "after-sale", "title": "售后回访",
                                                                       "outcomes": ["成交"]}))
    first = LiveSession(lib, FakeMatcher(lib), FakeRenderer(lib), history, staff={"id": "u1", "name": "小李"},
                        customer=CUSTOMER, clock=clock(T0), check=fake_check, covered=fake_covered)
    first.customer_said("收益太低了")
    first.end("成交")
    after_sale = history.list_followups(status="open", customer_id="c1")
    assert [f["title"] for f in after_sale] == ["王姐：售后回访"]
    again = _ended(history, "成交", T0)
    assert again.resolved == []
    assert history.get_followup(after_sale[0]["id"])["status"] == "open"


def test_the_settled_lines_list_each_closed_follow_up_and_count_the_rest():
    from assistant.core.followups import AgendaChange
    from assistant.core.live.closing import settled_lines

    changes = [AgendaChange(str(i), f"回访{i}", "open", "done") for i in range(7)]
    assert settled_lines(changes[:2]) == ["· 回访0", "· 回访1"]
    assert settled_lines(changes, limit=5)[-2:] == ["· 回访4", "……另有 2 个"]


@pytest.mark.parametrize("outcome", ["未成交", "待跟进"])
def test_an_outcome_that_settles_nothing_leaves_earlier_follow_ups_open(outcome):
    from assistant.core.history import History

    history = History(clock=lambda: T0)
    _ended(history, "待跟进", T0)
    later = _ended(history, outcome, T0)
    assert later.resolved == []
    assert all(f["status"] == "open" for f in history.list_followups(customer_id="c1"))


def test_an_old_chat_imported_later_does_not_settle_newer_follow_ups():
    from datetime import timedelta

    from assistant.core.history import History

    history = History(clock=lambda: T0 + timedelta(days=3))  # the follow-ups were written on day 3
    _ended(history, "待跟进", T0 + timedelta(days=3))
    old_chat = _ended(history, "成交", T0)  # a chat from day 0, imported afterwards
    assert old_chat.resolved == []


def test_long_line_matches_clause_by_clause(session):
    from assistant.core.language.phrasing import split_clauses

    assert split_clauses("你好，收益太低了！", offsets=True) == [(0, "你好"), (3, "收益太低了")]
    line = "我们家这钱是留着给孙子上学用的，说实话你们这个收益太低了"
    top = session.customer_said(line).items[0]
    assert top.card_id == "rate-low-other-bank"
    assert all(line[a:b] in "收益太低了" for a, b in top.spans)


def test_session_is_recorded_with_its_first_event_only():
    lib = make_library()
    history = FakeHistory()
    s = LiveSession(lib, FakeMatcher(lib), FakeRenderer(lib), history, clock=clock(), check=fake_check, covered=fake_covered)
    s.set_customer(CUSTOMER)
    assert history.sessions == {} and s.session_id is None
    s.customer_said("收益太低了")
    assert history.sessions[s.session_id]["customer_id"] == "c1"


# ------------------------------------------------------------------ negation-aware checklist


@pytest.fixture
def real_coverage() -> LiveSession:
    """A session with the real (negation-aware) coverage check instead of the fake."""
    lib = make_library()
    return LiveSession(lib, FakeMatcher(lib), FakeRenderer(lib), FakeHistory(), customer=CUSTOMER,
                       clock=clock(), check=fake_check)


def test_a_key_word_waved_away_ticks_nothing(real_coverage):
    real_coverage.set_step("推荐产品")
    assert real_coverage.staff_said("风险就不用考虑了，放心买").ticked == ()
    assert real_coverage.staff_said("不用考虑风险，这个很稳").ticked == ()
    assert [i.done for i in real_coverage.checklist()] == [False]
    assert real_coverage.staff_said("这款产品有风险，净值会波动").ticked == ("risk",)
    assert real_coverage.checklist()[0].quote == "风险"


@pytest.mark.parametrize("line, ticks", [
    ("有什么好商量的，您签字吧", False),
    ("这没什么好商量的", False),
    ("您跟家里人商量一下再定", True),
    ("要不要回去商量商量？", True),
])
def test_a_refused_discussion_does_not_tick_discuss(real_coverage, monkeypatch, line, ticks):
    from assistant.core.playbooks.models import KeyPoint

    point = KeyPoint(id="discuss", label="留出商量的余地", evidence=["商量"])
    monkeypatch.setattr(real_coverage, "key_points", lambda step=None: [point])
    assert real_coverage.staff_said(line).ticked == (("discuss",) if ticks else ())


def test_switching_customer_mid_session_updates_the_record(session):
    session.customer_said("收益太低了")
    sid = session.session_id
    other = {"id": "c9", "name": "张阿姨", "segment": "senior"}
    session.set_customer(other)
    assert session.history.session(sid)["customer_id"] == "c9"
    session.end("待跟进")
    assert session.history.session(sid)["customer_id"] == "c9"
    assert all(f.get("customer_id") in (None, "c9") for f in session.history.followups)


def test_a_long_line_keeps_the_learned_opinions_guess_in_last_place():
    """Live merges each clause's cards with the whole line's by score; the learned topic opinion's
    guess (its lexical score is low) keeps the whole line's last place instead of falling out."""
    from assistant.core.language.matcher import Match
    from assistant.core.playbooks.loader import load_library
    from assistant.core.playbooks.render import Renderer
    from assistant.paths import BUILTIN_PLAYBOOKS

    lib = load_library([BUILTIN_PLAYBOOKS])
    a, b, c, guess = [ref.id for ref in lib.matchable_cards() if ref.kind == "objection"][:4]
    line = "利息太低了，而且我现在在开会，回头再说吧"

    def match(card_id, score, learned=False):
        return Match(card_id, "objection", None, card_id, score, "", (), "maybe", (), learned)

    class ClauseMatcher:
        cutoff = 32.0
        guessed = True

        def search(self, text, kind=None, top=3):
            if text == line:
                return [match(a, 60.0), match(guess, 20.0, learned=self.guessed)]
            return [match(b, 70.0), match(c, 65.0)]

    live = LiveSession(lib, ClauseMatcher(), Renderer(lib), FakeHistory(), customer=CUSTOMER, clock=clock())
    assert [s.card_id for s in live.suggest(line).items] == [b, c, guess]
    ClauseMatcher.guessed = False  # the same card found by its words is ranked by its score
    assert [s.card_id for s in live.suggest(line).items] == [b, c, a]
