"""The learned topic opinion (assistant/core/language/learnedtopic.py) and how the matcher uses it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from assistant.core.language import learnedtopic
from assistant.core.language.matcher import Matcher
from assistant.core.language.matchprep import Entry

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "train_topic_model.py"


def _script():
    spec = importlib.util.spec_from_file_location("train_topic_model", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def test_the_shipped_model_was_trained_on_todays_triggers():
    script = _script()
    model = learnedtopic.shipped_model()
    assert model is not None, "playbooks/topic-model.json 缺失或读不了"
    trained_on = json.loads(learnedtopic.model_path().read_text(encoding="utf-8"))["trained_on"]
    assert trained_on["fingerprint"] == script.fingerprint(script.training_rows()), (
        "学习话题模型过期（触发词、无关句或训练设置变了）：运行 .venv/bin/python scripts/train_topic_model.py")


def test_a_held_out_line_is_left_out_of_training():
    script = _script()
    rows = script.training_rows()
    text = next(t for t, topic in rows if topic == learnedtopic.NONE)
    assert all(t != text for t, _ in script.training_rows(frozenset({text})))


def test_grams_leave_out_function_characters_only():
    g = learnedtopic.grams("我怕亏")
    assert "怕亏" in g and "亏 " in g and "我" not in g and " 我" not in g


class _Fixed:
    """A stand-in model that gives every line the same probabilities."""

    def __init__(self, p):
        self.p = p

    def probabilities(self, norm):
        return self.p


def _matcher(p) -> Matcher:
    rows = [("rate-low", "rate_low", ["利息太低了", "利率比别家低"]), ("too-busy", "too_busy", ["我在开会", "现在没空"]),
            ("fees", "fees", ["手续费太贵", "管理费收得太高"]), ("family", "family_consult", ["回家跟老伴商量", "问问我儿子"])]
    m = Matcher([Entry(c, "objection", t, c, x) for c, t, xs in rows for x in xs], use_cache=False)
    m.topic_model = _Fixed(p)
    return m


def test_a_guess_gets_the_models_topic_in_third_place_dimmed():
    m = _matcher({"family_consult": 0.7, "rate_low": 0.2, "none": 0.1})
    m.topic_model = None
    alone = m.search("利息低手续费也高")
    assert alone and alone[0].tier == "maybe" and "family_consult" not in [r.topic for r in alone]
    m.topic_model = _Fixed({"family_consult": 0.7, "rate_low": 0.2, "none": 0.1})
    got = m.search("利息低手续费也高")
    assert [r.card_id for r in got[:2]] == [r.card_id for r in alone[:2]]
    assert got[-1].topic == "family_consult" and got[-1].tier == "maybe" and len(got) <= 3
    assert got[-1].learned and not any(r.learned for r in got[:-1]) and not any(r.learned for r in alone)


def test_nothing_is_added_where_the_matcher_shows_nothing_or_is_sure():
    m = _matcher({"family_consult": 0.9, "none": 0.1})
    assert m.search("今天天气不错") == []
    sure = m.search("利息太低了")
    assert sure and sure[0].tier == "sure" and all(r.topic != "family_consult" for r in sure)


@pytest.mark.parametrize("p_none", [0.95, 0.85])  # 0.85: above HIDE_AT since session 14 (was 0.9)
def test_a_line_the_model_reads_as_small_talk_keeps_only_sure_cards(p_none):
    line = "利息低手续费也高"
    m = _matcher({"none": p_none, "rate_low": 1 - p_none})
    assert m.search(line) == []
    m.topic_model = None
    assert m.search(line)


def test_the_small_talk_gate_spares_triggers_the_model_never_saw():
    m = _matcher({"none": 0.95, "rate_low": 0.05})
    m._untaught = frozenset(i for i, e in enumerate(m.prep.entries) if e.card_id == "rate-low")
    assert [r.card_id for r in m.search("利息低手续费也高")] == ["rate-low"]


def test_a_branch_card_and_a_remembered_line_are_untaught(tmp_path):
    from assistant.core.language.matcher import _untaught
    from assistant.core.playbooks.loader import load_library
    from assistant.core.remembered import REMEMBERED
    from assistant.paths import BUILTIN_PLAYBOOKS

    folder = tmp_path / "branch" / "objection"
    folder.mkdir(parents=True)
    (folder / "parking.yaml").write_text(
        "version: 1\nkind: objection\nid: branch-parking\ntitle: 停车\ncards:\n  - id: branch-parking\n    title: 停车\n"
        "    topic: too_busy\n    triggers: [你们门口没地方停车]\n    responses:\n      - text: 我上门给您讲。\n", encoding="utf-8")
    lib = load_library([BUILTIN_PLAYBOOKS, folder.parent], use_cache=False)
    builtin = next(ref for ref in lib.cards.values() if ref.card.topic == "rate_low")
    entries = [Entry(builtin.id, builtin.kind, "rate_low", "t", "利息太低"), Entry("branch-parking", "objection", "too_busy", "t", "没地方停"),
               Entry(builtin.id, builtin.kind, "rate_low", "t", "利息一年不如一年", REMEMBERED)]
    assert _untaught(lib, entries) == {1, 2}


@pytest.mark.parametrize("text", ["今天天气真好啊", "好的谢谢你"])
def test_the_shipped_model_reads_small_talk_as_none(text):
    p = learnedtopic.shipped_model().probabilities(text)
    assert max(p, key=p.get) == learnedtopic.NONE


def test_the_added_card_respects_top():
    m = _matcher({"family_consult": 0.7, "rate_low": 0.2, "none": 0.1})
    assert len(m.search("利息低手续费也高", top=1)) == 1
