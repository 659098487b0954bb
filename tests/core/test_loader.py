"""The loader: merging folders, overriding by id, skipping broken files, and the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.core.playbooks import loader
from assistant.core.errors import UnknownIdError
from assistant.core.playbooks.loader import load_library


@pytest.fixture
def good(data_dir: Path, tmp_path: Path) -> Path:
    """A writable copy of the small valid library under tests/data/good."""
    target = tmp_path / "good"
    shutil.copytree(data_dir / "good", target)
    return target


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_every_kind(good: Path) -> None:
    lib = load_library([good])
    assert lib.problems == []
    assert set(lib.files) == {"taxonomy", "variables", "objection-rate-low", "conversion-steps", "compliance-rules", "maturity-call"}
    ref = lib.card("rate-low-other-bank")
    assert (ref.file_id, ref.kind, ref.line) == ("objection-rate-low", "objection", 6)
    assert ref.path.endswith("rate-low.yaml")
    assert lib.topic_label("rate_low") == "嫌收益低"
    assert lib.step_label("close") == "成交"
    assert lib.segment_label("payroll") == "代发工资客户"
    assert lib.variable_label("amount") == "金额"
    assert lib.variable_label("nope") == "nope"
    assert lib.step_card("close").id == "step-close"
    assert lib.step_card("care") is None
    assert [r.id for r in lib.matchable_cards()] == ["rate-low-other-bank", "risk-fear-basic"]
    assert [r.id for r in lib.cards_of(topic="rate_low")] == ["rate-low-other-bank"]
    assert [r.id for r in lib.cards_of(kind="conversion")] == ["step-close"]
    assert [r.id for r in lib.cards_of(segment="payroll")] == ["rate-low-other-bank"]
    assert [r.id for r in lib.cards_of(step="handle_objection")] == ["rate-low-other-bank"]
    assert list(lib.scenarios) == ["maturity-call"]
    assert [r.id for r in lib.compliance.forbidden] == ["promise-principal"]
    assert [r.id for r in lib.compliance.disclosures] == ["risk-disclosure"]
    assert [s.label for s in lib.stages] == ["潜在"]


def test_unknown_card_suggests_nearest(good: Path) -> None:
    lib = load_library([good])
    with pytest.raises(UnknownIdError, match="rate-low-other-bank"):
        lib.card("rate-low-other-bnk")


def test_broken_file_is_skipped_and_reported(good: Path) -> None:
    write(good / "objection" / "broken.yaml", "version: 1\nkind: objection\nid: [oops\n")
    lib = load_library([good])
    assert "rate-low-other-bank" in lib.cards
    assert len(lib.problems) == 1
    problem = lib.problems[0]
    assert problem.path.endswith("objection/broken.yaml") and problem.severity == "error"
    assert "YAML 语法错误" in problem.message


def test_branch_overrides_card_and_file_by_id(good: Path, tmp_path: Path) -> None:
    branch = tmp_path / "branch"
    write(
        branch / "objection" / "mine.yaml",
        "version: 1\nkind: objection\nid: branch-cards\ntitle: 本行\ncards:\n"
        "  - id: rate-low-other-bank\n    title: 本行版本\n    topic: rate_low\n    triggers: [利息太低]\n"
        "  - id: branch-new\n    title: 新卡\n",
    )
    write(good / "scenario" / "x.yaml", "")  # an empty file is reported, not fatal
    write(branch / "conversion" / "steps.yaml", "version: 1\nkind: conversion\nid: conversion-steps\ntitle: 本行八步\n")
    lib = load_library([good, branch])
    assert lib.card("rate-low-other-bank").card.title == "本行版本"
    assert lib.card("rate-low-other-bank").file_id == "branch-cards"
    assert "branch-new" in lib.cards
    assert "step-close" not in lib.cards  # its file was replaced by the branch's
    assert lib.files["conversion-steps"].model.title == "本行八步"
    assert [p.message for p in lib.problems if p.severity != "info"] == ["文件顶层应为映射（version、kind、id、title…）"]
    replaced = [p for p in lib.problems if p.severity == "info"]
    assert len(replaced) == 1 and replaced[0].path.endswith("conversion/steps.yaml") and "整个替换" in replaced[0].message


def test_extra_dirs_from_environment(good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    branch = write(tmp_path / "b" / "objection" / "a.yaml", "version: 1\nkind: objection\nid: a\ntitle: A\ncards:\n  - {id: only-branch, title: 本行}\n")
    monkeypatch.setattr(loader, "default_dirs", lambda: [good, branch.parent.parent])
    assert "only-branch" in load_library().cards


def test_duplicate_ids_in_one_folder_are_errors(good: Path) -> None:
    write(
        good / "objection" / "z-dup.yaml",
        "version: 1\nkind: objection\nid: objection-rate-low\ntitle: 重复\n",
    )
    write(good / "objection" / "z-dup2.yaml", "version: 1\nkind: objection\nid: other\ntitle: t\ncards:\n  - {id: risk-fear-basic, title: x}\n")
    messages = [p.message for p in load_library([good]).problems]
    assert any("文件 id `objection-rate-low` 重复" in m for m in messages)
    assert any("卡片 id `risk-fear-basic` 重复" in m for m in messages)


def test_cache_is_used_and_rebuilt_on_change(good: Path, coach_home: Path) -> None:
    first = load_library([good])
    assert list((coach_home / "cache").glob("library-*.pickle"))
    again = load_library([good])
    assert again.cards.keys() == first.cards.keys()
    path = good / "objection" / "rate-low.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("他行报价更高", "他行报价高了"), encoding="utf-8")
    assert load_library([good]).card("rate-low-other-bank").card.title == "他行报价高了"


def test_cache_written_with_other_shapes_is_not_read(good: Path, coach_home: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A process holding older model classes (started before a code change) must not feed its
    objects to one holding the new classes: the loaded shapes are part of the cache key."""
    load_library([good])
    parsed = []
    real = loader.read_playbook
    monkeypatch.setattr(loader, "read_playbook", lambda i, r, p, probs: parsed.append(p.name) or real(i, r, p, probs))
    load_library([good])
    assert parsed == []  # same shapes: everything from the cache
    monkeypatch.setattr(loader, "_shapes", lambda: (("VariableSpec", ("label", "default")),))
    load_library([good])
    assert "rate-low.yaml" in parsed and len(parsed) > 3


