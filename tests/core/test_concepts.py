"""The concept layer: members found in a line (negation-aware), merged over folders, and cards
reached through concepts — including a branch's own card the code has never seen."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.language.concepts import ConceptIndex, ConceptSpec
from assistant.core.language.matcher import Matcher
from assistant.core.playbooks.loader import load_library
from assistant.paths import BUILTIN_PLAYBOOKS

INDEX = ConceptIndex([
    ConceptSpec("loss", "亏钱", ("亏", "赔钱", "缩水", "打水漂"), ("risk_fear",)),
    ConceptSpec("worry", "担心", ("担心", "睡不着", "怕"), ("risk_fear",)),
    ConceptSpec("paper", "存折存单", ("存折", "拿在手里"), ("prefer_deposit",)),
])


def hits(text: str) -> list[tuple[str, str, bool]]:
    return [(h.concept_id, text[h.start:h.end], h.negated) for h in INDEX.hits(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("钱放你们这儿我晚上睡不着", [("worry", "睡不着", False)]),
    ("存折拿在手里才踏实", [("paper", "存折", False), ("paper", "拿在手里", False)]),
    ("我不担心", [("worry", "担心", True)]),
    ("一点也不怕亏", [("worry", "怕", True), ("loss", "亏", True)]),
    ("没怎么亏", [("loss", "亏", True)]),
    ("会不会亏", [("loss", "亏", False)]),  # asks, does not deny
    ("亏不亏啊", [("loss", "亏", False), ("loss", "亏", False)]),
    ("不是没钱，是怕亏", [("worry", "怕", False), ("loss", "亏", False)]),  # the negation stays in its clause
    ("錢會不會縮水", [("loss", "縮水", False)]),  # traditional characters; span on the original
    ("ＡＢＣ今天天气不错", []),
])
def test_hits(text: str, expected) -> None:
    assert hits(text) == expected


GAPPED = ConceptIndex([ConceptSpec("low-yield", "嫌收益低", ("利息…低", "收益...少"), ("rate_low",))])


@pytest.mark.parametrize(("text", "expected"), [
    ("利息太低了", [("利息太低", False)]),
    ("利息低", [("利息低", False)]),  # no gap at all is still the member
    ("利息怎么这么低", [("利息怎么这么低", False)]),
    ("收益真的很少", [("收益真的很少", False)]),
    ("利息不低", [("利息不低", True)]),  # the gap ends with a negator: denied
    ("利息也不算低", [("利息也不算低", True)]),
    ("利息，低", []),  # never across a clause
    ("利息差不多但风险低很多", []),  # too far apart to be one phrase
])
def test_gapped_members(text: str, expected) -> None:
    assert [(text[h.start:h.end], h.negated) for h in GAPPED.hits(text)] == expected


def test_weights_leave_negated_hits_out() -> None:
    assert INDEX.weights("我不担心，就怕亏") == {"worry": 1, "loss": 1}
    assert INDEX.weights("我不担心") == {}


def test_shipped_concepts_load_and_cover_the_issue_examples() -> None:
    index = ConceptIndex.from_library(load_library())
    assert len(index) >= 40
    said = {
        "钱放你们这儿我晚上睡不着": "worry", "本钱少一分都不行": "principal-safe",
        "存折拿在手里才踏实": "paper-certificate", "群里天天刷屏，我都静音了": "group-spam",
        "血本无归": "loss", "回去问问我老伴": "family",
        "利息怎么这么低": "low-yield", "利息一年比一年少": "rate-cut", "本以为很稳结果亏了两万": "past-experience",
    }
    for text, concept in said.items():
        assert concept in index.weights(text), text


def _branch(tmp_path: Path) -> Path:
    """A branch folder: its own topicless-in-code card that only names a concept, and a concept
    file that adds a member to a built-in concept and defines a new one."""
    folder = tmp_path / "branch"
    (folder / "objection").mkdir(parents=True)
    (folder / "concepts.yaml").write_text(
        "version: 1\nkind: concepts\nid: concepts-branch\ntitle: 网点说法\nconcepts:\n"
        "  - id: parking\n    label: 停车难\n    members: [停车, 车位, 没地方停]\n"
        "  - id: worry\n    label: 担心\n    members: [心里打鼓]\n", encoding="utf-8")
    (folder / "objection" / "parking.yaml").write_text(
        "version: 1\nkind: objection\nid: branch-parking\ntitle: 网点不好停车\ncards:\n"
        "  - id: branch-parking\n    title: 网点不好停车\n    topic: too_busy\n    concepts: [parking]\n"
        "    triggers: [你们那儿太远了懒得跑, 过去一趟太麻烦]\n"
        "    responses:\n      - text: 我上门给您讲。\n", encoding="utf-8")
    return folder


def test_a_branch_card_is_found_through_a_concept_it_names(tmp_path: Path) -> None:
    lib = load_library([BUILTIN_PLAYBOOKS, _branch(tmp_path)], use_cache=False)
    matcher = Matcher.from_library(lib, use_cache=False)
    found = matcher.search("你们门口没地方停啊")
    assert found and found[0].card_id == "branch-parking"
    assert "停车难" in found[0].concepts


def test_a_branch_member_joins_the_builtin_concept(tmp_path: Path) -> None:
    lib = load_library([BUILTIN_PLAYBOOKS, _branch(tmp_path)], use_cache=False)
    index = ConceptIndex.from_library(lib)
    assert "worry" in index.weights("钱放这儿我心里打鼓")
    assert "risk_fear" in index.concepts["worry"].topics  # the built-in topics stay
    found = Matcher.from_library(lib, use_cache=False).search("钱放这儿我心里打鼓")
    assert found and found[0].topic == "risk_fear"


def test_card_profiles_from_topic_names_and_triggers() -> None:
    from assistant.core.language.matchprep import Entry

    entries = [Entry("a", "objection", "risk_fear", "A", "理财会不会亏"),
               Entry("b", "objection", "fees", "B", "手续费太高了"), Entry("b", "objection", "fees", "B", "存折丢了怎么办")]
    profiles = INDEX.card_profiles(entries, {"b": ["loss"]})
    assert profiles["a"] == {"loss": 1.0, "worry": 1.0}  # both signal risk_fear
    assert profiles["b"]["loss"] == 1.0  # named by the card
    assert 0 < profiles["b"]["paper"] < 1  # only one trigger of two says it


def test_a_failing_bank_is_deposit_insurance_not_market_news() -> None:
    # Found by QA: 倒闭 was a market-news member, so 「银行要是倒闭了」 was heard as 听说市场不好.
    index = ConceptIndex.from_library(load_library())
    found = index.weights("银行要是倒闭了怎么办")
    assert "deposit-insurance" in found and "market-news" not in found
    assert "market-news" in index.weights("网上说基金大跌")


def test_a_negated_member_still_names_the_topic_less_surely() -> None:
    """「不保本的我不买」 is a demand for 保本: the negated hit counts, at NEGATED_STRENGTH."""
    from assistant.core.language import concepts

    index = ConceptIndex([ConceptSpec("principal", "要保本", ("保本",), ("guarantee_demand",))])
    assert index.weights("不保本的我不买") == {}
    assert index.strengths("不保本的我不买") == {"principal": concepts.member_strength("保本") * concepts.NEGATED_STRENGTH}
    assert index.strengths("要保本的") == {"principal": concepts.member_strength("保本")}
