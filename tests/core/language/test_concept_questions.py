"""A negated concept in a question is what the customer wants confirmed, not denied."""

from __future__ import annotations

import pytest

from assistant.core.language.concepts import NEGATED_STRENGTH, ConceptIndex, ConceptSpec

INDEX = ConceptIndex([
    ConceptSpec("loss", "亏钱", ("亏本",), ("risk_fear",)),
    ConceptSpec("failure", "银行倒闭", ("倒闭",), ("deposit_insurance",)),
])


@pytest.mark.parametrize(("text", "concept"), [
    ("真的不会亏本吗", "loss"),
    ("你们银行不会倒闭吧", "failure"),
    ("不会亏本？", "loss"),
])
def test_a_negated_member_in_a_question_counts_in_full(text: str, concept: str) -> None:
    plain = INDEX.strengths({"loss": "亏本", "failure": "倒闭"}[concept])[concept]
    assert INDEX.strengths(text)[concept] == plain


def test_a_negated_member_in_a_statement_stays_weak() -> None:
    assert INDEX.strengths("我知道不会亏本")["loss"] == INDEX.strengths("亏本")["loss"] * NEGATED_STRENGTH
