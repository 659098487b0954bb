"""Each reaction rule: the customer reacts to what the reply says, and the reason is given."""

from __future__ import annotations

import random

import pytest

from assistant.core.playbooks.loader import load_library
from assistant.core.rehearse.reactions import Heard, blocking, judge
from assistant.core.rehearse.sim import Rehearsal
from assistant.core.rehearse.voice import Facts


@pytest.fixture(scope="module")
def library():
    return load_library()


def heard(reply, line="我那笔定期到期了，续存现在是多少利息？", temperament="warm", age="middle", **kw):
    rng = random.Random(0)
    base = dict(facts=Facts(), flags=(), share=0.0, ok=False, name="曹女士", products=("稳享113天理财",),
                recommends=False, warmth=0, seen=(), pick=lambda options, purpose: rng.choice(options))
    base.update(kw)
    return Heard(reply, line, temperament, age, **base)


def rules(h) -> list[str]:
    return [r.rule for r in judge(h)]


def run_to(library, persona, replies, scenario="scenario-deposit-to-wealth", seed=1):
    run = Rehearsal(library, scenario, persona, seed=seed)
    run.start()
    results = [run.reply(text) for text in replies]
    return run, results


# ------------------------------------------------------------------ compliance


def test_a_forbidden_promise_makes_a_warm_customer_suspicious_and_fails(library):
    run, [res] = run_to(library, "first-timer", ["曹女士您好，这款理财保本保收益，稳赚不赔，您放心买吧？"])
    assert res.score.total == 0 and not res.score.passed
    assert res.customer.kind == "reaction" and not run.finished
    assert res.reactions[0].rule == "compliance" and "起了疑心" in res.customer.why


def test_a_forbidden_promise_ends_the_call_with_a_cautious_customer(library):
    run, [res] = run_to(library, "careful-auntie", ["蒋阿姨，这个保本保收益，稳赚不赔的。"])
    assert run.finished and run.outcome == "未成交" and res.customer.kind == "hangup"
    assert "不再信你，不聊了" in res.customer.why  # at the counter: no 挂断


def test_a_second_violation_ends_the_call(library):
    run, results = run_to(library, "first-timer", ["曹女士，这款保本的，您放心？", "曹女士，真的稳赚不赔，保本保息？"])
    assert run.finished and results[-1].reactions[0].rule == "compliance"


# ------------------------------------------------------------------ pushy, unsuitable


def test_naming_a_product_before_any_needs_question_is_called_pushy():
    h = heard("曹女士您好，我们有款稳享113天理财，给您推荐一下？")
    assert rules(h)[0] == "pushy"
    assert blocking(judge(h)).line in ("你先别推销，我还没说要买。", "怎么一上来就推产品？我还没说要买呢。",
                                        "先别跟我说产品，你都不知道我要干嘛。")


def test_a_product_after_asking_needs_is_not_pushy():
    assert "pushy" not in rules(heard("曹女士，这笔钱多久不用？我给您推荐一款理财看看？"))
    assert "pushy" not in rules(heard("推荐您看看这款理财", facts=Facts(needs_asked=True)))


def test_naming_the_customers_own_maturing_product_is_not_pushy(library):
    """The held product (variable `product`) is what the call is about; a needs question about
    the money is not a pitch either (QA R2: 「这笔钱您接下来有用的地方吗？」)."""
    for reply in ("陈阿姨您好，我是幸福里支行的李娜。您那笔稳享180天理财12月15日到期，这笔钱您接下来有用的地方吗？",
                  "陈阿姨您好，我是幸福里支行的李娜。您那笔稳享180天理财12月15日到期了，提前跟您说一声。"):
        _, [res] = run_to(library, "cautious-retiree", [reply], scenario="scenario-maturity-call", seed=3)
        assert "pushy" not in [r.rule for r in res.reactions], reply
    _, [pitch] = run_to(library, "cautious-retiree", ["陈阿姨您好，我们有款稳享90天理财，给您推荐一下？"],
                        scenario="scenario-maturity-call", seed=3)
    assert pitch.reactions[0].rule == "pushy"


def test_a_question_about_what_the_money_is_for_asks_needs():
    from assistant.core.rehearse.reactions import asks_needs

    assert asks_needs("这笔钱您接下来有用的地方吗？")
    assert asks_needs("到期以后这笔钱您打算怎么安排？")
    assert not asks_needs("我给您安排一款理财。")


def test_a_risky_product_to_an_elderly_customer_is_refused():
    h = heard("阿姨，您可以买点基金，收益高。", temperament="cautious_elderly", age="senior", facts=Facts(needs_asked=True))
    r = blocking(judge(h))
    assert r.rule == "unsuitable" and "基金" in r.line and "基金" in r.reason


