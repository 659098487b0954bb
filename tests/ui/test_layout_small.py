"""The app at 80×24 (the smallest terminal we support): key hints whole, dialogs and headers that
fit, toasts that cut nothing and leave the input line free. Asserts on what is rendered."""

from __future__ import annotations

from livefakes import FakeHistory, fake_services, settle
from screen_text import region_lines, screen_lines

from assistant.ui.app import CoachApp
from assistant.ui.widgets.chat_input import ChatInput
from assistant.ui.widgets.footer import KeyFooter

SMALL = (80, 24)


class GroupsHistory(FakeHistory):
    """The fake history, with the group log 社群 reads (empty here) and this PC's origin (复盘)."""

    origin = "pc-1"

    def list_group_events(self, *args, **kwargs) -> list:
        return []

    def unseen_flags(self, *args, **kwargs) -> dict:
        return {}


def known_staff() -> FakeHistory:
    history = GroupsHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return history


def footer_keys(app) -> list[str]:
    """The key hints the footer shows, each as `key description`."""
    footer = app.screen.query_one(KeyFooter)
    return [f"{k.key_display} {k.description}".strip() for k in footer.children if not k.has_class("-command-palette")]


async def test_groups_footer_shows_every_hint_whole_at_80_columns():
    """Short labels where the full ones do not fit, so F1 首页 fits too."""
    app = CoachApp(mode="groups", build=lambda: fake_services(known_staff()))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        bottom = screen_lines(app)[-1]
        for hint in ("c 复制", "f 日程", "o 卡片", "l 记一笔", "i 导入", "r 体检", "f1 首页", "^q 退出", "^p 命令"):
            assert hint in bottom, (hint, bottom)


async def test_a_footer_too_narrow_for_its_keys_leaves_the_last_ones_out_whole():
    app = CoachApp(mode="groups", build=lambda: fake_services(known_staff()))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.resize_terminal(50, 24)
        await settle(pilot)
        shown = footer_keys(app)
        bottom = screen_lines(app)[-1]
        # most important first, then home and how to quit (always); the rest in ctrl+p
        assert shown == ["c 复制话术", "f 日程", "f1 首页", "^q 退出"]  # full labels back where room is left
        assert all(hint in bottom for hint in shown) and "^p 命令" in bottom and "o 看" not in bottom
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        assert "r 体检" in footer_keys(app)


async def test_every_mode_footer_fits_80_columns():
    """Every screen's footer says how to quit (a walk: 首页 hid ctrl+q, and staff did not know how to leave)."""
    app = CoachApp(build=lambda: fake_services(known_staff()))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for mode in ("home", "live", "review", "library", "groups", "drill", "rehearse"):
            app.switch_mode(mode)
            await settle(pilot)
            if mode == "rehearse":
                await pilot.press("escape")  # the scenario picker opens by itself
                await settle(pilot)
            bottom = screen_lines(app)[-1]
            assert "^p 命令" in bottom and "^q 退出" in bottom, (mode, bottom)
            assert all(hint in bottom for hint in footer_keys(app)), (mode, bottom)


async def test_a_toast_spans_whole_rows_above_the_input_line():
    from textual.widgets._toast import Toast

    app = CoachApp(mode="live", build=lambda: fake_services(known_staff()))
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        app.notify("已使用「定期利息和理财业绩比较基准怎么讲」，已复制（若终端不支持剪贴板，请手动选中复制）")
        await settle(pilot)
        toast = app.screen.query_one(Toast)
        box = app.screen.query_one(ChatInput)
        assert (toast.region.x, toast.region.width) == (0, SMALL[0])  # no edge inside a wide character
        assert toast.region.bottom <= box.region.y  # the line being typed stays visible
        text = "".join(line.strip(" ▌") for line in screen_lines(app)[toast.region.y:toast.region.bottom])
        assert "已复制（若终端不支持剪贴板，请手动选中复制）" in text


async def test_the_edit_dialog_title_and_hint_wrap_inside_the_dialog():
    from assistant.ui.screens.live_dialogs import EditReplyScreen

    app = CoachApp(mode="live", build=lambda: fake_services(known_staff()))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        hint = "还有待填：客户称呼、定期利率、金额、期限天数、推荐产品、业绩比较基准。改好再用（也可以先 /var 名称=值）。"
        app.push_screen(EditReplyScreen("定期利息和理财业绩比较基准怎么讲", "【客户称呼】，您好。", hint))
        await settle(pilot)
        dialog = app.screen.query_one("#edit-reply").content_region  # its text only, not the screen behind
        shown = "".join(line.strip() for line in region_lines(app, dialog))
        assert "（ctrl+s使用，esc取消）" in shown.replace(" ", "")
        assert "（也可以先/var名称=值）。" in shown.replace(" ", "")


async def test_help_lists_the_commands_in_aligned_columns():
    from rich.cells import cell_len

    app = CoachApp(mode="live", build=lambda: fake_services(known_staff()))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.screen.query_one(ChatInput).value = "/help"
        await pilot.press("enter")
        await settle(pilot)
        rows = screen_lines(app)
        starts = set()
        for usage, what in (("/customer", "选择或新建客户"), ("/end 成交|未成交|待跟进", "结束本次会话"), ("/help", "显示命令列表")):
            row = next(r for r in rows if usage in r and what in r)
            starts.add(cell_len(row[:row.index(what)]))
        assert len(starts) == 1  # every description starts in the same column


async def test_a_line_sent_while_loading_comes_back_with_the_cursor_at_its_end():
    import threading

    release = threading.Event()
    app = CoachApp(mode="live", build=lambda: release.wait(10) and fake_services(known_staff()))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        box = app.screen.query_one(ChatInput)
        box.value = "利息太低"
        await pilot.press("enter")
        await pilot.press(*"了")
        assert box.value == "利息太低了"
        release.set()
        await settle(pilot)


async def test_review_columns_up_to_segment_fit_80_columns_and_long_values_end_in_an_ellipsis():
    from textual.widgets import DataTable

    history = known_staff()
    me = history.current_staff()["id"]
    history.start_session(mode="live", staff_id=me, origin="pc-1", started="2026-11-24T10:00:00", outcome="待跟进",
                          furthest_step="summarize", segment="payroll", topics=["rate_low"])
    app = CoachApp(mode="review", build=lambda: fake_services(history))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        header, row = (line for line in region_lines(app, table.region)[:2])
        assert header.rstrip().endswith("批注  客群")  # 话题 starts past the edge (scroll right), not cut in it
        assert "问题总" in row and "…" in row and "待跟进" in row  # 问题总结与引导改善 says it goes on
