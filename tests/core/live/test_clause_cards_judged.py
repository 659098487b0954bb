"""Live matches each clause of a long line alone (`live.session.merged_search`); the learned topic
opinion, reading the whole line, judges the cards only a clause found."""

from __future__ import annotations

from assistant.core.language import learnedtopic
from assistant.core.language.matcher import Matcher
from assistant.core.language.matchprep import Entry
from assistant.core.live.session import merged_search

LINE = "利息太低了，不过我今天主要是来办点别的事情的，顺便问问开户要带什么东西呢"


class _Fixed:
    """A stand-in model that gives every line the same probabilities."""

    def __init__(self, p):
        self.p = p

    def probabilities(self, norm):
        return self.p


def _matcher(p, cutoff: float = 32.0) -> Matcher:
    rows = [("rate-low", "rate_low", ["利息太低了", "利率比别家低"]), ("too-busy", "too_busy", ["我在开会", "现在没空"]),
            ("fees", "fees", ["手续费太贵", "管理费收得太高"])]
    m = Matcher([Entry(c, "objection", t, c, x) for c, t, xs in rows for x in xs], cutoff, use_cache=False)
    m.topic_model = _Fixed(p) if p is not None else None
    return m


def _shown(m: Matcher) -> list[tuple[str, str]]:
    return [(r.card_id, r.tier) for r in merged_search(m, LINE, 3)]


def test_a_clauses_sure_card_the_whole_line_doubts_is_a_guess():
    # The whole line reaches the card only as a guess; its first clause alone is sure.
    assert [(r.card_id, r.tier) for r in _matcher(None).search(LINE)] == [("rate-low", "maybe")]
    assert _shown(_matcher(None)) == [("rate-low", "sure")]
    doubted = {"rate_low": learnedtopic.BACKS_AT / 2, "too_busy": 1 - learnedtopic.BACKS_AT / 2}
    assert _shown(_matcher(doubted))[0] == ("rate-low", "maybe")  # (the model's own guess may follow)
    backed = {"rate_low": learnedtopic.BACKS_AT, "too_busy": 1 - learnedtopic.BACKS_AT}
    assert _shown(_matcher(backed))[0] == ("rate-low", "sure")


def test_a_card_only_a_clause_found_goes_when_the_whole_line_says_otherwise():
    # At cutoff 45 the whole line shows nothing (rate-low scores 41); the clause alone finds it.
    assert _matcher(None, 45.0).search(LINE) == []
    unlikely = {"rate_low": learnedtopic.CLAUSE_AT / 2, "too_busy": 1 - learnedtopic.CLAUSE_AT / 2}
    assert _shown(_matcher(unlikely, 45.0)) == []
    possible = {"rate_low": learnedtopic.CLAUSE_AT, "too_busy": 1 - learnedtopic.CLAUSE_AT}
    assert _shown(_matcher(possible, 45.0)) == [("rate-low", "maybe")]  # kept, but below BACKS_AT


def test_a_clauses_guess_goes_when_the_whole_line_only_thanks():
    # Thanks for a fraud stopped: the whole line shows no guess (matcher.no_guesses); its last
    # clause alone reads as a fraud worry.
    rows = [("fraud", "fraud_fear", ["这是诈骗电话吧", "怕被骗子骗了"]), ("rate-low", "rate_low", ["利息太低了"])]
    m = Matcher([Entry(c, "objection", t, c, x) for c, t, xs in rows for x in xs], use_cache=False)
    line = "真是太感谢你们了，要不是你们拦着，我的钱就被诈骗电话骗走了"
    assert m.hides_guesses(line) and m.search(line) == []
    assert [r.card_id for r in m.search("我的钱就被诈骗电话骗走了")] == ["fraud"]
    assert merged_search(m, line, 3) == []
    m.hides_guesses = lambda text: False  # what Live showed before
    assert [(r.card_id, r.tier) for r in merged_search(m, line, 3)] == [("fraud", "maybe")]
