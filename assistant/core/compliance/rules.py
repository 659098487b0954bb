"""Compliance rules compiled from data: macros expanded, regexes compiled once per library.

A rule file may name regex pieces under `macros:` (`NEG: '(?:不|没|非)'`) and use them as `<NEG>`
in any pattern of any compliance file; the validator reports an unknown name or a bad regex at
its file:line, and a pattern that does not compile is skipped here rather than crash a check.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from assistant.core.playbooks.models import DisclosureRule, ForbiddenRule

#: `<NAME>` inside a pattern: upper-case so it never collides with (?<=…) or (?P<name>…).
MACRO = re.compile(r"<([A-Z][A-Z0-9_]*)>")


@dataclass(frozen=True)
class Forbidden:
    """A forbidden rule ready to run: its patterns, its local excuses and its scope words."""

    rule: ForbiddenRule
    patterns: tuple[re.Pattern, ...]
    unless: tuple[re.Pattern, ...]
    nearby: tuple[re.Pattern, ...]
    unless_nearby: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Disclosure:
    """A disclosure rule ready to run: when it applies, and the words that satisfy it."""

    rule: DisclosureRule
    when: tuple[re.Pattern, ...]
    must: tuple[re.Pattern, ...]


def regex_error(pattern: str, macros: dict[str, str] | None = None) -> str | None:
    """Why `pattern` (after macro expansion) is not a valid regex, or None. A source the regex cache
    holds compiled before (only valid ones are stored) is not compiled again: `coach validate` checks
    every pattern (~1.2 s of compiling)."""
    try:
        source = expand(pattern, macros or {})
        if source not in _compiled_before():
            re.compile(source)
    except (re.error, KeyError) as exc:
        return str(exc)
    return None


@functools.lru_cache(maxsize=1)
def _compiled_before() -> frozenset[str]:
    from assistant.core.compliance.regexcache import RegexCache, cache_path

    return frozenset(RegexCache(cache_path()).stored)


def unknown_macros(pattern: str, macros: dict[str, str]) -> list[str]:
    """Names used as `<NAME>` in `pattern` that no compliance file declares."""
    return [m.group(1) for m in MACRO.finditer(pattern) if m.group(1) not in macros]


def expand(pattern: str, macros: dict[str, str]) -> str:
    """`pattern` with every `<NAME>` replaced by its macro (macros may use macros, 5 levels:
    WARN names WARN_CORE, which names REFUTE, which names C)."""
    for _ in range(5):
        if not MACRO.search(pattern):
            break
        pattern = MACRO.sub(lambda m: macros[m.group(1)], pattern)
    return pattern


def library_macros(library) -> dict[str, str]:
    """Every compliance file's macros (later folders override by name)."""
    out: dict[str, str] = {}
    for ref in getattr(library, "files", {}).values():
        if ref.kind == "compliance":
            out.update(ref.model.macros)
    return out


def _compile_all(patterns, macros: dict[str, str], regexes, literal_fallback: bool = False) -> tuple[re.Pattern, ...]:
    """Each pattern expanded and compiled once (checking it with `regex_error` first compiled it twice,
    and ~1,100 sources overflow `re`'s own cache of 512); a bad one is skipped (the validator names
    its file:line), or matched literally with `literal_fallback`."""
    out = []
    for p in patterns:
        try:
            out.append(regexes.compile(expand(p, macros)))
        except (re.error, KeyError):
            if literal_fallback:
                out.append(regexes.compile(re.escape(p)))
    return tuple(out)


def compiled_rules(library) -> tuple[list[Forbidden], list[Disclosure]]:
    """The library's rules compiled once (kept in `library.derived`, not pickled); the compiled code
    comes from `regexcache` when these sources were compiled before (~1.2 s → ~25 ms a process)."""
    cached = library.derived.get("compliance")
    if cached is None:
        from assistant.core.compliance.regexcache import RegexCache, cache_path

        rules, macros, regexes = library.compliance, library_macros(library), RegexCache(cache_path())
        forbidden = [
            Forbidden(r, _compile_all(r.patterns, macros, regexes), _compile_all(r.unless, macros, regexes),
                      _compile_all(r.nearby, macros, regexes), _compile_all(r.unless_nearby, macros, regexes))
            for r in rules.forbidden
        ]
        disclosures = [
            Disclosure(r, _compile_all(r.when, macros, regexes), _compile_all(r.must_include_any, macros, regexes, True))
            for r in rules.disclosures
        ]
        regexes.save()
        cached = library.derived["compliance"] = (forbidden, disclosures)
    return cached
