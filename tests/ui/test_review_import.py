"""复盘 on the real services: paste a WeChat chat to import it (marked 导入, once), and end a live
session that was left open."""

from __future__ import annotations

from livefakes import settle
from textual.widgets import DataTable, Input, Select, TextArea

from assistant.ui.app import CoachApp
from assistant.ui.screens.import_chat import ImportChatScreen
from assistant.ui.screens.live_dialogs import OutcomeScreen
from assistant.ui.services import build_services

CHAT = "王阿姨 2026/12/3 19:02:11\n隔壁银行利息比你们高\n李娜 2026/12/3 19:03:40\n阿姨，我们算一笔账\n"


def setup(customer: bool = True):
    services = build_services()
    history = services.history
    staff = history.add_staff(name="李娜", role="理财经理")
    history.set_current_staff(staff["id"])
    return services, staff, history.add_customer(name="王阿姨", segment="senior") if customer else None


async def past_the_resume_offer(pilot) -> None:
    """复盘 ready; the start-up offer to resume the open session answered: not now."""
    await settle(pilot)
    if pilot.app.screen.__class__.__name__ == "ResumeScreen":
        await pilot.press("escape")
        await settle(pilot)


async def open_dialog(pilot, chat: str) -> ImportChatScreen:
    """Press i on 复盘 and paste `chat` into the import dialog."""
    await settle(pilot)
    await pilot.press("i")
    await pilot.pause()
    dialog = pilot.app.screen
    dialog.query_one(TextArea).text = chat
    await pilot.pause()
    return dialog


def table_text(app) -> str:
    table = app.screen.query_one("#sessions", DataTable)
    return " ".join(str(cell) for row in range(table.row_count) for cell in table.get_row_at(row))


async def test_a_pasted_chat_is_imported_once_and_marked():
    services, _, customer = setup()
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(2):
            await pilot.press("i")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ImportChatScreen)
            dialog.query_one(TextArea).text = CHAT
            dialog.query_one("#import-customer", Select).value = customer["id"]
            dialog.query_one("#import-outcome", Select).value = "待跟进"
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert "实战·导入" in table_text(app) and "王阿姨" in table_text(app)
        messages = [n.message for n in app._notifications]
        assert any("已导入和王阿姨的聊天" in m for m in messages) and any("已经导入过" in m for m in messages)
    sessions = list(services.history.iter_sessions())
    assert len(sessions) == 1 and sessions[0]["source"] == "import" and sessions[0]["outcome"] == "待跟进"


async def test_a_chat_with_another_customer_imported_for_the_wrong_one_says_so():
    services, _, customer = setup()
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, CHAT.replace("王阿姨", "刘叔"))
        dialog.query_one("#import-customer", Select).value = customer["id"]
        dialog.query_one("#import-outcome", Select).value = "待跟进"
        await pilot.press("ctrl+s")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
    assert any("聊天里的客户是「刘叔」，不是「王阿姨」" in m for m in messages)


async def test_an_imported_lines_compliance_flags_read_as_rule_titles_in_the_transcript():
    from screen_text import screen_lines

    from assistant.core.live.importer import import_chat
    from assistant.ui.screens.review_rows import Names
    from assistant.ui.screens.transcript import TranscriptScreen

    services, staff, customer = setup()
    chat = CHAT.replace("阿姨，我们算一笔账", "这款理财保本保收益，您放心")
    result = import_chat(chat, services=services, staff=staff, customer=customer, outcome="待跟进")
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(TranscriptScreen(result.session_id, Names.load(services.history, services.library)))
        await settle(pilot)
        text = "\n".join(screen_lines(app))
    assert "⚠ 合规提醒：" in text and "承诺保本" in text and "promise-principal" not in text


async def test_the_import_dialog_says_what_is_missing():
    services, _, _ = setup()
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "先把聊天记录粘贴" in str(app.screen.query_one("#import-error").render())
        app.screen.query_one(TextArea).text = CHAT  # the complaint goes once a chat is pasted
        await settle(pilot)
        assert str(app.screen.query_one("#import-error").render()) == ""


async def test_a_session_left_open_is_ended_from_review():
    services, staff, customer = setup()
    history = services.history
    sid = history.start_session(mode="live", staff_id=staff["id"], customer_id=customer["id"])
    history.log_event(sid, "customer", "我再考虑考虑", type="line", step="handle_objection")
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        await past_the_resume_offer(pilot)
        assert "未结束" in table_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("2")
        await settle(pilot)
        assert "未成交" in table_text(app)
    assert history.session(sid)["outcome"] == "未成交" and history.session(sid)["ended"]


async def test_a_blank_outcome_imports_and_the_customer_is_read_from_the_chat():
    services, _, _ = setup()
    grandma = services.history.add_customer(name="张奶奶", segment="senior")
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, "张奶奶 10:32\n我的定期下周到期了\n李娜 10:33\n奶奶好，我帮您看看\n")
        assert dialog.query_one("#import-customer", Select).value == grandma["id"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("已导入和张奶奶的聊天" in m for m in messages), messages
        assert not any("Select" in m for m in messages)
    sessions = list(services.history.iter_sessions())
    assert len(sessions) == 1 and sessions[0]["customer_id"] == grandma["id"] and not sessions[0].get("outcome")


async def test_two_customers_of_the_chats_name_are_asked_about_not_a_third_created():
    """Two 王阿姨 on file: the dialog filled 或新建客户 with 王阿姨, and ctrl+s made a third."""
    services, _, _ = setup()
    services.history.add_customer(name="王阿姨", segment="senior")
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, CHAT)
        assert dialog.query_one("#import-new-customer", Input).value == ""
        assert "有 2 位客户叫「王阿姨」" in str(dialog.query_one("#import-error").render())


