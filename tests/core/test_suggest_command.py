"""`coach suggest` on the shipped playbooks: JSON shape, batch, nothing-fits text, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main

REPO = Path(__file__).resolve().parents[2]
KEYS = {"id", "kind", "topic", "title", "score", "tier", "matched", "concepts", "reply"}


def run_json(capsys, *argv: str) -> list[dict]:
    assert main(["suggest", *argv, "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_json_shape_and_ranking(capsys) -> None:
    [out] = run_json(capsys, "受益太低了 还不如放余额宝", "--top", "2")
    assert out["query"] == "受益太低了 还不如放余额宝"
    assert 1 <= len(out["results"]) <= 2
    assert all(set(r) == KEYS for r in out["results"])
    assert out["results"][0]["topic"] == "rate_low"
    assert out["results"][0]["reply"]


def test_missing_variables_show_labels_and_var_fills_them(capsys) -> None:
    [plain] = run_json(capsys, "收益太低了", "--top", "1")
    assert "【" in plain["results"][0]["reply"]
    [filled] = run_json(capsys, "收益太低了", "--top", "1", "--var", "客户称呼=张阿姨")
    assert "张阿姨" in filled["results"][0]["reply"]


def test_nothing_fits(capsys) -> None:
    [out] = run_json(capsys, "打印机又卡纸了")
    assert out["results"] == []
    assert main(["suggest", "打印机又卡纸了"]) == 0
    text = capsys.readouterr().out
    assert "没有合适的话术卡片" in text and "coach library" in text


def test_human_output_lists_topic_score_trigger_reply(capsys) -> None:
    assert main(["suggest", "qunbuhuoyue", "--top", "1"]) == 0
    text = capsys.readouterr().out
    assert "【群不活跃】" in text and "匹配度" in text and "匹配到：" in text and "话术：" in text


def test_batch_one_json_object_per_line(tmp_path: Path, capsys) -> None:
    lines = ["定期能提前取吗", "", "打印机又卡纸了", "dqtx"]
    batch = tmp_path / "lines.txt"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run_json(capsys, "--batch", str(batch))
    assert [o["query"] for o in out] == lines
    assert out[1]["results"] == [] and out[2]["results"] == []
    assert out[3]["results"][0]["topic"] == "maturity_reminder"


def test_kind_filter(capsys) -> None:
    [out] = run_json(capsys, "收益太低了", "--kind", "segment")
    assert all(r["kind"] == "segment" for r in out["results"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["suggest"], "二者选一"),
        (["suggest", "x", "--batch", "f"], "二者选一"),
        (["suggest", "x", "--kind", "objectoin"], "objection"),
        (["suggest", "x", "--var", "foo"], "名称=值"),
        (["suggest", "x", "--var", "nosuch=1"], "没有这个变量"),
        (["suggest", "--batch", "/no/such/file"], "文件不存在"),
        (["suggest", "x", "--top", "0"], "--top"),
        (["suggest", ""], "这句话是空的"),
        (["suggest", "  　 "], "coach suggest \"收益太低了\""),
    ],
)
def test_user_errors_are_messages_not_tracebacks(argv: list[str], message: str, capsys) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_suggest_never_imports_textual(coach_home) -> None:
    code = "import sys; from assistant.cli import main; main(['suggest', '收益太低', '--json']); print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_every_result_has_a_tier_and_a_plain_objection_is_sure(capsys) -> None:
    [out] = run_json(capsys, "收益太低了", "--top", "3")
    assert {r["tier"] for r in out["results"]} <= {"sure", "maybe"}
    assert out["results"][0]["tier"] == "sure"
    assert "嫌收益低" in out["results"][0]["concepts"]


def test_a_paraphrase_no_trigger_holds_is_found_through_concepts_and_shown_as_maybe(capsys) -> None:
    [out] = run_json(capsys, "钱放你们这儿我晚上睡不着", "--top", "3")
    assert out["results"] and out["results"][0]["topic"] == "risk_fear"
    assert "担心、睡不着" in out["results"][0]["concepts"]


def test_text_output_labels_maybe_cards(capsys) -> None:
    assert main(["suggest", "钱放你们这儿我晚上睡不着"]) == 0
    out = capsys.readouterr().out
    assert "可能是" in out and "听出来：担心、睡不着" in out


def test_customer_fills_what_the_app_knows_and_the_line_fills_the_other_banks_rate(capsys) -> None:
    from assistant.core.history import History

    history = History()
    history.set_current_staff(history.add_staff(name="李娜", role="理财经理")["id"])
    history.add_customer(name="王阿姨", segment="senior", products=[
        {"name": "三年期定期", "amount": 200000, "rate": 2.15, "maturity": "2030-12-13"}])
    history.close()
    [out] = run_json(capsys, "隔壁银行给3%", "--customer", "王阿姨")
    reply = next(r["reply"] for r in out["results"] if r["id"] == "rate-low-other-bank")
    assert "王阿姨" in reply and "20万元存三年，2.15%和3%大概差5100元" in reply and "【" not in reply
    [typed] = run_json(capsys, "隔壁银行给3%", "--customer", "王阿姨", "--var", "他行报价=2.5")
    assert "2.15%和2.5%大概差2100元" in next(r["reply"] for r in typed["results"] if r["id"] == "rate-low-other-bank")
    assert main(["suggest", "收益太低", "--customer", "王大爷"]) == 2
    assert "没有叫「王大爷」的客户" in capsys.readouterr().err
