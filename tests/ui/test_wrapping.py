"""Chinese line breaking in the staff-facing text widgets: chat bubbles, suggestion cards and the
rehearsal feedback never start a line with "。，、）」…" nor end one with "（「“", re-wrap when the
terminal is resized, and a short bubble still shrinks to its text. ZhContent stays Textual's
Content everywhere else: Latin text wraps exactly as before, and selection offsets point into the
original text."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget

from assistant.core.live.session import Suggestion, Suggestions
from assistant.core.textwrap_zh import NO_END, NO_START, cjk_wrap
from assistant.ui.widgets.chat import Bubble, ChatLog
from assistant.ui.widgets.feedback import FeedbackPanel
from assistant.ui.widgets.suggestion import SuggestionCard, SuggestionList
from assistant.ui.widgets.zhtext import ZhContent

CSS = "../../assistant/ui/coach.tcss"
CUSTOMER = "是你啊，上回那个短信是你发的吧？挺有心的。利息太低了，别的银行都比你们高，我再考虑考虑吧。"
REPLY = ("王姐，您货比三家说明您对钱很上心。这笔20万元12月8日到期（还有13天），"
         "我们的「稳享90天」年化2.1%，比活期高不少——您看……要不要先了解一下？")


class ChatApp(App):
    CSS_PATH = CSS

    def compose(self):
        yield ChatLog(id="chat")


class PanelsApp(App):
    CSS_PATH = CSS

    def compose(self):
        yield SuggestionList(id="suggestions")
        yield FeedbackPanel(id="side")


def content_lines(widget: Widget) -> list[str]:
    """The widget's text as drawn, one string per row, without border and padding."""
    left = widget.styles.gutter.left
    strips = widget.render_lines(Region(0, 0, *widget.outer_size))
    top = widget.styles.gutter.top
    rows = strips[top : top + widget.size.height]
    return [strip.crop(left, left + widget.size.width).text.rstrip() for strip in rows]


def assert_kinsoku(lines: list[str], width: int) -> None:
    for i, line in enumerate(lines):
        assert cell_len(line) <= width, lines
        if i and line:
            assert line[0] not in NO_START, lines
        if line and i < len(lines) - 1:
            assert line[-1] not in NO_END, lines


def suggestion(reply: str) -> Suggestion:
    return Suggestion(card_id="c", title="他行报价更高", topic=None, topic_label="嫌收益低", score=100.0,
                      matched=("隔壁", "银行"), spans=(), reply=reply, follow_up="您这笔钱大概什么时候会用到？")


def test_textual_alone_would_start_a_line_with_punctuation() -> None:
    """Why this exists: Textual folds a CJK run at the exact width."""
    lines = [c.plain for c in Content(CUSTOMER).wrap(40)]
    assert any(line[0] in NO_START for line in lines[1:])
    assert not any(line.plain[0] in NO_START for line in ZhContent(CUSTOMER).wrap(40)[1:])


@pytest.mark.parametrize("columns", [60, 71, 80, 87, 100, 120])
async def test_bubbles_obey_the_rules_at_any_width(columns: int) -> None:
    app = ChatApp()
    async with app.run_test(size=(columns, 30)) as pilot:
        chat = app.query_one(ChatLog)
        bubbles = [chat.add("customer", CUSTOMER, "10:00"), chat.add("staff", REPLY, "10:01"),
                   chat.add("coach", REPLY)]
        await pilot.pause()
        for bubble in bubbles:
            lines = content_lines(bubble)
            assert_kinsoku(lines, bubble.size.width)
            text = bubble.text
            assert "".join(lines[1:]) == text  # header line, then every character once
            assert lines[1:] == cjk_wrap(text, bubble.size.width)


async def test_a_bubble_rewraps_when_the_terminal_is_resized() -> None:
    app = ChatApp()
    async with app.run_test(size=(71, 30)) as pilot:
        bubble = app.query_one(ChatLog).add("customer", CUSTOMER, "10:00")
        await pilot.pause()
        narrow = content_lines(bubble)
        assert_kinsoku(narrow, bubble.size.width)
        await pilot.resize_terminal(87, 30)
        await pilot.pause()
        wide = content_lines(bubble)
        assert cell_len(wide[1]) > cell_len(narrow[1])
        assert_kinsoku(wide, bubble.size.width)
        assert bubble.outer_size.height == len(wide)  # the height follows the new breaks


async def test_a_short_bubble_still_shrinks_to_its_text() -> None:
    app = ChatApp()
    async with app.run_test(size=(80, 30)) as pilot:
        bubble = app.query_one(ChatLog).add("staff", "好的。", "10:01")
        await pilot.pause()
        assert bubble.size.width == cell_len("我 10:01")
        assert content_lines(bubble) == ["我 10:01", "好的。"]


async def test_a_bubble_updated_with_rich_text_keeps_the_rules() -> None:
    """演练 marks my words in my bubble with `update(Text)` after scoring."""
    app = ChatApp()
    async with app.run_test(size=(71, 30)) as pilot:
        bubble = app.query_one(ChatLog).add("staff", "评分中…")
        marked = Text("我\n", style="dim").append(CUSTOMER)
        marked.stylize("bold green", 3, 8)
        bubble.update(marked)
        await pilot.pause()
        lines = content_lines(bubble)
        assert "".join(lines[1:]) == CUSTOMER
        assert_kinsoku(lines, bubble.size.width)


