"""The topic prior: naive Bayes over matcher units pools a topic's triggers, and only re-ranks."""

from assistant.core.language import topicprior
from assistant.core.language.matcher import Matcher
from assistant.core.language.matchprep import Entry


def _entries():
    rate = ["利息太低了", "利率比别家低", "存款利息怎么这么少"]
    busy = ["我在开会", "现在没空", "忙着呢回头再说"]
    return [Entry("rate-low", "objection", "rate_low", "利息低", t) for t in rate] + \
        [Entry("too-busy", "objection", "too_busy", "没空", t) for t in busy]


def test_posterior_favours_the_topic_whose_triggers_share_the_units():
    m = Matcher(_entries(), use_cache=False)
    units = {"u:li", "b:li xi", "u:di"}
    p = m.prior.posterior(units)
    assert p["rate_low"] > 0.9 and abs(sum(p.values()) - 1) < 1e-9


def test_posterior_is_empty_for_units_no_trigger_has():
    m = Matcher(_entries(), use_cache=False)
    assert m.prior.posterior({"b:xyz abc"}) == {}


def test_lean_reranks_shown_cards_but_neither_shows_nor_assures():
    cards = {0: (40.0, 0), 1: (42.0, 1), 2: (20.0, 2), 3: (74.0, 3)}
    topics = ["a", "b", "a", "a"]
    out = topicprior.lean(cards, {"a": 1.0}, topics.__getitem__, cutoff=32.0, sure=75.0)
    assert out[0][0] > 40.0 and out[1] == (42.0, 1)
    assert out[2] == (20.0, 2)  # below the cutoff: stays hidden
    assert out[3][0] < 75.0  # never lifted into "sure"
