"""`coach check` on the shipped rules: JSON shape, batch from a file, exit codes, plain output."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main

KEYS = {"rule_id", "severity", "quote", "message", "safer", "source"}


def test_json_shape_and_exit_code_on_an_error(capsys) -> None:
    assert main(["check", "这个放心，亏不了", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["text"] == "这个放心，亏不了"
    (flag,) = out["flags"]
    assert set(flag) == KEYS
    assert flag["severity"] == "error" and flag["quote"] == "亏不了"
    assert "第二十五条" in flag["source"] and flag["safer"]


def test_a_true_statement_passes_with_exit_zero(capsys) -> None:
    assert main(["check", "国债和定期都是保本的", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"text": "国债和定期都是保本的", "flags": []}


def test_batch_checks_each_line_and_skips_blank_ones(tmp_path, capsys) -> None:
    src = tmp_path / "lines.txt"
    src.write_text("您考虑清楚再定\n\n存款保险什么都保\n额度有限，先到先得\n", encoding="utf-8")
    assert main(["check", "--batch", str(src), "--json"]) == 1
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in rows] == ["您考虑清楚再定", "存款保险什么都保", "额度有限，先到先得"]
    assert [{f["rule_id"] for f in r["flags"]} for r in rows] == [set(), {"deposit-insurance-misleading"}, {"scarcity-claim"}]


def test_only_warnings_exit_zero(capsys) -> None:
    assert main(["check", "额度有限，先到先得"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("✗ 额度有限") and "[提醒]" in out and "可改为：" in out


def test_plain_output_names_rule_advice_and_source(capsys) -> None:
    assert main(["check", "买理财满5万送一袋大米"]) == 1
    out = capsys.readouterr().out
    assert "[违规]" in out and "「送一袋大米」" in out and "依据：《理财公司理财产品销售管理暂行办法》" in out


@pytest.mark.parametrize("argv", [["check"], ["check", "保本", "--batch", "x.txt"], ["check", "--batch", "/no/such/file"]])
def test_bad_arguments_are_messages_not_tracebacks(capsys, argv) -> None:
    assert main(argv) == 2
    assert "coach:" in capsys.readouterr().err