def test_advising_against_a_risky_product_is_not_refused():
    h = heard("阿姨，基金波动大，我不建议您买基金，这钱继续存定期最稳妥，您看呢？",
              temperament="cautious_elderly", age="senior", facts=Facts(needs_asked=True))
    assert "unsuitable" not in rules(h)


def test_a_risky_product_to_a_young_customer_is_not_refused_for_suitability():
    h = heard("您可以考虑基金定投", facts=Facts(needs_asked=True))
    assert "unsuitable" not in rules(h)


# ------------------------------------------------------------------ word lists


def test_a_word_list_puzzles_the_customer_and_the_style_says_why(library):
    """Found in tmux: 「动画，适合孩子，几位，留座」 drew a poor line and 「照抄客户原话」 under 表达."""
    run, [res] = run_to(library, "first-timer", ["利率，下调，多久，用钱，计划"])
    assert res.score.listed and res.reactions[0].rule == "listed" and res.customer.kind == "reaction"
    assert "没听" in res.customer.text or "想说什么" in res.customer.text
    assert all(c.why == "只罗列了关键词，没说成完整的话" for c in res.score.style_checks)
    assert not any("照抄了客户原话" in r or "照抄客户原话不算" in r for r in res.score.reasons)


# ------------------------------------------------------------------ ignored


def test_a_reply_that_ignores_the_customer_gets_the_question_again():
    h = heard("今天天气不错，您吃饭了吗", again="定期到期了，帮我看看续存能拿多少利息。")
    r = blocking(judge(h))
    assert r.rule == "ignored" and "定期到期了，帮我看看续存能拿多少利息。" in r.line


def test_only_a_customer_who_was_called_asks_what_the_call_is_about():
    told = "唉，利息是一年比一年少了。这钱暂时不用。"
    walk_in = blocking(judge(heard("今天天气不错", line=told)))
    assert told in walk_in.line and "什么事" not in walk_in.line
    called = blocking(judge(heard("今天天气不错", line="喂，您好，请讲。", called=True)))
    assert called.line in ("嗯？你这是说什么呢？", "你到底有什么事？", "我没听明白，你找我什么事？")


def test_ignoring_twice_cools_the_customer_down():
    r = blocking(judge(heard("今天天气不错", seen=("ignored",))))
    assert r.rule == "ignored" and "冷下来" in r.reason


def test_weather_talk_in_a_rate_question_is_not_answered_like_bare_agreement(library):
    _, [weather] = run_to(library, "first-timer", ["今天天气不错，您吃饭了吗"])
    _, [bare] = run_to(library, "first-timer", ["嗯"])
    _, [scam] = run_to(library, "first-timer", ["这款产品保本保收益，稳赚不赔"])
    assert weather.reactions[0].rule == bare.reactions[0].rule == "ignored"
    assert scam.reactions[0].rule == "compliance" and scam.customer.text != bare.customer.text


# ------------------------------------------------------------------ numbers and times


def test_a_number_without_its_basis_brings_a_question():
    r = next(r for r in judge(heard("买这个一年能多拿3000块，您看怎么样？", facts=Facts(needs_asked=True), share=0.5)) if r.rule == "number")
    assert r.effect == "asks" and "3000块" in r.line


def test_a_number_with_its_basis_brings_no_question():
    assert "number" not in rules(heard("按业绩比较基准测算，113天大约多出526元，不是承诺。"))
    assert "number" not in rules(heard("现在一年期定期年利率是1.45%。"))
    # found in tmux: a deposit's own posted rate drew 「1.45%？这个数靠谱吗，哪儿来的？」
    assert "number" not in rules(heard("韩工，一年期定期现在是1.45%，三年期是1.75%。这笔钱您打算放多久？"))
    asked = Facts(needs_asked=True)  # not a pitch before any question (that would block and speak first)
    assert "number" in rules(heard("这款理财一年能多拿3000块，您看怎么样？", facts=asked, share=0.5))


def test_the_customer_waits_for_the_basis_then_moves_on(library):
    reply = "曹女士您好！现在存一年能拿1450元，比前几年少。这笔10万大概多久不用？我帮您看看怎么安排？"
    run, [first] = run_to(library, "first-timer", [reply])
    assert first.customer.kind == "reaction" and "1450元" in first.customer.text and run.node.id == "renew-ask"
    second = run.reply("曹女士，这是按现在一年期挂牌利率1.45%算的，10万存一年就是1450元，您看这笔钱多久不用？")
    assert second.customer.kind == "line" and run.node.id == "probe-risk"


