"""Scoring by meaning on labelled staff replies (issue 14 targets).

Dev set (tests/data/rehearse_labelled.yaml) and held-out set (rehearse_heldout.yaml): ≥ 90 % of
must-pass replies pass, ≥ 95 % of must-fail replies fail. Model replies pass and beat poor and
non-compliant replies by ≥ 20 points in every scenario. `pytest -s` prints the figures;
`python -m tests.core.rehearse.reply_labels heldout -v` lists the misses.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from assistant.core.playbooks.loader import load_library
from assistant.core.rehearse.scoring import score_reply
from assistant.core.rehearse.sim import Rehearsal
from assistant.core.rehearse.targets import node_target
from reply_labels import load, rates, score_rows

OLD = Path(__file__).resolve().parents[2] / "data" / "rehearse_replies.yaml"
POOR = ("poor", "off_topic", "copy", "empty", "topic_only", "keyword_list", "echo")
NON_COMPLIANT = ("non_compliant", "violation")
MARGIN = 20


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.mark.parametrize("which", ["dev", "heldout"])
def test_labelled_replies_meet_the_targets(library, which):
    rows = load(which)
    assert len(rows) >= (300 if which == "dev" else 80)
    r = rates(score_rows(library, rows))
    (p_ok, p_n), (f_ok, f_n) = r["must_pass"], r["must_fail"]
    print(f"\n{which}: must-pass passed {p_ok}/{p_n} ({p_ok / p_n:.1%}), must-fail failed {f_ok}/{f_n} "
          f"({f_ok / f_n:.1%}); violations at 0: {r['violations_zero']}; by label {r['by_label']}")
    assert p_ok / p_n >= 0.90
    assert f_ok / f_n >= 0.95


def _model_scores(library) -> dict[str, list[int]]:
    out = defaultdict(list)
    for sid, scenario in library.scenarios.items():
        run = Rehearsal(library, sid, scenario.personas[0].id)
        for node in scenario.nodes:
            target = node_target(run, node)
            if node.end or not target.model_reply:
                continue
            s = score_reply(target.model_reply, target.key_points, library, customer_line=run.render(node.customer[0]),
                            customer_name=run.customer_name, persona=run.persona, channel=scenario.channel)
            out[sid].append((node.id, s))
    return out


def test_model_replies_pass(library):
    failing = [(sid, nid, s.total, s.reasons[:3]) for sid, items in _model_scores(library).items()
               for nid, s in items if not s.passed]
    assert not failing, failing


def test_model_replies_beat_poor_and_non_compliant_by_20_in_every_scenario(library):
    rows = [*YAML(typ="safe").load(OLD.read_text(encoding="utf-8")), *load("dev"), *load("heldout")]
    rows = [{**r, "text": r.get("text") or ""} for r in rows if r["label"] in POOR + NON_COMPLIANT]
    bad = defaultdict(lambda: defaultdict(list))
    for s in score_rows(library, rows):
        bad[s.scenario]["non_compliant" if s.label in NON_COMPLIANT else "poor"].append(s.score.total)
    gaps = {}
    for sid, items in _model_scores(library).items():
        model = sum(s.total for _, s in items) / len(items)
        poor = sum(bad[sid]["poor"]) / len(bad[sid]["poor"])
        gaps[sid] = (round(model - poor), round(model - max(bad[sid]["non_compliant"])))
    print("\nmodel − mean(poor), model − max(non-compliant) by scenario:", gaps)
    assert all(a >= MARGIN and b >= MARGIN for a, b in gaps.values()), gaps


def test_an_unsuitable_reply_full_of_the_right_words_fails_and_the_suitable_one_passes(library):
    """The trainer's case: an unsuitable reply scored 100 and the suitable one 57."""
    run = Rehearsal(library, "scenario-deposit-to-wealth", "careful-auntie")
    node = run.nodes["not-reached"]
    target = node_target(run, node)

    def score(text):
        return score_reply(text, target.key_points, library, customer_line=run.render(node.customer[0]),
                           customer_name=run.customer_name, persona=run.persona, channel="any")

    unsuitable = score("蒋阿姨，实话说可能达不到，也可能亏损，我不能打包票。您可以一部分存定期，一部分买点基金，收益高一些，您看怎么样？")
    suitable = score("蒋阿姨，这是养老钱，少一点都不行，那就继续存定期，本息确定，有存款保险，理财我不建议您买。您看这样放心吗？")
    steady = score("蒋阿姨您放心，这款稳稳的不会亏，您看怎么样？")
    assert not unsuitable.passed and unsuitable.unsuitable == "基金"
    assert suitable.passed and suitable.total >= 95
    assert steady.total == 0 and any(f.rule_id == "promise-no-loss" for f in steady.flags)


def test_a_point_that_asks_needs_a_question(library):
    run = Rehearsal(library, "scenario-deposit-to-wealth", "careful-auntie")
    node = run.nodes["renew-ask"]
    target = node_target(run, node)
    said = score_reply("蒋阿姨快坐，现在一年期年利率1.45%，您这笔钱的用钱计划我知道了。", target.key_points, library,
                       customer_name="蒋阿姨")
    asked = score_reply("蒋阿姨快坐，现在一年期年利率1.45%。您这笔钱有什么用钱计划吗？", target.key_points, library,
                        customer_name="蒋阿姨")
    assert "ask-plan" not in {e.point_id for e in said.covered}
    assert any("没有问出来" in r for r in said.reasons)
    assert "ask-plan" in {e.point_id for e in asked.covered}


def test_naming_a_product_makes_suitability_a_key_point(library):
    run = Rehearsal(library, "scenario-maturity-call", "busy-office-worker")
    target = node_target(run, run.nodes["probe-plan"])
    pushed = score_reply("刘先生，到期会回到卡里，推荐您买我们新出的这款理财，您有什么用钱打算吗？", target.key_points, library)
    assert "suitability" in {pid for pid, _ in pushed.missed}


def test_a_key_point_can_name_concepts_and_is_covered_by_their_meaning(library):
    from assistant.core.language.coverage import covered
    from assistant.core.playbooks.models import KeyPoint
    from assistant.core.rehearse.meaning import concept_index

    point = KeyPoint(id="ask-loss", label="问能不能接受亏损", evidence=["能接受亏损吗"], concepts=["loss"])
    index = concept_index(library)
    assert covered("要是本金缩水一点，您受得了吗？", [point], concepts=index).ids == {"ask-loss"}
    assert covered("要是本金缩水一点，您受得了吗？", [point]).ids == set()  # without concepts: words only
    assert covered("这个不会亏的。", [point], concepts=index).ids == set()  # a negated member proves nothing
