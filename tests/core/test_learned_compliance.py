"""The compliance check's learned second opinion (assistant/core/compliance/learned.py).

The lines below were written for this test (none is from a frozen set): violations phrased so no rule
pattern fits, honest lines the rules over-read, and small talk the model must leave alone.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from assistant.core.compliance import check, learned
from assistant.core.compliance.learned import ngrams, sentence_spans
from assistant.core.playbooks.loader import load_library

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_compliance_model.py"


@pytest.fixture(scope="module")
def lib():
    return load_library()


def _script():
    spec = importlib.util.spec_from_file_location("train_compliance_model", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def _errors(text, lib, learned=True):
    return [f for f in check(text, lib, learned=learned) if f.severity == "error"]


def test_the_shipped_model_was_trained_on_todays_rows():
    script = _script()
    from assistant.core.compliance.text import fold

    rows = script.training_rows()
    model = learned.shipped_model()
    assert model is not None, "playbooks/compliance/learned-model.json 缺失或读不了"
    import json

    trained_on = json.loads(learned.model_path().read_text(encoding="utf-8"))["trained_on"]
    assert trained_on["fingerprint"] == script.fingerprint(rows, [fold(t) for t, _, _ in rows]), (
        "合规学习模型过期（训练数据、话术库里员工说的话或 fold 变了）：运行 .venv/bin/python scripts/train_compliance_model.py")


@pytest.mark.parametrize("text, rule_id", [
    ("大姐 您就当它是存了个半年期的", "deposit-equivalence"),
    ("您签字那栏我先替您写上，回头您再看", "sign-for-customer"),
    ("收益这块您不用操心 每年都差不多这个数", "promise-return"),
])
def test_a_violation_no_rule_pattern_fits_is_flagged_under_the_rule_it_reads_like(lib, text, rule_id):
    assert not _errors(text, lib, learned=False)  # the rules alone miss it
    (flag,) = _errors(text, lib)
    assert flag.rule_id == rule_id and "合规模型判断" in flag.message and flag.source
    assert flag.quote and flag.quote in text and text[flag.span[0]:flag.span[1]] == flag.quote


def test_a_line_the_rules_flag_keeps_their_flags_and_gets_no_learned_one(lib):
    text = "这个我们内部人都买了好几年了，从来没让人失望过"
    assert [f.rule_id for f in _errors(text, lib)] == [f.rule_id for f in _errors(text, lib, learned=False)]
    assert not any("合规模型判断" in f.message for f in check(text, lib))


@pytest.mark.parametrize("text", ["小蒋，你是哪里人啊？听口音像南方的。", "吃了吗", "我来存两百块钱",
                                  "定期和国债都是保本的", "理财非存款，产品有风险，投资须谨慎"])
def test_small_talk_and_true_statements_are_left_alone(lib, text):
    assert not _errors(text, lib)


def test_a_long_text_is_read_a_sentence_at_a_time(lib):
    """One violating sentence inside friendly small talk is found and quoted on its own."""
    text = "阿姨早上好，今天降温了多穿点。收益这块您不用操心，每年都差不多这个数。周末网点有健康讲座，您有空来坐坐。"
    (flag,) = _errors(text, lib)
    assert flag.rule_id == "promise-return"
    assert text.index("收益") <= flag.span[0] and flag.span[1] <= text.index("周末")


def _rule_errors(text, lib):
    return [f.rule_id for f in _errors(text, lib) if "合规模型判断" not in f.message]


def _with_clearing(monkeypatch, clear_below):
    import dataclasses

    model = dataclasses.replace(learned.shipped_model(), clear_below=clear_below)
    monkeypatch.setattr("assistant.core.compliance.shipped_model", lambda: model)
    return model


def test_a_rule_hit_in_a_sentence_the_model_reads_as_honest_is_dropped(lib, monkeypatch):
    """A rhetorical 哪来 the rules do not read as a denial: they flag a warning as a promise. Where the model
    reads its sentence as honest (below the threshold), the hit is dropped; a violation in the next sentence
    keeps its flag."""
    from assistant.core.compliance.text import fold

    warning, promise = "理财哪来保本一说，侬要想清爽。", "这款产品保本保收益，您放心。"
    model = _with_clearing(monkeypatch, 0.5)
    assert model.probability(model.vector(fold(warning))) < 0.5 < model.probability(model.vector(fold(promise)))
    assert _errors(warning, lib, learned=False) and not _errors(warning, lib)
    both = _errors(warning + promise, lib, learned=False)
    assert any(f.span[1] <= len(warning) for f in both) and any(f.span[0] >= len(warning) for f in both)
    assert _errors(warning + promise, lib) == [f for f in both if f.span[0] >= len(warning)]


def test_the_shipped_threshold_is_low_and_zero_clears_nothing(lib, monkeypatch):
    assert 0 < learned.shipped_model().clear_below <= 0.1
    _with_clearing(monkeypatch, 0.0)
    assert _rule_errors("理财哪来保本一说，侬要想清爽。", lib)
    _with_clearing(monkeypatch, 1.0)
    assert not _rule_errors("这个放心，亏不了", lib)  # every hit doubted (the model may still flag it in its own name)


def test_a_hit_in_a_sentence_with_a_figure_is_never_cleared(lib, monkeypatch):
    """The rules read arithmetic the model cannot: compliant words around a yuan comparison of 理财 and 定期."""
    text = "阿姨，20万放113天，定期1.45%，这款业绩比较基准2.3%，按基准算能多拿五百二十多块，但这不是承诺。"
    _with_clearing(monkeypatch, 1.0)
    assert "wealth-vs-deposit-yuan" in _rule_errors(text, lib)


def test_without_the_model_the_rules_run_alone(lib, monkeypatch):
    monkeypatch.setattr("assistant.core.compliance.shipped_model", lambda: None)
    assert not _errors("大姐 您就当它是存了个半年期的", lib)
    assert _errors("这个放心，亏不了", lib)


def test_sentences_and_grams():
    assert sentence_spans("你好。这个保本！\n好的") == [(0, 2), (3, 7), (9, 11)]
    assert sentence_spans("  。\n") == []
    grams = ngrams("你好啊 保本")
    assert "保本" in grams and " 保本" in grams and "本 " in grams
    assert "啊" not in grams and "你好" not in grams and "好啊 " not in grams  # style, not content


def test_no_frozen_line_is_a_training_row():
    """The frozen sets measure the model only if it never saw them (they are read here, never printed)."""
    import sys

    from ruamel.yaml import YAML

    script = _script()
    data = Path(__file__).resolve().parents[1] / "data"
    yaml = YAML(typ="safe")
    frozen: set[str] = set()
    for path in [*data.glob("compliance_unseen*.yaml"), data / "compliance_everyday_unseen.yaml"]:
        doc = yaml.load(path.read_text(encoding="utf-8"))
        for section in doc.values():
            rows = section["pass"] if isinstance(section, dict) else section
            frozen |= {str(r["text"] if isinstance(r, dict) else r) for r in rows}
    frozen |= {row["text"] for row in yaml.load((data / "rehearse_heldout.yaml").read_text(encoding="utf-8"))}
    sys.path.insert(0, str(data.parent))
    import realcorpus

    frozen |= {line.text for line in realcorpus.load_all("test") if line.kind == "staff"}
    assert len(frozen) > 1500
    trained = {text for text, _, _ in script.training_rows()}
    overlap = len(trained & frozen)  # a count: never print a frozen line
    assert overlap == 0