def test_a_concrete_time_is_agreed_and_a_busy_customer_counters():
    when = "那我哪天过来办？"
    agree = next(r for r in judge(heard("您明天上午十点过来办，方便吗？", line=when)) if r.rule == "time")
    assert agree.effect == "agrees" and "明天上午十点" in agree.line
    counter = next(r for r in judge(heard("您明天上午过来？", line=when, temperament="busy")) if r.rule == "time")
    assert "不太行" in counter.line


OPEN = "蒋阿姨您好，快坐。现在一年期定期利率是1.45%，这笔钱您大概多久用不上？"
KEEP = ("是啊蒋阿姨，利率这几年一直在降，您觉得少了很正常。这是您的养老钱，本金最要紧，我建议还是继续存定期，"
        "本息都是确定的，还有存款保险保障。")


def test_keeping_a_cautious_customers_money_in_deposits_goes_straight_to_closing(library):
    """QA R1: after 「我建议还是继续存定期」 she does not then ask what 理财 is."""
    run, [_, kept] = run_to(library, "careful-auntie", [OPEN, KEEP], seed=7)
    assert kept.score.passed and any(e.label == "认同利率下行的感受" for e in kept.score.covered)
    assert run.node.id == "close-renew" and "理财" not in kept.customer.text
    assert "存款" in kept.customer.why


def test_put_back_in_a_fixed_deposit_is_keeping_the_money_in_deposits(library):
    """Found playing 蒋阿姨 headless: 「我建议还是放定期」 after 「我邻居买理财亏过」 scored 44 and
    drew 「我这是养老的钱，少一分我都睡不着」, as if she had been pushed a product."""
    said = ("阿姨，理财和定期不一样，理财非存款、产品有风险，净值会波动，可能亏；定期利率锁定、本息都在。"
            "您要是一点亏都接受不了，我建议还是放定期，您看呢？")
    run, replies = run_to(library, "careful-auntie", [OPEN, "阿姨您之前买过理财吗？能接受本金有一点波动吗？", said], seed=0)
    assert replies[-1].score.passed and run.node.id == "close-renew" and replies[-1].customer.kind == "line"


def test_a_worry_settled_by_keeping_the_money_in_deposits_goes_on_to_closing(library):
    """She said 「那就按你说的，不合适的咱不碰」: the next reply (办手续) is not scored against 理财 again."""
    from assistant.core.rehearse.targets import objection_cards

    run, _ = run_to(library, "careful-auntie", [OPEN, "阿姨您之前买过理财吗？能接受本金有一点波动吗？"], seed=0)
    card = objection_cards(library, "risk_fear")[0]
    run.state.pending = ("risk_fear", card.id)  # she voiced 怕亏: the next reply must answer it
    res = run.reply("好的蒋阿姨，那就还是给您续存一年定期，利率锁定，到期本息都在，您看这样放心吗？")
    assert res.customer.kind == "won_back" and run.node.step == "close"


def test_an_agreed_time_at_the_closing_steps_ends_as_an_appointment_not_a_hang_up(library):
    """QA R1: 「行，明天上午十点可以。」 was followed by 「连续3句没有回应到客户」."""
    from assistant.core.rehearse.session import report

    probe = "确实，利率这几年一直在下调，蒋阿姨，您的感受我理解。想问下您以前买过存款以外的产品吗？如果有一点小波动，您能接受吗？"
    run, results = run_to(library, "careful-auntie", [OPEN, probe, "嗯。", "嗯，是的。"], seed=7)
    assert run.node.id == "explain-difference" and run.state.poor_streak == 2 and not run.finished
    last = run.reply("好的，那我帮您把定期续上，带上身份证就行。明天上午十点来网点办方便吗？")
    assert run.finished and run.outcome == "待跟进" and last.customer.kind == "end"
    assert "明天上午十点" in last.customer.text and "约好了时间" in last.customer.why
    assert "耐心" not in last.customer.why
    assert "明天上午十点" in report(run)["turns"][-1]["customer"]  # the text transcript shows it


def test_an_agreed_time_early_in_the_call_costs_no_patience_and_she_asks_again(library):
    run, [res] = run_to(library, "careful-auntie", ["蒋阿姨，明天上午十点您来网点一趟方便吗？"], seed=7)
    assert not run.finished and run.state.poor_streak == 0 and run.node.id == "renew-ask"
    assert res.customer.text.startswith(("行，明天上午十点可以。", "明天上午十点啊", "好，那就明天上午十点。"))
    assert "不过" in res.customer.text


