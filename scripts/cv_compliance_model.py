#!/usr/bin/env python3
"""Leave-sets-out cross-validation of the compliance check's learned opinion: does it generalise to a NEW writer?

Each own-voice set (tests/data/compliance_heldout.yaml `own_voice:`; set 1 is its per-family rows) and each everyday
honest set (tests/data/compliance_everyday.yaml) was written by one writer in one persona: a natural group. The groups
are dealt into folds by set; each fold's model is trained on every other training row
(train_compliance_model.training_rows(): the tuning table, real dev, rehearsal labels, playbook sentences… always stay
in; a row whose text is also one of the fold's lines is left out) and the fold's lines are scored by the real check:
the rules plus the fold-free model, which clears a rule's hit below `clear_below` and flags beside the rules from
`flag_at`. check()'s decision is replayed from the rules' hits (check(learned=False)) and the model's sentence scores
(compliance.sentence_scores / hit_doubt), so thresholds can be swept in one pass; `--verify` runs check() itself with
each fold's model and counts lines that disagree. The frozen sets are never read here (training_rows leaves them out),
and no line is printed: figures only.

A caught violation is a flag row with an error; a false flag is a pass row with any flag (tests/playbooks/
test_compliance_table.py's measure). The rules were tuned on sets 1-17, never on 19 and up: read the 19+ line
for how the whole check meets a new writer.

Usage:
  .venv/bin/python scripts/cv_compliance_model.py                          # the shipped settings (baseline)
  .venv/bin/python scripts/cv_compliance_model.py --variant ngram14 --variant l2_3e-5
  .venv/bin/python scripts/cv_compliance_model.py --variant particles_l2_1e-4_criteria --flag-at 0.9   # other thresholds
  .venv/bin/python scripts/cv_compliance_model.py --staff-out --variant l2_1e-4   # + held-out staff lines, FLAG_AT criterion
  .venv/bin/python scripts/cv_compliance_model.py --list                   # the variants it knows

--staff-out also deals the honest staff text the product itself says — every playbook sentence (by file) and every
rehearsal reply of tests/data/rehearse_labelled.yaml's dev half (by scenario) — into the same folds, leaves each out of
its fold's training and counts what the model flags beside the rules among the honest ones: a new playbook file or a
new scenario's replies, the lines a sharper model must not start flagging. Its criterion FLAG_AT is the lowest at
which a variant flags no more of them than the baseline does at its shipped FLAG_AT; the sets' figures are then
printed at that threshold. (The sets' figures differ a little from a run without it: each fold also trains without a
fifth of the playbook sentences and rehearsal replies.)
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import train_compliance_model as tcm  # noqa: E402  (puts the repository and tests/ on sys.path)

from assistant.core.compliance.learned import ngrams, tfidf  # noqa: E402
from assistant.core.language.textnorm import FUNCTION_CHARS  # noqa: E402

FOLDS = 5
SET_KEY = re.compile(r"^own_voice/set_(\d+)_|^everyday/set_(\d+)$")


def group_of(where: str) -> str | None:
    """The writer's set a training row comes from (W1…W29 own-voice, E1…E9 everyday), None for the rest."""
    m = SET_KEY.match(where)
    if m:
        return f"W{m.group(1)}" if m.group(1) else f"E{m.group(2)}"
    return "W1" if where.startswith("own_voice/") else None  # set 1: the per-family rows


def _order(group: str) -> tuple[int, int]:
    return (group[0] == "E", int(group[1:]))


def folds_of(groups: set[str], folds: int = FOLDS) -> dict[str, int]:
    """Dealt in order, own-voice sets then everyday ones: each fold gets early (rule-tuned) and late sets."""
    return {g: i % folds for i, g in enumerate(sorted(groups, key=_order))}


# --- variants: features and training settings -------------------------------------------------------------------

