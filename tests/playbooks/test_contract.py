"""The shipped playbooks validate without errors; every warning is printed for the reviewer."""

from __future__ import annotations

from assistant.core.playbooks.problems import format_problem
from assistant.core.playbooks.validate import validate
from assistant.paths import BUILTIN_PLAYBOOKS


def test_shipped_playbooks_have_no_errors() -> None:
    problems = validate([BUILTIN_PLAYBOOKS])
    for problem in problems:
        print(format_problem(problem))  # shown with -s or on failure: warnings are explained in COVERAGE.md
    errors = [format_problem(p) for p in problems if p.severity == "error"]
    assert errors == []


def test_shipped_library_has_the_basics() -> None:
    from assistant.core.playbooks.loader import load_library

    lib = load_library([BUILTIN_PLAYBOOKS], use_cache=False)
    assert lib.taxonomy is not None and lib.scoring is not None
    assert lib.variables


def test_shipped_library_covers_every_topic_with_full_objection_cards() -> None:
    from assistant.core.playbooks.loader import load_library
    from assistant.core.playbooks.validate import coverage_problems

    lib = load_library([BUILTIN_PLAYBOOKS], use_cache=False)
    assert [format_problem(p) for p in coverage_problems(lib)] == []
