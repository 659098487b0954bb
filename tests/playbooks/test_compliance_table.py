"""The compliance check against staff lines written the way staff type: every rule, its
negations, and true statements that share its words (tests/data/compliance_table.yaml).

Targets: ≥ 98 % of must-flag rows flagged as errors, ≤ 2 % of must-pass rows flagged at all.
The held-out rows (compliance_heldout.yaml) were written before the rules were tuned; they are
scored and printed (`pytest -s`), with only a floor asserted so a collapse still fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from assistant.core.compliance import check
from assistant.core.playbooks.loader import load_library
from assistant.paths import BUILTIN_PLAYBOOKS

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def lib():
    return load_library([BUILTIN_PLAYBOOKS], use_cache=False)


def _table(name: str) -> dict:
    return YAML(typ="safe").load((DATA / name).read_text(encoding="utf-8"))


def _rows(section) -> list[str]:
    """Rows of a section: grouped by rule (dict) or a plain list."""
    if isinstance(section, dict):
        return [text for texts in section.values() for text in texts]
    return list(section)


def score(table: dict, lib, learned: bool = True) -> dict:
    """Shares and misses: flag rows without an error, pass rows with any flag. `learned=False`: the
    rules alone, without the learned second opinion (assistant/core/compliance/learned.py)."""
    missed = [t for t in _rows(table.get("flag") or []) if not any(f.severity == "error" for f in check(t, lib, learned))]
    wrong = {t: [f.rule_id for f in check(t, lib, learned)] for t in _rows(table["pass"])}
    wrong = {t: ids for t, ids in wrong.items() if ids}
    n_flag, n_pass = len(_rows(table.get("flag") or [])), len(_rows(table["pass"]))
    return {"n_flag": n_flag, "n_pass": n_pass, "missed": missed, "wrong": wrong,
            "recall": 1 - len(missed) / n_flag if n_flag else 1.0, "false_share": len(wrong) / n_pass}


def _report(name: str, s: dict, rules_only: dict | None = None) -> None:
    alone = ""
    if rules_only:
        caught_alone = f"{rules_only['recall']:.1%} / " if rules_only["n_flag"] else ""
        alone = f" (rules alone: {caught_alone}{rules_only['false_share']:.1%})"
    caught = f"{s['n_flag']} must-flag, {s['recall']:.1%} flagged as errors; " if s["n_flag"] else ""
    print(f"\n{name}: {caught}{s['n_pass']} must-pass, {s['false_share']:.1%} flagged{alone}")


def test_table_is_big_and_covers_every_rule(lib) -> None:
    table = _table("compliance_table.yaml")
    assert len(_rows(table["flag"])) + len(_rows(table["pass"])) + len(_rows(table["warn"])) >= 200
    errors = {r.id for r in lib.compliance.forbidden if r.severity == "error"}
    warnings = {r.id for r in lib.compliance.forbidden if r.severity == "warning"}
    assert errors <= set(table["flag"]) and errors <= set(table["pass"])
    assert warnings <= set(table["warn"])


def test_tuning_table_meets_the_targets(lib) -> None:
    s = score(_table("compliance_table.yaml"), lib)
    _report("tuning", s)
    assert s["recall"] >= 0.98, s["missed"]
    assert s["false_share"] <= 0.02, s["wrong"]


def test_each_flag_row_is_caught_by_its_own_rule(lib) -> None:
    table = _table("compliance_table.yaml")
    other = {t: [f.rule_id for f in check(t, lib)] for rule, texts in table["flag"].items()
             for t in texts if rule not in {f.rule_id for f in check(t, lib)}}
    assert len(other) <= 0.05 * len(_rows(table["flag"])), other


@pytest.mark.parametrize("rule", sorted(_table("compliance_table.yaml")["warn"]))
def test_warning_rules_warn(lib, rule: str) -> None:
    for text in _table("compliance_table.yaml")["warn"][rule]:
        flags = check(text, lib)
        assert any(f.rule_id == rule and f.severity == "warning" for f in flags), (text, flags)
        assert not any(f.severity == "error" for f in flags), text


def test_held_out_is_reported(lib) -> None:
    table = _table("compliance_heldout.yaml")
    s = score(table, lib)
    _report("held-out", s)
    assert len(_rows(table["flag"])) + len(_rows(table["pass"])) >= 60
    # Never tuned on row by row, but a handful of its lines were quoted as examples when the rules
    # were generalized (2026-12-06), so the real staff test half below is the clean figure. README
    # claims 100 % / 0 % here; the floor allows two rows either way (5 %, 7 %).
    assert s["recall"] >= 0.95 and s["false_share"] <= 0.07


def test_own_voice_rows_are_reported(lib) -> None:
    """Session 6's own-voice rows (compliance_heldout.yaml `own_voice`). Set 1 (per family) was written
    before that session changed a rule: 51.4 % / 11.5 % before, 97.2 % / 0 % after its mechanisms were
    fixed (so it is no longer unseen). Set 2 was written after those fixes and scored unseen: 44.0 % /
    10.0 %, the same as the session-start rules, i.e. the fixes did not reach new wording; its false
    flags were fixed next (44.0 % / 0 %). Floors only catch a collapse.
    Session 7: set 3 (W3) and set 4 (W4), each tuned on after its first look, are only reported;
    their first looks are in the file's header comment. Session 8: sets 6-9 likewise (first looks in the
    comment above set_6_tuned), sets 11-12 (comment above set_11_tuned). Session 9: sets 13-15
    (comment above set_13_tuned). Session 11: sets 19-23 train the learned opinion and no rule was tuned on
    them (first looks in the comment above set_19_trained); session 12's sets 25-29 likewise (comment above set_25_trained)."""
    families = _table("compliance_heldout.yaml")["own_voice"]
    for name, keep in (("set 1", lambda fam: not fam.startswith("set_")), ("set 2", lambda fam: fam == "set_2_mixed")):
        rows = [rows for fam, rows in families.items() if keep(fam)]
        table = {label: [t for fam in rows for t in fam.get(label, [])] for label in ("flag", "pass")}
        s = score(table, lib)
        _report(f"own voice {name} (session 6)", s)
        assert s["recall"] >= (0.9 if name == "set 1" else 0.4) and s["false_share"] <= 0.05
    for name, key in (("set 3, tuned on", "set_3_tuned"), ("set 4, tuned on", "set_4_tuned")):
        _report(f"own voice {name} (session 7)", score(families[key], lib))
    for n in (6, 7, 8, 9, 11, 12, 13, 14, 15, 17):
        _report(f"own voice set {n}, tuned on (session {8 if n < 13 else 9 if n < 17 else 10})", score(families[f"set_{n}_tuned"], lib))
    for key in sorted(k for k in families if k.endswith("_trained")):
        _report(f"own voice {key.removesuffix('_trained').replace('_', ' ')}, trained on (session {11 if key < 'set_25' else 12})", score(families[key], lib),
                score(families[key], lib, learned=False))



