"""「记住这句」 in core and on the command line: masked, stored with who/when, found at once,
listed, removed, exported as a playbook folder another branch loads."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.core import remembered
from assistant.core.errors import InputError, UnknownIdError
from assistant.core.history import History
from assistant.core.language.matcher import Match
from assistant.core.playbooks.loader import load_library
from assistant.paths import BUILTIN_PLAYBOOKS

LINE = "我那点钱放你们这儿心里直打鼓，电话13812345678"
CARD = "risk-fear-general"


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture
def history():
    h = History(clock=lambda: datetime(2026, 12, 5, 10, 30))
    yield h
    h.close()


def test_a_remembered_line_is_masked_stored_with_who_and_when_and_found_at_once(history, library) -> None:
    before = remembered.matcher_for(library, history, use_cache=False).search("我那点钱放你们这儿心里直打鼓")
    assert not before or before[0].card_id != CARD or before[0].tier == "maybe"
    record = remembered.remember(history, CARD, LINE, library=library, staff={"id": "u1", "name": "小王"}, session_id="s1")
    assert "13812345678" not in record["text"] and "138****5678" in record["text"]
    assert (record["by"], record["by_name"], record["time"], record["session_id"]) == ("u1", "小王", "2026-12-05T10:30:00", "s1")
    after = remembered.matcher_for(library, history, use_cache=False).search("我那点钱放你们这儿心里直打鼓")
    assert after[0].card_id == CARD and after[0].tier == "sure"


def test_the_same_line_is_kept_once_and_short_or_unknown_ones_are_refused(history, library) -> None:
    first = remembered.remember(history, CARD, LINE, library=library)
    assert remembered.remember(history, CARD, LINE + " ", library=library) == first
    assert len(remembered.list_remembered(history)) == 1
    with pytest.raises(InputError, match="太短"):
        remembered.remember(history, CARD, "嗯嗯", library=library)
    with pytest.raises(UnknownIdError):
        remembered.remember(history, "no-such-card", LINE, library=library)


def test_forget_removes_one_and_names_the_known_ids(history, library) -> None:
    a = remembered.remember(history, CARD, LINE, library=library)
    b = remembered.remember(history, "fees", "每个月莫名其妙扣我钱", library=library)
    assert remembered.forget(history, a["id"]) == a
    assert remembered.list_remembered(history) == [b]
    with pytest.raises(UnknownIdError, match=b["id"]):
        remembered.forget(history, "t0000")


@pytest.mark.parametrize(("tiers", "missed"), [((), True), (("maybe", "maybe"), True), (("maybe", "sure"), False), (("sure",), False)])
def test_offered_only_when_the_coach_had_no_sure_card(tiers, missed: bool) -> None:
    matches = [Match("c", "objection", "t", "T", 50.0, "x", (), tier) for tier in tiers]
    assert remembered.coach_missed(matches) is missed


def test_cli_list_remove_export_and_another_branch_loads_it(history, library, tmp_path: Path, capsys, monkeypatch) -> None:
    record = remembered.remember(history, CARD, LINE, library=library, staff={"id": "u1", "name": "小王"})
    history.close()
    assert main(["triggers", "list"]) == 0
    out = capsys.readouterr().out
    assert record["id"] in out and "小王" in out and "138****5678" in out
    assert main(["triggers", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["card_id"] == CARD

    folder = tmp_path / "export"
    assert main(["triggers", "export", str(folder)]) == 0
    exported = folder / "triggers" / "branch-remembered.yaml"
    assert exported.is_file()
    other = load_library([BUILTIN_PLAYBOOKS, folder], use_cache=False)
    assert not [p for p in other.problems if p.severity == "error" and str(folder) in p.path]
    from assistant.core.language.matcher import Matcher

    found = Matcher.from_library(other, use_cache=False).search("我那点钱放你们这儿心里直打鼓")
    assert found[0].card_id == CARD and found[0].tier == "sure"

    assert main(["triggers", "remove", record["id"]]) == 0
    capsys.readouterr()
    assert main(["triggers", "remove", record["id"]]) == 1
    assert "没有编号" in capsys.readouterr().err
    assert main(["triggers", "export", str(folder)]) == 2  # nothing left: an InputError, no traceback
    assert "还没有记住" in capsys.readouterr().err


def test_suggest_uses_the_remembered_lines_of_this_home(history, library, capsys) -> None:
    remembered.remember(history, CARD, LINE, library=library)
    history.close()
    assert main(["suggest", "我那点钱放你们这儿心里直打鼓", "--json"]) == 0
    top = json.loads(capsys.readouterr().out)["results"][0]
    assert (top["id"], top["tier"]) == (CARD, "sure")