def test_her_stated_choice_is_an_objection_to_answer_and_going_along_respects_it(library):
    """QA R1: after 「那还是存定期吧」, 「好的，那我帮您把定期续上…」 is ✓尊重客户的选择."""
    probe = "确实，利率这几年一直在下调，蒋阿姨，您的感受我理解。想问下您以前买过存款以外的产品吗？如果有一点小波动，您能接受吗？"
    run, results = run_to(library, "careful-auntie", [OPEN, probe, "蒋阿姨，理财的话收益会高一些，您考虑一下？"], seed=5)
    said = results[-1].customer
    assert "存定期" in said.text and said.kind == "objection" and said.objection == "prefer_deposit"
    res = run.reply("好的，那我帮您把三年期定期续上，带上身份证就行。明天上午十点来网点办方便吗？")
    assert any(e.label.startswith("尊重客户的选择") for e in res.score.covered)
    assert run.outcome == "待跟进" and "明天上午十点" in res.customer.text


def test_a_settled_wish_to_keep_deposits_takes_the_call_to_closing(library):
    probe = "确实，利率这几年一直在下调，蒋阿姨，您的感受我理解。想问下您以前买过存款以外的产品吗？如果有一点小波动，您能接受吗？"
    run, _ = run_to(library, "careful-auntie", [OPEN, probe, "蒋阿姨，理财的话收益会高一些，您考虑一下？"], seed=5)
    res = run.reply("蒋阿姨，理解，存款最让人放心，听您的，就按存款来。我帮您把钱分成几份错开存，每年都有一笔到期，到期前我提前提醒您。您看这笔分几份存合适？")
    assert res.customer.kind == "won_back" and run.node.id == "close-renew"


def test_an_objection_the_reply_just_answered_is_not_raised(library):
    """QA R1: no 「你们银行不会倒闭吧？」 right after hearing that 存款保险 covers the deposit."""
    said = "存定期有存款保险保障，50万以内本息都赔。"
    picked, unsaid = set(), set()
    for seed in range(30):
        run, _ = run_to(library, "careful-auntie", [OPEN], seed=seed)
        assert run.node.id == "probe-risk"
        picked.add(run._pick_objection(pushed=True, text=said))
        unsaid.add(run._pick_objection(pushed=True, text="嗯。"))
    assert "deposit-insurance" in unsaid and "deposit-insurance" not in picked


def test_asking_when_is_not_offering_a_time():
    assert "time" not in rules(heard("您明天什么时候方便？"))


def test_asking_about_todays_visit_is_not_offering_a_time():
    """Found playing 蒋阿姨 at the counter: 「今天过来是办…吧？」 was answered 「好，那就今天。」"""
    assert "time" not in rules(heard("蒋阿姨您好，快坐！今天过来是办定期到期的事吧？"))
    assert "time" in rules(heard("您今天下午过来网点办一下，方便吗？"))


# ------------------------------------------------------------------ warmth


def test_name_warm_words_and_a_real_question_warm_the_customer(library):
    r = next(r for r in judge(heard("曹女士，辛苦您跑一趟，这笔钱您打算多久不用？")) if r.rule == "warmth")
    assert r.warmth == 1 and "称呼了客户" in r.reason
    run, _ = run_to(library, "first-timer", ["曹女士，辛苦您跑一趟！现在一年期定期利率是1.45%，这笔钱您打算多久不用？"])
    assert run.state.warmth == 2  # warm persona starts at 1


def test_each_turn_reports_its_reaction_reason_in_json(library):
    from assistant.core.rehearse.session import play

    report = play(library, "scenario-deposit-to-wealth", "first-timer", ["嗯"], seed=1)
    turn = report["turns"][0]
    assert turn["reaction"]["rule"] == "ignored" and turn["reaction"]["reason"]
    assert report["turns"][1]["why"]


def test_asking_again_for_the_rate_is_not_a_worry_about_low_returns(library):
    """Found in tmux: 「你就直接告诉我利率多少吧。」 was shown as 客户提出了顾虑：嫌收益低."""
    run, _ = run_to(library, "careful-auntie", [], seed=1)
    assert run._voiced("你就直接告诉我利率多少吧。") is None
    assert run._voiced("那还是存定期吧，省心。") == ("prefer_deposit", "prefer-deposit")


def test_a_point_said_in_the_previous_reply_at_the_same_step_counts_again(library):
    """Found in tmux: the greeting of reply 1 was 「✗ 没讲到：热情接待」 in reply 2 at the same step."""
    greet = "蒋阿姨您好，我是幸福里支行的李娜，您先坐。"
    run, [_, second] = run_to(library, "careful-auntie", [greet, "现在一年期定期利率是1.45%，这笔钱您大概多久用不上？"], seed=0)
    assert [e.quote for e in second.score.covered if e.label.startswith("热情接待")] == ["（上一句已讲到）"]
    assert second.score.passed and run.node.id == "probe-risk"
    _, [_, bare] = run_to(library, "careful-auntie", [greet, "嗯，是的。"], seed=0)
    assert not bare.score.covered  # nothing of its own: nothing carried over


