"""A rehearsal run as a history session, and as the JSON report of `coach rehearse --json`.

Shared by the headless command and the rehearse screen: `record` logs a finished (or abandoned)
run like any other session (mode rehearse) and queues its weak spots for drill.
"""

from __future__ import annotations

from dataclasses import asdict

from assistant.core.playbooks.models import STEP_ORDER
from assistant.core.rehearse.recorder import RehearsalRecorder
from assistant.core.rehearse.sim import Rehearsal


def play(library, scenario_id: str, persona_id: str, replies, seed: int = 0, history=None,
         staff_id: str | None = None, variables: dict | None = None, today=None, persona=None,
         customer_id: str | None = None) -> dict:
    """Play `replies` in order until they run out or the customer ends the call; log; report.
    `persona` (with `customer_id`) rehearses a real customer (real_customer.customer_persona).
    The staff member's own name fills the model replies (staff_variables)."""
    variables = {**staff_variables(history, staff_id), **(variables or {})}
    run = Rehearsal(library, scenario_id, persona_id, seed=seed, variables=variables, persona=persona,
                    customer_id=customer_id)
    run.start()
    for text in replies:
        if run.finished:
            break
        run.reply(text)
    session_id, queued = record(history, run, staff_id, today) if history is not None else (None, [])
    return report(run, session_id, queued)


def staff_variables(history, staff_id: str | None) -> dict:
    """{"staff_name": their name} for the staff member rehearsing, {} when unknown (neutral words)."""
    getter = getattr(history, "get_staff", None)
    record = getter(staff_id) if getter and staff_id else None
    return {"staff_name": record["name"]} if record and record.get("name") else {}


def record(history, run, staff_id: str | None = None, today=None) -> tuple[str, list[dict]]:
    """Log the whole run as a rehearse session with its events; queue weak cards/steps for drill."""
    recorder = RehearsalRecorder(history, run, staff_id)
    _, queued = recorder.finish(today)
    return recorder.session_id, queued


# ------------------------------------------------------------------ the JSON report


def turn_report(turn) -> dict:
    """One turn as plain JSON: the customer's line, the reply, its score and reasons."""
    c = turn.customer
    out = {"customer": c.text, "node_id": c.node_id, "step": c.step, "kind": c.kind,
           "objection": c.objection, "card_id": c.card_id, "why": c.why, "reply": turn.reply}
    if turn.score is None:
        return out
    # The rule that decided how the customer answered this reply (else the first that fired).
    decisive = next((r for r in turn.reactions if r["effect"] in ("blocks", "ends", "asks", "closes", "answers")), None)
    out["reaction"] = decisive or (turn.reactions[0] if turn.reactions else None)
    out["reactions"] = list(turn.reactions)
    s = turn.score
    out.update(
        score=s.total, passed=s.passed, knowledge=s.knowledge, style=s.style, copied=s.copied,
        covered=[{"point_id": e.point_id, "label": e.label, "quote": e.quote, "start": e.start, "end": e.end}
                 for e in s.covered],
        missed=[{"point_id": i, "label": label} for i, label in s.missed],
        style_checks=[asdict(x) for x in s.style_checks], reasons=s.reasons,
        flags=[{"rule_id": f.rule_id, "title": f.title, "severity": f.severity, "message": f.message,
                "safer": f.safer, "quote": f.quote} for f in s.flags],
        model_reply=s.model_reply, hints=turn.hints, skipped=turn.skipped,
    )
    return out


def report(run, session_id: str | None = None, queued: list[dict] | None = None) -> dict:
    """The whole run: turns, outcome, total and the scorecard (without a second transcript). The
    scorecard names its sections and steps as the screen does (titles, step_labels)."""
    from assistant.core.rehearse.scorecard import SKILLS_TITLE, STEPS_TITLE, practise_title, verdict
    from assistant.core.rehearse.scoring import scoring_of

    built = run.scorecard()
    pass_mark = scoring_of(run.library).pass_mark
    card = built.to_dict()
    card.pop("transcript", None)
    card["step_labels"] = {step: run.library.step_label(step) for step in STEP_ORDER if step in card["steps"]}
    card["titles"] = {"practise": practise_title(built, pass_mark), "skills": SKILLS_TITLE, "steps": STEPS_TITLE}
    card["verdict"] = verdict(built, pass_mark)  # the screen's words beside the total
    return {
        "scenario": {"id": run.scenario.id, "title": run.scenario.title},
        "persona": {"id": run.persona.id, "title": run.persona.title, "description": run.persona.description,
                    "temperament": run.persona.temperament, "objections": list(run.persona.objections)},
        "customer_id": run.customer_id,
        "seed": run.seed, "session_id": session_id, "finished": run.finished, "outcome": run.outcome,
        "turns": [turn_report(t) for t in run.transcript], "total": card["total"], "scorecard": card,
        "drill": [q["id"] for q in queued or []],
    }
