"""textwrap_zh: Chinese line breaking (禁则) — no line starts with closing punctuation, none ends
with an opening bracket, Latin words stay whole, every line fits its width."""

from __future__ import annotations

import pytest
from rich._wrap import divide_line
from rich.cells import cell_len

from assistant.core.textwrap_zh import NO_END, NO_START, break_offsets, cjk_wrap

LINE = "利息太低了，别的银行都比你们高，我再考虑考虑吧。"


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # the reported case: a lone "。" on the last line; the 的 before it comes down with it
        ("是你啊，上回那个短信是你发的吧？挺有心的。谢谢您", 38, ["是你啊，上回那个短信是你发的吧？挺有心", "的。谢谢您"]),
        # ... and a last line of just 的。 takes one more character (no 孤字 on the last line)
        ("是你啊，上回那个短信是你发的吧？挺有心的。", 40, ["是你啊，上回那个短信是你发的吧？挺有", "心的。"]),
        # a comma at a break joins the line before
        (LINE, 10, ["利息太低", "了，别的银", "行都比你们", "高，我再考", "虑考虑吧。"]),
        (LINE, 12, ["利息太低了，", "别的银行都比", "你们高，我再", "考虑考虑吧。"]),
        (LINE, 20, ["利息太低了，别的银行", "都比你们高，我再考虑", "考虑吧。"]),
        # 、 and ； too
        ("存款、理财、保险；基金", 7, ["存款、", "理财、", "保险；", "基金"]),
        # an opening bracket moves down with what follows; a closing one stays up
        ("客户参加开卡活动「谢谢您」", 16, ["客户参加开卡活动", "「谢谢您」"]),
        ("有事随时找（不是推销）", 12, ["有事随时找", "（不是推销）"]),
        ("有事随时找（不是推销）好", 20, ["有事随时找（不是推", "销）好"]),
        # closing marks in a row stay together: 」 and ， and 。
        ("他说「好的」，我们走。", 10, ["他说「好", "的」，我", "们走。"]),
        ("您说“商量”，不算数", 10, ["您说“商", "量”，不", "算数"]),
        # an ellipsis or dash is never split and never starts a line
        ("考虑考虑……再说吧", 9, ["考虑考", "虑……再", "说吧"]),
        ("利率——不高", 7, ["利率——", "不高"]),
        # half-width closing punctuation after Chinese behaves the same
        ("您好,欢迎光临!", 6, ["您好,", "欢迎", "光临!"]),
        # Latin words and numbers stay whole and break at spaces; Chinese fills the line
        ("您的 200000 元存款到期", 12, ["您的 200000", "元存款到期"]),
        ("按 ctrl+l 带着这句话去话术库改关键词搜", 24, ["按 ctrl+l 带着这句话去话", "术库改关键词搜"]),
        ("年化3.5%，比活期高", 8, ["年化", "3.5%，比", "活期高"]),
        # a ✓/✗ mark stays with the text it leads
        ("要点✓讲清风险", 5, ["要点", "✓讲清", "风险"]),
        # existing newlines are kept, blank lines too
        ("第一行\n\n第二行", 20, ["第一行", "", "第二行"]),
        # spaces at a break are dropped; leading indentation is kept
        ("hello world foo bar baz", 9, ["hello", "world foo", "bar baz"]),
        ("  可以这样说：您好", 10, ["  可以这样", "说：您好"]),
        # a Latin word wider than the line is folded at the cell width
        ("见 https://example.com/long", 10, ["见", "https://ex", "ample.com/", "long"]),
        # fits: untouched
        ("短句。", 80, ["短句。"]),
        ("", 10, [""]),
    ],
)
def test_cjk_wrap(text: str, width: int, expected: list[str]) -> None:
    assert cjk_wrap(text, width) == expected


@pytest.mark.parametrize("width", range(6, 41))
def test_every_line_fits_and_obeys_the_rules(width: int) -> None:
    """From 6 cells up, the widest glued run here (天）。) fits on a line of its own."""
    text = (
        "王姐，您货比三家说明您对钱很上心。20万元，12月8日到期（还有13天）。"
        "我们的「稳享90天」年化2.1%，比活期高——您看……要不要先了解一下？"
        "「没什么好商量的」是在否定“商量”，不算数！"
    )
    lines = cjk_wrap(text, width)
    assert "".join(lines) == text  # no space in this text, so nothing is dropped
    for i, line in enumerate(lines):
        assert cell_len(line) <= width
        assert line, "no empty line"
        if i:
            assert line[0] not in NO_START, (width, lines)
        if i < len(lines) - 1:
            assert line[-1] not in NO_END, (width, lines)


@pytest.mark.parametrize(
    "text",
    ["The quick brown fox jumps over the lazy dog", "a  b   c    d", "  indented line of words here", "x" * 30],
)
@pytest.mark.parametrize("width", [3, 5, 8, 13, 40])
def test_latin_text_breaks_exactly_like_rich(text: str, width: int) -> None:
    """Outside Chinese nothing changes: the offsets are Rich's (which Textual uses)."""
    assert list(break_offsets(text, width)) == divide_line(text, width)


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("一二三四五六七八九", 16, ["一二三四五六七", "八九"]),  # 九 alone would be a 孤字
        ("一二 三四五六七八九", 17, ["一二 三四五六七", "八九"]),
        ("一二三四五六七 abc", 16, ["一二三四五六七", "abc"]),  # a Latin word may stand alone
        ("一二九", 4, ["一二", "九"]),  # the line above is too short to give one up
    ],
)
def test_no_lone_chinese_character_on_the_last_line(text: str, width: int, expected: list[str]) -> None:
    assert cjk_wrap(text, width) == expected


def test_a_glued_run_wider_than_the_line_is_folded_at_the_cell_width() -> None:
    assert cjk_wrap("天）。", 4) == ["天）", "。"]


def test_no_fold_leaves_a_long_word_whole() -> None:
    assert break_offsets("见 https://example.com/long", 10, fold=False) == (2,)


def test_a_width_below_one_cell_breaks_nothing() -> None:
    assert break_offsets(LINE, 0) == ()


def test_offsets_are_cached_per_line_and_width() -> None:
    break_offsets.cache_clear()
    break_offsets(LINE, 10)
    break_offsets(LINE, 10)
    break_offsets(LINE, 12)
    info = break_offsets.cache_info()
    assert (info.hits, info.misses) == (1, 2)
