"""Scoring evidence a walk found too loose or too tight in 演练 (scenario deposit-to-wealth and the
prefer-deposit card): a rate point needs a figure; going along with 存定期 is respecting the choice."""

from __future__ import annotations

from assistant.core.rehearse.scoring import score_reply

NAME = "蒋阿姨"


def _rate_node(library):
    scenario = library.scenarios["scenario-deposit-to-wealth"]
    return next(n for n in scenario.nodes if any(kp.id == "rate-info" for kp in n.key_points or ()))


def _points(library, text: str, key_points, line: str = "") -> set[str]:
    return {e.point_id for e in score_reply(text, key_points, library, customer_line=line, customer_name=NAME).covered}


def test_telling_the_rate_needs_a_figure(library):
    """「现在利率不高」 earned ✓ 如实告知现在的定期利率 through 现在利率 with no number."""
    points = _rate_node(library).key_points
    bare = score_reply("蒋阿姨您好，快坐！现在利率不高，这笔钱您多久不用？", points, library, customer_name=NAME)
    assert "rate-info" not in {e.point_id for e in bare.covered}
    assert any("如实告知现在的定期利率" in r and "没说具体是多少" in r for r in bare.reasons)
    assert not any(r == "✗ 没讲到：如实告知现在的定期利率" for r in bare.reasons)  # one reason, not two
    assert "rate-info" not in _points(library, "蒋阿姨您好，利率下调了，降了不少，这笔钱您多久不用？", points)
    for figure in ("1.45%", "百分之一点四五", "一点四五", "1.45"):
        said = f"蒋阿姨您好，快坐！现在一年期定期年利率是{figure}，这笔钱大概多久用不上？"
        assert "rate-info" in _points(library, said, points), figure


def test_going_along_with_keeping_it_in_deposits_respects_the_choice(library):
    """「建议您还是继续存定期…稳稳当当的」 earned nothing for 尊重客户的选择，不硬推."""
    points = library.card("prefer-deposit").card.key_points
    line = "我还是存定期吧，踏实。"
    assert "respect" in _points(library, "建议您还是继续存定期，稳稳当当的。", points, line)
    for push in ("存定期太亏了，还是买理财吧。", "别继续存定期了，买理财吧。", "继续存定期不划算，我给您推荐一款理财。"):
        assert "respect" not in _points(library, push, points, line), push
