"""Splitting a customer's own money is not bundling (session 15, helper M3).

The learned opinion read 「郑姐，搭配着放：定期一份，稳健理财一份。…」 (an honest rehearsal reply) as 捆绑搭售 at p 0.96:
nearly every training line with 搭配/配一份/一份 was a tie-in (贷款得配一份保险). tests/data/compliance_allocation.yaml
now trains it on honest allocation talk beside tie-ins that use the same words. The lines below were written for this
test, none is a training row, and the whole check runs (rules and the shipped model).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from assistant.core.compliance import check

REHEARSAL_REPLY = "郑姐，搭配着放：定期一份，稳健理财一份。理财有风险，不保本。类似的家庭我们有个案例，就是两份分开打理。您看比例怎么定？"

#: Honest: the customer's own money split by purpose, by her choice.
ALLOCATION = [
    REHEARSAL_REPLY,
    "王姐，您可以分成两块放：定期一块，国债一块，比例您来定",
    "三万存一年，三万存两年，三万存三年，轮着到期",
    "活期留一份应急，剩下的您想存定期就存定期",
    "大额存单跟定期搭配着存，利率和起存金额不一样，我都列给您",
    "一份放定期，一份您要是想看理财，先做测评，理财不保本",
    "您不用搭配任何东西，单存定期就行",
    "李叔，存单一份，国债一份，都是到期还本付息的",
    "稳健理财一份，定期一份，怎么分您说了算，理财非存款，有风险",
]

#: Tie-ins in the same words: one product made a condition of another.
TIE_INS = [
    "大额存单额度紧，搭配买一份理财我才能给您批",
    "续贷下来要同时配一份保险，两份一起办",
    "要办房贷，您得先在我们这买一份理财",
]


def _errors(text, lib):
    return [f for f in check(text, lib) if f.severity == "error"]


@pytest.mark.parametrize("text", ALLOCATION)
def test_honest_allocation_talk_passes(lib, text):
    assert not _errors(text, lib)


@pytest.mark.parametrize("text", TIE_INS)
def test_a_tie_in_in_the_same_words_is_an_error(lib, text):
    assert any(f.rule_id == "bundling" for f in _errors(text, lib))


def test_these_examples_are_not_training_rows():
    """They measure what the allocation rows taught only if the model never saw them (the rehearsal reply is a
    labelled row of tests/data/rehearse_labelled.yaml: it was trained on and still flagged before)."""
    data = YAML(typ="safe").load((Path(__file__).resolve().parents[2] / "data" / "compliance_allocation.yaml")
                                 .read_text(encoding="utf-8"))
    trained = {str(t) for label in ("pass", "flag") for t in data[label]}
    assert len(trained) > 50 and not trained & {*ALLOCATION, *TIE_INS}
