"""The scorecard at the end of a rehearsal: total, per step, per skill, and what to practise next."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from assistant.core.rehearse.scoring import scoring_of

#: The scorecard's sections as staff read them, the same on the screen, in 复盘 and headless.
PRACTISE_TITLE = "下次重点练"
#: Said instead of the practise list when every step of the run passed (nothing below the pass mark).
ALL_PASSED_TITLE = "每一步都过关了"
SKILLS_TITLE = "各项能力"
STEPS_TITLE = "各步骤"

#: At most this many things to practise (only steps below the pass mark are listed).
MAX_PRACTICE = 3


@dataclass(frozen=True)
class Practice:
    """One thing to practise next: a card, or a step of a scenario node, and why."""

    #: card | step
    kind: str
    step: str
    label: str
    why: str
    score: int
    card_id: str | None = None
    scenario_id: str | None = None
    node_id: str | None = None
    #: The key point missed most often there (label).
    missed: str | None = None
    #: Who the fumble was with (the run's persona) and what she had said (the weakest reply's
    #: customer line): the drill replays that situation, not a persona picked at random.
    persona_id: str | None = None
    said: str | None = None


@dataclass(frozen=True)
class Scorecard:
    """Totals of one run; `transcript` is the list of Turn dicts (customer, reply, score)."""

    scenario_id: str
    persona_id: str
    seed: int
    outcome: str | None
    total: int
    passed: bool
    #: step code → average reply score there.
    steps: dict[str, int] = field(default_factory=dict)
    #: skill key → {label, score (None when not practised)}.
    skills: dict[str, dict] = field(default_factory=dict)
    practise: list[Practice] = field(default_factory=list)
    transcript: list[dict] = field(default_factory=list)
    replies: int = 0
    hints: int = 0
    flags: int = 0
    #: A red line the run crossed (a compliance error, or a risky product offered to a cautious or
    #: older customer), in words: the run does not pass, whatever its average.
    red_line: str | None = None
    #: Whether the customer ended the call (False: the run was given up, 未完成).
    finished: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


def practise_title(card, pass_mark: int) -> str:
    """The practise section's title: what to practise, or (replies, every step passed) that all passed."""
    return ALL_PASSED_TITLE if card.replies and not card.practise else PRACTISE_TITLE


def verdict(card, pass_mark: int) -> str:
    """The pass/fail line beside the total, the same on the screen and headless: a failed run says
    why (the red line it crossed, else the pass mark it missed). A run given up neither passed nor
    failed: it is not scored (found in tmux: one reply, then 结束, read 「✗ 未过关（80分过关）」)."""
    if not card.finished:
        return f"✗ 未完成，不计分（{card.red_line}）" if card.red_line else "未完成，不计分"
    if card.passed:
        return "✓ 过关"
    return f"✗ 未过关（{card.red_line or f'{pass_mark}分过关'}）"


def _avg(values) -> int:
    values = list(values)
    return round(sum(values) / len(values)) if values else 0


def build(run) -> Scorecard:
    """The scorecard of a Rehearsal run (finished or not)."""
    scored = [t for t in run.transcript if t.score is not None]
    rules = scoring_of(run.library)
    by_step = defaultdict(list)
    for t in scored:
        by_step[t.customer.step].append(t.score.total)
        if t.skipped:  # a step asked ahead and answered: credited with this reply's score against it
            by_step[t.skipped["step"]].append(t.skipped["score"])
    steps = {s: _avg(v) for s, v in by_step.items()}  # computed once: skills and practice read these
    total = _avg(t.score.total for t in scored)
    # Found in tmux: 蒋阿姨 (70) was offered 偏股基金 and the run still read 81 ✓ 过关; a trainer
    # fails a call that crossed a red line, however good the rest was.
    red = _crossed(scored)
    return Scorecard(
        scenario_id=run.scenario.id, persona_id=run.persona.id, seed=run.seed, outcome=run.outcome,
        total=total, passed=bool(scored) and total >= rules.pass_mark and red is None, steps=steps,
        skills=_skills(rules, steps, {n.step for n in run.scenario.nodes}), practise=practise_next(run, scored, rules.pass_mark, steps),
        transcript=[t.to_dict() for t in run.transcript], replies=len(scored),
        hints=sum(t.hints for t in run.transcript), flags=sum(len(t.score.flags) for t in scored),
        red_line=red, finished=run.finished,
    )


