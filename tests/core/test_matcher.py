"""The matcher on a small fixed library (independent of the shipped playbooks)."""

from __future__ import annotations

import pytest

from assistant.core.language.matcher import Match, Matcher, is_filler, search_texts

ENTRIES = [
    ("rate-low", "objection", "rate_low", "嫌收益低", "收益太低了"),
    ("rate-low", "objection", "rate_low", "嫌收益低", "利息比别的银行少"),
    ("early", "objection", "early_withdrawal", "提前支取", "定期提前支取会损失利息吗"),
    ("early", "objection", "early_withdrawal", "提前支取", "定期还没到期想取出来"),
    ("risk", "objection", "risk_fear", "怕风险", "理财会不会亏本"),
    ("no-wechat", "objection", "no_wechat", "不加微信", "微信就不加了"),
    ("group-inactive", "group_fix", "group_inactive", "群不活跃", "群不活跃怎么办"),
    ("group-inactive", "group_fix", "group_inactive", "群不活跃", "群里没人说话"),
    ("senior", "segment", "segment_senior", "老年客户", "老年客户怎么维护"),
    ("senior-talk", "objection", "too_busy", "没时间", "我现在很忙没空"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(ENTRIES, use_cache=False)


@pytest.mark.parametrize(
    ("query", "card"),
    [
        ("收益太低了", "rate-low"),  # as written
        ("受益太低", "rate-low"),  # homophone typo
        ("你们这个收益也太低了吧还不如放余额宝", "rate-low"),  # run-on, no punctuation
        ("收益，太低！！", "rate-low"),  # punctuation
        ("理財會不會虧本啊", "risk"),  # traditional characters
        ("定期还没到期能取出来不", "early"),  # colloquial
        ("qunbuhuoyue", "group-inactive"),  # typed full pinyin
        ("qun bu huo yue", "group-inactive"),  # typed pinyin with spaces
        ("dqtq", "early"),  # pinyin initials
        ("lnkh", "senior"),
        ("ＱＵＮＢＵＨＵＯＹＵＥ", "group-inactive"),  # full-width letters
        ("微信就不加了吧", "no-wechat"),
    ],
)
def test_top_card(matcher: Matcher, query: str, card: str) -> None:
    results = matcher.search(query)
    assert results, f"no match for {query!r}"
    assert results[0].card_id == card


@pytest.mark.parametrize("query", ["今天天气怎么样", "中午吃啥", "打印机又卡纸了", "", "   ", "！！！", "ok", "😀"])
def test_nothing_fits_below_the_cutoff(matcher: Matcher, query: str) -> None:
    assert matcher.search(query) == []


def test_cutoff_is_explicit_and_respected() -> None:
    strict = Matcher(ENTRIES, cutoff=99.0, use_cache=False)
    assert strict.search("收益有点低") == []
    assert strict.search("收益太低了")[0].score >= 99.0


@pytest.mark.parametrize(("kind", "has_senior"), [("segment", True), (None, True), ("objection", False), ("group_fix", False)])
def test_kind_filter(matcher: Matcher, kind, has_senior: bool) -> None:
    found = matcher.search("老年客户怎么维护", kind=kind, top=5)
    assert ("senior" in [m.card_id for m in found]) is has_senior
    assert all(m.kind == kind for m in found) if kind else True


def test_one_best_trigger_per_card_and_top(matcher: Matcher) -> None:
    results = matcher.search("定期还没到期提前支取利息", top=10)
    ids = [m.card_id for m in results]
    assert len(ids) == len(set(ids))
    assert results[0].matched in ("定期提前支取会损失利息吗", "定期还没到期想取出来")
    assert len(matcher.search("定期还没到期提前支取利息", top=1)) == 1


def test_scores_are_ranked_and_bounded(matcher: Matcher) -> None:
    results = matcher.search("收益太低了", top=5)
    scores = [m.score for m in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    assert isinstance(results[0], Match)


@pytest.mark.parametrize(
    ("query", "pieces"),
    [
        ("我觉得受益太低了", ["受益太低"]),  # homophone typo still highlighted, its trailing 了 is filler
        ("收益，太低", ["收益", "太低"]),  # the comma is not highlighted
        ("理財會不會虧本", ["理財會不會虧本"]),  # traditional characters point at themselves
        ("哎群里没人说话咋整", ["群里没人说话"]),
    ],
)
def test_spans_point_at_the_original_query(matcher: Matcher, query: str, pieces: list[str]) -> None:
    spans = matcher.search(query)[0].spans
    assert [query[s:e] for s, e in spans] == pieces


def test_typed_pinyin_spans_cover_the_query(matcher: Matcher) -> None:
    assert matcher.search("dqtq")[0].spans == ((0, 4),)


def test_prepared_library_is_cached_by_trigger_texts(coach_home) -> None:
    first = Matcher(ENTRIES)
    files = list((coach_home / "cache").glob("matcher-*.pickle"))
    assert len(files) == 1
    second = Matcher(ENTRIES)
    assert second.search("受益太低") == first.search("受益太低")
    Matcher(ENTRIES[:-1])  # other triggers, other key
    assert len(list((coach_home / "cache").glob("matcher-*.pickle"))) == 2


def test_from_library_uses_matchable_cards() -> None:
    from types import SimpleNamespace

    card = SimpleNamespace(topic="rate_low", title="嫌收益低", triggers=["收益太低了"])
    ref = SimpleNamespace(id="rate-low", kind="objection", card=card)
    library = SimpleNamespace(matchable_cards=lambda: [ref])
    found = Matcher.from_library(library, use_cache=False).search("受益太低")
    assert [(m.card_id, m.kind, m.topic, m.title, m.matched) for m in found] == [
        ("rate-low", "objection", "rate_low", "嫌收益低", "收益太低了")
    ]


def test_search_texts_for_transcripts() -> None:
    texts = ["客户说收益太低了，不想买", "今天天气不错", "收益还行", "你們這收益太低"]
    hits = search_texts("受益太低", texts)
    assert [h.index for h in hits] == [0, 3]
    assert [texts[0][s:e] for s, e in hits[0].spans] == ["收益太低"]
    assert search_texts("天气", texts, top=1)[0].index == 1
    assert search_texts("", texts) == []


# ------------------------------------------------------------------ acknowledgements

ACK_ENTRIES = [
    *ENTRIES,
    ("think", "objection", "think_it_over", "再考虑", "我还没想好"),
    ("gift", "objection", "gift_only", "领礼品", "说好的礼品怎么没了"),
    ("urgent", "objection", "early_withdrawal", "急用钱", "可以部分提前支取吗"),
    ("family", "objection", "family_consult", "问家人", "是的，得问问我老公"),
]


@pytest.fixture(scope="module")
def ack_matcher() -> Matcher:
    return Matcher(ACK_ENTRIES, use_cache=False)


@pytest.mark.parametrize(
    "query", ["好", "行", "好的", "是的", "嗯", "您好", "谢谢", "哦", "可以", "OK", "好的好的", "嗯嗯，好的！", "ok好的", "那好吧", "haode", "keyi"]
)
def test_acknowledgements_match_no_card(ack_matcher: Matcher, query: str) -> None:
    """好的 shares 好 with 说好的礼品; it still says nothing a card could answer."""
    assert ack_matcher.search(query) == []


@pytest.mark.parametrize(
    ("query", "card"),
    [("太低了", "rate-low"), ("没空", "senior-talk"), ("好的，我还没想好", "think"), ("是的 得问我老公", "family"), ("可以提前支取吗", "urgent")],
)
def test_short_or_polite_objections_still_match(ack_matcher: Matcher, query: str, card: str) -> None:
    assert ack_matcher.search(query)[0].card_id == card


@pytest.mark.parametrize(
    ("norm", "expected"),
    [("好的谢谢", True), ("嗯嗯好", True), ("okay", True), ("xiexie", True), ("知道了", True), ("", False),
     ("不用了", False), ("不明白", False), ("不知道", False), ("好的我再考虑一下", False), ("没钱", False), ("dqtq", False)],
)
def test_is_acknowledgement(norm: str, expected: bool) -> None:
    from assistant.core.language.textnorm import is_acknowledgement

    assert is_acknowledgement(norm) is expected


# ------------------------------------------------------------------ ties


def test_equal_scores_break_by_card_id_not_library_order() -> None:
    a = ("a-card", "objection", "rate_low", "A", "收益太低了")
    b = ("b-card", "objection", "rate_low", "B", "收益太低了")
    for entries in ([a, b], [b, a]):
        found = Matcher(entries, use_cache=False).search("收益太低了")
        assert [m.card_id for m in found] == ["a-card", "b-card"]
        assert found[0].score == found[1].score


def test_typed_initials_prefer_the_trigger_they_spell_fully() -> None:
    """wxq spells the word 微信群 of 微信群分层, but 挖+需求 in a long trigger. Many other cards
    share the initials pairs wx / xq (加微信, 需求): each of them is counted once, so the two do not
    both reach 100 (they did when a common unit was added twice)."""
    entries = [
        ("probe", "conversion", "step_probe", "挖需求", "挖需求的时候问什么问题比较好"),
        ("tiering", "group_fix", "group_tiering", "分层", "微信群分层"),
        *[(f"wx-{k}", "objection", "no_wechat", "微信", f"{w}加微信") for k, w in enumerate("不别少懒怕烦忙没难慢")],
        *[(f"xq-{k}", "segment", "segment_senior", "需求", f"{w}的需求") for k, w in enumerate("老人商户女性社区家庭孩子")],
    ]
    for order in (entries, entries[::-1]):
        found = Matcher(order, use_cache=False).search("wxq")
        assert [m.card_id for m in found[:2]] == ["tiering", "probe"]
        assert found[0].score > found[1].score
        assert found[0].score < 100


@pytest.mark.parametrize("span, filler", [("不", True), ("我要", True), ("没有", True), ("是不是", True),
                                          ("了怎么办", True), ("咋整", True),
                                          ("收益", False), ("不想买", False), ("定期", False), ("办卡", False)])
def test_is_filler(span: str, filler: bool) -> None:
    assert is_filler(span) is filler


def test_function_words_are_not_shown_as_evidence() -> None:
    # Found by QA: cards showed 命中：不 / 命中：我要 — particles are no evidence of a topic.
    m = Matcher([("group-spam", "objection", "group_spam", "群里消息太多了", "我要退群了"),
                 ("no-buy", "objection", "no_need", "不需要", "不买不需要")], use_cache=False, cutoff=0)
    for text in ("我要不存了", "我不买"):
        found = m.search(text)
        assert found, text  # the cards are there; only their evidence is trimmed
        for r in found:
            shown = [text[a:b] for a, b in r.spans]
            assert not any(is_filler(s) for s in shown), (text, r.card_id, shown)
    [r] = [r for r in m.search("我要退群") if r.card_id == "group-spam"]
    assert [("我要退群"[a:b]) for a, b in r.spans] == ["退群"]  # a run's leading 我要 is filler too
