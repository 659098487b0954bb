"""The simulated customer: seeded variants, moving on, objections, hang-up, winning back, state."""

import json

import pytest

from assistant.core.errors import UnknownIdError
from assistant.core.rehearse.sim import Rehearsal, RehearsalOver

GOOD = [
    "刘先生您好，我是理财经理小李，您那笔钱快到期了，提醒您一下，耽误您一分钟可以吗？",
    "刘先生，到期会回卡里。这笔钱接下来有用钱的打算吗？希望稳一点吗？",
    "刘先生，给您两个方案，理财非存款、产品有风险，您看哪个？",
]
PUSH = "给您推荐两个方案，理财非存款，产品有风险"
BUSY_ANSWER = "刘先生，不耽误您，就一分钟，要不我晚点再打给您？"


def run(lib, persona="busy-liu", seed=0, replies=()):
    r = Rehearsal(lib, "fixture-call", persona, seed=seed)
    r.start()
    for text in replies:
        if r.finished:
            break
        r.reply(text)
    return r


def test_good_path_reaches_the_end(fixture_library):
    r = run(fixture_library, replies=GOOD)
    assert r.finished and r.outcome == "成交"
    kinds = [t.customer.kind for t in r.transcript]
    assert kinds == ["line", "line", "line", "end"]
    assert r.transcript[-1].reply is None


def test_same_seed_same_transcript(fixture_library):
    a = run(fixture_library, seed=7, replies=["嗯", PUSH, *GOOD])
    b = run(fixture_library, seed=7, replies=["嗯", PUSH, *GOOD])
    assert json.dumps(a.to_json(), ensure_ascii=False) == json.dumps(b.to_json(), ensure_ascii=False)


def test_different_seeds_vary(fixture_library):
    seen = {tuple(t.customer.text for t in run(fixture_library, seed=s, replies=GOOD).transcript) for s in range(8)}
    assert len(seen) > 1


def test_pushing_product_before_asking_needs_is_called_out(fixture_library):
    r = run(fixture_library, replies=[PUSH])
    turn = r.transcript[-1].customer
    assert turn.kind == "reaction" and turn.node_id == "start"
    assert turn.text in ("你先别推销，我还没说要买。", "怎么一上来就推产品？我还没说要买呢。", "先别跟我说产品，你都不知道我要干嘛。")
    assert "推销" in turn.why and r.transcript[0].reactions[0]["rule"] == "pushy"


def _objection_run(lib, seed):
    return run(lib, seed=seed, replies=["我是小李"])  # half the start points: poor for a hard persona


def test_a_weak_reply_may_raise_an_objection_in_the_persona_voice(fixture_library):
    raised = [_objection_run(fixture_library, s).transcript[-1].customer for s in range(8)]
    raised = [c for c in raised if c.kind == "objection"]
    assert raised, "some seed raises the busy persona's objection"
    for c in raised:
        assert c.objection == "too_busy" and c.card_id == "too-busy-fixture"
        # busy persona on the phone: never the WeChat line, never a trigger
        assert c.text in ("我这边正忙着呢，有事快说。", "我马上要开会，长话短说。")


def test_hangs_up_after_patience_poor_replies(fixture_library):
    r = run(fixture_library, replies=["嗯", "嗯"])
    assert r.finished and r.outcome == "未成交"
    last = r.transcript[-1].customer
    assert last.kind == "hangup" and last.text.endswith(("算了，我先挂了。", "不用了，再见。"))
    assert r.patience_max == 2 and r.patience_left == 0


def test_won_back_resets_patience_to_its_fixed_maximum(fixture_library):
    seed = next(s for s in range(8) if _objection_run(fixture_library, s).transcript[-1].customer.kind == "objection")
    r = run(fixture_library, seed=seed, replies=["我是小李", BUSY_ANSWER])
    last = r.transcript[-1].customer
    assert last.kind == "won_back" and last.node_id == "start" and not r.finished
    assert last.text == "行，那你说吧，我听着。"
    assert r.patience_left == r.patience_max == 2
    r.reply("嗯")
    assert not r.finished and r.patience_left == 1
    r.reply("嗯")
    assert r.outcome == "未成交"


def test_objection_not_raised_twice(fixture_library):
    seed = next(s for s in range(8) if _objection_run(fixture_library, s).transcript[-1].customer.kind == "objection")
    r = run(fixture_library, seed=seed, replies=["我是小李", BUSY_ANSWER, "我是小李"])
    assert r.transcript[-1].customer.kind != "objection"


def test_no_line_is_said_twice(fixture_library):
    for seed in range(6):
        r = run(fixture_library, seed=seed, replies=["我是小李", "嗯，刘先生", "我是小李", "嗯"])
        said = [t.customer.text for t in r.transcript]
        assert len(said) == len(set(said)), said


