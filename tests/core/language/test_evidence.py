"""命中 (a card's `Match.spans`: the words shown on it and highlighted in the line) are the words
that decided its topic: the concept members that signal the card first, then the content words it
shares with its trigger, whole words only, filler dropped."""

from __future__ import annotations

import pytest

from assistant.core.language.concepts import ConceptIndex, ConceptSpec
from assistant.core.language.matcher import Matcher, evidence_spans, is_filler
from assistant.core.language.matchprep import Entry

CONCEPTS = ConceptIndex([ConceptSpec("urgent", "急用钱", ("急用", "取出来"), ("early_withdrawal",)),
                         ConceptSpec("family", "家里人", ("儿子", "媳妇"), ("family_use",)),
                         ConceptSpec("worry", "担心", ("睡不着",), ("risk_fear",))])
CARDS = [Entry("early", "objection", "early_withdrawal", "提前支取", "定期能先拿回来吗"),
         Entry("wedding", "objection", "family_use", "家里用钱", "这钱是给孩子办喜事的"),
         Entry("risk", "objection", "risk_fear", "怕风险", "买了之后晚上睡不着")]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(CARDS, use_cache=False, concepts=CONCEPTS, cutoff=0)


def shown(matcher: Matcher, line: str, card: str) -> list[str]:
    [m] = [m for m in matcher.search(line, top=5) if m.card_id == card]
    return [line[a:b] for a, b in m.spans]


def test_the_concept_words_that_found_a_card_are_its_evidence(matcher: Matcher) -> None:
    # The brief's case: a dimmed card showed the words it shares with a trigger (这钱是给) and not
    # the concern that made it score. The line shares no word with the early card's trigger.
    line = "这钱是给儿子娶媳妇急用的，我要取出来"
    assert shown(matcher, line, "early") == ["急用", "取出来"]
    wedding = shown(matcher, line, "wedding")
    assert wedding[:2] == ["儿子", "媳妇"]  # its concept's words first
    assert "急用" not in wedding  # another card's concept is no evidence for this one


def test_lexical_evidence_is_whole_content_words(matcher: Matcher) -> None:
    # The trigger says 晚上睡不着, the line 晚上都睡不着: the concept's 睡不着 first, then 晚上;
    # not 钱放你们这儿 (no shared word) nor the 都 the trigger does not have.
    assert shown(matcher, "钱放你们这儿我晚上都睡不着", "risk") == ["睡不着", "晚上"]


def test_no_half_word_and_no_filler_at_a_runs_ends() -> None:
    m = Matcher([Entry("kid", "objection", "family_use", "孩子", "给儿子留着用的")], use_cache=False, cutoff=0)
    # The same syllables run 子留着用的, but the line's word is 孩子 (no 子 alone) and 的 ends it.
    line = "我给孩子留着用的"
    [found] = m.search(line)
    assert [line[a:b] for a, b in found.spans] == ["留着用"]


def test_evidence_spans_put_decisive_words_first_and_merge_overlaps() -> None:
    decided = [(9, 11), (4, 6)]
    lexical = [(0, 3), (4, 8), (11, 13)]
    # (4, 6) lies inside the lexical (4, 8): one range, listed with the decisive ones; touching
    # ranges (9, 11) and (11, 13) stay two words.
    assert evidence_spans(decided, lexical) == ((4, 8), (9, 11), (0, 3), (11, 13))
    assert evidence_spans([], [(2, 4), (0, 1)]) == ((0, 1), (2, 4))


def test_the_shipped_library_shows_the_concern_on_a_dimmed_card() -> None:
    from assistant.core.playbooks.loader import load_library

    line = "这钱是给儿子娶媳妇急用的，我要取出来"
    found = Matcher.from_library(load_library()).search(line)
    early = [m for m in found if m.topic == "early_withdrawal"]
    assert early, [m.topic for m in found]
    words = [line[a:b] for a, b in early[0].spans]
    assert "急用" in words[:3], words
    for m in found:
        for a, b in m.spans:
            w = line[a:b]
            assert not is_filler(w) and not w.startswith("子") and not w.endswith("的"), (m.card_id, w)