def _crossed(scored) -> str | None:
    """The first red line of the run, for the scorecard's verdict (short: it sits beside the total)."""
    for t in scored:
        flag = next((f for f in t.score.flags if f.severity == "error"), None)
        if flag is not None:
            return f"说了「{flag.quote}」，触犯合规红线" if flag.quote else f"触犯合规红线：{flag.title}"
        if t.score.unsuitable:
            return f"向客户推荐了不适合的「{t.score.unsuitable}」"
    return None


def _skills(rules, steps: dict[str, int], offered: set[str]) -> dict[str, dict]:
    """Each skill the scenario practises (one of its steps is a step of the scenario's nodes): the
    mean of its steps' scores (the same numbers the step bars show), None when the run did not get
    there. A skill the scenario has no node for is left out: 防挖角 opens on the customer's
    objection, and its scorecard read 开场「没练到」 after that first reply was scored."""
    out = {}
    for key, spec in rules.skills.items():
        if not offered.intersection(spec.steps):
            continue
        values = [steps[s] for s in spec.steps if s in steps]
        out[key] = {"label": spec.label, "score": _avg(values) if values else None}
    return out


def practise_next(run, scored, pass_mark: int, steps: dict[str, int] | None = None) -> list[Practice]:
    """The weakest cards/steps of the run below the pass mark (up to 3); none when all passed.
    Found in tmux: a passed step padded the list (「平均100分，已过关，再巩固一下」) under 下次重点练."""
    groups: dict[tuple, list] = defaultdict(list)
    for t in scored:
        c = t.customer
        key = ("card", c.card_id, c.step, None) if c.card_id else ("step", None, c.step, c.node_id)
        groups[key].append(t)
    ranked = sorted(groups.items(), key=lambda kv: (_avg(t.score.total for t in kv[1]), len(kv[1]) * -1))
    # A node whose own replies passed is not weak because its step's other node was (found in tmux:
    # 防他行策反's opening, answered at 100, was drilled for the 52 of the gift objection's step).
    items = [_practice(run, key, turns, pass_mark, steps or {}) for key, turns in ranked
             if _avg(t.score.total for t in turns) < pass_mark]
    # A step item shows its step's score (it may differ from the group's average): filter on that.
    weak = sorted((p for p in items if p.score < pass_mark), key=lambda p: p.score)
    return weak[:MAX_PRACTICE]


def _practice(run, key: tuple, turns: list, pass_mark: int, steps: dict[str, int]) -> Practice:
    kind, card_id, step, node_id = key
    # A step item is labelled with the step: it shows the step's own score, not a second average.
    score = steps[step] if kind == "step" and step in steps else _avg(t.score.total for t in turns)
    missed = Counter(label for t in turns for _, label in t.score.missed).most_common(1)
    missed_label = missed[0][0] if missed else None
    label = run.library.card(card_id).card.title if card_id else run.library.step_label(step)
    broke = _red_line(turns)
    if score < pass_mark and broke:  # the zero came from the red line, not from the points missed
        why = f"平均{score}分，触犯合规红线：{broke}"
    else:
        why = f"平均{score}分，" + (f"常漏：{missed_label}" if missed_label else "话术风格还要练")
    weakest = min(turns, key=lambda t: t.score.total)
    return Practice(kind, step, label, why, score, card_id, run.scenario.id, node_id, missed_label,
                    None if run.own_persona else run.persona.id, weakest.customer.text)


def _red_line(turns) -> str | None:
    """The first compliance error among these replies (its title and the words), else None."""
    flag = next((f for t in turns for f in t.score.flags if f.severity == "error"), None)
    if flag is None:
        return None
    return f"{flag.title}（「{flag.quote}」）" if flag.quote else flag.title
