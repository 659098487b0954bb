"""The real-phrasing corpus keeps its promises: split by source, test half frozen, enough lines.

Nothing here prints a test-half line: a failure names files, URLs' counts and hashes only.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

import realcorpus  # noqa: E402

from assistant.core.playbooks.loader import load_library  # noqa: E402

FROZEN = TESTS / "data" / "real" / "test.sha256"


def _fingerprint(lines) -> str:
    # Staff rows add their label and rule; the other kinds keep the tuple they were frozen with.
    rows = sorted((line.kind, line.topic, line.url, line.form, line.text)
                  + ((line.label, line.rule) if line.kind == "staff" else ()) for line in lines)
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_every_line_sits_in_the_half_its_source_decides() -> None:
    misplaced = [(line.split, line.url) for split in ("dev", "test") for line in realcorpus.load_all(split)
                 if realcorpus.split_of(line.url) != split]
    assert misplaced == []


def test_no_source_feeds_both_halves() -> None:
    dev = {realcorpus.source_key(line.url) for line in realcorpus.load_all("dev")}
    test = {realcorpus.source_key(line.url) for line in realcorpus.load_all("test")}
    assert len(dev & test) == 0


def test_the_test_half_is_frozen() -> None:
    """Changing the test half means changing tests/data/real/test.sha256 too, in plain sight."""
    assert _fingerprint(realcorpus.load_all("test")) == FROZEN.read_text().strip()


def test_sizes_and_labels() -> None:
    lines = realcorpus.load("dev") + realcorpus.load("test")
    counts = {kind: sum(1 for line in lines if line.kind == kind) for kind in realcorpus.KINDS}
    assert counts["customer"] >= 400 and counts["marketer"] >= 100 and counts["none"] >= 100, counts
    topics = set(load_library().taxonomy.topics)
    bad = [(line.kind, line.topic) for line in lines
           if (line.topic not in topics if line.kind != "none" else line.topic != "none")]
    assert bad == []
    assert all(line.url.startswith(("http://", "https://")) and line.form in realcorpus.FORMS for line in lines)


def test_staff_rows_are_labelled_and_never_matcher_input() -> None:
    """Staff sales lines (issue 13) measure the compliance check; load() keeps them from the matcher."""
    staff = realcorpus.load("dev", "staff") + realcorpus.load("test", "staff")
    assert len(staff) >= 80, len(staff)
    assert {line.label for line in staff} == set(realcorpus.LABELS)
    assert all(line.rule and line.rule.replace("_", "").isalpha() and line.rule.islower() for line in staff)
    assert sum(line.label == "flag" for line in staff) >= 40 and sum(line.label == "pass" for line in staff) >= 20
    assert len({realcorpus.source_key(line.url) for line in staff}) >= 30
    assert all(line.url.startswith(("http://", "https://")) and line.form in realcorpus.FORMS for line in staff)
    assert not any(line.kind == "staff" for split in ("dev", "test") for line in realcorpus.load(split))