def test_the_last_line_of_a_closed_deal_accepts_the_time_offered(library):
    """Found in tmux: 「…明天上午十点来网点办方便吗？」 ended the call with 「好，那就这么办。」 alone."""
    probe = ("是啊蒋阿姨，利率这几年一直在降，您觉得少了很正常。这是您的养老钱，本金最要紧，我建议还是继续存定期，"
             "本息都是确定的，还有存款保险保障。")
    close = "好的蒋阿姨，那我帮您把定期续上，带上身份证就行，当天起息，到期前我提醒您。明天上午十点来网点办方便吗？"
    run, results = run_to(library, "careful-auntie", [OPEN, probe, close], seed=7)
    assert run.outcome == "成交" and "明天上午十点" in results[-1].customer.text
    assert results[-1].customer.text.endswith("到时候见。")  # not her own 手机上弄 or 前一天上午


def test_an_older_customer_of_any_temperament_is_answered_well_by_keeping_deposits(library):
    """Driving 王阿姨 (67, chatty): two deposit options scored 50 for missing 业绩比较基准/测评."""
    scenario = library.scenario("scenario-maturity-call")
    persona = scenario.personas[1].model_copy(update={"temperament": "chatty", "age": "senior"})
    run = Rehearsal(library, scenario.id, persona.id, persona=persona, seed=3)
    run.start()
    run.state.node_id = "recommend-options"
    res = run.reply("陈阿姨，给您两个方案：一是续存一年定期，利率固定；二是大额存单，利率比普通定期高一点。"
                    "都是存款，有存款保险保障。您更倾向哪种？")
    assert res.score.passed and any(e.quote == "（选择不冒险的存款方案）" for e in res.score.covered)


def test_a_suspicious_customer_does_not_warm_up_in_the_same_breath(library):
    """Found in tmux: 「…收益比定期高，给您推荐一下？」 drew suspicion and 「客户对你热络了一点」 together,
    and she quoted 「比定期高，」 with its comma."""
    _, [res] = run_to(library, "numbers-guy", ["韩工您好，我们新出了一款稳享113天理财，收益比定期高，给您推荐一下？"], seed=3)
    rules_ = [r.rule for r in res.reactions]
    assert rules_[0] == "compliance" and "warmth" not in rules_
    assert "，」" not in res.customer.text and "，」" not in res.reactions[0].reason


@pytest.mark.parametrize("greeting", ["蒋阿姨好，我是幸福里支行的李娜。", "蒋阿姨，我是幸福里支行的李娜。", "蒋阿姨您好，我是幸福里支行的李娜。"])
def test_greeting_her_by_name_is_warm_reception(library, greeting):
    """QA R1: 「蒋阿姨您好，我是幸福里支行的李娜…」 was ✗热情接待、称呼客户."""
    _, [res] = run_to(library, "careful-auntie", [greeting + "现在一年期定期利率是1.45%，这笔钱您大概多久用不上？"], seed=0)
    assert "热情接待、称呼客户" in [e.label for e in res.score.covered] and res.score.total == 100


def test_the_name_later_in_the_reply_is_no_greeting(library):
    _, [res] = run_to(library, "careful-auntie", ["现在一年期定期利率是1.45%。蒋阿姨好，这笔钱您大概多久用不上？"], seed=0)
    assert "热情接待、称呼客户" not in [e.label for e in res.score.covered]


def test_her_own_words_said_back_are_no_answer():
    """Found in tmux (秦先生): 「三年1.95%，你们多少？」 said back to her drew an unrelated objection."""
    h = heard("三年1.95%，你们多少？", line="三年1.95%，你们多少？", echoed=True)
    found = judge(h)
    assert found[0].rule == "echoed" and found[0].effect == "blocks" and "三年1.95%，你们多少？" in found[0].line
    assert "echoed" not in rules(heard("秦先生，我们三年期是1.9%，按挂牌利率算，您看呢？", line="三年1.95%，你们多少？"))


def test_an_echo_gets_her_question_again_in_a_run(library):
    run = Rehearsal(library, "scenario-anti-poaching", "rate-chaser", seed=6647)
    first = run.start().text
    res = run.reply(first)
    assert res.customer.kind == "reaction" and "echoed" in [r.rule for r in res.reactions]