def grams_with(sizes=(1, 2, 3), skips=(), keep_function=False) -> Callable[[str], Counter]:
    """learned.ngrams' reading with other choices: n-gram sizes, skip-bigrams (two content characters `gap` apart,
    a\\tb: 保…本), particles and pronouns kept (learned.ngrams leaves them out)."""
    def featurize(folded: str) -> Counter:
        grams: Counter = Counter()
        for run in folded.lower().split():
            padded = f" {run} "
            style = [(not keep_function and ch in FUNCTION_CHARS) or not ch.isalnum() for ch in padded]
            size = len(padded)
            for i in range(size):
                for n in sizes:
                    if i + n <= size and not all(style[i:i + n]):
                        grams[padded[i:i + n]] += 1
                for gap in skips:
                    j = i + gap + 1
                    if j < size and not style[i] and not style[j]:
                        grams[f"{padded[i]}\t{padded[j]}"] += 1
        return grams
    return featurize


def shipped_grams(folded: str) -> Counter:
    """learned.ngrams as the shipped model reads (particles kept or not: train_compliance_model.KEEP_FUNCTION)."""
    return ngrams(folded, tcm.KEEP_FUNCTION)


@dataclass(frozen=True)
class Variant:
    name: str
    about: str
    featurize: Callable[[str], Counter] = shipped_grams
    min_df: int = tcm.MIN_DF
    epochs: int = tcm.EPOCHS
    l2: float = tcm.L2
    #: Each own-voice and everyday set weighs as much as the average set (other rows weigh 1).
    balance: bool = False
    #: The thresholds it was shipped with (None: --flag-at / --clear-below).
    thresholds: tuple[float, float] | None = None
    #: (source prefix, weight) for honest rows whose source starts so (playbook sentences, rehearsal replies).
    honest_weights: tuple[tuple[str, float], ...] = ()


