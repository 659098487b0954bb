"""Seeded golden transcripts, one per scenario (tests/data/rehearse_transcripts/*.yaml).

Each file holds the replies of one seeded run that meets several reaction rules (an ignored
line, a product pushed before any question, a forbidden promise, then the model replies) and
what the customer said back: line, kind, and the rule behind it. `test_golden_transcripts`
replays the replies and expects the same conversation. The ask-ahead transcripts
(tests/data/rehearse_ahead) put the next step's question in an early reply: the customer answers
it and the flow skips that step. Regenerate after a deliberate change
with `python -m tests.core.rehearse.golden --write` and read the diff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[2] / "data" / "rehearse_transcripts"
SEED = 3
#: Replies that meet the rules, by turn; every other turn answers with the target's model reply.
PLAN = {0: "今天天气不错，您吃饭了吗？", 1: "我们新出了一款理财，给您推荐一下？",
        3: "{name}，这样一年能多拿3000块，您看怎么样？", 6: "{name}，这款保本保收益，稳赚不赔。"}
MAX_TURNS = 16


def play_policy(library, scenario_id: str, persona_id: str, seed: int = SEED):
    """Answer by PLAN on its turns and with the target's model reply otherwise, until the call ends."""
    from assistant.core.rehearse.sim import Rehearsal

    run = Rehearsal(library, scenario_id, persona_id, seed=seed)
    run.start()
    replies = []
    for i in range(MAX_TURNS):
        if run.finished:
            break
        model = run.target().model_reply or "好的，您看呢？"
        text = PLAN[i].format(name=run.customer_name or "您") if i in PLAN else model
        replies.append(text)
        run.reply(text)
    return run, replies


#: Where the ask-ahead transcripts live: the first reply also asks the next step's question.
AHEAD_FOLDER = FOLDER.parent / "rehearse_ahead"


def ahead_reply(run) -> str:
    """This node's model reply followed by the next node's last question (asked a step early)."""
    import re

    from assistant.core.rehearse.targets import node_target

    nxt = run.nodes[run.node.next]
    asked = re.findall(r"[^。！？?]*[？?]", node_target(run, nxt).model_reply or "")
    return run.target().model_reply.rstrip() + (asked[-1] if asked else "")


def play_ahead(library, scenario_id: str, persona_id: str, seed: int = SEED):
    """Model replies, except the first one at a node followed by a probe node (after the opening
    call of a multi-call scenario), which also asks that probe node's question."""
    from assistant.core.rehearse.sim import Rehearsal

    run = Rehearsal(library, scenario_id, persona_id, seed=seed)
    run.start()
    replies, asked = [], False
    for _ in range(MAX_TURNS):
        if run.finished:
            break
        nxt = run.nodes.get(run.node.next or "")
        ahead = not asked and not run.state.pending and nxt is not None and nxt.step == "probe"
        text = ahead_reply(run) if ahead else (run.target().model_reply or "好的，您看呢？")
        asked = asked or ahead
        replies.append(text)
        run.reply(text)
    return run, replies


def replay(library, spec: dict):
    """A run that plays a checked-in spec's replies with its scenario, persona and seed."""
    from assistant.core.rehearse.sim import Rehearsal

    run = Rehearsal(library, spec["scenario"], spec["persona"], seed=spec["seed"])
    run.start()
    for text in spec["replies"]:
        run.reply(text)
    return run


def transcript(run) -> list[dict]:
    """What the customer said, turn by turn, and why (the deciding reaction rule, if any)."""
    out = []
    for t in run.transcript:
        decisive = next((r["rule"] for r in t.reactions if r["effect"] in ("blocks", "ends", "asks")), None)
        out.append({"customer": t.customer.text, "kind": t.customer.kind, "reply": t.reply,
                    "score": t.score.total if t.score else None, "rule": decisive})
    return out


def spec_for(library, scenario) -> dict:
    persona = scenario.personas[0]
    run, replies = play_policy(library, scenario.id, persona.id)
    return {"scenario": scenario.id, "persona": persona.id, "seed": SEED, "replies": replies,
            "outcome": run.outcome, "turns": transcript(run)}


def ahead_spec_for(library, scenario) -> dict:
    """The ask-ahead transcript of the scenario's last persona, with the node of every customer line
    and the step the flow skipped (credited) after each reply."""
    persona = scenario.personas[-1]
    run, replies = play_ahead(library, scenario.id, persona.id)
    turns = [{**t, "node": r.customer.node_id, "skipped": (r.skipped or {}).get("node_id")}
             for t, r in zip(transcript(run), run.transcript)]
    return {"scenario": scenario.id, "persona": persona.id, "seed": SEED, "replies": replies,
            "outcome": run.outcome, "turns": turns, "steps": run.scorecard().steps}


def write(library) -> None:
    for folder, make in ((FOLDER, spec_for), (AHEAD_FOLDER, ahead_spec_for)):
        folder.mkdir(exist_ok=True)
        for scenario in library.scenarios.values():
            spec = make(library, scenario)
            path = folder / f"{scenario.id}.json"
            path.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(folder.name, path.name, spec["outcome"], len(spec["turns"]))


if __name__ == "__main__":
    from assistant.core.playbooks.loader import load_library

    if "--write" in sys.argv:
        write(load_library())
