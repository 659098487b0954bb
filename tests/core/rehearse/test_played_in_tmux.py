"""Defects found playing rehearsals in tmux (issue 14: "feels like talking to a person who
listens"), one test each, on the shipped playbooks."""

from __future__ import annotations

import pytest

from assistant.core.rehearse.sim import Rehearsal


@pytest.fixture(scope="module")
def library():
    from assistant.core.playbooks.loader import load_library

    return load_library()


def _at(library, scenario: str, persona: str, node: str, seed: int = 0) -> Rehearsal:
    """A run brought to `node` by the model replies."""
    run = Rehearsal(library, scenario, persona, seed=seed)
    run.start()
    while run.node.id != node:
        run.reply(run.target().model_reply)
    return run


def test_a_summary_that_keeps_her_money_in_deposits_is_not_answered_with_what_products(library):
    """王阿姨 (67) heard 「…其余的接着存定期，您看行吗？」 and asked 「那你们现在有什么产品？收益大概多少？」."""
    run = _at(library, "scenario-maturity-call", "cautious-retiree", "summarize-need")
    turn = run.reply("明白，您这笔钱暂时不用，想稳当，也要留点灵活，万一家里有事能取。到期后放活期利息很低，"
                     "留一部分随时能取，其余的接着存定期，您看行吗？").customer
    assert turn.node_id == "close-appointment" and "产品" not in turn.text
    assert "存款" in turn.why


def test_today_naming_this_call_is_not_a_time_offered(library):
    """Busy 刘先生 answered 「今天给您打电话呢，主要是想跟您聊聊」 with 「今天不太行，我那会儿走不开，周六上午吧。」."""
    from assistant.core.rehearse.reactions import time_offered

    reply = "刘先生您好，我是幸福里支行的理财经理李娜，今天给您打电话呢，主要是想跟您聊聊，您平时工作忙不忙呀？"
    assert time_offered(reply) is None
    assert time_offered("今天下午三点我再给您打电话") == "今天下午三点"
    run = Rehearsal(library, "scenario-maturity-call", "busy-office-worker")
    run.start()
    result = run.reply(reply)
    assert "time" not in [r.rule for r in result.reactions] and "走不开" not in result.customer.text


def test_ignored_she_asks_her_question_again_not_a_line_that_asks_nothing(library):
    """Busy 刘先生 asked 「到期就到期呗，钱不是自动回来吗？」; a product pitch that ignored it drew
    「我刚问你呢，嗯，你说吧，什么事？」 (the node's neutral line, which asks nothing)."""
    for seed in range(4):
        run = Rehearsal(library, "scenario-maturity-call", "busy-office-worker", seed=seed)
        run.start()
        first = run.reply("不好意思刘先生，长话短说：您那笔15万的理财12月8日到期，提前跟您说一声，现在方便说两分钟吗？")
        assert "到期" in first.customer.text  # her question about the maturing money (a `heard` line)
        again = run.reply("刘先生，我们最近有款基金很不错，收益高，您要不要了解一下？").customer.text
        assert "什么事" not in again and ("到期" in again or "钱" in again), again


def test_an_unsuitable_product_is_named_whole_in_the_refusal():
    """蒋阿姨 refused 「偏股？我这把年纪可不碰这个」 after 「拿一半买点偏股基金」: she names what was offered."""
    from assistant.core.rehearse.reactions import risky_offer

    assert risky_offer("阿姨，利息低的话，您可以拿一半买点偏股基金，长期收益高一些，您看怎么样？") == "偏股基金"
    assert risky_offer("建议您买点股票型基金") == "股票型基金"
    assert risky_offer("我不建议您买偏股基金") is None


def offered_equity_fund(library) -> Rehearsal:
    """蒋阿姨's run from tmux: a good opening, 偏股基金 offered, then the model replies."""
    run = Rehearsal(library, "scenario-deposit-to-wealth", "careful-auntie", seed=5493)
    run.start()
    run.reply("蒋阿姨您好，快坐。一年期定期现在挂牌利率是1.5%。这笔钱您打算多久不用？")
    run.reply("阿姨，利息低的话，您可以拿一半买点偏股基金，长期收益高一些，您看怎么样？")
    while not run.finished and len(run.transcript) < 12:
        run.reply(run.target().model_reply)
    return run


