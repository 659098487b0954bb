"""Pilot tests of the app: each flow asserts on messages, state and what the history recorded.

Services are the fakes of tests/livefakes.py, so these tests do not depend on the real matcher or
history store (those have their own tests).
"""

from __future__ import annotations

import pytest
from livefakes import T0, FakeHistory, fake_services, say, settle

from assistant.ui.app import CoachApp
from assistant.ui.screens.home import HomeScreen
from assistant.ui.screens.identity import IdentityScreen
from assistant.ui.screens.live import LiveScreen
from assistant.ui.screens.live_dialogs import ComplianceScreen, EditReplyScreen, OutcomeScreen
from assistant.ui.widgets.chat import Bubble
from assistant.ui.widgets.chat_input import ChatInput
from assistant.ui.widgets.suggestion import SuggestionCard

def known_staff(history: FakeHistory | None = None) -> FakeHistory:
    """A history where 小李 already said who she is (no identity dialog)."""
    history = history or FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return history


def live_app(history: FakeHistory | None = None):
    services = fake_services(known_staff(history))
    return CoachApp(mode="live", build=lambda: services), services, []


# ------------------------------------------------------------------ identity and home


async def test_first_start_asks_who_and_remembers():
    services = fake_services()
    app = CoachApp(build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IdentityScreen)
        app.screen.query_one("#staff-name").value = "李敏"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    saved = services.history.current_staff()
    assert saved["name"] == "李敏" and saved["role"] == "理财经理" and app.staff == saved


async def test_first_start_takes_the_branch_name_and_templates_say_it_at_once():
    from assistant.core import config
    from assistant.ui.services import build_services

    services = build_services()
    app = CoachApp(build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IdentityScreen)
        assert app.screen.query_one("#branch-name").value == ""
        app.screen.query_one("#branch-name").value = "幸福里支行"
        app.screen.query_one("#staff-name").value = "李敏"
        app.screen.query_one("#staff-name").focus()
        await pilot.press("enter")
        await settle(pilot)
    assert config.load()["branch_name"] == "幸福里支行"
    assert services.renderer.render("我是{{ branch }}的", {}).text == "我是幸福里支行的"


async def test_identity_refuses_empty_name():
    app = CoachApp(build=fake_services)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, IdentityScreen)
        assert "请填写姓名" in str(app.screen.query_one("#identity-error").render())


async def test_home_agenda_lists_due_and_overdue_and_marks_done():
    history = known_staff()
    history.add_followup(title="王姐：24小时内首次回访", due=T0.replace(hour=8).isoformat(), status="open", card_id="think-it-over")
    history.add_followup(title="李叔：到期提醒", due=T0.replace(day=24).isoformat(), status="open")
    history.add_followup(title="下周的", due=T0.replace(day=30).isoformat(), status="open")
    services = fake_services(history)
    app = CoachApp(build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        home = app.screen
        assert [f["title"] for f in home.items] == ["李叔：到期提醒", "王姐：24小时内首次回访"]
        await pilot.press("d")
        await pilot.pause()
        assert history.followups[1]["status"] == "done"
        assert [f["title"] for f in home.items] == ["王姐：24小时内首次回访"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "live" and app.screen.shown[0].card_id == "think-it-over"


async def test_ways_in_switch_modes_and_placeholders_say_under_construction():
    services = fake_services(known_staff())
    app = CoachApp(build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert app.current_mode == "rehearse"
        await pilot.press("f1")
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)


# ------------------------------------------------------------------ live


async def test_customer_line_gives_suggestions_and_1_copies_and_logs_used():
    app, services, _ = live_app()
    seen = []
    async with app.run_test(message_hook=seen.append) as pilot:
        await settle(pilot)
        screen = app.screen
        screen._customer_picked({"id": "c1", "name": "王姐", "products": [{"name": "三年期定期", "amount": 200000}]})
        await say(pilot, "你们收益太低了")
        assert any(isinstance(m, LiveScreen.Matched) for m in seen)
        cards = screen.query(SuggestionCard)
        assert cards and cards.first().suggestion.card_id == "rate-low-other-bank"
        assert cards.first().suggestion.missing == ()
        await pilot.press("1", "enter")
        await pilot.pause()
        assert app.clipboard == cards.first().suggestion.reply
        assert screen.session.step == "handle_objection"  # the card's next step (recommend) is behind: stays
    used = [e for e in services.history.events if e.get("type") == "use"]
    assert used[0]["used_card"] == "rate-low-other-bank" and used[0]["edited"] is False


async def test_1_on_a_reply_with_blanks_opens_the_editor_on_the_first_blank_until_all_are_filled():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "你们收益太低了")
        reply = app.screen.shown[0].reply
        await pilot.press("1", "enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditReplyScreen)
        hint = str(editor.query_one("#edit-hint").render())
        assert "还有待填：客户称呼、金额" in hint and "ctrl+o 选客户" in hint  # nobody picked: say how
        area = editor.query_one("#edit-text")
        assert area.selected_text == "【客户称呼】" and reply.startswith("【客户称呼】")
        area.replace("王姐", *area.selection)  # typing over the selection
        await pilot.press("ctrl+s")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, EditReplyScreen) and again is not editor
        assert "还有没填的【金额】" in str(again.query_one("#edit-hint").render())
        assert again.query_one("#edit-text").selected_text == "【金额】"
        filled = again.query_one("#edit-text").text.replace("【金额】", "20万元")
        again.query_one("#edit-text").text = filled
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.clipboard == filled and filled.startswith("王姐")
    used = [e for e in services.history.events if e.get("type") == "use"]
    assert len(used) == 1 and used[0]["edited"] is True and used[0]["used_card"] == "rate-low-other-bank"


async def test_edit_before_use_is_logged_as_edited():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "我再考虑考虑")
        await pilot.press("e", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EditReplyScreen)
        app.screen.query_one("#edit-text").text = "好的，您主要担心哪一点？我帮您看看。"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.clipboard == "好的，您主要担心哪一点？我帮您看看。"
    used = [e for e in services.history.events if e.get("type") == "use"]
    assert used[0]["edited"] is True and used[0]["used_card"] == "think-it-over"


