"""记住这句 in force at once: a matcher grown by remembered lines (`Matcher.with_remembered`, see
`matchgrow`) holds the same index and ranks every query exactly as one built from scratch with the
same lines, after adding lines and after removing one from the middle or the end."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.core.language import learnedtopic, matchgrow
from assistant.core.language.concepts import ConceptIndex, named_concepts
from assistant.core.language.matcher import Matcher, _untaught
from assistant.core.language.matchprep import REMEMBERED, Entry, library_entries, prepare
from assistant.core.playbooks.loader import load_library

#: Cards of several topics; the two last ones hold no trigger of the small library until a line
#: is remembered for them (a card and a topic the index never had).
CARDS = ("risk-fear-general", "fees", "rate-low-general", "early-withdrawal-urgent-need", "think-it-over", "group-inactive", "maturity-reminder")
OUTSIDE = ("insurance-not-deposit", "complaint-calm")
QUERIES = (
    "我那点钱放你们这儿心里直打鼓", "钱放你们这儿心里打鼓", "每个月莫名其妙扣我钱", "怎么又扣钱了", "利息太低了",
    "存折拿在手里才踏实", "我回去再想想", "群里没人说话", "这个保险是存款吗", "我要投诉你们", "快到期了怎么办",
    "提前取出来亏不亏", "bxbsck", "lixi", "谢谢", "今天天气不错", "客户说利率低怎么回",
)


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture(scope="module")
def parts(library):
    base = [e for e in library_entries(library) if e.card_id in CARDS]
    return base, ConceptIndex.from_library(library), named_concepts(library)


def line(library, card_id: str, text: str) -> Entry:
    ref = library.cards[card_id]
    return Entry(ref.id, ref.kind, ref.card.topic, ref.card.title, text, REMEMBERED)


def built(library, parts, extra: list[Entry]) -> Matcher:
    """As `Matcher.from_library` builds one (concepts, the topic model and its untaught triggers)."""
    base, concepts, named = parts
    matcher = Matcher(base + extra, use_cache=False, concepts=concepts, named=named)
    matcher.topic_model = learnedtopic.shipped_model()
    matcher._untaught = _untaught(library, matcher.prep.entries)
    return matcher


def assert_same(grown: Matcher, fresh: Matcher) -> None:
    a, b = grown.prep, fresh.prep
    for name in ("entries", "card_of", "card_ids", "syl", "psyl", "initials", "vocabulary", "bounds", "tokpy",
                 "weight", "card_weight", "topic_counts", "topic_base"):
        assert getattr(a, name) == getattr(b, name), name
    assert (a.postings.packed, a.postings.n) == (b.postings.packed, b.postings.n)
    assert (a.card_postings.packed, a.card_postings.n) == (b.card_postings.packed, b.card_postings.n)
    ca, cb = grown._concept_cards, fresh._concept_cards
    assert (ca.profiles, ca.examples, ca.idf, ca.postings, ca.example, ca.first) == (cb.profiles, cb.examples, cb.idf, cb.postings, cb.example, cb.first)
    assert (grown._untaught, grown._kinds, grown._own) == (fresh._untaught, fresh._kinds, fresh._own)
    for query in QUERIES:
        assert grown.search(query, top=5) == fresh.search(query, top=5), query
        assert grown.search(query, kind="objection") == fresh.search(query, kind="objection"), query


def test_adding_then_removing_remembered_lines_ranks_as_a_fresh_build(library, parts) -> None:
    lines = [
        line(library, "risk-fear-general", "我那点钱放你们这儿心里直打鼓"),
        line(library, "fees", "每个月莫名其妙扣我钱"),  # shares 扣/钱 with fees' own triggers
        line(library, OUTSIDE[0], "这个保险到底是不是存款"),  # a card (and topic) new to the index
        line(library, "risk-fear-general", "存折拿在手里才踏实"),
    ]
    start = built(library, parts, [])
    grown = start.with_remembered(lines[:1]).with_remembered(lines)
    assert_same(grown, built(library, parts, lines))
    assert grown.search(lines[0].trigger)[0].card_id == "risk-fear-general"
    assert grown.search(lines[0].trigger)[0].tier == "sure"
    without_new_card = [lines[0], lines[1], lines[3]]
    assert_same(grown.with_remembered(without_new_card), built(library, parts, without_new_card))
    assert_same(grown.with_remembered(lines[:2]), built(library, parts, lines[:2]))
    assert_same(grown.with_remembered([]), start)


def test_the_topic_model_gate_spares_grown_lines_and_the_cache_keeps_them(library, parts) -> None:
    lines = [line(library, OUTSIDE[1], "你们这服务态度我要找行长"), line(library, "fees", "怎么又扣了我十块钱")]
    grown = built(library, parts, []).with_remembered(lines)
    n = len(grown.entries)
    assert {n - 2, n - 1} <= grown._untaught
    matchgrow.save(grown)  # where a build of the same triggers looks first
    base, concepts, named = parts
    loaded = Matcher(base + lines, concepts=concepts, named=named)
    loaded.topic_model, loaded._untaught = grown.topic_model, _untaught(library, loaded.prep.entries)
    assert_same(loaded, built(library, parts, lines))


def test_a_remembered_line_adds_no_words_to_the_segmenter(library) -> None:
    base = [e for e in library_entries(library) if e.card_id == "fees"]
    said = line(library, "fees", "手续费扣得我肉疼啊")
    assert prepare(base + [said]).vocabulary == prepare(base).vocabulary
    # The same line in a branch's trigger file is a trigger like any other: its words count.
    assert prepare(base + [replace(said, source="branch-file")]).vocabulary > prepare(base).vocabulary


def test_only_remembered_lines_grow_a_matcher(library, parts) -> None:
    own = library_entries(library)[0]
    with pytest.raises(ValueError):
        built(library, parts, []).with_remembered([own])