def test_a_run_that_crossed_a_red_line_does_not_pass_whatever_its_average(library):
    """蒋阿姨 (70) was offered 偏股基金 and the scorecard read 81 ✓ 过关."""
    from assistant.ui.screens.scorecard import scorecard_text

    card = offered_equity_fund(library).scorecard()
    assert card.total >= 70 and not card.passed
    assert card.red_line == "向客户推荐了不适合的「偏股基金」"
    assert "✗ 未过关（向客户推荐了不适合的「偏股基金」）" in scorecard_text(card, library).plain


def test_a_reply_that_makes_up_for_the_last_step_is_answered_not_called_off_topic(library):
    """沈总 said 「行，你说吧，我听着」 after a greeting with no number; 「…我的号码您存一下，有事随时找我」
    then drew 「你倒是说正事啊」 and 「你没接客户的话」. She takes the number, with no patience lost."""
    for seed in range(3):
        run = Rehearsal(library, "scenario-payroll-executive", "busy-vp", seed=seed)
        run.start()
        run.reply("沈总您好，我是幸福里支行的李娜，耽误您两分钟可以吗？")
        assert run.node.id == "probe-concerns"
        result = run.reply("沈总，谢谢华新电子选择我们。今天不推产品，就是认识一下，我的号码您存一下，有事随时找我。")
        assert "ignored" not in [r.rule for r in result.reactions]
        assert "存了" in result.customer.text and "联系方式" in result.customer.why
        assert run.patience_left == run.patience_max and run.node.id == "probe-concerns"


def test_a_restatement_in_its_own_words_is_a_restatement(library):
    """沈总: 「孩子留学和老人看病是两件大事，您又没空细管」 was marked ✗复述重点（孩子、老人、没空管）."""
    from assistant.core.rehearse.scoring import score_reply

    run = Rehearsal(library, "scenario-payroll-executive", "busy-vp")
    node = run.nodes["summarize-focus"]
    score = score_reply("明白，孩子留学和老人看病是两件大事，您又没空细管。不用换银行，我可以先帮您梳理一下，您看呢？",
                        node.key_points, library, customer_line="最头疼的是没时间，钱放着也没细算过。",
                        customer_name="沈总", persona=run.persona, channel="phone")
    assert "restate" in {e.point_id for e in score.covered}


PROPOSE = ("沈总，资产体检就是按您孩子教育和老人养老两个目标算算缺口，出一页纸建议，不用转资金，不买也没关系。"
           "半小时就够，我周四下午三点去您办公室，方便吗？")


def test_a_concrete_time_offered_asks_for_a_convenient_time(library):
    """沈总: 「我周四下午三点去您办公室，方便吗？」 was marked ✗问方便的时间."""
    run = _at(library, "scenario-payroll-executive", "busy-vp", "propose-review")
    result = run.reply(PROPOSE)
    assert "ask-time" in {e.point_id for e in result.score.covered}


def test_her_worry_after_a_counter_time_turns_on_but(library):
    """「周四下午三点不太行，我那会儿走不开，周六上午吧。我在别的银行有私行经理，他们也做这个。」 read as two
    people talking: the worry that follows her counter-time starts with 不过."""
    run = _at(library, "scenario-payroll-executive", "busy-vp", "propose-review")
    text = run.reply(PROPOSE).customer.text
    assert "吧。不过，" in text and run.node.step == "handle_objection"


def test_asking_for_her_code_is_what_a_wary_customer_reacts_to(library):
    """严老师 (怕被骗) heard 「手机给我，我帮您弄，验证码是多少您念给我听一下」 and reacted only to 「手机给我」."""
    run = Rehearsal(library, "scenario-senior-mobile-banking", "scam-wary-retiree")
    run.start()
    result = run.reply("严老师您别急，手机给我，我帮您弄，验证码是多少您念给我听一下。")
    assert result.reactions[0].rule == "compliance" and "验证码" in result.customer.text
    assert "密码/验证码" in result.customer.why and run.finished