async def test_nothing_matched_says_so_and_offers_search():
    app, _, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "今天天气不错")
        note = app.screen.query_one(".no-match")
        assert "/card" in str(note.render()) and "ctrl+l" in str(note.render())
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.current_mode == "library"
        assert app.screen.query_one("#lib-search").value == "今天天气不错"
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert app.clipboard == ""


async def test_commands_step_var_help_and_unknown():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        await say(pilot, "/step 推荐产品")
        assert screen.session.step == "recommend"
        await say(pilot, "/next")
        assert screen.session.step == "handle_objection"
        await say(pilot, "/var 客户称呼=李阿姨")
        assert screen.session.variables["name"] == "李阿姨"
        await say(pilot, "收益太低了")
        assert screen.shown[0].reply.startswith("李阿姨")
        await say(pilot, "/help")
        from assistant.ui.screens.live_help import HelpScreen

        assert isinstance(app.screen, HelpScreen)  # its own dialog (tests/ui/test_live_leftovers.py)
        await pilot.press("escape")
        await pilot.pause()
        await say(pilot, "/foo")
        texts = [b.text for b in screen.query(Bubble)]
        assert any("没有 /foo" in t and "/end 成交|未成交|待跟进" in t for t in texts)
        await say(pilot, "/card 再考虑考虑")
        assert screen.shown[0].card_id == "think-it-over"
    assert any(e["type"] == "step" for e in services.history.events)


async def test_own_line_with_violation_warns_before_logging():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await say(pilot, "这个产品保本，稳赚")
        assert isinstance(app.screen, ComplianceScreen)
        assert "历史业绩不代表未来表现" in str(app.screen.query_one("#flags").render())
        assert not [e for e in services.history.events if e["speaker"] == "staff"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(ChatInput).value == "这个产品保本，稳赚"
        await say(pilot, "理财不保本，有风险")
    staff = [e for e in services.history.events if e["speaker"] == "staff"]
    assert staff[0]["text"] == "理财不保本，有风险" and staff[0]["flags"] == []


async def test_own_line_ticks_the_step_checklist():
    app, _, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "/me 王姐您好，最近身体怎么样？")
        assert all(item.done for item in app.screen.session.checklist())
        assert "☑" in str(app.screen.query_one("#checklist").render())


async def test_pick_customer_fills_panel_and_variables():
    history = FakeHistory()
    history.add_customer(name="王秀英", segment="senior", asset_tier="20-50万", products=[{"name": "稳享90天", "amount": 200000, "maturity": "2026-12-08"}], tags=["退休"])
    app, services, _ = live_app(history)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await pilot.press(*"wxy")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert screen.session.customer["name"] == "王秀英"
        panel = str(screen.query_one("#customer").render())
        assert "老年客户" in panel and "· 稳享90天 20万元，12月8日到期（还有13天）" in panel
        await say(pilot, "收益太低了")
        assert screen.shown[0].reply.startswith("王秀英")