def test_compliance_breach_does_not_move_on(fixture_library):
    r = run(fixture_library, replies=["刘先生您好，我是理财经理，您那笔保本的快到期了，提醒您一下，可以吗？"])
    assert r.transcript[0].score.total == 0
    assert r.transcript[-1].customer.node_id == "start"


@pytest.mark.parametrize("persona, moves_on", [("busy-liu", False), ("warm-wang", True)])
def test_difficulty_shifts_the_pass_share(fixture_library, persona, moves_on):
    r = run(fixture_library, persona=persona, replies=["您好，我是理财经理小李，最近好吗？"])  # 1 of 2 points
    assert (r.transcript[-1].customer.node_id == "ask") is moves_on


def test_resume_from_json_continues_identically(fixture_library):
    a = run(fixture_library, seed=3, replies=["嗯"])
    b = Rehearsal.from_json(fixture_library, json.loads(json.dumps(a.to_json())))
    for text in (PUSH, *GOOD):
        if a.finished:
            break
        assert a.reply(text).customer == b.reply(text).customer
    assert a.to_json() == b.to_json()


def test_hint_names_the_next_point_and_the_model_reply(fixture_library):
    r = run(fixture_library)
    hint = r.hint()
    assert "报上身份" in hint and "刘先生您好，我是理财经理，您那笔" in hint  # no staff signed in: no stranger's name
    assert r.transcript[-1].hints == 1


def test_reply_after_the_end_is_refused(fixture_library):
    r = run(fixture_library, replies=GOOD)
    with pytest.raises(RehearsalOver):
        r.reply("还有别的吗？")


def test_unknown_persona_suggests_the_nearest(fixture_library):
    with pytest.raises(UnknownIdError, match="busy-liu"):
        Rehearsal(fixture_library, "fixture-call", "busy-lui")


def test_scorecard_after_a_mixed_run(fixture_library):
    r = run(fixture_library, replies=[PUSH, *GOOD])
    card = r.scorecard()
    assert card.outcome == "成交" and card.replies == 4
    # the fixture scenario has no 回应异议 or 未成交沉淀 node: those skills are not its to practise
    assert set(card.skills) == {"opening", "discovery", "solution", "closing"}
    assert card.skills["opening"]["score"] is not None
    assert 1 <= len(card.practise) <= 3
    assert card.practise[0].score <= card.practise[-1].score
    assert {p.kind for p in card.practise} <= {"card", "step"}
    assert card.steps["care"] < 80
    # Found in tmux: a passed step padded the list (「平均100分，已过关，再巩固一下」).
    assert all(p.score < 80 for p in card.practise) and "已过关" not in "".join(p.why for p in card.practise)


def test_a_run_where_every_step_passed_lists_nothing_to_practise_and_says_so(fixture_library):
    from assistant.core.rehearse.scorecard import ALL_PASSED_TITLE, PRACTISE_TITLE, practise_title
    from assistant.ui.screens.scorecard import scorecard_text

    card = run(fixture_library, replies=GOOD).scorecard()
    assert card.passed and card.practise == []
    assert practise_title(card, 80) == ALL_PASSED_TITLE
    text = scorecard_text(card, fixture_library).plain
    assert ALL_PASSED_TITLE in text and PRACTISE_TITLE not in text and "巩固" not in text
    assert practise_title(run(fixture_library).scorecard(), 80) == PRACTISE_TITLE  # no reply: not "all passed"


def test_the_scorecard_computes_step_scores_once(fixture_library):
    r = run(fixture_library, replies=["我是小李", BUSY_ANSWER, "嗯，刘先生", *GOOD])
    card = r.scorecard()
    for p in card.practise:
        if p.kind == "step":
            assert p.score == card.steps[p.step]
    opening = card.skills["opening"]["score"]
    assert opening == card.steps["care"]


def test_a_step_failed_on_a_red_line_says_so_in_what_to_practise():
    """Found in tmux: a fund pushed to 陈阿姨 with 「比定期高多了」 scored 0 and the scorecard said
    「常漏：复述客户的情况」; the lesson is the red line."""
    from assistant.core.playbooks.loader import load_library

    r = Rehearsal(load_library(), "scenario-maturity-call", "cautious-retiree", seed=3)
    r.start()
    r.reply("陈阿姨您好，我是网点的理财经理，您那笔理财12月15日到期，耽误您两分钟，这笔钱您后面有什么打算吗？")
    r.reply("陈阿姨，这款理财保本保收益，稳赚不赔，您买点吧？")
    worst = r.scorecard().practise[0]
    assert worst.score == 0 and "触犯合规红线" in worst.why and "常漏" not in worst.why
