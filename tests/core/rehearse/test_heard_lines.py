"""A customer line that presupposes what the staff said (`heard`) is said only after a reply that
said it: no 「号码我存了」 when no number was given (issue 14, found in the headless rehearsal)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.core.playbooks.models import CustomerLine
from assistant.core.playbooks.problems import format_problem
from assistant.core.playbooks.validate import validate_dirs
from assistant.core.rehearse.sim import Rehearsal
from assistant.core.rehearse.voice import Facts, Traits, fits

from conftest import FIXTURE

NO_NUMBER = "沈总您好，我是幸福路支行的小李，耽误您两分钟可以吗？"
WITH_NUMBER = "沈总您好，我是幸福路支行的客户经理小李，谢谢贵公司选择我们。今天就是认识一下，留个号码，有事随时找我。不耽误您，可以吗？"
TRAITS = Traits("busy", "payroll", "middle", "phone")


@pytest.fixture(scope="module")
def shipped():
    from assistant.core.playbooks.loader import load_library

    return load_library()


def _next_line(library, reply: str, seed: int) -> str:
    run = Rehearsal(library, "scenario-payroll-executive", "busy-vp", seed=seed)
    run.start()
    return run.reply(reply).customer.text


@pytest.mark.parametrize("seed", range(6))
def test_no_number_given_no_number_thanked_for(shipped, seed):
    line = _next_line(shipped, NO_NUMBER, seed)
    assert "号码" not in line and "存了" not in line, line


@pytest.mark.parametrize("seed", range(3))
def test_a_number_given_is_thanked_for(shipped, seed):
    assert "存了" in _next_line(shipped, WITH_NUMBER, seed)


def test_a_heard_line_fits_only_after_its_point_was_covered():
    line = CustomerLine(text="好，号码我存了。", heard=["contact", "phone"])
    assert not fits(line, TRAITS, Facts())
    assert not fits(line, TRAITS, Facts(heard=frozenset({"self-intro"})))
    assert fits(line, TRAITS, Facts(heard=frozenset({"phone"})))


def test_asking_again_never_repeats_a_line_that_answered_an_earlier_reply(shipped):
    """A poor reply at probe-concerns brings her question back, never 「号码我存了」 a second time."""
    from assistant.core.rehearse.listening import _asking

    node = next(n for n in shipped.scenario("scenario-payroll-executive").nodes if n.id == "probe-concerns")
    assert any(x.heard for x in node.customer_lines)
    assert all(not x.heard for x in _asking(node) if isinstance(x, CustomerLine))


def _fixture_copy(tmp_path: Path, heard: str) -> Path:
    root = tmp_path / "lib"
    shutil.copytree(FIXTURE, root)
    path = root / "scenario" / "fixture-call.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "    customer: [哦，那笔钱啊，到期了会回卡里吧？, 到期了要我做什么？, 这么快就到期了？]\n"
    assert anchor in text
    extra = f"    customer_lines:\n      - {{text: 好，号码我存了。, heard: [{heard}]}}\n"
    path.write_text(text.replace(anchor, anchor + extra), encoding="utf-8")
    return root


def test_validate_flags_an_unknown_heard_point_with_its_line(tmp_path, monkeypatch):
    root = _fixture_copy(tmp_path, "contact")
    monkeypatch.chdir(tmp_path)
    problems, _ = validate_dirs([root])
    lines = [format_problem(p) for p in problems if "heard" in p.message]
    assert len(lines) == 1
    assert lines[0].startswith("lib/scenario/fixture-call.yaml:47: 错误：") and "`contact`" in lines[0]


def test_validate_accepts_a_point_of_the_reply_the_line_answers(tmp_path, monkeypatch):
    root = _fixture_copy(tmp_path, "reason")  # the previous node's point: her answer to that reply
    monkeypatch.chdir(tmp_path)
    problems, _ = validate_dirs([root])
    assert not [p for p in problems if "heard" in p.message]