async def test_end_with_outcome_creates_followups():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "我再考虑考虑")
        old = app.screen.session.session_id
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("3")
        await pilot.pause()
        texts = [b.text for b in app.screen.query(Bubble)]
        assert any("24小时内首次回访" in t and "11月26日" in t for t in texts)
        assert app.screen.session.session_id != old
    assert services.history.sessions[old]["outcome"] == "待跟进"
    assert [f["rule_id"] for f in services.history.followups] == ["first-contact-24h", "result-72h"]


async def test_a_bare_end_command_asks_for_the_outcome_as_ctrl_g_does():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "我再考虑考虑")
        old = app.screen.session.session_id
        await say(pilot, "/end")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("3")
        await settle(pilot)
    assert services.history.sessions[old]["outcome"] == "待跟进"


async def test_end_command_with_bad_outcome_explains():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "/end 成功")
        assert any("成交、未成交 或 待跟进" in b.text for b in app.screen.query(Bubble))
    assert all("outcome" not in s for s in services.history.sessions.values())


async def test_multiline_paste_is_one_customer_message_a_line_and_the_last_drives_the_cards():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        from textual import events

        app.screen.query_one(ChatInput).post_message(events.Paste("收益太低了\n我再考虑考虑\n"))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert [s.card_id for s in app.screen.shown] == ["think-it-over"]
    said = [e for e in services.history.events if e["speaker"] == "customer"]
    assert [e["text"] for e in said] == ["收益太低了", "我再考虑考虑"]
    assert said[0]["matches"][0]["card_id"] == "rate-low-other-bank"


async def paste(pilot, text: str) -> None:
    from textual import events

    pilot.app.screen.query_one(ChatInput).post_message(events.Paste(text))
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


async def test_a_pasted_wechat_stretch_logs_each_side_and_warns_about_another_customer():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        screen._customer_picked({"id": "c1", "name": "王阿姨"})
        await paste(pilot, "张阿姨 10:32\n我的定期下周到期了\n小李 10:33\n这个稳赚不赔\n张阿姨 10:35\n我再考虑考虑")
        said = [(e["speaker"], e["text"]) for e in services.history.events if e.get("type") == "line"]
        assert said == [("customer", "我的定期下周到期了"), ("staff", "这个稳赚不赔"), ("customer", "我再考虑考虑")]
        staff_line = next(e for e in services.history.events if e["text"] == "这个稳赚不赔")
        assert staff_line["flags"] == ["no-guarantee"]
        assert [s.card_id for s in screen.shown] == ["think-it-over"]
        shown = " ".join(str(b.render()) for b in screen.chat.bubbles())
        assert "10:32" in shown and "张阿姨 10:32" not in said[0][1]
        over_cards = str(screen.suggestions.notice.render())
        assert "这段聊天的客户是「张阿姨」，话术按「王阿姨」写的" in over_cards and "ctrl+y" in over_cards
        assert "聊天的客户是" not in shown  # said once, where the replies greeting 王阿姨 are
        await say(pilot, "/var 客户称呼=王姐")  # the cards are drawn again: still someone else's chat
        await settle(pilot)
        assert "这段聊天的客户是「张阿姨」" in str(screen.suggestions.notice.render())
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert screen.session.customer["name"] == "张阿姨" and screen.session.customer.get("id")
        assert not screen.suggestions.notice.display  # switched: nothing left to warn about
        assert any(c["name"] == "张阿姨" for c in services.history.customers)


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
async def test_live_lays_out_at_small_and_wide_sizes(size):
    from textual.widgets._footer import FooterKey

    app, _, _ = live_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.screen._customer_picked({"id": "c1", "name": "王姐", "products": [{"name": "三年期定期", "amount": 200000}]})
        await say(pilot, "你们收益太低了，我再考虑考虑，回去想想吧，利息太低")
        screen = app.screen
        side = screen.query_one("#side")
        if size[0] >= 100:  # wide: the side panel is there and takes room
            assert side.display and side.region.width > 0
        else:
            assert not side.display or side.region.width == 0
        box = screen.query_one(ChatInput).region
        assert box.height > 0 and box.bottom <= size[1] - 1
        # at least two cards show their title and the start of their reply
        cards = [c for c in screen.query(SuggestionCard) if c.display]
        assert len(cards) >= 2
        visible = screen.query_one("#suggestions").region
        assert all(c.region.height >= 2 and visible.contains_region(c.region._replace(height=2)) for c in cards[:2])
        # every key the footer shows fits on the line
        keys = [k for k in screen.query(FooterKey) if k.display]
        assert keys and all(k.region.right <= size[0] for k in keys)


