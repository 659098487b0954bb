"""`coach validate`: each bad fixture under tests/data/bad prints exactly its expected.txt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.playbooks.problems import Problem, format_problem, summary
from assistant.core.playbooks.validate import validate, validate_dirs

BAD = Path(__file__).resolve().parent.parent / "data" / "bad"
GOOD = Path(__file__).resolve().parent.parent / "data" / "good"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.txt").is_file())


def case_dirs(case: Path) -> list[str]:
    """The folders to validate, in order (`dirs.txt` for multi-folder cases such as overrides)."""
    listed = case / "dirs.txt"
    return listed.read_text(encoding="utf-8").split() if listed.is_file() else ["."]


def validate_output(case: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(case)
    problems, n_files = validate_dirs(case_dirs(case))
    return [format_problem(p) for p in problems] + [summary(problems, n_files)]


def test_every_required_case_has_a_fixture() -> None:
    required = {
        "yaml-syntax", "duplicate-key", "unknown-key", "missing-field", "wrong-type", "kind-folder",
        "unknown-topic", "unknown-next-step", "unknown-card-ref", "scenario-graph", "identical-triggers",
        "confusable-triggers", "undeclared-variable", "fullwidth-braces", "jinja-syntax",
        "compliance-response", "branch-override", "file-override",
    }
    assert required <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_bad_fixture_gives_expected_lines(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert validate_output(BAD / case, monkeypatch) == expected


def test_good_fixture_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOOD)
    assert validate(["."]) == []


def test_problems_sorted_by_path_then_line(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = validate_output(BAD / "kind-folder", monkeypatch)[:-1]
    assert lines == sorted(lines)


def test_cli_exit_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(folder: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "assistant", "validate", "."], cwd=folder, capture_output=True, text=True, encoding="utf-8"
        )

    bad = run(BAD / "duplicate-key")
    assert bad.returncode == 1
    assert bad.stdout.splitlines() == (BAD / "duplicate-key" / "expected.txt").read_text(encoding="utf-8").splitlines()
    good = run(GOOD)
    assert (good.returncode, good.stdout.strip()) == (0, "6 个文件，0 个错误，0 个警告")


def test_warnings_alone_exit_zero(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from assistant.cli import main

    monkeypatch.chdir(BAD / "scenario-graph")
    assert main(["validate", "."]) == 1
    monkeypatch.chdir(BAD / "confusable-triggers")
    assert main(["validate", "."]) == 0
    assert capsys.readouterr().out.endswith("3 个文件，0 个错误，1 个警告\n")


def test_branch_folder_alone_is_checked_on_top_of_builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "branch" / "objection"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        "version: 1\nkind: objection\nid: my-branch-only\ntitle: 本行\ncards:\n  - {id: my-branch-card, title: 本行卡, topic: rate_lwo}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("assistant.paths.BUILTIN_PLAYBOOKS", GOOD)
    problems, n_files = validate_dirs(["branch"])
    assert n_files == 1
    assert [format_problem(p) for p in problems] == ["branch/objection/mine.yaml:6: 错误：未知的话题代码 `rate_lwo`（是不是 `rate_low`？）"]


def test_summary_counts() -> None:
    problems = [Problem("a", 1, "error", "x"), Problem("a", 2, "warning", "y"), Problem("b", 1, "warning", "z")]
    assert summary(problems, 7) == "7 个文件，1 个错误，2 个警告"


def test_coverage_problems_flag_thin_cards_and_uncovered_topics(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.core.playbooks.loader import load_library
    from assistant.core.playbooks.validate import coverage_problems

    monkeypatch.chdir(GOOD)
    lines = [format_problem(p) for p in sorted(coverage_problems(load_library(["."], use_cache=False)), key=Problem.sort_key)]
    assert lines == [
        "objection/rate-low.yaml:6: 警告：异议卡片 `rate-low-other-bank` 只有 2 个回复变体，至少写 3 个",
        "objection/rate-low.yaml:11: 警告：异议卡片 `rate-low-other-bank` 只有 2 条 triggers，至少写 8 条不同说法",
        "objection/rate-low.yaml:28: 警告：异议卡片 `risk-fear-basic` 只有 1 个回复变体，至少写 3 个",
        "objection/rate-low.yaml:31: 警告：异议卡片 `risk-fear-basic` 只有 2 条 triggers，至少写 8 条不同说法",
        "taxonomy.yaml:8: 警告：话题 `step_close` 还没有任何带 triggers 的卡片",
    ]


def test_missing_folder_names_it_without_a_line_zero(tmp_path: Path) -> None:
    problems, _ = validate_dirs([str(tmp_path / "nosuch")])
    shown = [format_problem(p) for p in problems if "nosuch" in p.path]
    assert shown and ":0:" not in shown[0] and "--playbooks" in shown[0]
