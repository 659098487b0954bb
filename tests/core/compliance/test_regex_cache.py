"""The compiled compliance regexes kept between processes (`regexcache`): what comes back from the
file is what `re.compile` makes, an edited rule or macro is compiled anew, and a damaged file or
entry only costs a compile."""

from __future__ import annotations

import os
import re

import pytest

from assistant.core.compliance import check, compiled_rules, expand
from assistant.core.compliance.regexcache import RegexCache, cache_path
from assistant.core.playbooks.library import ComplianceRules, Library, PlaybookRef
from assistant.core.playbooks.models import ComplianceFile, ForbiddenRule


def _library(patterns: list[str], macros: dict[str, str] | None = None) -> Library:
    """A library of one forbidden rule (and one compliance file holding the macros)."""
    rule = ForbiddenRule(id="sure-win", title="承诺收益", patterns=patterns, message="m", safer="s")
    model = ComplianceFile(version=1, kind="compliance", id="branch-rules", title="分行规则", macros=macros or {},
                           forbidden=[rule])
    ref = PlaybookRef("branch-rules", "compliance", "branch.yaml", 0, model, None)
    return Library(files={"branch-rules": ref}, compliance=ComplianceRules(forbidden=[rule]))


def _flagged(text: str, lib: Library) -> list[str]:
    return [f.quote for f in check(text, lib, learned=False)]


def test_every_shipped_pattern_from_the_cache_is_what_re_compile_makes(lib, tmp_path) -> None:
    macros = {k: v for ref in lib.files.values() if ref.kind == "compliance" for k, v in ref.model.macros.items()}
    sources = {expand(p, macros) for r in lib.compliance.forbidden for f in ("patterns", "unless", "nearby", "unless_nearby")
               for p in getattr(r, f)}
    sources |= {expand(p, macros) for r in lib.compliance.disclosures for p in (*r.when, *r.must_include_any)}
    path = tmp_path / "regex.pickle"
    first = RegexCache(path)
    for source in sources:
        first.compile(source)
    first.save()
    warm = RegexCache(path)
    assert set(warm.stored) == sources
    # equal patterns have equal flags, source and compiled code
    assert [s for s in sorted(sources) if warm.compile(s) != re.compile(s)] == []
    assert warm.added == 0


def test_the_first_check_writes_the_cache_and_the_next_process_reads_it() -> None:
    assert _flagged("这个稳赚的", _library(["稳赚"])) == ["稳赚"]
    assert "稳赚" in RegexCache(cache_path()).stored
    again = _library(["稳赚"])
    assert _flagged("这个稳赚的", again) == ["稳赚"]


def test_an_edited_pattern_is_compiled_anew_not_read_stale() -> None:
    assert _flagged("这个稳赚的", _library(["稳赚"])) == ["稳赚"]
    edited = _library(["包赚"])
    assert _flagged("这个稳赚的", edited) == [] and _flagged("这个包赚的", edited) == ["包赚"]
    assert {"稳赚", "包赚"} <= set(RegexCache(cache_path()).stored)


def test_an_edited_macro_reaches_every_pattern_using_it() -> None:
    assert _flagged("稳赚不赔", _library(["<WIN>不赔"], {"WIN": "稳赚"})) == ["稳赚不赔"]
    edited = _library(["<WIN>不赔"], {"WIN": "包赚"})
    assert _flagged("稳赚不赔", edited) == [] and _flagged("包赚不赔", edited) == ["包赚不赔"]


def test_a_bad_pattern_is_skipped_warm_or_cold() -> None:
    for _ in range(2):  # cold, then with the cache written by the first round
        lib = _library(["(", "刚兑"])
        (rule,), _ = compiled_rules(lib)
        assert [p.pattern for p in rule.patterns] == ["刚兑"]
        assert _flagged("保证刚兑", lib) == ["刚兑"]


def test_a_damaged_file_or_entry_costs_a_compile_only(tmp_path) -> None:
    path = tmp_path / "regex.pickle"
    path.write_bytes(b"not a pickle")
    os.chmod(path, 0o600)
    cache = RegexCache(path)
    assert cache.stored == {} and cache.compile("稳[赚涨]").search("稳涨")
    cache.save()
    warm = RegexCache(path)
    flags, code, *rest = warm.stored["稳[赚涨]"]
    warm.stored["稳[赚涨]"] = (flags, code[:8], *rest)  # a program cut short: the engine refuses it
    assert warm.compile("稳[赚涨]") == re.compile("稳[赚涨]") and warm.added == 1


@pytest.mark.skipif(os.name != "posix", reason="modes are checked on POSIX only")
def test_a_file_others_may_write_is_not_read(tmp_path) -> None:
    path = tmp_path / "regex.pickle"
    cache = RegexCache(path)
    cache.compile("保本")
    cache.save()
    assert "保本" in RegexCache(path).stored and (path.stat().st_mode & 0o777) == 0o600
    os.chmod(path, 0o666)
    assert RegexCache(path).stored == {}
