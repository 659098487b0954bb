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
