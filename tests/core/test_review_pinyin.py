"""复盘 search typed in pinyin: lixi finds 利息, lxtd finds 利息太低 (the playbooks' words read by
their pinyin and initials), ETC and words that are not pinyin are searched as typed."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest

from assistant.core.history import History, SessionFilter
from assistant.core.playbooks.loader import load_library
from assistant.core.review.pinyin import MAX_READINGS, PinyinVocabulary, build, pinyin_vocabulary
from assistant.core.review.search import describe, readings, search

NOW = datetime(2026, 11, 25, 10, 0, 0)


@pytest.fixture(scope="module")
def library():
    """The built-in playbooks (their vocabulary is built once for the module)."""
    return load_library()


@pytest.fixture
def history() -> History:
    h = History(clock=lambda: NOW)
    h.add_staff("李娜", "理财经理", id="u1")
    sid = h.start_session(mode="live", staff_id="u1", started="2026-11-24T10:00:00")
    h.log_event(sid, "customer", "利息太低了，我再想想")
    h.log_event(sid, "staff", "王阿姨，我们的利息是按天算的")
    h.log_event(sid, "customer", "我那个ETC还没办好")
    h.log_event(sid, "customer", "家里的WiFi密码忘了")
    h.log_event(sid, "staff", "我加您微信联系")
    h.end_session(sid, outcome="成交", ended="2026-11-24T10:30:00")
    yield h
    h.close()


def texts(hits) -> list[str]:
    return [h.event["text"] for h in hits]


def test_full_pinyin_finds_the_chinese_word(history, library):
    hits = search(history, "lixi", library=library)
    assert sorted(texts(hits)) == ["利息太低了，我再想想", "王阿姨，我们的利息是按天算的"]
    first = hits[0]
    assert [first.event["text"][a:b] for a, b in first.spans] == ["利息"] and first.words == ["利息"]
    assert describe("lixi", library) == "lixi → 利息"


def test_initials_find_a_phrase_of_the_playbooks(history, library):
    hits = search(history, "lxtd", library=library)
    assert texts(hits) == ["利息太低了，我再想想"]
    assert [hits[0].event["text"][a:b] for a, b in hits[0].spans] == ["利息太低"]
    assert describe("LXTD", library) == "lxtd → 利息太低"  # case is normalized


def test_pinyin_words_combine_with_chinese_and_the_filter(history, library):
    assert texts(search(history, "lixi 按天", library=library)) == ["王阿姨，我们的利息是按天算的"]
    assert texts(search(history, "lixi taidi", library=library)) == ["利息太低了，我再想想"]
    assert search(history, "lixi", SessionFilter(outcome="未成交"), library=library) == []


def test_an_english_word_is_searched_as_typed(history, library):
    assert readings("etc", library) == [["etc"]]
    assert texts(search(history, "etc", library=library)) == ["我那个ETC还没办好"]
    assert describe("etc", library) == "etc"


def test_letters_that_are_not_pinyin_search_as_plain_search_does(history, library):
    # No syllable starts with i, so "wifi" can be neither full pinyin nor initials.
    assert readings("wifi", library) == [["wifi"]]
    assert texts(search(history, "wifi", library=library)) == texts(search(history, "wifi")) == ["家里的WiFi密码忘了"]


def test_without_a_library_pinyin_is_plain_text(history):
    assert search(history, "lixi") == []
    assert describe("lixi") == "lixi"


def test_better_readings_rank_first_and_are_capped():
    vocab = build(["利息太低", "嫌利息太低", "利息怎么算", "请联系客户经理", "联系一下", "联系我们", "再联系", "路线"])
    assert vocab.read("lixi") == ["利息"]
    assert vocab.read("lianxi") == ["联系"]
    assert vocab.read("lx")[:2] == ["联系", "利息"]  # the more used word first
    assert vocab.read("lxtd") == ["利息太低"] and vocab.read("l") == []
    assert vocab.read("lxzms") == []  # 利息怎么算 is said once: a fragment, not a phrase
    assert len(build(["我" + c for c in "一二三四五六七八九十"]).read("w")) == 0
    many = build(["太低", "太多", "团队", "提档", "投到", "特点", "天地", "态度"])
    assert len(many.read("td")) == MAX_READINGS


def test_a_word_both_pinyin_and_in_the_playbooks_as_typed_is_searched_both_ways(history):
    vocab = PinyinVocabulary(full={}, initials={"etc": ("额头疼",)}, ascii=frozenset({"etc"}))
    fake = SimpleNamespace(derived={"review_pinyin": vocab})
    assert readings("etc", fake) == [["额头疼", "etc"]]
    assert texts(search(history, "etc", library=fake)) == ["我那个ETC还没办好"]


def test_the_vocabulary_is_built_once_per_library(library):
    assert pinyin_vocabulary(library) is pinyin_vocabulary(library)
    fresh = load_library()
    fresh.derived.pop("review_pinyin", None)
    assert pinyin_vocabulary(fresh).read("lixi") == ["利息"]  # from the disk cache or built again
