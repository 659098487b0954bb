"""Clause-level concept reading and the indignant-question concept (issue 12)."""

from assistant.core.language.concepts import ConceptIndex, ConceptSpec
from assistant.core.language.matcher import Matcher
from assistant.core.playbooks.loader import load_library

INDEX = ConceptIndex([
    ConceptSpec("family", "家人", ("我妈",), ("family_consult",)),
    ConceptSpec("worry", "担心", ("怕",), ("risk_fear",)),
    ConceptSpec("loss", "亏钱", ("亏本",), ("risk_fear",)),
])


def test_clause_strengths_groups_hits_by_clause():
    whole, clauses = INDEX.clause_strengths("我妈上个月去办业务，回来说她怕亏本")
    assert set(whole) == {"family", "worry", "loss"}
    assert clauses == [{"family": 0.7}, {"worry": 0.5, "loss": 0.7}]


def test_one_clause_line_has_one_clause():
    assert INDEX.clause_strengths("怕亏本")[1] == [{"worry": 0.5, "loss": 0.7}]


def test_strengths_is_the_whole_line():
    assert INDEX.strengths("我妈，怕亏本") == INDEX.clause_strengths("我妈，怕亏本")[0]


def _topics(matcher, text):
    return [m.topic for m in matcher.search(text)]


def test_concern_in_one_clause_of_a_story_is_not_diluted(monkeypatch):
    from assistant.core.language import conceptcards

    matcher = Matcher.from_library(load_library())
    story = "我跟我老伴去年退休了，每个月就那点退休金，最怕的就是本金没了"

    def risk_score():
        return next(m.score for m in matcher.search(story) if m.topic == "risk_fear")

    read_by_clause = risk_score()
    monkeypatch.setattr(conceptcards, "CLAUSE_WEIGHT", 0.0)
    assert read_by_clause > risk_score() + 5


def test_indignant_question_reads_as_a_complaint():
    matcher = Matcher.from_library(load_library())
    assert _topics(matcher, "难道我们老百姓就活该排两个小时队吗")[:1] == ["complaint"]
    assert _topics(matcher, "你们银行怎么可以这样对待老人？")[:1] == ["complaint"]


def test_a_member_inside_a_longer_member_of_another_concept_is_not_said():
    index = ConceptIndex([
        ConceptSpec("insurance", "保险", ("保险",), ("insurance_product",)),
        ConceptSpec("deposit-insurance", "存款保险", ("存款保险",), ("deposit_insurance",)),
    ])
    assert set(index.strengths("存款保险赔多少")) == {"deposit-insurance"}
    assert set(index.strengths("存款保险和商业保险一样吗")) == {"deposit-insurance", "insurance"}
    assert {h.concept_id for h in index.hits("存款保险赔多少")} == {"insurance", "deposit-insurance"}
