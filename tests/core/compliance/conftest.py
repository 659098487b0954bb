"""The built-in library every compliance test here checks against, loaded once per module (no cache: the rules as edited)."""

from __future__ import annotations

import pytest

from assistant.core.playbooks.loader import load_library
from assistant.paths import BUILTIN_PLAYBOOKS


@pytest.fixture(scope="module")
def lib():
    return load_library([BUILTIN_PLAYBOOKS], use_cache=False)
