"""Score the labelled staff replies (tests/data/rehearse_labelled.yaml, rehearse_heldout.yaml).

`python -m tests.core.rehearse.reply_labels [dev|heldout] [-v]` prints the figures; the test module
asserts the targets. Each reply is scored as the scenario's first persona hears the node's first
customer line, against the node's key points.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

DATA = Path(__file__).resolve().parents[2] / "data"
FILES = {"dev": DATA / "rehearse_labelled.yaml", "heldout": DATA / "rehearse_heldout.yaml"}
MUST_PASS = ("paraphrase", "conservative")
MUST_FAIL = ("topic_only", "keyword_list", "echo", "violation")


@dataclass(frozen=True)
class Scored:
    scenario: str
    node: str
    label: str
    text: str
    score: object

    @property
    def passed(self) -> bool:
        return self.score.passed

    @property
    def right(self) -> bool:
        return self.passed if self.label in MUST_PASS else not self.passed


def load(which: str) -> list[dict]:
    return YAML(typ="safe").load(FILES[which].read_text(encoding="utf-8"))


def score_rows(library, rows) -> list[Scored]:
    from assistant.core.rehearse.scoring import score_reply
    from assistant.core.rehearse.sim import Rehearsal
    from assistant.core.rehearse.targets import node_target

    runs, out = {}, []
    for row in rows:
        sid = "scenario-" + row["scenario"].removeprefix("scenario-")
        if sid not in runs:
            runs[sid] = Rehearsal(library, sid, library.scenario(sid).personas[0].id)
        run = runs[sid]
        node = run.nodes[row["node"]]
        target = node_target(run, node)
        score = score_reply(row["text"] or "", target.key_points, library, customer_line=run.render(node.customer[0]),
                            customer_name=run.customer_name, model_reply=target.model_reply, persona=run.persona,
                            channel=run.scenario.channel)
        out.append(Scored(sid, row["node"], row["label"], row["text"], score))
    return out


def rates(scored: list[Scored]) -> dict:
    ok = [s for s in scored if s.label in MUST_PASS]
    bad = [s for s in scored if s.label in MUST_FAIL]
    by_label = defaultdict(list)
    for s in scored:
        by_label[s.label].append(s.right)
    return {
        "replies": len(scored),
        "must_pass": (sum(s.passed for s in ok), len(ok)),
        "must_fail": (sum(not s.passed for s in bad), len(bad)),
        "violations_zero": (sum(s.score.total == 0 for s in scored if s.label == "violation"),
                            sum(1 for s in scored if s.label == "violation")),
        "by_label": {k: (sum(v), len(v)) for k, v in sorted(by_label.items())},
    }


def main(argv: list[str]) -> None:
    from assistant.core.playbooks.loader import load_library

    which = argv[0] if argv else "dev"
    scored = score_rows(load_library(), load(which))
    r = rates(scored)
    print(f"{which}: {r['replies']} replies; must-pass passed {r['must_pass'][0]}/{r['must_pass'][1]}; "
          f"must-fail failed {r['must_fail'][0]}/{r['must_fail'][1]}; violations at 0: {r['violations_zero']}")
    print("  by label (right/all):", r["by_label"])
    if "-v" in argv:
        for s in scored:
            if not s.right:
                print(f"  ✗ {s.label:12} {s.score.total:3} {s.scenario[9:]}:{s.node} {s.text[:60]}")
                print("      ", " | ".join(s.score.reasons[:6]))


if __name__ == "__main__":
    main(sys.argv[1:])