def test_unreadable_cache_is_ignored(good: Path, coach_home: Path) -> None:
    load_library([good])
    for f in (coach_home / "cache").glob("library-*.pickle"):
        f.write_bytes(b"not a pickle")
    assert "rate-low-other-bank" in load_library([good]).cards


def test_cache_write_failure_is_harmless(good: Path, coach_home: Path) -> None:
    coach_home.mkdir(parents=True)
    (coach_home / "cache").write_text("a file where the cache dir should be")
    assert "rate-low-other-bank" in load_library([good]).cards


def test_missing_folder_and_taxonomy_are_reported(tmp_path: Path) -> None:
    lib = load_library([tmp_path / "nope"])
    assert {p.message for p in lib.problems} == {"话术目录不存在：请检查 --playbooks 后面的路径（或 COACH_PLAYBOOKS），或先建好这个目录", "找不到 taxonomy.yaml（话题、步骤与客群代码表）"}


def test_after_an_edit_only_that_file_is_parsed_again(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_library([good])
    parsed = []
    real = loader.read_playbook
    monkeypatch.setattr(loader, "read_playbook", lambda i, r, p, probs: parsed.append(p.name) or real(i, r, p, probs))
    path = good / "objection" / "rate-low.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    lib = load_library([good])
    assert parsed == ["rate-low.yaml"]
    assert set(lib.cards) == {"rate-low-other-bank", "risk-fear-basic", "step-close"}
    (good / "conversion" / "steps.yaml").unlink()
    assert "step-close" not in load_library([good]).cards
