"""A drill answer is scored as a reply to the customer the exercise names (found in tmux: 蒋阿姨, the
cautious elder of deposit-to-wealth, advised to keep her pension in deposits passed in 演练 and failed
the same step in 练习 with 50分, because the drill scored it as a reply to nobody)."""

from __future__ import annotations

from assistant.core.rehearse import drill

KEEP = "蒋阿姨，确实利率一直在降，您的感受我理解。这笔是养老钱，一分都不能少吧？那我建议您还是继续存定期，您看存一年还是三年？"
FUND = "蒋阿姨，确实利率一直在降，您的感受我理解。您以前买过理财吗？我建议您配点偏股基金，收益高一些，您看呢？"


def auntie_exercise(library, node_id: str):
    """The drill exercise of a deposit-to-wealth node whose customer is 蒋阿姨 (the seed that picks her)."""
    item = drill.new_item("s1", "2026-12-06", scenario_id="scenario-deposit-to-wealth", node_id=node_id)
    for seed in range(50):
        exercise = drill.make_exercise(item, library, seed=seed)
        if exercise.customer_name == "蒋阿姨":
            return exercise
    raise AssertionError("no seed picked 蒋阿姨")


def test_keeping_a_cautious_elders_money_in_deposits_passes_the_drill_as_it_does_the_rehearsal(library):
    exercise = auntie_exercise(library, "probe-risk")
    assert exercise.persona.temperament == "cautious_elderly" and exercise.channel == "any"
    score = drill.score_exercise(exercise, KEEP, library)
    assert score.passed, score.reasons


def test_a_fund_offered_to_her_in_a_drill_is_capped_as_in_a_rehearsal(library):
    from assistant.core.rehearse.meaning import UNSUITABLE_CAP

    score = drill.score_exercise(auntie_exercise(library, "probe-risk"), FUND, library)
    assert score.unsuitable and score.total <= UNSUITABLE_CAP