def test_a_time_offered_instead_of_an_answer_is_not_agreed():
    """Found in tmux: 「您明天上午十点来网点，我当面给您算」 to 「你们有没有差不多的？」 was explained as both
    「客户又问了一遍」 and 「客户好答应，约定在推进」."""
    found = rules(heard("秦先生，您明天上午十点来网点，我当面给您算一算，好吗？", line="你们有没有差不多的？"))
    assert "ignored" in found and "time" not in found


def test_a_visit_to_her_office_at_a_time_is_a_time_offer():
    found = judge(heard("沈总，下周三下午三点我到您办公室，半小时就够，您看行吗？", line="怎么梳理？要多长时间？", share=0.5))
    assert any(r.rule == "time" and "下周三下午三点" in r.quote for r in found)



SALON = [
    '卫女士您好，我是昨天沙龙的客户经理，谢谢您下了夜班还抽空过来！想问问您，这次活动听下来有没有用？',
    '理解理解，您倒班辛苦，不耽误您。一句话：昨天老师讲的教育金，我整理了三行字的要点，微信发给您，您得空看，行吗？',
    '卫女士，您家里对孩子以后上学的钱，有没有提前准备的想法？',
    '卫女士，我理解您的意思：孩子明年上初中，想慢慢攒一笔教育金，现在钱都在活期，容易随手花掉。按什么时候用钱分开放会更好，您觉得呢？',
    '卫女士，我的建议是：近期要用的留在活期，三五年后用的可以存定期或大额存单，您要是能接受一点波动，再少量配稳健型理财。理财非存款、产品有风险、投资须谨慎，买之前得先做风险测评。您看这个比例行吗？',
    '好的，您和先生商量是应该的。后天下午三点您俩一起到网点，我当面给两位算清楚，可以吗？',
]


def test_a_salon_guest_asked_whether_it_helped_and_booked_is_explained_as_she_spoke(library):
    """Found playing 卫女士 headless: 「这次活动听下来有没有用？」 missed 问感受; the closing why said
    「忙碌的客户回了一个自己方便的时间」 when she took the time offered."""
    run, results = run_to(library, "busy-nurse", SALON, scenario="scenario-salon-24h", seed=0)
    assert any(e.point_id == "ask-feedback" for e in results[0].score.covered)
    last = results[-1].customer
    assert run.outcome == "成交" and "后天下午三点" in last.text
    assert "顺着定下了时间" in last.why and "自己方便的时间" not in last.why


def test_keeping_her_deposits_answers_a_cautious_customer_who_has_said_what_she_wants(library):
    """Found in tmux (李叔, 70, → 演练 from his follow-up): after 「我就想稳稳当当的…」, 「那就还是续存定期，
    利率锁定、本息都在」 scored 50 and drew 「你就说你想干嘛吧」; she has her answer, so the call goes on to
    how to do it. Before she has said anything, the same words do not skip the steps."""
    opening = "陈阿姨您好，我是网点的理财经理，您那笔理财12月15日到期，耽误您两分钟，这笔钱您后面有什么打算吗？"
    keep = "陈阿姨，您是说这笔钱半年一年都用不着，就想稳稳当当的。那就还是续存定期，利率锁定、本息都在，您看这样放心吗？"
    run, [first, kept] = run_to(library, "cautious-retiree", [opening, keep], scenario="scenario-maturity-call", seed=0)
    assert first.customer.node_id == "summarize-need"
    assert run.node.id == "close-appointment" and kept.customer.kind == "line"
    early, _ = run_to(library, "cautious-retiree", ["陈阿姨您好，我帮您续存定期吧？"], scenario="scenario-maturity-call")
    assert early.node.id == "opening"


def test_advising_a_cautious_customer_to_keep_her_deposits_closes_on_the_renewal_and_passes(library):
    """Issue 13/14: after 「继续存定期」 the close step asked about 认购期/起息日 (a wealth product's
    facts); now it is the renewal's close (存期和利率、到期日、怎么转存) and the rehearsal passes."""
    probe = "确实，利率这几年一直在下调，蒋阿姨，您的感受我理解。您以前买过存款以外的产品吗？有一点小波动您能接受吗？"
    keep = ("蒋阿姨，您这是养老钱，少一点都不行的话，我建议还是继续存定期或者大额存单，本息确定，"
            "还有存款保险保障，理财就别买了。您看这样放心吗？")
    close = ("好的蒋阿姨，一年期挂牌利率是1.45%，今天存今天起息，明年今天到期；带身份证在柜台办就行，"
             "也可以设成到期自动转存，到期前我提醒您。您看存一年期可以吗？")
    run, results = run_to(library, "careful-auntie", [OPEN, probe, keep, close], seed=0)
    at_close = run.transcript[3]
    assert at_close.customer.node_id == "close-renew" and "理财" not in at_close.customer.text
    labels = [e.label for e in results[-1].score.covered] + [label for _, label in results[-1].score.missed]
    assert not any("认购" in label or "测评" in label for label in labels)
    assert results[-1].score.passed and run.outcome == "成交"
    assert run.scorecard().passed


