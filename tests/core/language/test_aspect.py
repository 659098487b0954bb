"""A loss told as done also signals a loss that happened (past_loss), one feared does not."""

import pytest

from assistant.core.language.aspect import told_done
from assistant.core.language.concepts import ConceptIndex, ConceptSpec

INDEX = ConceptIndex([
    ConceptSpec("loss", "亏钱", ("亏", "缩水"), ("risk_fear", "past_loss")),
    ConceptSpec("past-experience", "以前吃过亏", ("上次",), ("past_loss",)),
])


def _at(text: str, member: str) -> bool:
    start = text.index(member)
    return told_done(text, start, start + len(member))


@pytest.mark.parametrize("text", ["那为什么亏了22%？", "没想到竟然出现亏本", "半年就缩水了一万多", "结果还是亏"])
def test_done(text: str) -> None:
    assert _at(text, "亏" if "亏" in text else "缩水")


@pytest.mark.parametrize("text", ["万一亏了怎么办", "会不会亏", "亏了谁负责", "我怕亏了", "亏了吗"])
def test_feared_or_asked(text: str) -> None:
    assert not _at(text, "亏")


def test_a_loss_told_as_done_also_counts_as_one_that_happened() -> None:
    assert set(INDEX.strengths("买的理财缩水了一万")) == {"loss", "past-experience"}
    assert INDEX.strengths("买的理财缩水了一万")["past-experience"] == 1.0  # 缩水了: three characters
    assert set(INDEX.strengths("万一缩水了怎么办")) == {"loss"}
    assert set(INDEX.strengths("不会亏吧")) == {"loss"}


def test_without_the_concept_it_maps_to_nothing_is_added() -> None:
    alone = ConceptIndex([ConceptSpec("loss", "亏钱", ("亏",), ("risk_fear",))])
    assert set(alone.strengths("亏了两万")) == {"loss"}
