"""coverage.covered: every covered point carries the staff's own words, with the original span."""

import pytest

from assistant.core.language.coverage import covered
from assistant.core.playbooks.models import KeyPoint

POINTS = [
    KeyPoint(id="risk", label="风险提示", evidence=["产品有风险", "理财非存款"]),
    KeyPoint(id="ask-plan", label="问用钱计划", evidence=["多久", "用钱"], weight=2),
    KeyPoint(id="benchmark", label="基准不是承诺", evidence=["业绩比较基准不是承诺"]),
]


@pytest.mark.parametrize(
    "text, ids, how",
    [
        ("您这笔钱多久用不上？", {"ask-plan"}, "exact"),
        ("理財非存款！", {"risk"}, "exact"),  # traditional folded
        ("ＡＢ 多 久", {"ask-plan"}, "exact"),  # full-width and spaces folded
        ("这个产品也是有一定风险的", {"risk"}, "tokens"),
        ("業績比較基準並不是承諾", {"benchmark"}, "fuzzy"),
        ("今天天气不错", set(), None),
    ],
)
def test_covered_table(text, ids, how):
    result = covered(text, POINTS)
    assert result.ids == ids
    for ev in result:
        assert ev.quote and ev.quote == text[ev.start : ev.end]
        assert ev.how == how


def test_no_point_without_quote_and_share_is_weighted():
    result = covered("您看多久用得上？理财非存款。", POINTS)
    assert {e.point_id for e in result.covered} == {"ask-plan", "risk"}
    assert result.missed == [("benchmark", "基准不是承诺")]
    assert result.share == pytest.approx(3 / 4)
    assert all(e.quote for e in result.covered)


def test_fuzzy_quote_covers_the_whole_phrase():
    ev = covered("对了，業績比較基準並不是承諾哦", POINTS).covered[0]
    assert ev.quote == "業績比較基準並不是承諾"


def test_empty_text_covers_nothing():
    result = covered("   ", POINTS)
    assert result.covered == [] and result.share == 0 and len(result.missed) == 3


def test_excluded_span_does_not_count_but_other_occurrence_does():
    text = "多久用钱？多久用钱？"
    assert covered(text, POINTS, exclude=[(0, 5)]).covered[0].start >= 5
    assert covered(text, POINTS, exclude=[(0, 10)]).ids == set()


def test_token_overlap_needs_a_short_window():
    far = "产品" + "，我们" * 20 + "有风险"
    assert "risk" not in covered(far, POINTS).ids


def test_live_checklist_reads_key_point_id():
    ev = covered("多久", POINTS).covered[0]
    assert ev.key_point_id == "ask-plan"
