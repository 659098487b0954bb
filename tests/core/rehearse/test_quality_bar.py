"""The scoring quality bar on the labelled replies in tests/data/rehearse_replies.yaml.

Per scenario node: good replies outscore poor ones (poor, off-topic, empty, copy) in ≥ 90% of
pairs; every non-compliant reply is flagged and scores 0; empty scores 0; a copy scores low.
The figures (pairs %, flagged) are printed with `pytest -s`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from assistant.core.playbooks.loader import load_library
from assistant.core.rehearse.scoring import score_reply
from assistant.core.rehearse.sim import Rehearsal
from assistant.core.rehearse.targets import node_target

DATA = Path(__file__).resolve().parents[2] / "data" / "rehearse_replies.yaml"
POOR_LABELS = ("poor", "off_topic", "empty", "copy")
pytestmark = pytest.mark.skipif(not DATA.exists(), reason="labelled replies not written yet (scenario content)")


@pytest.fixture(scope="module")
def scored() -> dict[tuple[str, str], dict[str, list]]:
    """(scenario, node) → label → [ReplyScore], each scored as the first persona would hear it."""
    library = load_library()
    out: dict = defaultdict(lambda: defaultdict(list))
    for row in YAML(typ="safe").load(DATA.read_text(encoding="utf-8")):
        sid, nid = row["scenario"], row["node"]
        # the labelled replies were written by a staff member called 小李
        run = Rehearsal(library, sid, library.scenario(sid).personas[0].id, variables={"staff_name": "小李"})
        node = run.nodes[nid]
        target = node_target(run, node)
        score = score_reply(row.get("text") or "", target.key_points, library, customer_line=run.render(node.customer[0]),
                            customer_name=run.customer_name, model_reply=target.model_reply)
        out[(sid, nid)][row["label"]].append(score)
    return out


def _pairs(labels: dict) -> tuple[int, int]:
    poor = [s for label in POOR_LABELS for s in labels.get(label, [])]
    pairs = list(itertools.product(labels.get("good", []), poor))
    return sum(g.total > p.total for g, p in pairs), len(pairs)


def test_good_outscores_poor_in_90_percent_of_pairs_per_node(scored):
    worst = []
    for key, labels in scored.items():
        won, n = _pairs(labels)
        if n:
            worst.append((won / n, key))
    won, n = map(sum, zip(*(_pairs(labels) for labels in scored.values())))
    print(f"\nquality bar: good > poor in {won}/{n} pairs ({won / n:.1%}); worst node {min(worst)}")
    assert all(share >= 0.9 for share, _ in worst), sorted(worst)[:5]


def test_every_non_compliant_reply_is_flagged_and_fails(scored):
    replies = [s for labels in scored.values() for s in labels.get("non_compliant", [])]
    flagged = [s for s in replies if s.flags]
    print(f"\nnon-compliant flagged: {len(flagged)}/{len(replies)}")
    assert replies and len(flagged) == len(replies)
    assert all(s.total == 0 and not s.passed for s in replies)


def test_good_replies_are_not_flagged(scored):
    assert not [s.flags for labels in scored.values() for s in labels.get("good", []) if s.failed_compliance]


def test_empty_scores_zero_with_a_reason(scored):
    empties = [s for labels in scored.values() for s in labels.get("empty", [])]
    assert empties and all(s.total == 0 and s.reasons for s in empties)


def test_copy_scores_low(scored):
    copies = [s for labels in scored.values() for s in labels.get("copy", [])]
    assert copies and all(s.total <= 10 and s.knowledge == 0 for s in copies)


def test_good_beats_mediocre_and_very_long_loses_length_points(scored):
    for key, labels in scored.items():
        good = min(s.total for s in labels["good"])
        assert all(s.total < good for s in labels.get("mediocre", [])), key
        for s in labels.get("very_long", []):
            assert not next(c for c in s.style_checks if c.id == "length").passed, key