def test_moving_on_after_a_reply_that_did_not_pass_says_what_it_still_missed(library):
    """Found in tmux (林女士, movie-invite): 58分 ✗未过关 sat beside 「这句讲到了这一步的要点」."""
    run = Rehearsal(library, "scenario-movie-invite", "busy-parent", seed=6674)
    run.start()
    res = run.reply("林女士您好，我是招商银行的小李，周末有个亲子观影活动，想邀请您和孩子来。")
    assert not res.score.passed and res.customer.kind == "line" and run.node.id != run.scenario.start
    assert "没过关" in res.customer.why and res.score.missed[0][1] in res.customer.why


def test_small_talk_after_she_gave_you_the_floor_is_not_answered_as_an_unanswered_question():
    """Found in tmux (沈副总): after 「行，你说吧，我听着。」 small talk drew 「你还没回答我呢。嗯，存了。还有别的吗？」."""
    r = blocking(judge(heard("沈总，今天天气不错啊，您吃饭了吗？", line="行，你说吧，我听着。", again="嗯，存了。还有别的吗？")))
    assert r.rule == "ignored" and "回答" not in r.line and "存了" not in r.line
    assert r.line in ("有事说事吧。", "你倒是说正事啊。", "嗯？你到底想说什么？")


def test_a_blocked_reply_explains_only_what_the_customer_said():
    """Found in tmux (沈副总): 「代发客户买理财能拿到4.5%」 drew a compliance line quoting 「理财能拿到4.5」
    and the panel also said 「客户追问来源」, a question she never asked."""
    found = judge(heard("沈总，我们行代发客户买理财能拿到4.5%，您要不要考虑一下？", flags=(_flag("能拿到4.5"),)))
    assert [r.rule for r in found] == ["compliance"]
    assert "能拿到4.5%" in found[0].line and found[0].quote == "能拿到4.5%"


def _flag(quote):
    from assistant.core.compliance import Flag

    return Flag(rule_id="x", title="说预期收益率", severity="error", message="m", safer="s", quote=quote, span=(0, 0))


@pytest.mark.parametrize("line", ["喂，您好？", "哎呀，谢谢客户经理，还记得我生日呢！", "哈喽，你是昨天沙龙上的客户经理吧？"])
def test_a_called_customer_ignored_asks_what_the_call_is_about_not_her_greeting_again(line):
    """The goldens had 「你还没回答我呢。喂，您好？」 and 「你还没回答我呢：哎呀，谢谢客户经理，还记得我生日呢！」."""
    r = blocking(judge(heard("今天天气不错，您吃饭了吗？", line=line, called=True, again="喂，你好，你是？")))
    assert r.line in ("嗯？你这是说什么呢？", "你到底有什么事？", "我没听明白，你找我什么事？")


def test_a_called_customers_real_question_is_asked_again():
    line = "你们哪个银行的？公司让我们来办卡？"
    r = blocking(judge(heard("今天天气不错，您吃饭了吗？", line=line, called=True)))
    assert line in r.line


def test_an_ignored_question_is_asked_again_without_what_she_said_around_it():
    """Found in tmux: 「你还没回答我呢：好，号码我存了。你们还能提供什么服务？」."""
    r = blocking(judge(heard("沈总，今天天气不错啊，您吃饭了吗？", line="好，号码我存了。你们还能提供什么服务？")))
    assert r.line.endswith("你们还能提供什么服务？") and "号码" not in r.line


def test_a_customer_who_leaves_in_her_reaction_does_not_say_goodbye_twice(library):
    """Found playing 蒋阿姨: 「行吧……我先忙了，回头再说。 我先回去了，改天再说。」, and the reason said
    「这已经不是第一次了」 after the first ignored reply."""
    replies = ["阿姨好，存定期啊？", "阿姨，现在定期利率太低了，我建议您买点基金，收益高。",
               "阿姨，今天天气不错啊。"]
    run, results = run_to(library, "careful-auntie", replies, seed=3)
    last = results[-1].customer
    assert run.outcome == "未成交" and last.kind == "hangup" and results[-1].reactions[0].rule == "ignored"
    assert last.text.count("再说") <= 1 and "不是第一次" not in last.why and "耐心" in last.why


