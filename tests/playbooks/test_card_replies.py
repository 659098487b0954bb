"""Every card's own replies are good replies by its own key points.

Each response, rendered with the declared variable examples, must cover at least
MIN_SHARE of the card's key-point weight (assistant.core.language.coverage.covered), so that a
suggestion staff copy would pass the trainer that scores them, and the evidence lists
describe what the shipped replies actually say.
"""

from __future__ import annotations

import pytest

from assistant.core.language.coverage import covered
from assistant.core.playbooks.loader import load_library
from assistant.core.playbooks.render import Renderer
from assistant.paths import BUILTIN_PLAYBOOKS

MIN_SHARE = 0.6
#: Words too generic to prove a key point: an empty or off-topic reply would pass with them.
GENERIC = {"您好", "多少", "没问题", "好的", "可以", "谢谢", "我们", "这个"}


@pytest.fixture(scope="module")
def lib():
    return load_library([BUILTIN_PLAYBOOKS], use_cache=False)


def _examples(lib, file_id: str) -> dict:
    values = {k: spec.example for k, spec in lib.variables.items()}
    values.update({k: spec.example for k, spec in lib.file_variables.get(file_id, {}).items()})
    return values


def _scored_cards(lib):
    return [ref for ref in lib.cards.values() if ref.card.key_points and ref.card.responses]


def test_every_card_reply_covers_its_own_key_points(lib) -> None:
    renderer = Renderer(lib)
    failing = []
    for ref in _scored_cards(lib):
        values = _examples(lib, ref.file_id)
        for i, response in enumerate(ref.card.responses):
            text = renderer.render(response.text, values).text
            result = covered(text, ref.card.key_points)
            if result.share < MIN_SHARE:
                missed = ",".join(pid for pid, _ in result.missed)
                failing.append(f"{ref.card.id}#{i} {response.label or ''} {result.share:.0%} missed {missed}")
    assert failing == [], "replies under {:.0%} of their card's key points:\n".format(MIN_SHARE) + "\n".join(failing)


def test_matchable_cards_are_checked(lib) -> None:
    checked = {ref.card.id for ref in _scored_cards(lib)}
    assert {"distrust-staff", "fees", "segment-moviegoer-tiers"} <= checked


def test_evidence_is_specific(lib) -> None:
    generic = [f"{ref.card.id}/{kp.id}: {e}" for ref in _scored_cards(lib) for kp in ref.card.key_points
               for e in kp.evidence if e.strip() in GENERIC or len(e.strip()) < 2 and not e.strip().isdigit()]
    assert generic == []


def test_an_empty_or_off_topic_reply_covers_nothing_much(lib) -> None:
    off_topic = "好的，您稍等一下，我看看。"
    high = [ref.card.id for ref in _scored_cards(lib) if covered(off_topic, ref.card.key_points).share >= MIN_SHARE]
    assert high == []
