"""Own-voice example lines (playbooks/triggers/own-voice.yaml: whole sentences we wrote in
customers' voices) find their cards, but a short line sharing only an incidental word with one
of them (我吃过饭了 / 吃过亏了) gets no card unless it shares a concept with the card."""

from assistant.core.language.concepts import ConceptIndex, ConceptSpec
from assistant.core.language.matcher import OWN_VOICE_MIN, Matcher
from assistant.core.language.matchprep import Entry

CONCEPTS = ConceptIndex([ConceptSpec("loss", "亏钱", ("亏",), ("past_loss",))])
OTHER = [Entry("busy", "objection", "too_busy", "没空", t) for t in ("最近上班太忙了没空听你讲", "我在开会晚点说", "改天吧忙")]


def _matcher(source: str) -> Matcher:
    own = Entry("past", "objection", "past_loss", "吃过亏", "吃过亏了", source)
    return Matcher([own, *OTHER], use_cache=False, concepts=CONCEPTS)


def test_a_card_own_line_shows_on_an_incidental_word_an_own_voice_line_does_not() -> None:
    shown = _matcher("").search("我吃过饭了")
    assert [m.card_id for m in shown] == ["past"] and shown[0].score < OWN_VOICE_MIN
    assert _matcher("own-voice").search("我吃过饭了") == []


def test_an_own_voice_line_shows_when_the_line_shares_a_concept_with_the_card() -> None:
    found = _matcher("own-voice").search("上回理财亏了")
    assert [m.card_id for m in found][:1] == ["past"]


def test_the_source_is_part_of_the_cache_key() -> None:
    from assistant.core.language.matchprep import cache_key

    assert cache_key([Entry("a", "objection", "fees", "A", "手续费太高")]) != \
        cache_key([Entry("a", "objection", "fees", "A", "手续费太高", "own-voice")])


def test_a_card_an_own_voice_line_fails_for_still_shows_through_its_own_trigger() -> None:
    """The gate drops an own-voice line, not the card: 吃过亏了 alone shows the card for 我吃过饭了
    (below OWN_VOICE_MIN), so an own-voice line of the same card scoring a little higher
    (我吃过的亏多了, no concept shared) must not hide it."""
    own = Entry("past", "objection", "past_loss", "吃过亏", "我吃过的亏多了", "own-voice")
    card = Entry("past", "objection", "past_loss", "吃过亏", "吃过亏了")
    alone = Matcher([card, *OTHER], use_cache=False, concepts=CONCEPTS).search("我吃过饭了")
    both = Matcher([card, own, *OTHER], use_cache=False, concepts=CONCEPTS).search("我吃过饭了")
    assert [(m.card_id, m.matched) for m in alone] == [("past", "吃过亏了")]
    assert [(m.card_id, m.matched) for m in both] == [("past", "吃过亏了")]  # the score moves a little: IDF over 5 triggers