#: Each a change from the shipped settings (baseline). Session 13 (19,244 rows; at 0.92/0.02 unless said, caught / honest
#: lines flagged, then caught at the baseline's false flags): baseline 87.4 % / 195; particles 89.2 / 94 of 6,196 on the
#: rows before sets 30-34 (baseline 89.0 / 98), 90.7 % matched; L2 3e-4 89.5 / 185 (90.5); L2 1e-4 90.2 / 173 (91.6);
#: L2 3e-5 90.6 / 175 (91.9); particles + L2 1e-4 90.7 / 168 (93.4), every fold better; particles + L2 3e-5 91.2 / 161
#: (93.9). 1-4-grams, skip-bigrams, balancing: +0.4-0.5 matched; L2 3e-3: worse. Particles + L2 1e-4 was not shipped:
#: set by train_compliance_model's criteria its thresholds are 0.97/0.005 (`thresholds`), where it gives 87.7 % / 192.
#: Session 14 (19,280 rows, after C9's rules; --staff-out: 1,399 playbook sentences by file, 143 honest rehearsal
#: replies by scenario held out too): baseline 87.5 % / 145, flagging 1 held-out honest staff line beside the rules at
#: 0.92 (a rehearsal reply, 0.987). L2 3e-4 89.5 / 135, L2 1e-4 90.1 / 134, L2 1e-4 + MIN_DF 3 90.5 / 135 at 0.92
#: (90.7-91.5 at the baseline's false flags), but each flags 3 held-out staff lines there; at the FLAG_AT where they flag
#: no more than the baseline (0.955 / 0.97 / 0.965) they catch 87.3 / 87.1 / 87.9 % at 132 / 122 / 123 false flags:
#: fewer false flags, no more caught. The shipped tests' must-pass lines say the same (L2 1e-4 scores good rehearsal
#: replies 0.970 / 0.955 / 0.941 and 买这个理财的话，起购金额是1万 0.949). Not kept either: honest playbook sentences and
#: rehearsal replies weighted ×3 (`honest_weights`, measured with the per-persona rows below: L2 1e-4 89.9 / 135 -> 89.8 /
#: 136, the held-out staff lines' top scores unchanged), and scenario
#: replies and cards rendered once per persona as extra honest rows (+720 rows; without --staff-out baseline 87.2 / 142
#: -> 87.2 / 143, L2 1e-4 90.0 / 133 -> 89.7 / 137, and the golden reply 我们新出了一款理财，给您推荐一下？ rises
#: 0.905 -> 0.920 under the shipped settings, so the golden transcripts would break at 0.92).
#: Session 15 (20,048 rows: everyday sets 13-14, 600 honest pitches, and the allocation rows joined; --staff-out, budget
#: 1 held-out honest staff line): the session-14 settings (`session14`) catch 88.3 % of sets 19+ / 177 false flags at
#: 0.92; L2 1e-4 89.3 % / 158 at 0.95, L2 3e-4 89.6 % / 168 at 0.93, L2 1e-4 + MIN_DF 3 86.9 % / 147 at 0.985,
#: particles kept + L2 1e-4 90.1 % / 146 at 0.95: shipped (the baseline since).
VARIANTS = {v.name: v for v in [
    Variant("baseline", f"the shipped settings: char 1-3-grams, particles {'kept' if tcm.KEEP_FUNCTION else 'out'}, "
                        f"MIN_DF {tcm.MIN_DF}, {tcm.EPOCHS} epochs, L2 {tcm.L2:g}"),
    Variant("session14", "the session-14 settings: particles out, L2 1e-3 (shipped at FLAG_AT 0.92)", ngrams, l2=1e-3),
    Variant("particles", "particles and pronouns kept", grams_with(keep_function=True)),
    Variant("ngram14", "char 1-4-grams", grams_with((1, 2, 3, 4))),
    Variant("skip", "1-3-grams + skip-bigrams (content pairs 1-2 apart)", grams_with(skips=(1, 2))),
    Variant("l2_3e-3", "L2 3e-3", l2=3e-3),
    Variant("l2_3e-4", "L2 3e-4", l2=3e-4),
    Variant("l2_1e-4", "L2 1e-4", l2=1e-4),
    Variant("l2_3e-5", "L2 3e-5", l2=3e-5),
    Variant("particles_l2_1e-4", "particles kept, L2 1e-4", grams_with(keep_function=True), l2=1e-4),
    Variant("particles_l2_1e-4_criteria", "particles kept, L2 1e-4, at the thresholds the shipping criteria set (0.97/0.005)",
            grams_with(keep_function=True), l2=1e-4, thresholds=(0.97, 0.005)),
    Variant("particles_l2_3e-5", "particles kept, L2 3e-5", grams_with(keep_function=True), l2=3e-5),
    Variant("mindf1", "MIN_DF 1", min_df=1),
    Variant("mindf3", "MIN_DF 3", min_df=3),
    Variant("epochs6", "6 epochs", epochs=6),
    Variant("epochs20", "20 epochs", epochs=20),
    Variant("balance", "each set weighs the same", balance=True),
    Variant("l2_1e-4_honest3", "L2 1e-4, honest playbook sentences and rehearsal replies weigh 3",
            l2=1e-4, honest_weights=(("playbook:", 3.0), ("rehearse-dev", 3.0))),
    Variant("l2_1e-4_mindf3", "L2 1e-4, MIN_DF 3", l2=1e-4, min_df=3),
    Variant("l2_3e-4_honest3", "L2 3e-4, honest playbook sentences and rehearsal replies weigh 3",
            l2=3e-4, honest_weights=(("playbook:", 3.0), ("rehearse-dev", 3.0))),
]}


def honest_weights_of(rows, keep: list[int], by_source: tuple[tuple[str, float], ...]) -> list[float]:
    return [next((w for prefix, w in by_source if rows[i][2].startswith(prefix)), 1.0) if not rows[i][1] else 1.0
            for i in keep]


def weights_of(rows, keep: list[int]) -> list[float]:
    sizes = Counter(group_of(rows[i][2]) for i in keep)
    sizes.pop(None, None)
    mean = sum(sizes.values()) / len(sizes)
    return [mean / sizes[g] if (g := group_of(rows[i][2])) else 1.0 for i in keep]


# --- scoring: check()'s decision replayed ----------------------------------------------------------------------

@dataclass
class Line:
    """A held-out line as the rules read it (what check(learned=False) says does not depend on the model)."""

    index: int
    violation: bool
    group: str
    folded: str
    other_error: bool  # a flag that is not a forbidden-behaviour rule's (a missing disclosure), error
    other_any: bool
    hits: list[tuple[str, tuple[int, int]]]  # forbidden-behaviour hits: (severity, span)