def test_ignored_after_a_statement_she_does_not_say_you_did_not_answer(library):
    """秦先生 said 「你们利率比某股份制银行低，我准备转走了。」 (no question); small talk drew 「你还没回答我呢。…」."""
    checked = 0
    for seed in range(8):
        run = Rehearsal(library, "scenario-anti-poaching", "rate-chaser", seed=seed)
        if "？" in run.start().text:
            continue
        result = run.reply("秦先生您好，好久不见，最近身体怎么样？")
        assert result.reactions[0].rule == "ignored"
        assert "没回答" not in result.customer.text and "刚问你" not in result.customer.text, result.customer.text
        checked += 1
    assert checked >= 2


def test_a_locked_term_in_plain_words_names_the_condition(library):
    """秦先生: 「三年期锁得比较死」 was marked ✗点出常见条件（…期限锁定）."""
    from assistant.core.language.coverage import covered

    node = Rehearsal(library, "scenario-anti-poaching", "rate-chaser").nodes["clarify-terms"]
    points = [kp for kp in node.key_points if kp.id == "conditions"]
    assert covered("三年期锁得比较死，这笔钱三年内您会不会要用？", points).covered


def test_the_panel_gives_each_reason_once_when_she_hangs_up(library):
    """秦先生 hung up after ignored replies; 「你的回复没有接客户刚说的话，这已经不是第一次了」 was listed twice."""
    from assistant.ui.widgets.feedback import reply_feedback

    run = Rehearsal(library, "scenario-anti-poaching", "rate-chaser", seed=1)  # her last words: not a goodbye
    run.start()
    run.reply("秦先生您好，好久不见，最近身体怎么样？")
    result = run.reply("秦先生，今天天气不错，您吃饭了吗？")
    assert result.customer.kind == "hangup"
    text = reply_feedback(result.score, "第2句", result.customer.why, result.reactions).plain
    assert text.count("不是第一次") == 1 and text.count("没有接客户刚说的话") == 1, text


def test_the_headless_json_gives_each_turn_its_reaction_and_reason(capsys, tmp_path):
    """Done-when of issue 14: `coach rehearse --json` exposes each turn's reaction reason (and why
    the customer said her next line), here on the reproduction of the presupposed number."""
    import json

    from assistant.cli import main

    path = tmp_path / "replies.txt"
    path.write_text("沈总您好，我是幸福路支行的小李，耽误您两分钟可以吗？\n沈总，今天天气不错，您吃饭了吗？\n"
                    "这款理财保本保收益，稳赚不赔。\n", encoding="utf-8")
    code = main(["rehearse", "--scenario", "payroll-executive", "--persona", "busy-vp", "--replies", str(path),
                 "--no-log", "--json"])
    turns = json.loads(capsys.readouterr().out)["turns"]
    assert code == 0
    assert "号码" not in turns[1]["customer"]  # nobody gave a number
    replied = [t for t in turns if t["reply"]]
    assert [t["reaction"]["rule"] for t in replied[1:]] == ["ignored", "compliance"]
    assert all(t["reaction"]["reason"] for t in replied[1:]) and all(t["why"] for t in turns[1:])


def test_ignored_after_telling_her_situation_she_says_that_again_not_another(library):
    """秦先生 told 「说不准，家里老人身体不好，万一要用呢。」; ignored, he said 「你还没回答我呢。三年应该用不上吧……」:
    another of the node's lines, another situation (found headless)."""
    checked = 0
    for seed in range(6):
        run = _at(library, "scenario-anti-poaching", "rate-chaser", "restate-needs", seed=seed)
        told = run.transcript[-1].customer.text
        if "？" in told:
            continue
        others = [line for line in run.node.customer if line not in told and "{%" not in line]
        turn = run.reply("明白了。那我把两边到手利息算给您看，您再定，好吗？").customer.text
        assert told.split("，")[0] in turn and "没回答" not in turn, (told, turn)
        assert not any(o.split("，")[0] in turn for o in others), (told, turn)
        checked += 1
    assert checked