def test_an_ignored_long_statement_is_not_repeated_word_for_word():
    """Found playing 卫女士: 「我是说，挺好的，老师讲家里那些事挺有共鸣。银行还搞这种活动，挺意外的。」."""
    said = "挺好的，老师讲家里那些事挺有共鸣。银行还搞这种活动，挺意外的。"
    r = blocking(judge(heard("卫姐，您平时下班都几点呀？", line=said)))
    assert r.rule == "ignored" and "挺有共鸣" in r.line and "挺意外的" not in r.line


def test_a_loose_word_in_a_poor_line_voices_no_worry(library):
    """Found playing 伏姐: 「反正能收钱就行。」 became the objection 嫌手续费高 (收钱), so her next line was
    「我刚问你呢，这个要收手续费吗？」, a question she never asked."""
    run = Rehearsal(library, "scenario-merchant-pos", "chatty-bakery", seed=1)
    assert run._voiced("反正能收钱就行。") is None
    assert run._voiced("手续费一个月也好几百，太贵了。") is not None


def test_秦先生_answered_about_the_basis_loses_no_patience_and_an_acknowledgement_counts(library):
    """Found playing 秦先生: the basis she asked for (挂牌利率) was followed by 「连续2句没有回应到客户」;
    「利率确实一直在降，您觉得存款跑不赢很正常」 missed 认同客户嫌定期利息少; the hang-up's reason said
    「客户对你热络了一点」."""
    replies = ["秦先生您好，我是招商银行的小李，听说隔壁行给您报了个高息？",
               "秦先生，他们给的3.5%肯定有条件，我们这边三年期大额存单也有2.35%。",
               "我们三年期大额存单2.35%是今天总行的挂牌利率。您那边3.5%是什么产品、几年期、起存多少？"]
    run, results = run_to(library, "rate-chaser", replies, scenario="scenario-anti-poaching", seed=5)
    assert not run.finished and "数字的来源" in results[-1].customer.why
    res = run.reply("秦先生，利率确实一直在降，您觉得存款跑不赢很正常。定期的利息是确定的，三年期大额存单按今天挂牌"
                    "利率2.35%算；理财只能讲业绩比较基准，它是测算的参考，不是承诺。您看您更看重确定，还是能接受一点波动？")
    assert any(e.label == "认同客户嫌定期利息少" and e.how == "agreeing" for e in res.score.covered)
    if res.customer.kind == "hangup":
        assert "热络" not in res.customer.why


@pytest.mark.parametrize("said", ["好。", "谢谢。", "嗯嗯"])
def test_an_ignored_acknowledgement_is_not_repeated(said):
    """Found playing 贺总: 「我是说，好。」."""
    r = blocking(judge(heard("贺总，我们行最近有个留学金融服务，您孩子出国的话可以了解一下。", line=said)))
    assert r.rule == "ignored" and said not in r.line and "我是说" not in r.line


def test_at_the_last_straw_an_ignored_customer_hangs_up_without_repeating_herself(library):
    """Found playing 何先生: 「你没听我说吗？哦，那我再看看吧。 不用了，谢谢，再见。」."""
    replies = ["何先生您好，我是招商银行的小李，打扰您一分钟。我们给持卡客户办了个免费观影活动，不推销任何产品，您看有兴趣吗？",
               "何先生，这周四晚上七点的场次，您带孩子来就行，我给您留两个座，方便吗？",
               "何先生，那就周四晚上七点，到时候我在影院门口等您。"]
    run, results = run_to(library, "wary-dad", replies, scenario="scenario-movie-invite", seed=3)
    last = results[-1].customer
    assert last.kind == "hangup" and results[-1].reactions[0].rule == "ignored"
    assert "没听" not in last.text and "又说了一遍" not in last.why and "耐心" in last.why


def test_asking_where_the_money_sits_is_a_question_about_needs():
    """Found playing 钱老板: 「收租的钱一般放哪儿？活期多吗？」 counted as ignoring her."""
    from assistant.core.rehearse.reactions import asks_needs

    assert asks_needs("钱老板，收租的钱一般放哪儿？活期多吗？")
    assert not asks_needs("钱老板，您的钱放在活期里了。")


def test_an_ignored_doubt_about_the_staff_words_asks_about_them_not_her_line_again():
    """Found in tmux (王阿姨, 到期提醒): after 「「收益3.5%」？我怎么听着不太对劲。」 small talk drew
    「你还没回答我呢：「收益3.5%」？我怎么听着不太对劲。」, her own line read out again."""
    last = "「收益3.5%」？我怎么听着不太对劲。"
    for seed in range(4):
        r = blocking(judge(heard("王阿姨，最近天气冷了，您吃饭了没？", line=last, pick=lambda options, purpose, rng=random.Random(seed): rng.choice(options))))
        assert r.rule == "ignored" and "收益3.5%" in r.line and "不太对劲" not in r.line and "「" not in r.line
