"""A reply that asks the next step's question early: the customer answers it and the flow moves on
from there, the skipped step credited (ahead.py). One seeded transcript per scenario is checked in
(tests/data/rehearse_ahead)."""

from __future__ import annotations

import json

import pytest
from golden import AHEAD_FOLDER, replay, transcript

from assistant.core.playbooks.loader import load_library
from assistant.core.rehearse.session import report
from assistant.core.rehearse.sim import Rehearsal

FILES = sorted(AHEAD_FOLDER.glob("*.json"))
#: The issue's opening: identity, the maturity and the needs question in one breath.
OPENING = "陈阿姨您好，我是网点的客户经理，您那笔定期12月15日到期，这笔钱您后面有什么打算吗？"


@pytest.fixture(scope="module")
def library():
    return load_library()


def _run(library, persona="cautious-retiree", seed=0):
    run = Rehearsal(library, "scenario-maturity-call", persona, seed=seed)
    run.start()
    return run


def _lines(run, node_id):
    node = run.nodes[node_id]
    return {run.render(t) for t in node.customer} | {run.render(x.text) for x in node.customer_lines if x.mood == "ask"}


def test_needs_asked_in_the_opening_are_answered_not_followed_by_the_next_question(library):
    for persona in ("cautious-retiree", "busy-office-worker", "rate-hunter"):
        for seed in range(4):
            run = _run(library, persona, seed)
            res = run.reply(OPENING.replace("陈阿姨", run.customer_name))
            assert run.node.id == "summarize-need", (persona, seed, res.customer.text)
            assert res.customer.text in _lines(run, "summarize-need")  # her plans for the money
            assert res.customer.text not in _lines(run, "probe-plan")  # not 「到期以后钱去哪儿了？」
            assert "用钱计划" in res.customer.why and "提问及解析" in res.customer.why


def test_the_skipped_step_is_credited_on_the_scorecard_and_in_the_json_report(library):
    run = _run(library)
    run.reply(OPENING)
    skipped = run.transcript[0].skipped
    assert skipped["node_id"] == "probe-plan" and skipped["step"] == "probe"
    assert skipped["asked"] == ["问这笔钱有没有用钱计划"] and "问期限或风险偏好" in skipped["missed"]
    card = run.scorecard()
    assert card.steps["probe"] == skipped["score"] > 0 and set(card.steps) == {"care", "probe"}
    assert report(run)["turns"][0]["skipped"] == skipped
    again = Rehearsal.from_json(library, json.loads(json.dumps(run.to_json())))
    assert again.transcript[0].skipped == skipped and again.node.id == "summarize-need"


def test_an_elderly_customer_answers_in_her_own_voice(library):
    from assistant.core.playbooks.models import Persona

    base = library.scenario("scenario-maturity-call").personas[1]
    senior = Persona(**{**base.model_dump(), "id": "real", "temperament": "chatty", "age": "senior"})
    said = set()
    for seed in range(16):
        run = Rehearsal(library, "scenario-maturity-call", "real", seed=seed, persona=senior)
        run.start()
        said.add(run.reply(OPENING).customer.text)
    assert "钱暂时用不上，我年纪大了，就想稳稳当当的，别折腾。" in said


@pytest.mark.parametrize("text", [
    "陈阿姨，这笔钱您后面有什么打算吗？",  # no identity, no reason for the call: who is this?
    "陈阿姨您好，我是网点的客户经理，您那笔定期12月15日到期，您更倾向哪种？",  # a later step's closing question
    "陈阿姨您好，我是网点的客户经理，您那笔定期12月15日到期，后面的安排我帮您想好了。",  # said, not asked
])
def test_only_a_real_question_of_the_next_step_after_a_passing_reply_skips_it(library, text):
    run = _run(library)
    run.reply(text)
    assert run.node.id in ("opening", "probe-plan") and run.transcript[0].skipped is None


def test_every_scenario_has_an_ask_ahead_transcript(library):
    assert {p.stem for p in FILES} >= set(library.scenarios)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_ask_ahead_transcript_replays_identically(library, path):
    spec = json.loads(path.read_text(encoding="utf-8"))
    run = replay(library, spec)
    turns = [{**t, "node": r.customer.node_id, "skipped": (r.skipped or {}).get("node_id")}
             for t, r in zip(transcript(run), run.transcript)]
    assert turns == spec["turns"], "regenerate with python -m tests.core.rehearse.golden --write and read the diff"
    assert run.scorecard().steps == spec["steps"] and run.outcome == spec["outcome"]
    said = [t["customer"] for t in turns]
    assert len(said) == len(set(said))
    skips = [i for i, t in enumerate(turns) if t["skipped"]]
    if not skips:  # two probe nodes in a row: the asked node's own line is her answer
        assert spec["scenario"] == "scenario-payroll-card" and turns[1]["node"] == "other-card"
        return
    i = skips[0]
    asked = run.nodes[turns[i]["skipped"]]
    assert turns[i + 1]["node"] == asked.next and asked.step in spec["steps"]


def test_an_objection_answer_that_also_does_the_step_moves_the_call_on(library):
    """Found playing 沈总 headless: 「不好意思沈总，不耽误您，一句话：我是贵公司代发的客户经理，今天就是
    认识一下…」 settled 没时间 but the call went back to the opening, and the next (needs) question was
    scored against the introduction (25, 你到底什么事？)."""
    run = Rehearsal(library, "scenario-payroll-executive", "busy-vp", seed=0)
    run.start()
    run.reply("您好，我是网点的客户经理。")
    assert run.state.pending and run.state.pending[0] == "too_busy"
    res = run.reply("不好意思沈总，不耽误您，一句话：我是贵公司代发的客户经理，今天就是认识一下。"
                    "您明天中午还是下班后方便，我再打给您？")
    assert res.customer.kind == "won_back" and run.node.id == "probe-concerns"
    assert run.transcript[1].skipped["node_id"] == "first-contact" and "这一步的要点" in res.customer.why
    nxt = run.reply("沈总，您现在最关心哪方面？孩子教育、父母养老，还是钱怎么放？")
    assert nxt.score.passed and nxt.customer.kind == "line"
