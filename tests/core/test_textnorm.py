"""textnorm: one normalization for matcher, coverage and history search."""

from __future__ import annotations

import pytest

from assistant.core.language import textnorm
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＢＣ１２３", "abc123"),  # full-width → half-width, lowercase
        ("年化這麼低誰買啊", "年化这么低谁买啊"),  # traditional → simplified
        ("收益，太低！！😀", "收益太低"),  # punctuation and emoji dropped
        ("收益 太低 了", "收益太低了"),  # spaces dropped
        ("POS机怎么办？", "pos机怎么办"),
        ("別的銀行用慣了", "别的银行用惯了"),
        ("", ""),
        ("！？。…", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert textnorm.normalize(raw) == expected


def test_normalize_with_map_points_back_at_the_original() -> None:
    raw = "收益，太低！"
    norm, index = textnorm.normalize_with_map(raw)
    assert norm == "收益太低"
    assert [raw[i] for i in index] == list("收益太低")


def test_spans_from_positions_merges_runs_in_original_coordinates() -> None:
    raw = "收益，太低"
    _, index = textnorm.normalize_with_map(raw)
    assert textnorm.spans_from_positions([0, 1, 2, 3], index) == [(0, 2), (3, 5)]


def test_tokens_drop_stop_words() -> None:
    words = textnorm.tokens("我觉得你们的收益太低了吧")
    assert "收益" in words
    assert not {"我", "你们", "的", "了", "吧"} & set(words)


@pytest.mark.parametrize(("typo", "right"), [("受益", "收益"), ("利係", "利息"), ("理才", "理财")])
def test_homophones_share_syllables(typo: str, right: str) -> None:
    assert textnorm.syllables(textnorm.normalize(typo)) == textnorm.syllables(right)


@pytest.mark.parametrize(
    ("letters", "syllables"),
    [
        ("qunbuhuoyue", ("qun", "bu", "huo", "yue")),
        ("guanying", ("guan", "ying")),
        ("xianshangxianxia", ("xian", "shang", "xian", "xia")),
        ("dqtq", None),  # initials, not pinyin
        ("lnkh", None),
    ],
)
def test_split_pinyin(letters: str, syllables) -> None:
    assert textnorm.split_pinyin(letters) == syllables


def test_phrase_aware_pinyin_and_initials() -> None:
    assert textnorm.pinyin_full("银行") == "yinhang"
    assert textnorm.pinyin_initials("定期提前") == "dqtq"
    assert textnorm.pinyin_full("POS机") == "posji"


def test_is_ascii_query() -> None:
    assert textnorm.is_ascii_query("dqtq")
    assert not textnorm.is_ascii_query("pos机")
    assert not textnorm.is_ascii_query("24")


def test_char_tables_are_cached_in_the_data_dir(coach_home) -> None:
    textnorm.tables.cache_clear()
    try:
        assert textnorm.tables().t2s["這"] == "这"
        cached = list((coach_home / "cache").glob("textnorm-tables-*.pickle"))
        assert cached
        textnorm.tables.cache_clear()
        assert textnorm.tables().pinyin["收"] == "shou"  # read back from the file
    finally:
        textnorm.tables.cache_clear()


def test_segmenter_cuts_with_its_vocabulary_only() -> None:
    seg = textnorm.Segmenter(["收益", "太低", "余额宝"])
    words = [w for w, _, _ in seg.token_spans("收益太低了还不如余额宝")]
    assert {"收益", "太低", "余额宝"} <= set(words)
    assert "了" not in words
    assert seg.word_spans("") == []


@pytest.mark.parametrize(("chars", "syllables"), [("女", ["nv"]), ("绿", ["lv"]), ("去", ["qu"])])
def test_u_umlaut_is_v_whatever_its_tone(chars: str, syllables: list[str]) -> None:
    assert textnorm.syllables(chars) == syllables
