"""Dialect words a query says in Cantonese or northern speech (冇钱, 唔得闲, 谂下, 嘎哈) are read as
their Mandarin words by the matcher's queries and the concept layer (textnorm.DIALECT)."""

from assistant.core.language import textnorm
from assistant.core.language.concepts import ConceptIndex, ConceptSpec
from assistant.core.language.matcher import Matcher
from assistant.core.language.matchprep import Entry

CONCEPTS = ConceptIndex([ConceptSpec("no-cash", "没钱", ("没钱",), ("no_money",)),
                         ConceptSpec("worry", "担心", ("担心",), ("risk_fear",))])


def test_folded_words_point_back_to_the_characters_they_came_from() -> None:
    norm, index = textnorm.normalize_for_match("我冇錢，點算？唔該")
    assert norm == "我没钱点算谢谢"
    assert [index[i] for i in range(len(norm))] == [0, 1, 2, 4, 5, 7, 8]


def test_words_that_only_fold_to_function_words_stay_as_they_are() -> None:
    assert textnorm.normalize_for_match("点解佢嘅钱")[0] == "点解佢嘅钱"
    assert textnorm.normalize("冇钱") == "冇钱"  # only what the matcher reads folds


def test_a_cantonese_line_finds_the_mandarin_trigger_and_concept() -> None:
    m = Matcher([Entry("broke", "objection", "no_money", "没钱", "手头没钱"),
                 Entry("busy", "objection", "too_busy", "没空", "最近上班太忙了没空")], use_cache=False, concepts=CONCEPTS)
    found = m.search("冇钱啊")
    assert [x.card_id for x in found][:1] == ["broke"] and found[0].concepts
    assert [x.card_id for x in m.search("唔得闲啊")][:1] == ["busy"]


def test_cantonese_negation_denies_a_concept_and_a_not_a_asks() -> None:
    hits = {h.member: h.negated for h in CONCEPTS.hits("我唔担心")}
    assert hits == {"担心": True}
    assert {h.member: h.negated for h in CONCEPTS.hits("你担唔担心")} == {"担心": False}