def rule_reading(rows, indices: list[int], library, groups: dict[int, str] | None = None) -> dict[int, Line]:
    from assistant.core.compliance import check
    from assistant.core.compliance.text import fold

    forbidden = {r.id for r in library.compliance.forbidden}
    out = {}
    for i in indices:
        text, label, where = rows[i]
        flags = check(text, library, learned=False)
        other = [f for f in flags if f.rule_id not in forbidden]
        out[i] = Line(i, bool(label), groups[i] if groups else group_of(where), fold(text), any(f.severity == "error" for f in other), bool(other),
                      [(f.severity, f.span) for f in flags if f.rule_id in forbidden])
    return out


@dataclass
class Scored:
    """A held-out line's model evidence: each rule hit's doubt (hit_doubt) and the best sentence score."""

    line: Line
    doubts: list[float]
    best: float  # the highest score of a sentence with any known gram (-1: none)

    def verdict(self, flag_at: float, clear_below: float) -> tuple[bool, bool]:
        """(an error, any flag): check()'s outcome at these thresholds."""
        kept = [sev for (sev, _), d in zip(self.line.hits, self.doubts) if not clear_below or d >= clear_below]
        if kept:
            return self.line.other_error or "error" in kept, True
        if self.best >= flag_at:
            return True, True
        return self.line.other_error, self.line.other_any


class FoldModel:
    """A fold's weights read the way learned.Model reads them, with the variant's features."""

    def __init__(self, idf, coef, bias, featurize):
        self.idf, self.coef, self.bias, self.featurize = idf, coef, bias, featurize

    def vector(self, folded: str) -> dict[str, float]:
        return tfidf(self.featurize(folded), self.idf)

    def probability(self, vec: dict[str, float]) -> float:
        z = self.bias + sum(v * self.coef.get(g, 0.0) for g, v in vec.items())
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0


def score_line(model, line: Line) -> Scored:
    from assistant.core.compliance import hit_doubt, sentence_scores

    scored = sentence_scores(model, line.folded)
    return Scored(line, [hit_doubt(line.folded, span, scored) for _, span in line.hits],
                  max((p for _, _, vec, p in scored if vec), default=-1.0))


def run(variant: Variant, rows, folded, reading: dict[int, Line], fold_of: dict[str, int], verify: bool = False,
        staff: dict[int, Line] | None = None):
    """Train without each fold, score its lines: {row index: Scored}, and seconds spent training. `staff`
    (--staff-out): playbook sentences and rehearsal replies, dealt into the same folds by file / scenario
    (their `group`), are left out of their fold's training too and scored into `out` as well."""
    grams_all = [variant.featurize(t) for t in folded]
    out: dict[int, Scored] = {}
    spent = 0.0
    staff = staff or {}
    for k in sorted(set(fold_of.values())):
        held_staff = [i for i, line in staff.items() if staff_fold(line.group, len(set(fold_of.values()))) == k]
        held = [i for i, line in reading.items() if fold_of[line.group] == k]
        held_texts = {rows[i][0] for i in held}
        out_staff = set(held_staff)
        keep = [i for i, (text, _, where) in enumerate(rows) if fold_of.get(group_of(where)) != k and text not in held_texts
                and i not in out_staff]
        held += held_staff
        t0 = time.process_time()
        idf, coef, bias, _ = tcm.train([folded[i] for i in keep], [rows[i][1] for i in keep], grams=[grams_all[i] for i in keep],
                                       min_df=variant.min_df, epochs=variant.epochs, l2=variant.l2,
                                       weights=weights_of(rows, keep) if variant.balance else
                                       honest_weights_of(rows, keep, variant.honest_weights) if variant.honest_weights else None)
        spent += time.process_time() - t0
        model = FoldModel(idf, {g: c for g, c in coef.items() if c}, bias, variant.featurize)
        for i in held:
            out[i] = score_line(model, staff[i] if i in out_staff else reading[i])
        if verify:
            _verify(model, [reading[i] for i in held if i not in out_staff], rows, out)
    return out, spent