# ------------------------------------------------------------------ library


async def test_library_search_as_you_type_and_preview():
    services = fake_services(known_staff())
    app = CoachApp(mode="library", build=lambda: services)
    seen = []
    async with app.run_test(message_hook=seen.append) as pilot:
        await settle(pilot)
        screen = app.screen
        listing = screen.query_one("#lib-list")
        assert listing.option_count >= len(services.library.cards)
        screen.query_one("#lib-search").focus()
        await pilot.press(*"利息太低")
        await settle(pilot)
        from assistant.ui.screens.library import LibraryScreen

        assert any(isinstance(m, LibraryScreen.Searched) for m in seen)
        assert listing.get_option_at_index(0).id == "rate-low-other-bank"
        preview = str(screen.query_one("#lib-preview").render())
        assert "他行报价更高" in preview and "王姐，您货比三家" in preview and "按示例值填写" in preview


async def test_library_filters_by_kind_and_step():
    services = fake_services(known_staff())
    app = CoachApp(mode="library", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#f-step").value = "recommend"
        await settle(pilot)
        listing = screen.query_one("#lib-list")
        assert [listing.get_option_at_index(i).id for i in range(listing.option_count)] == ["step-recommend"]


async def test_library_preview_uses_the_live_customer():
    history = known_staff()
    customer = history.add_customer(name="王秀英", segment="senior")
    services = fake_services(history)
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        app.screen._customer_picked(customer)
        await pilot.press("f5")
        await settle(pilot)
        app.screen.preview("think-it-over")
        assert "好的王秀英" in str(app.screen.query_one("#lib-preview").render())
        await pilot.press("ctrl+t")
        assert "好的王姐" in str(app.screen.query_one("#lib-preview").render())


async def test_load_problem_is_shown_once_naming_the_file():
    services = fake_services(known_staff())
    services.problems = ["branch/objection/broken.yaml:3: error: YAML 语法错误"]
    app = CoachApp(build=lambda: services)
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert sum("broken.yaml" in m for m in messages) == 1


async def test_two_unmatched_lines_in_a_row():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "今天天气不错")
        await say(pilot, "你们几点下班")
        await settle(pilot)
        assert len(app.screen.query(".no-match")) == 1


async def test_huge_paste_is_clipped_with_a_notice():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        from textual import events

        # the words a card matches come after the first 2000 characters: clipped, they are not read
        app.screen.query_one(ChatInput).post_message(events.Paste("很长的一段话" * 400 + "收益太低了。"))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        notice = app.screen.query_one("#suggestions .notice")
        assert notice.display and "只用前 2000 字" in str(notice.render())
        assert "rate-low-other-bank" not in [s.card_id for s in app.screen.shown]


async def test_command_palette_runs_the_same_actions():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"打开话术库", "切换身份", "下一步", "结束", "选客户"} <= set(commands)
        result = commands["下一步"].callback()
        if hasattr(result, "__await__"):
            await result
        await pilot.pause()
        assert app.screen.session.step == "probe"


async def test_switch_staff_from_f9_keeps_the_same_person_id():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        old = app.staff["id"]
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, IdentityScreen)
        app.screen.query_one("#staff-role").value = "大堂经理"
        await pilot.click("#identity-ok")
        await pilot.pause()
        assert app.staff["id"] == old and app.staff["role"] == "大堂经理"
        assert services.history.current_staff()["role"] == "大堂经理"


async def test_switching_to_a_colleague_by_name_is_that_colleague_with_their_role():
    """u → 赵敏 (the 网点负责人 already on this PC) made a second 赵敏 with the last user's role
    理财经理: her sessions and drills no longer counted as hers."""
    history = known_staff()
    head = history.add_staff(name="赵敏", role="网点负责人")
    app, services, _ = live_app(history)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await pilot.pause()
        app.screen.query_one("#staff-name").value = "赵敏"
        await pilot.pause()
        assert app.screen.query_one("#staff-role").value == "网点负责人"
        await pilot.click("#identity-ok")
        await pilot.pause()
        assert app.staff["id"] == head["id"] and app.staff["role"] == "网点负责人"
        assert [s["name"] for s in services.history.list_staff()].count("赵敏") == 1


