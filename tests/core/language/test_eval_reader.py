"""scripts/eval_reader.py: a cold reader's answers scored like the matcher, on dev lines only."""

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "eval_reader.py"


def _script():
    spec = importlib.util.spec_from_file_location("eval_reader_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_top1_top3_and_none_are_counted_like_the_matcher():
    script = _script()
    from realcorpus import Line

    lines = [Line("利息太低", "rate_low", "u", "direct", "customer", "dev", "", ""),
             Line("我再想想", "think_it_over", "u", "direct", "customer", "dev", "", ""),
             Line("群怎么活跃", "group_inactive", "u", "direct", "marketer", "dev", "", ""),
             Line("谢谢啊", "", "u", "direct", "none", "dev", "", ""),
             Line("你好", "", "u", "direct", "none", "dev", "", ""),
             Line("没人回答过", "fees", "u", "direct", "customer", "dev", "", "")]
    answers = {"利息太低": ["rate_low", "rate_cut"], "我再想想": ["family_consult", "think_it_over"],
               "群怎么活跃": ["post_unattractive"], "谢谢啊": ["none"], "你好": ["complaint"]}
    tally = script.score(answers, lines)
    assert tally["customer"] == [2, 1, 2, 2]  # the unanswered line is not counted
    assert tally["marketer"] == [1, 0, 0, 1]
    assert tally["none"] == [2, 0, 0, 1]


def test_every_answer_is_a_dev_line_with_known_topic_codes():
    import realcorpus

    script = _script()
    answers = script.load_answers()
    dev = {line.text for line in realcorpus.load_all("dev")}
    test = {line.text for line in realcorpus.load_all("test")}
    assert set(answers) <= dev and not set(answers) & (test - dev)  # the test half was shown to no reader
    codes = {line.topic for line in realcorpus.load_all("dev") if line.kind in ("customer", "marketer")}
    used = {code for answer in answers.values() for code in answer}
    assert used - {"none"} <= codes, used - codes - {"none"}
    assert all(answer == ["none"] or "none" not in answer for answer in answers.values())


def test_staff_verdicts_are_counted_like_the_check():
    script = _script()
    from realcorpus import Line

    lines = [Line("保本的放心", "", "u", "direct", "staff", "dev", "flag", "guarantee"),
             Line("亏不了", "", "u", "direct", "staff", "dev", "flag", "guarantee"),
             Line("定期是保本的", "", "u", "direct", "staff", "dev", "pass", "guarantee"),
             Line("利息太低", "rate_low", "u", "direct", "customer", "dev", "", "")]
    verdicts = {"保本的放心": "flag", "亏不了": "pass", "定期是保本的": "flag", "利息太低": "flag"}
    tally = script.score_staff(verdicts, lines)
    assert tally["flag"] == [2, 1] and tally["pass"] == [1, 1]  # a customer line is not a staff verdict


def test_every_staff_verdict_is_a_dev_staff_line():
    import realcorpus

    script = _script()
    verdicts = script.load_answers(script.STAFF_ANSWERS)
    staff = {line.text for line in realcorpus.load_all("dev") if line.kind == "staff"}
    test = {line.text for line in realcorpus.load_all("test")}
    assert set(verdicts) == staff and not set(verdicts) & (test - staff)
    assert set(verdicts.values()) == {"flag", "pass"}
