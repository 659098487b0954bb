"""A seeded transcript per scenario, checked in (tests/data/rehearse_transcripts): the same replies
give the same conversation, and each one shows the customer reacting to what was said."""

from __future__ import annotations

import json

import pytest
from golden import FOLDER, replay, transcript

from assistant.core.playbooks.loader import load_library

FILES = sorted(FOLDER.glob("*.json"))


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_every_scenario_has_a_golden_transcript(library):
    assert {p.stem for p in FILES} >= set(library.scenarios)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_golden_transcript_replays_identically(library, path):
    spec = json.loads(path.read_text(encoding="utf-8"))
    run = replay(library, spec)
    assert transcript(run) == spec["turns"], "regenerate with python -m tests.core.rehearse.golden --write and read the diff"
    assert run.outcome == spec["outcome"]
    rules = {t["rule"] for t in spec["turns"]} - {None}
    assert {"ignored", "compliance"} <= rules  # the customer called out the weather talk and the promise
    said = [t["customer"] for t in spec["turns"]]
    assert len(said) == len(set(said))  # never the same line twice
