"""Compliance: forbidden promises with their exceptions, and required risk disclosures."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.compliance import check, regex_error
from assistant.core.library import ComplianceRules, Library
from assistant.core.loader import load_library
from assistant.core.models import ForbiddenRule


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([Path(__file__).resolve().parent.parent / "data" / "good"], use_cache=False)


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("这款产品保本，您放心", [("promise-principal", "保本")]),
        ("这个稳赚不赔", [("promise-principal", "稳赚")]),
        ("这款产品不保本，", []),
        ("我们不承诺保本", []),
        ("这是非保本产品", []),
        ("这款不保本，但那款保本", [("promise-principal", "保本")]),
        ("推荐您这款理财产品，收益不错", [("risk-disclosure", "这款理财")]),
        ("这款理财产品不错，理财非存款、产品有风险、投资须谨慎", []),
        ("定期存款利率1.5%", []),
        ("", []),
    ],
)
def test_check(library: Library, text: str, flags: list) -> None:
    assert [(f.rule_id, f.quote) for f in check(text, library)] == flags


def test_flag_carries_span_and_advice(library: Library) -> None:
    (flag,) = check("放心，保本的", library)
    assert flag.span == (3, 5) and flag.severity == "error"
    assert flag.title == "承诺保本" and "理财非存款" in flag.safer


def test_rules_compiled_once(library: Library) -> None:
    check("保本", library)
    first = library.derived["compliance"]
    check("保本", library)
    assert library.derived["compliance"] is first


def test_bad_regex_is_skipped_not_fatal() -> None:
    lib = Library(compliance=ComplianceRules(forbidden=[ForbiddenRule(id="x", title="x", patterns=["(", "刚兑"], message="m", safer="s")]))
    assert [f.quote for f in check("保证刚兑", lib)] == ["刚兑"]
    assert regex_error("(") and regex_error("a|b") is None
