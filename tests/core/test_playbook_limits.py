"""A branch's playbook folder is not trusted (issue 17): alias bombs, render bombs, symlinks out
of the folder and a tampered cache are refused with messages; a missing library is an error."""

from __future__ import annotations

import os
import pickle
import stat

import pytest

from assistant.core.playbooks import loader
from assistant.core.playbooks.budget import MAX_ITERATIONS, MAX_OUTPUT
from assistant.core.playbooks.loader import PlaybooksMissingError, load_library
from assistant.core.playbooks.render import Renderer
from assistant.core.playbooks.yamlsrc import MAX_NODES, YamlError, parse_yaml
from assistant.paths import BUILTIN_PLAYBOOKS, get_paths

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))


def test_alias_bomb_is_refused_before_composing():
    with pytest.raises(YamlError) as err:
        parse_yaml(BOMB)
    assert str(MAX_NODES) in err.value.message and err.value.line > 1


def test_small_aliases_still_work():
    assert parse_yaml("base: &b {k: 1}\nother: *b\n").data == {"base": {"k": 1}, "other": {"k": 1}}


def test_alias_bomb_in_a_branch_folder_is_a_validate_problem(tmp_path, capsys):
    from assistant.cli import main

    folder = tmp_path / "branch" / "objection"
    folder.mkdir(parents=True)
    (folder / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    assert main(["validate", str(tmp_path / "branch")]) != 0
    out = capsys.readouterr()
    assert "bomb.yaml" in out.out + out.err and "Traceback" not in out.err


@pytest.mark.parametrize("template", [
    "{{ 'x' * 10**9 }}",
    "{{ 10 ** 100000 }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in range(5000) %}{% for j in range(5000) %}x{% endfor %}{% endfor %}",
    "{{ range(9000)|join('y' * 5000) }}",
    "{{ 'a'.center(10**9) }}",
    "{{ '{:>1000000000}'.format(1) }}",
    "{{ 'a'|center(1000000000) }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}",
])
def test_render_bombs_stop_with_a_note(template):
    r = Renderer(None, defaults={})
    out = r.render(template, source="objection/x.yaml")
    assert out.error and "话术模板有误" in out.text and len(out.text) < 400
    assert "超过" in out.error or "太大" in out.error


def test_ordinary_templates_are_untouched():
    r = Renderer(None, defaults={})
    assert r.render("{% for i in range(3) %}{{ i }}{% endfor %}{{ 'ab' * 2 }}{{ [1, 2]|join('、') }}{{ 2 ** 10 }}").text \
        == "012abab1、21024"
    assert MAX_OUTPUT >= 10_000 and MAX_ITERATIONS >= 1_000


def test_a_render_is_not_timed_by_the_wall_clock(monkeypatch):
    """A loaded machine (or another thread) stalling the render is not the template's doing: the
    same template renders the same way however long the wall clock says it took."""
    import time

    from assistant.core.playbooks import budget

    class Stalling:  # every reading of a wall clock is 10 s later than the last
        now = 0.0

        def __call__(self) -> float:
            self.now += 10.0
            return self.now

    monkeypatch.setattr(time, "monotonic", Stalling())
    monkeypatch.setattr(time, "time", Stalling())
    out = Renderer(None, defaults={}).render("{% for i in range(3) %}{{ i }}{% endfor %}{{ '{}元'.format(5) }}")
    assert (out.text, out.error) == ("0125元", None), out
    assert budget.MAX_SECONDS <= 5


def test_symlink_out_of_a_playbook_folder_is_refused(tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("kind: objection\n", encoding="utf-8")
    folder = tmp_path / "branch" / "objection"
    folder.mkdir(parents=True)
    os.symlink(outside, folder / "link.yaml")
    os.symlink(tmp_path, folder / "up")
    lib = load_library([BUILTIN_PLAYBOOKS, tmp_path / "branch"], use_cache=False)
    refused = [p for p in lib.problems if "符号链接" in p.message]
    assert {os.path.basename(p.path) for p in refused} == {"link.yaml", "up"}
    assert not any("secret.yaml" in f for f in map(str, lib.files))


def test_library_cache_is_0600_and_a_loose_one_is_not_unpickled(monkeypatch):
    old = os.umask(0)
    try:
        load_library()
    finally:
        os.umask(old)
    (cache,) = get_paths().cache_dir.glob("library-*.pickle")
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    cache.chmod(0o666)  # anyone could have written it: must not be unpickled
    monkeypatch.setattr(pickle, "load", lambda fh: pytest.fail("unpickled a world-writable cache"))
    assert load_library().cards


def test_missing_builtin_library_is_an_error_naming_the_path(tmp_path, monkeypatch, capsys):
    from assistant.cli import main

    empty = tmp_path / "nothing"
    empty.mkdir()
    monkeypatch.setattr(loader, "default_dirs", lambda: [empty])
    with pytest.raises(PlaybooksMissingError, match=str(empty)):
        load_library()
    assert main(["suggest", "利息太低了"]) != 0
    err = capsys.readouterr().err
    assert str(empty) in err and "pip install ." in err  # the package is not on PyPI: `pip install coach` finds nothing


@pytest.mark.parametrize("text, hint", [
    ("id: x\ntitle: 测试\n  bad: [\n", "缩进不对"),
    ("id: x\n\tkind: objection\n", "Tab"),
    ('id: x\ntitle: "abc\n', "引号或括号没有闭合"),
    ("id: x\ntriggers: [a, b\n", "少了「,」或「]」"),
])
def test_yaml_syntax_errors_say_in_chinese_what_to_fix(text, hint):
    """`coach validate` said only the parser's English (mapping values are not allowed here)."""
    with pytest.raises(YamlError) as err:
        parse_yaml(text)
    assert hint in str(err.value)
