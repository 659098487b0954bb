"""Compliance lint over what staff say: forbidden promises and missing risk disclosures.

The rules are data (`playbooks/compliance/*.yaml`); they are compiled once per library.
Customers may say 保本; only staff lines, replies and messages are checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.playbooks.models import DisclosureRule, ForbiddenRule


@dataclass(frozen=True)
class Flag:
    """One rule broken in one text: what, where (quote + span), and a safer way to say it."""

    rule_id: str
    title: str
    severity: str
    message: str
    safer: str
    quote: str
    span: tuple[int, int]


@dataclass(frozen=True)
class _Forbidden:
    rule: ForbiddenRule
    patterns: tuple[re.Pattern, ...]
    unless: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class _Disclosure:
    rule: DisclosureRule
    when: tuple[re.Pattern, ...]
    must: tuple[re.Pattern, ...]


def regex_error(pattern: str) -> str | None:
    """Why `pattern` is not a valid regex, or None."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    return None


def _compile_all(patterns, literal_fallback: bool = False) -> tuple[re.Pattern, ...]:
    out = []
    for p in patterns:
        if regex_error(p) is None:
            out.append(re.compile(p))
        elif literal_fallback:
            out.append(re.compile(re.escape(p)))
    return tuple(out)


def compiled_rules(library) -> tuple[list[_Forbidden], list[_Disclosure]]:
    """The library's rules compiled once (kept in `library.derived`, not pickled)."""
    cached = library.derived.get("compliance")
    if cached is None:
        rules = library.compliance
        forbidden = [_Forbidden(r, _compile_all(r.patterns), _compile_all(r.unless)) for r in rules.forbidden]
        disclosures = [_Disclosure(r, _compile_all(r.when), _compile_all(r.must_include_any, True)) for r in rules.disclosures]
        cached = library.derived["compliance"] = (forbidden, disclosures)
    return cached


def check(text: str, library) -> list[Flag]:
    """Every rule `text` breaks, in text order; [] when it is fine."""
    if not text:
        return []
    forbidden, disclosures = compiled_rules(library)
    flags = [f for rule in forbidden for f in _forbidden_hits(rule, text)]
    flags += [f for rule in disclosures if (f := _missing_disclosure(rule, text))]
    return sorted(flags, key=lambda f: (f.span, f.rule_id))


def _forbidden_hits(rule: _Forbidden, text: str) -> list[Flag]:
    """Hits of the rule's patterns, except those covered by an `unless` match (不保本, 不承诺保本)."""
    excused = [m.span() for pat in rule.unless for m in pat.finditer(text)]
    flags, seen = [], set()
    for pat in rule.patterns:
        for m in pat.finditer(text):
            if m.end() == m.start() or m.span() in seen or any(_overlaps(m.span(), e) for e in excused):
                continue
            seen.add(m.span())
            flags.append(_flag(rule.rule, m))
    return flags


def _missing_disclosure(rule: _Disclosure, text: str) -> Flag | None:
    """A flag at the first `when` match when none of `must_include_any` appears."""
    if any(p.search(text) for p in rule.must):
        return None
    hits = [m for p in rule.when if (m := p.search(text)) and m.end() > m.start()]
    return _flag(rule.rule, min(hits, key=lambda m: m.start())) if hits else None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _flag(rule, m: re.Match) -> Flag:
    return Flag(rule.id, rule.title, rule.severity, rule.message, rule.safer, m.group(0), m.span())