def test_unseen_own_voice_rows_are_reported(lib) -> None:
    """Own-voice sets 5, 10, 16, 18, 24 and 36 (compliance_unseen*.yaml, frozen: nobody tuning rules reads them), each
    written blind by a teammate in a voice no earlier set had; totals only. Figures in their header comments. The floor
    only catches a collapse (a broken pattern file, an excuse that swallows everything)."""
    for name, file in (("set 5, unseen (session 7)", "compliance_unseen.yaml"),
                       ("set 10, unseen (session 8)", "compliance_unseen_10.yaml"),
                       ("set 16, unseen (session 9)", "compliance_unseen_16.yaml"),
                       ("set 18, unseen (session 10)", "compliance_unseen_18.yaml"),
                       ("set 24, unseen (session 11)", "compliance_unseen_24.yaml"),
                       ("set 36, unseen (session 15)", "compliance_unseen_36.yaml")):
        table = {label: [row["text"] for row in _table(file)[label]] for label in ("flag", "pass")}
        s = score(table, lib)
        _report(f"own voice {name}", s, score(table, lib, learned=False))
        assert s["recall"] >= 0.4 and s["false_share"] <= 0.2, name


def test_everyday_honest_lines_are_reported(lib) -> None:
    """Ordinary honest staff talk (product facts, questions, service, suitable advice, group posts),
    written blind 2026-12-07: sets 1–2 (compliance_everyday.yaml) train the learned opinion, set 3
    (compliance_everyday_unseen.yaml) is frozen. First looks: the rules alone flag 13 and 15 of the 300
    lines of sets 2 and 3 (they share words with violations); a first learned model trained without them
    (p ≥ 0.9, weaker regularisation) added 4 more to each; the shipped one adds none. Session 11 added
    trained sets 4-6, session 12 sets 7-9 (first looks in the file's comments). The floor only catches a collapse."""
    trained = [(key.replace("_", " "), "compliance_everyday.yaml", key) for key in _table("compliance_everyday.yaml")]
    for name, file, key in (*trained, ("set 3, unseen", "compliance_everyday_unseen.yaml", "set_3")):
        table = _table(file)[key]
        s = score(table, lib)
        _report(f"everyday honest {name}", s, score(table, lib, learned=False))
        assert s["n_pass"] >= 250 and s["false_share"] <= 0.1, name