def staff_group(rows, i: int, scenario_of: dict[str, str]) -> str | None:
    """A playbook sentence's file (P:…) or a rehearsal reply's scenario (R:…): the unit --staff-out holds out."""
    text, _, where = rows[i]
    if where.startswith("playbook:"):
        return "P:" + where.split(":", 1)[1]
    if where == "rehearse-dev":
        return "R:" + scenario_of.get(text, "?")
    return None


def staff_fold(group: str, folds: int) -> int:
    import hashlib

    return int(hashlib.md5(group.encode()).hexdigest(), 16) % folds


def staff_lines(rows, library) -> dict[int, Line]:
    """--staff-out's lines: every playbook sentence and rehearsal reply training row, read by the rules."""
    from ruamel.yaml import YAML

    labelled = YAML(typ="safe").load((tcm.DATA / "rehearse_labelled.yaml").read_text(encoding="utf-8"))
    scenario_of = {row["text"]: row["scenario"] for row in labelled}
    groups = {i: g for i in range(len(rows)) if (g := staff_group(rows, i, scenario_of))}
    lines = rule_reading(rows, sorted(groups), library, groups)
    return lines


def staff_report(scored: dict[int, Scored], staff: dict[int, Line], flag_at: float, clear_below: float,
                 budget: int | None) -> tuple[int, float | None]:
    """Held-out playbook sentences and rehearsal replies: what the model flags beside the rules (a rule's hit is the
    rules' business). Returns how many honest ones it flags at `flag_at`, and the criterion's FLAG_AT: the lowest
    (0.005 steps) at which it flags at most `budget` of them (the baseline's count at its threshold; None: no budget)."""
    honest = sorted(((s.best, s.line.group) for i, s in scored.items() if i in staff and not s.line.violation and not s.line.hits),
                    reverse=True)
    bad = [s for i, s in scored.items() if i in staff and s.line.violation]
    for kind, label in (("P:", "话术库句子（按文件留出）"), ("R:", "演练回答（按场景留出）")):
        part = [p for p, g in honest if g.startswith(kind)]
        print(f"  {label}：规则没命中的合规句 {len(part)} 句，模型最高分 " + "、".join(f"{p:.3f}" for p in part[:3])
              + "；" + "，".join(f"p ≥ {t} 误判 {sum(p >= t for p in part)}" for t in (0.9, 0.92, 0.94, 0.96, 0.97)))
    wrong = sum(p >= flag_at for p, _ in honest)
    grid = [round(0.5 + 0.005 * k, 3) for k in range(100)] + [0.999, 1.01]
    criterion = None if budget is None else next(t for t in grid if sum(p >= t for p, _ in honest) <= budget)
    print(f"  演练违规回答 {len(bad)} 句，FLAG_AT {flag_at} 判出 {sum(s.verdict(flag_at, clear_below)[0] for s in bad)}；"
          f"留出的合规员工句误判 {wrong} 句" + ("" if criterion is None else
          f"；误判不多于基线（≤ {budget} 句）的最低 FLAG_AT {criterion}，演练违规判出 "
          f"{sum(s.verdict(criterion, clear_below)[0] for s in bad)}"))
    return wrong, criterion


def _verify(model: FoldModel, lines: list[Line], rows, scored: dict[int, Scored]) -> None:
    """check() itself, with this fold's model at the shipped thresholds, against the replay."""
    from unittest import mock

    from assistant.core import compliance
    from assistant.core.compliance import learned

    library = tcm.builtin_library()
    errors = [r.id for r in library.compliance.forbidden if r.severity == "error"]
    real = learned.Model(idf=model.idf, coef=model.coef, bias=model.bias, flag_at=tcm.FLAG_AT, centroids={errors[0]: {}},
                         clear_below=tcm.CLEAR_BELOW)
    differ = 0
    with mock.patch.object(compliance, "shipped_model", lambda: real), mock.patch.object(learned, "ngrams", lambda folded, keep_function=False: model.featurize(folded)):
        for line in lines:
            flags = compliance.check(rows[line.index][0], library)
            outcome = (any(f.severity == "error" for f in flags), bool(flags))
            differ += outcome != scored[line.index].verdict(tcm.FLAG_AT, tcm.CLEAR_BELOW)
    print(f"  --verify：{len(lines)} 句里 check() 与重放不一致 {differ} 句")