def test_file_preview_lists_what_a_playbook_holds():
    from assistant.core.playbooks.loader import load_library
    from assistant.ui.screens.library import file_text

    lib = load_library()
    senior = next(ref.model for ref in lib.files.values() if ref.kind == "segment" and ref.model.segment == "senior")
    text = str(file_text(senior))
    assert "客群画像" in text and "推荐" in text
    followups = next(ref.model for ref in lib.files.values() if ref.kind == "followup")
    assert "24小时" in str(file_text(followups)) or "24" in str(file_text(followups))


async def test_digits_are_typed_when_there_is_nothing_to_pick():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press(*"1号到期")
        assert app.screen.query_one(ChatInput).value == "1号到期"
        await say(pilot, "今天天气不错")
        await pilot.press("1")
        assert app.screen.query_one(ChatInput).value == "1"


async def test_a_hand_typed_line_starting_with_a_card_key_is_the_customers_words():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "你们收益太低了")
        assert app.screen.shown
        await pilot.press(*"1年期的呢", "enter")
        await settle(pilot)
        assert app.clipboard == ""
        said = [e["text"] for e in services.history.events if e["speaker"] == "customer"]
        assert said[-1] == "1年期的呢"
        assert not [e for e in services.history.events if e.get("type") == "use"]
        await say(pilot, "我再考虑考虑")
        await pilot.press(*"ebay", "enter")  # starts with e: still words
        await settle(pilot)
        assert not isinstance(app.screen, EditReplyScreen)
        assert services.history.events[-1]["text"] == "ebay" or any(
            e["text"] == "ebay" for e in services.history.events)


async def test_an_acknowledgement_says_move_on_not_search():
    app, _, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "好的")
        note = str(app.screen.query_one(".no-match").render())
        assert "不是异议" in note and "ctrl+n" in note and "ctrl+l" not in note


async def test_the_collector_runs_once_an_answer_is_shown(monkeypatch):
    import assistant.ui.app as app_module

    app, _, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        runs: list[tuple[int, bool]] = []
        monkeypatch.setattr(app_module.gc, "collect", lambda generation=2: runs.append((generation, bool(app.screen.shown))))
        await say(pilot, "我再考虑考虑")
        await settle(pilot)
        assert runs == [(1, True)]  # the young generations, once the cards are there
        monkeypatch.setattr(app, "_last_full_collection", app._last_full_collection - app_module.FULL_GC_SECONDS)
        await say(pilot, "利息太低")
        await settle(pilot)
        assert runs[-1] == (2, True)  # a full pass when one is due


async def test_the_full_collection_timer_runs_without_upsetting_the_app(monkeypatch):
    import assistant.ui.app as app_module

    monkeypatch.setattr(app_module, "FULL_GC_SECONDS", 0.01)
    app, _, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        for _ in range(10_000):  # the timer's own ticks; each pause lets the loop run
            if app.full_collections >= 2 or app._exception:
                break
            await pilot.pause()
        assert app.full_collections >= 2
        await say(pilot, "我再考虑考虑")
        assert app.screen.shown


async def test_a_history_that_cannot_be_opened_says_which_file_and_how_to_recover():
    from assistant.core.errors import HistoryCorruptError
    from assistant.ui.screens.startup_error import StartupErrorScreen

    def broken():
        raise HistoryCorruptError("历史文件 /x/state.json 已损坏：不是完整的 JSON。请运行 `coach history repair`。")

    app = CoachApp(build=broken)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartupErrorScreen)
        shown = str(app.screen.query_one("#startup-error").render())
        assert "/x/state.json" in shown and "coach history repair" in shown and "HistoryCorruptError" not in shown
        await pilot.press("f2")  # no mode to go to: it would wait for services that will not come
        await pilot.pause()
        assert isinstance(app.screen, StartupErrorScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_an_unexpected_failure_at_start_is_a_message_not_a_traceback():
    from assistant.ui.screens.startup_error import StartupErrorScreen

    def buggy():
        raise KeyError("variables")

    app = CoachApp(build=buggy)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartupErrorScreen)
        shown = str(app.screen.query_one("#startup-error").render())
        assert "意外错误" in shown and "variables" in shown and app.is_running


async def test_a_key_past_the_last_card_warns_instead_of_typing():
    app, _, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await say(pilot, "你们收益太低了")
        assert len(app.screen.shown) == 1
        await pilot.press("3", "enter")
        await pilot.pause()
        assert app.screen.query_one(ChatInput).value == ""
        assert any("没有第3条话术" in n.message for n in app._notifications)


