"""Seeded golden transcripts, one per scenario (tests/data/rehearse_transcripts/*.yaml).

Each file holds the replies of one seeded run that meets several reaction rules (an ignored
line, a product pushed before any question, a forbidden promise, then the model replies) and
what the customer said back: line, kind, and the rule behind it. `test_golden_transcripts`
replays the replies and expects the same conversation. Regenerate after a deliberate change
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


def write(library) -> None:
    for scenario in library.scenarios.values():
        spec = spec_for(library, scenario)
        path = FOLDER / f"{scenario.id}.json"
        path.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(path.name, spec["outcome"], len(spec["turns"]))


if __name__ == "__main__":
    from assistant.core.playbooks.loader import load_library

    if "--write" in sys.argv:
        write(load_library())