async def test_the_import_dialog_asks_for_the_customer():
    services, _, _ = setup()
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "谁啊 10:32\n你好\n"
        await pilot.pause()
        app.screen.query_one("#import-new-customer", Input).value = ""  # neither picked nor named
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ImportChatScreen)
        assert "请选这段聊天的客户" in str(app.screen.query_one("#import-error").render())


async def test_a_failed_import_keeps_the_pasted_text(monkeypatch):
    from assistant.core.errors import InputError
    import assistant.core.live.importer as importer

    def fail(*args, **kwargs):
        raise InputError("这段聊天里没有读到消息。")

    monkeypatch.setattr(importer, "import_chat", fail)
    services, _, customer = setup()
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(TextArea).text = CHAT
        app.screen.query_one("#import-customer", Select).value = customer["id"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ImportChatScreen)
        assert app.screen.query_one(TextArea).text == CHAT.strip()
        assert "没有读到消息" in str(app.screen.query_one("#import-error").render())


async def test_a_chat_on_a_fresh_install_creates_its_customer_from_the_dialog():
    """QA (issue 16): with no customers the picker was empty and the import could not be done. The
    chat's customer sender name is offered as a new customer (editable) and the import makes them."""
    services, _, _ = setup(customer=False)
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, CHAT)
        box = dialog.query_one("#import-new-customer", Input)
        assert box.value == "王阿姨"  # from the chat's customer lines
        assert dialog.query_one("#import-save").region.bottom <= 24  # still fits 80x24 whole
        box.value = "王阿姨（老客户）"  # staff may correct it
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "王阿姨（老客户）" in table_text(app)
    customers = services.history.list_customers()
    assert [c["name"] for c in customers] == ["王阿姨（老客户）"]
    sessions = list(services.history.iter_sessions())
    assert len(sessions) == 1 and sessions[0]["customer_id"] == customers[0]["id"]


async def test_ending_from_review_the_session_open_in_live_clears_live_for_the_next_customer():
    from livefakes import say

    services, _, customer = setup()
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        live = app.screen
        live._customer_picked(customer)
        await say(pilot, "我再考虑考虑")
        sid = live.session.session_id
        await app.switch_mode("review")
        await settle(pilot)
        assert "未结束" in table_text(app)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("2")
        await settle(pilot)
        assert "未成交" in table_text(app)
        # Live does not carry on logging into the ended session: it starts afresh
        assert live.session.session_id is None and live.session.customer is None
        assert "本次结束：未成交" in str(live.chat.bubbles()[0].render())
    assert services.history.session(sid)["outcome"] == "未成交"


async def test_e_is_in_the_footer_exactly_when_the_highlighted_session_can_be_ended():
    from textual.widgets._footer import FooterKey

    services, staff, customer = setup()
    history = services.history
    done = history.start_session(mode="live", staff_id=staff["id"], customer_id=customer["id"], started="2026-12-01T09:00:00")
    history.end_session(done, ended="2026-12-01T09:30:00", outcome="成交")
    sid = history.start_session(mode="live", staff_id=staff["id"], customer_id=customer["id"], started="2026-12-02T09:00:00")
    history.log_event(sid, "customer", "我再考虑考虑", type="line", step="handle_objection")

    def footer(app) -> str:
        return " ".join(f"{k.key_display} {k.description}" for k in app.screen.query(FooterKey) if k.display)

    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(80, 24)) as pilot:
        await past_the_resume_offer(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        table.focus()
        assert app.screen.rows[table.cursor_row]["id"] == sid  # newest first: the open one
        await pilot.pause()
        assert "e 结束" in footer(app) and "改结果" not in footer(app)
        await pilot.press("down")
        await pilot.pause()
        assert "e 结束" not in footer(app) and "改结果" not in footer(app)  # ended, and I am not the 网点负责人


async def test_the_transcript_shows_my_note_as_a_note_and_a_pasted_line_at_the_chats_time():
    from assistant.ui.screens.transcript import TranscriptScreen

    services, staff, customer = setup()
    history = services.history
    sid = history.start_session(mode="live", staff_id=staff["id"], customer_id=customer["id"], started="2026-12-06T15:00:00")
    history.log_event(sid, "customer", "利息太低了", time="2026-12-06T15:00:00", said="2026-12-06T09:02:00")
    history.log_event(sid, "staff", "客户下午再联系", type="note", time="2026-12-06T15:01:00")
    history.end_session(sid, ended="2026-12-06T15:02:00", outcome="待跟进")
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(80, 24)) as pilot:
        await past_the_resume_offer(pilot)
        app.screen.open_session(sid)
        await settle(pilot)
        viewer = app.screen
        assert isinstance(viewer, TranscriptScreen)
        texts = [str(b.render()) for b in viewer.bubbles]
        speakers = [b.speaker for b in viewer.bubbles]
    assert texts[0].startswith("客户 09:02")
    assert speakers[1] == "system" and texts[1] == "备注：客户下午再联系"


async def test_an_open_session_shows_the_step_it_reached_and_still_says_it_is_open():
    services, staff, customer = setup()
    history = services.history
    sid = history.start_session(mode="live", staff_id=staff["id"], customer_id=customer["id"])
    history.log_event(sid, "customer", "利息太低了", type="line", step="handle_objection")
    history.log_event(sid, "system", "步骤：探需求", type="step", step="probe")  # then a step back
    app = CoachApp(mode="review", build=lambda: services)
    async with app.run_test(size=(80, 24)) as pilot:
        await past_the_resume_offer(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        cells = dict(zip([c.key.value for c in table.ordered_columns], table.get_row(sid)))
        assert str(cells["outcome"]) == "未结束"
        assert str(cells["furthest_step"]) == app.screen.names.step("handle_objection") != "—"
