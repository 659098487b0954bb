"""The small fixture library the rehearsal tests run on (tests/data/rehearse_fixture)."""

from __future__ import annotations

import pytest

from assistant.core.playbooks.loader import load_library

FIXTURE = __import__("pathlib").Path(__file__).resolve().parents[2] / "data" / "rehearse_fixture"


@pytest.fixture(scope="session")
def fixture_library():
    return load_library([FIXTURE], use_cache=False)


@pytest.fixture(scope="session")
def library():
    """The shipped playbooks (a test module's own `library` fixture, where one is left, overrides this)."""
    return load_library()