async def test_slash_commands_complete():
    app, _, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press(*"/st")
        await pilot.pause()
        await pilot.press("right")
        assert app.screen.query_one(ChatInput).value == "/step "
        await pilot.press(*"推")
        await pilot.press("right")
        assert app.screen.query_one(ChatInput).value == "/step 推荐产品"


def test_coach_subcommands_open_the_app_in_their_mode(monkeypatch):
    from assistant import cli

    opened = []
    monkeypatch.setattr("assistant.commands.tui.has_terminal", lambda: True)
    monkeypatch.setattr(CoachApp, "run", lambda self: opened.append(self.start_mode))
    for argv, mode in ([], "home"), (["live"], "live"), (["review"], "review"), (["library"], "library"):
        assert cli.main(argv) == 0
        assert opened[-1] == mode


def test_the_picker_names_the_product_that_matures_first():
    from assistant.ui.screens.customer_picker import _first_maturity

    products = [{"name": "大额存单", "maturity": "2027-03-01"}, {"name": "稳享90天", "maturity": "2026-12-08"},
                {"name": "活期"}, {"name": "坏数据", "maturity": "下个月"}]
    assert _first_maturity({"products": products}) == "稳享90天 12月8日到期"
    assert _first_maturity({"products": [{"name": "活期"}]}) == ""


async def test_two_lines_sent_before_the_first_is_matched_are_both_drawn_and_logged_in_order():
    app, services, _ = live_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        box = app.screen.query_one(ChatInput)
        box.value = "收益太低了"
        await pilot.press("enter")
        box.value = "我再考虑考虑"
        await pilot.press("enter")
        await settle(pilot)
        assert [s.card_id for s in app.screen.shown] == ["think-it-over"]
        bubbles = [str(b.render()) for b in app.screen.chat.bubbles()]
        assert "收益太低了" in bubbles[-2] and "我再考虑考虑" in bubbles[-1]
    said = [e["text"] for e in services.history.events if e["speaker"] == "customer"]
    assert said == ["收益太低了", "我再考虑考虑"]


@pytest.mark.parametrize("enter", ["enter", "ctrl+j"])  # an Enter typed before the terminal is raw is a line feed
async def test_a_paste_sent_while_loading_is_kept_with_its_breaks_and_sent_once_loaded(enter):
    from assistant.ui.widgets.chat_input import BREAK

    import threading

    loaded = threading.Event()

    built = []

    def slow_build():
        loaded.wait(10)  # the library is "still loading" until the test says so
        built.append(fake_services(known_staff()))
        return built[0]

    app = CoachApp(mode="live", build=slow_build)
    async with app.run_test() as pilot:
        await pilot.pause()
        box = app.screen.query_one(ChatInput)
        box.value = f"张阿姨 10:32{BREAK}利息太低了"
        await pilot.press(enter)
        await pilot.pause()
        assert app.screen.session is None and box.value == f"张阿姨 10:32{BREAK}利息太低了"
        loaded.set()
        await settle(pilot)
        assert box.value == ""
    said = [e["text"] for e in built[0].history.events if e["speaker"] == "customer"]
    assert said == ["利息太低了"]


async def test_a_line_entered_while_loading_waits_for_enter_when_the_first_start_asks_who_is_using_it():
    """The welcome dialog is on top once loaded: the line is not sent behind it (nor lost)."""
    import threading

    loaded = threading.Event()
    services = fake_services(FakeHistory())  # nobody signed in yet: the identity dialog opens

    app = CoachApp(mode="live", build=lambda: loaded.wait(10) and services)
    async with app.run_test() as pilot:
        await pilot.pause()
        live = app.screen
        live.query_one(ChatInput).value = "利息太低了"
        await pilot.press("enter")
        loaded.set()
        await settle(pilot)
        assert isinstance(app.screen, IdentityScreen)
        assert live.query_one(ChatInput).value == "利息太低了" and not live.enter_while_loading
    assert not [e for e in services.history.events if e.get("speaker") == "customer"]


async def test_the_live_screen_focuses_its_input_first_so_keys_typed_while_opening_are_kept():
    """In a real terminal keys typed as the app opens arrive before on_mount's focus() lands; they
    went to the first focusable widget (the cards) and were lost. Pilot only types once that focus
    has landed, so this checks the screen's first focus is the input itself."""
    app, _services, _ = live_app()
    async with app.run_test():
        screen = app.screen
        assert screen.query_one(screen.AUTO_FOCUS) is screen.query_one(ChatInput)
