"""The built-in library every compliance test here checks against, loaded once per module (no cache: the rules as edited)."""

from __future__ import annotations

import pytest

from assistant.core.compliance import check
from assistant.core.playbooks.loader import load_library
from assistant.paths import BUILTIN_PLAYBOOKS


@pytest.fixture(scope="module")
def lib():
    return load_library([BUILTIN_PLAYBOOKS], use_cache=False)


@pytest.fixture
def pair_holds(lib):
    """`pair_holds(honest, violation, rule)`: the rules alone leave the honest line unflagged and flag the violation
    beside it as an error under `rule` (the learned opinion is tested elsewhere)."""
    def holds(honest: str, violation: str, rule: str) -> None:
        assert check(honest, lib, learned=False) == [], honest
        assert any(f.rule_id == rule and f.severity == "error" for f in check(violation, lib, learned=False)), violation
    return holds
