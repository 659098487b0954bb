"""scripts/eval_match.py --first-look reads new dev files only, never the frozen test half."""

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "eval_match.py"


def _script():
    spec = importlib.util.spec_from_file_location("eval_match_first_look", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("pattern", ["../test/*.yaml", "../*/*.yaml", "sub/x.yaml"])
def test_a_pattern_leaving_the_dev_folder_is_refused(pattern):
    with pytest.raises(SystemExit):
        _script().load_dev_files(pattern)


def test_dev_files_are_read_with_their_kind_and_none_topic_as_none():
    items = _script().load_dev_files("none-a.yaml")
    assert items and {it["kind"] for it in items} == {"none"} and {it["topic"] for it in items} == {None}


def test_since_keeps_only_the_lines_the_revision_did_not_hold():
    script = _script()
    items = script.load_dev_files("none-a.yaml")
    assert script.added_since(items, "HEAD", "none-a.yaml") == []  # committed long ago, unchanged
    assert script.added_since(items, "no-such-revision", "none-a.yaml") == items  # nothing known: all new


def _tiny_matcher():
    from assistant.core.language.concepts import ConceptIndex, ConceptSpec
    from assistant.core.language.matcher import Matcher

    index = ConceptIndex([ConceptSpec("worry", "担心", ("担心", "睡不着"), ("risk_fear",))])
    entries = [("risk", "objection", "risk_fear", "怕亏", "我担心亏本金"), ("risk", "objection", "risk_fear", "怕亏", "晚上睡不着觉"),
               ("fees", "objection", "fees", "手续费", "手续费太高了")]
    return Matcher(entries, use_cache=False, concepts=index)


def test_unread_folds_also_drop_the_members_only_the_held_out_lines_say():
    script, matcher = _script(), _tiny_matcher()
    held = {"晚上睡不着觉"}
    kept = script._without(matcher, held)
    unread = script._without_read(matcher, held)
    assert [e.trigger for e in unread.entries] == [e.trigger for e in kept.entries]
    members = unread.concepts.concepts["worry"].members
    assert members == ("担心",)  # 睡不着: only the held-out line said it; 担心: a kept trigger does
    # The plain fold still reads 睡不着 through the concept it was written from; the unread one does not.
    assert [m.topic for m in kept.search("愁得睡不着")] == ["risk_fear"]
    assert unread.search("愁得睡不着") == []


def test_held_out_own_voice_sets_are_read_with_their_kinds_and_none_topic_as_none():
    items = _script().load_own_voice_heldout()
    kinds = {it["kind"] for it in items}
    assert kinds == {"customer", "marketer", "none"}
    assert all((it["topic"] is None) == (it["kind"] == "none") for it in items)


def test_no_held_out_own_voice_line_is_a_trigger_of_the_shipped_library():
    """They measure lines the matcher never learnt from: one copied into a playbook would flatter it."""
    from assistant.core.language.matchprep import library_entries
    from assistant.core.language.textnorm import normalize
    from assistant.core.playbooks.loader import load_library

    held = {normalize(it["text"]) for it in _script().load_own_voice_heldout()}
    triggers = {normalize(e.trigger) for e in library_entries(load_library())}  # cards' and triggers files'
    assert held and not held & triggers


def test_live_counts_what_a_clause_finds():
    """--live matches each line as the Live screen does (the whole line and each clause)."""
    from assistant.core.language.matcher import Matcher
    from assistant.core.language.matchprep import Entry

    script = _script()
    rows = [("rate-low", "rate_low", ["利息太低了"]), ("too-busy", "too_busy", ["我在开会"])]
    m = Matcher([Entry(c, "objection", t, c, x) for c, t, xs in rows for x in xs], 45.0, use_cache=False)
    line = "利息太低了，不过我今天主要是来办点别的事情的，顺便问问开户要带什么东西呢"
    items = [{"text": line, "topic": "rate_low", "kind": "customer", "url": "u", "form": "direct"}]
    assert script.evaluate_real(m, items, "x").customer_top1 == 0  # the whole line scores 41 < 45
    script.LIVE = True
    live = script.evaluate_real(m, items, "x")
    assert live.customer_top1 == 1 and live.sure == 1