# --- report -----------------------------------------------------------------------------------------------------

def tally(scored: list[Scored], flag_at: float, clear_below: float) -> tuple[int, int, int, int]:
    """(violations caught, violations, honest lines flagged, honest lines)."""
    caught = wrong = n_flag = n_pass = 0
    for s in scored:
        error, any_flag = s.verdict(flag_at, clear_below)
        if s.line.violation:
            n_flag += 1
            caught += error
        else:
            n_pass += 1
            wrong += any_flag
    return caught, n_flag, wrong, n_pass


def _cell(t: tuple[int, int, int, int]) -> str:
    caught, n_flag, wrong, n_pass = t
    return f"{caught / max(n_flag, 1):6.1%} ({caught:4}/{n_flag:4})  {wrong / max(n_pass, 1):5.1%} ({wrong:3}/{n_pass:4})"


def matching_flag_at(scored: list[Scored], clear_below: float, budget: int) -> float:
    """The lowest flag_at (0.005 steps) at which the total false flags are at most `budget`."""
    grid = [round(0.5 + 0.005 * k, 3) for k in range(100)] + [0.999, 1.01]
    return next((t for t in grid if tally(scored, t, clear_below)[2] <= budget), None)


def why(scored: list[Scored], flag_at: float = tcm.FLAG_AT, clear_below: float = tcm.CLEAR_BELOW) -> str:
    """Where the missed violations and the false flags come from, at these thresholds."""
    missed, wrong = Counter(), Counter()
    for s in scored:
        error, any_flag = s.verdict(flag_at, clear_below)
        kept = [sev for (sev, _), d in zip(s.line.hits, s.doubts) if not clear_below or d >= clear_below]
        if s.line.violation and not error:
            band = "p≥0.8" if s.best >= 0.8 else "p 0.5-0.8" if s.best >= 0.5 else "p<0.5"
            missed["规则只给提示" if kept else "规则命中被清掉" if s.line.hits else f"规则没命中 {band}"] += 1
        elif not s.line.violation and any_flag:
            wrong["规则命中" if kept else "披露提示" if s.line.other_any else "模型判出"] += 1
    return (f"漏判 {sum(missed.values())}：" + "，".join(f"{k} {v}" for k, v in sorted(missed.items()))
            + f"；误判 {sum(wrong.values())}：" + "，".join(f"{k} {v}" for k, v in sorted(wrong.items())))