# Real staff lines (issue 13): sales talk as quoted in news, complaints, court and penalty reports,
# and training articles (tests/data/real/{dev,test}/staff-*.yaml), labelled flag or pass. Not
# written by this team, so they measure how the check meets staff speech it was never shown.

def _real_staff(split: str) -> dict:
    """The real staff lines of one half in the table shape: {"flag": [...], "pass": [...]}."""
    import sys

    sys.path.insert(0, str(DATA.parent))
    import realcorpus

    lines = realcorpus.load(split, "staff")
    return {label: [line.text for line in lines if line.label == label] for label in realcorpus.LABELS}


def test_real_staff_dev_lines_keep_a_floor(lib) -> None:
    """Measured 2026-12-06 on collector d's 51 flag / 25 pass rows: 43 % / 24 % before the rules
    were generalized, 90.2 % / 0 % after. Collectors e and f added rows during issue 13's round;
    each batch was first measured unread (50 % / 16 % and 45.5 % / 14.8 %, see playbooks/COVERAGE.md),
    then read: 165 / 89 rows at 93.9 % / 1.1 %. Collector g's batches (issue 13, second round) were
    first measured unread with scripts/eval_check.py --first-look 'staff-g.yaml' --since REV (figures
    in playbooks/COVERAGE.md), then read and generalised by family: d–g 241 / 126 rows at 93.4 % / 1.6 %.
    Collector h (third round): first look, unread, 39 / 32 rows at 48.7 % / 21.9 % (the round's first rule
    changes, written before h landed, changed nothing on them); then read: d–h 280 / 158 at 94.3 % / 1.3 %.
    Collector i (fourth round, rules by meaning class): each batch first scored unread with the rules
    committed at the time and with the session-start rules (paired figures in the round's report), then read.
    The floor (80 % / 8 %) is unchanged."""
    s = score(_real_staff("dev"), lib)
    _report("real staff (dev)", s)
    assert s["n_flag"] >= 40 and s["n_pass"] >= 20
    assert s["recall"] >= 0.80, len(s["missed"])
    assert s["false_share"] <= 0.08, len(s["wrong"])


def test_real_staff_test_lines_are_only_reported(lib) -> None:
    """The frozen half: counts and rates printed (`pytest -s`), never its lines, no floor."""
    for learned, name in ((True, "real staff (test)"), (False, "real staff (test), rules alone")):
        s = score(_real_staff("test"), lib, learned)
        print(f"\n{name}: {s['n_flag']} must-flag, {s['recall']:.1%} flagged as errors "
              f"({s['n_flag'] - len(s['missed'])}); {s['n_pass']} must-pass, {s['false_share']:.1%} flagged "
              f"({len(s['wrong'])})")
        assert s["n_flag"] + s["n_pass"] > 0