@pytest.mark.parametrize("columns", [80, 100])
async def test_suggestion_cards_and_feedback_obey_the_rules(columns: int) -> None:
    app = PanelsApp()
    async with app.run_test(size=(columns, 60)) as pilot:
        found = Suggestions(query=CUSTOMER, items=(suggestion(REPLY), suggestion(CUSTOMER + REPLY)))
        app.query_one(SuggestionList).show(found, "")
        app.query_one(FeedbackPanel).show_note(REPLY + "\n\n" + CUSTOMER)
        await pilot.pause()
        cards = [card for card in app.query(SuggestionCard) if card.display]
        assert len(cards) == 2
        for widget in [*cards, app.query_one("#fb-text")]:
            lines = content_lines(widget)
            assert_kinsoku(lines, widget.size.width)
        assert REPLY in "".join(content_lines(cards[0]))


@pytest.mark.parametrize("width", [5, 9, 17, 30, 80])
def test_latin_text_wraps_exactly_as_textual_content(width: int) -> None:
    """ZhContent copies Content's wrapping code with the breaker swapped: guard against drift."""
    text = "The quick brown fox\n\njumps over  the lazy dog; supercalifragilistic words  fold."
    spans = Content.from_markup(f"[b]{text[:9]}[/b]{text[9:]}").spans
    plain, zh = Content(text, list(spans)), ZhContent(text, list(spans))
    for align in ("left", "center", "right"):
        expected = [(c.plain, c.spans) for c in plain.wrap(width, align=align)]
        assert [(c.plain, c.spans) for c in zh.wrap(width, align=align)] == expected
    assert zh.get_height({}, width) == plain.get_height({}, width)
    assert zh.get_height({"line_pad": 1}, width + 2) == plain.get_height({"line_pad": 1}, width + 2)


def test_wrapped_lines_point_back_into_the_original_text() -> None:
    """Mouse selection reads (x, y) from each drawn line, so they must index the unwrapped text."""
    text = f"客户 10:00\n{CUSTOMER}"
    originals = text.split("\n")
    lines = ZhContent(text)._wrap_and_format(20)
    assert len(lines) > 3
    for line in lines:
        assert originals[line.y][line.x :].startswith(line.plain.rstrip())
    assert [line.line_end for line in lines].count(True) == 2


def test_height_is_measured_with_the_same_breaks() -> None:
    styled = ZhContent.of(Content.from_rich_text(Text(CUSTOMER, style="bold")))
    assert styled.spans and isinstance(styled.without_spans, ZhContent)
    for width in range(8, 60, 3):
        assert styled.get_height({}, width) == len(cjk_wrap(CUSTOMER, width))


class AreaApp(App):
    CSS_PATH = CSS

    def compose(self):
        from textual.widgets import TextArea

        from assistant.ui.widgets.zhtext import ZhTextArea

        yield ZhTextArea(REPLY + CUSTOMER, soft_wrap=True, id="zh")
        yield TextArea(REPLY + CUSTOMER, soft_wrap=True, id="plain")


@pytest.mark.parametrize("columns", [24, 27, 34, 37])
async def test_the_reply_being_edited_wraps_by_the_rules_and_stays_the_same_text(columns: int) -> None:
    """The edit dialog's TextArea: soft-wrapped sections obey the rules, other TextAreas keep
    Textual's breaks, and typing re-wraps the line the same way."""
    app = AreaApp()
    async with app.run_test(size=(columns, 40)) as pilot:
        await pilot.pause()
        zh, plain = app.query_one("#zh"), app.query_one("#plain")
        assert any(s[:1] in NO_START for s in plain.wrapped_document.get_sections(0)[1:])  # why
        zh.move_cursor((0, 10))
        zh.insert("，好的。")
        await pilot.pause()
        sections = zh.wrapped_document.get_sections(0)
        assert len(sections) > 3 and "".join(sections) == zh.text
        assert_kinsoku(sections, zh.wrap_width)
        assert any(s[:1] in NO_START for s in plain.wrapped_document.get_sections(0)[1:])


async def test_the_compliance_warning_wraps_by_the_rules() -> None:
    """Its quote and its reasons are long Chinese paragraphs in a narrow dialog: a full line of
    text followed by 「。」 must carry a character down with the 「。」."""
    from types import SimpleNamespace

    from assistant.ui.screens.live_dialogs import ComplianceScreen

    flag = SimpleNamespace(quote="保本", message=CUSTOMER, safer=REPLY)
    app = ChatApp()
    async with app.run_test(size=(80, 40)) as pilot:
        app.push_screen(ComplianceScreen(CUSTOMER, [flag]))
        await pilot.pause()
        for widget in (app.screen.query_one("#flags"), app.screen.query_one(".quote")):
            widget.update("测" * (widget.size.width // 2) + "。后面还有话")
            await pilot.pause()
            lines = content_lines(widget)
            assert len(lines) == 2 and lines[1].endswith("后面还有话")
            assert_kinsoku(lines, widget.size.width)