def report(name: str, scored: dict[int, Scored], fold_of: dict[str, int], budget: int | None,
           flag_at: float = tcm.FLAG_AT, clear_below: float = tcm.CLEAR_BELOW, show: tuple[str, ...] = ()) -> int:
    """Prints per fold and in total (and each set named in `show`, e.g. E13); returns the total false flags at the
    shipped thresholds."""
    lines = list(scored.values())
    print(f"\n== {name}（FLAG_AT {flag_at}，CLEAR_BELOW {clear_below}）        违规判出               合规误判")
    for k in sorted(set(fold_of.values())):
        groups = ",".join(sorted((g for g, f in fold_of.items() if f == k), key=_order))
        part = [s for s in lines if fold_of[s.line.group] == k]
        print(f"  折 {k} {_cell(tally(part, flag_at, clear_below))}   {groups}")
    rules_only = tally(lines, 2.0, 0.0)
    for label, keep in (("19+ 套", lambda g: g[0] == "W" and int(g[1:]) >= 19), ("1-17 套", lambda g: g[0] == "W" and int(g[1:]) < 19),
                        ("日常", lambda g: g[0] == "E")):
        print(f"  {label:6} {_cell(tally([s for s in lines if keep(s.line.group)], flag_at, clear_below))}")
    for group in show:
        print(f"  {group:6} {_cell(tally([s for s in lines if s.line.group == group], flag_at, clear_below))}")
    total = tally(lines, flag_at, clear_below)
    print(f"  合计   {_cell(total)}   （只用规则：{_cell(rules_only)}）")
    print(f"  {why(lines, flag_at, clear_below)}")
    curve = [(t, tally(lines, t, clear_below)) for t in (0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.96)]
    print("  FLAG_AT 曲线（违规判出/误判句数）：" + "，".join(f"{t} {c / n:.1%}/{w}" for t, (c, n, w, _) in curve))
    curve = [(t, tally(lines, flag_at, t)) for t in (0.0, 0.005, 0.01, 0.02, 0.05)]
    print("  CLEAR_BELOW 曲线：" + "，".join(f"{t} {c / n:.1%}/{w}" for t, (c, n, w, _) in curve))
    if budget is not None:
        t = matching_flag_at(lines, clear_below, budget)
        if t is None:
            print(f"  误判与基线相同（≤ {budget} 句）：没有这样的 FLAG_AT（规则命中清掉的更少）")
            return total[2]
        print(f"  误判与基线相同（≤ {budget} 句）的 FLAG_AT {t}：合计 {_cell(tally(lines, t, clear_below))}；19+ 套 "
              f"{_cell(tally([s for s in lines if s.line.group[0] == 'W' and int(s.line.group[1:]) >= 19], t, clear_below))}")
        print("    各折：" + "；".join(f"{k} {_cell(tally([s for s in lines if fold_of[s.line.group] == k], t, clear_below))}"
                                    for k in sorted(set(fold_of.values()))))
    return total[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS), help="在基线之后再试这个（可重复）")
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--flag-at", type=float, default=tcm.FLAG_AT, help="报告用的 FLAG_AT（默认：模型里的）")
    parser.add_argument("--clear-below", type=float, default=tcm.CLEAR_BELOW, help="报告用的 CLEAR_BELOW（默认：模型里的）")
    parser.add_argument("--verify", action="store_true", help="每折用 check() 本身核对重放的结果（慢）")
    parser.add_argument("--against", default="baseline", choices=sorted(VARIANTS),
                        help="先跑这个，其误判句数作为其他设置比较时的误判上限（默认 baseline）")
    parser.add_argument("--staff-out", action="store_true",
                        help="话术库句子（按文件）和演练回答（按场景）也分进各折留出，报告 FLAG_AT 准则并按它报告")
    parser.add_argument("--show", action="append", default=[], help="也单独报告这一套（如 E13，可重复）")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if args.list:
        for v in VARIANTS.values():
            print(f"{v.name:10} {v.about}")
        return 0
    from assistant.core.compliance.text import fold

    rows = tcm.training_rows()
    folded = [fold(text) for text, _, _ in rows]
    groups = {g for _, _, where in rows if (g := group_of(where))}
    fold_of = folds_of(groups, args.folds)
    reading = rule_reading(rows, [i for i, (_, _, where) in enumerate(rows) if group_of(where)], tcm.builtin_library())
    budget = None
    names = [args.against, *(n for n in ["baseline", *(args.variant or [])] if n != args.against)]
    staff = staff_lines(rows, tcm.builtin_library()) if args.staff_out else {}
    staff_budget = None
    for name in names:
        scored, spent = run(VARIANTS[name], rows, folded, reading, fold_of, args.verify, staff)
        print(f"\n[{name}] {VARIANTS[name].about}；训练 {spent:.0f} s CPU（{args.folds} 折）")
        thresholds = VARIANTS[name].thresholds or (args.flag_at, args.clear_below)
        sets = {i: s for i, s in scored.items() if i not in staff}
        wrong = report(name, sets, fold_of, budget, *thresholds, show=tuple(args.show))
        budget = wrong if budget is None else budget
        if staff:
            wrong_staff, criterion = staff_report(scored, staff, *thresholds, staff_budget)
            staff_budget = wrong_staff if staff_budget is None else staff_budget
            if criterion is not None:
                late = [s for s in sets.values() if s.line.group[0] == "W" and int(s.line.group[1:]) >= 19]
                print(f"  按这条准则的 FLAG_AT {criterion}：合计 {_cell(tally(list(sets.values()), criterion, thresholds[1]))}；"
                      f"19+ 套 {_cell(tally(late, criterion, thresholds[1]))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
