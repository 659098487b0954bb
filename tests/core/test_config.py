"""`coach config` and the settings file: branch_name fills {{ branch }} in every render, so
follow-up messages name the branch instead of showing 【网点名称】."""

from __future__ import annotations

import json
from datetime import date

import pytest

from assistant import cli
from assistant.core import config
from assistant.core.errors import CoachError, InputError
from assistant.core.playbooks.loader import load_library
from assistant.core.playbooks.render import Renderer
from assistant.paths import BUILTIN_PLAYBOOKS, get_paths

TEMPLATE = "我是{{ branch }}的{{ staff_name }}"


@pytest.fixture(scope="module")
def library():
    return load_library([BUILTIN_PLAYBOOKS])  # only the shipped ones: a module fixture runs before conftest clears COACH_PLAYBOOKS


def coach(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_set_get_unset_round_trip_in_an_owner_only_file(capsys):
    assert coach(capsys, "config", "set", "branch_name", " 幸福路支行 ")[0] == 0
    assert coach(capsys, "config", "get", "branch_name") == (0, "幸福路支行\n", "")
    code, out, _ = coach(capsys, "config", "get", "--json")
    assert code == 0 and json.loads(out) == {"branch_name": "幸福路支行"}
    settings = get_paths().settings
    assert settings.stat().st_mode & 0o777 == 0o600
    assert coach(capsys, "config", "unset", "branch_name")[0] == 0
    code, out, _ = coach(capsys, "config")
    assert code == 0 and "branch_name  网点名称：（未设置" in out
    assert coach(capsys, "config", "get", "branch_name")[0] == 1


def test_an_unknown_key_is_refused_with_the_nearest_one(capsys):
    code, _, err = coach(capsys, "config", "set", "brach_name", "x")
    assert code == 2 and "你是不是想写 branch_name" in err
    assert not get_paths().settings.exists()


def test_the_renderer_fills_branch_from_the_settings_and_explicit_values_win(library):
    assert Renderer(library).render(TEMPLATE, {"staff_name": "小李"}).text == "我是网点的小李"  # unset: reads naturally
    config.set_value("branch_name", "幸福路支行")
    rendered = Renderer(library).render(TEMPLATE, {"staff_name": "小李"})
    assert rendered.text == "我是幸福路支行的小李" and rendered.missing == ()
    assert Renderer(library).render(TEMPLATE, {"branch": "人民路支行", "staff_name": "小李"}).text == "我是人民路支行的小李"
    assert Renderer(library, defaults={}).render(TEMPLATE).text == "我是网点的【员工姓名】"
    assert Renderer(library, strict=True).defaults == {}  # validation renders with the examples only


def test_a_broken_settings_file_never_breaks_rendering_and_get_names_it(capsys, library):
    paths = get_paths()
    paths.home.mkdir(parents=True, exist_ok=True)
    paths.settings.write_text("{oops", encoding="utf-8")
    assert Renderer(library).render(TEMPLATE).text == "我是网点的【员工姓名】"
    with pytest.raises(CoachError, match="settings.json"):
        config.load()
    code, _, err = coach(capsys, "config", "get")
    assert code == 1 and str(paths.settings) in err


def test_followup_messages_name_the_branch(capsys):
    from assistant.core.history import History

    config.set_value("branch_name", "幸福路支行")
    history = History(get_paths())
    history.add_followup(title="王姐：回访", due=f"{date(2026, 11, 25).isoformat()}T09:00", message=TEMPLATE)
    history.close()
    code, out, _ = coach(capsys, "followups", "--date", "2026-11-25")
    assert code == 0 and "我是幸福路支行的" in out and "网点名称" not in out


def test_demo_names_its_branch_unless_one_is_set():
    from assistant.commands.demo import _name_branch
    from assistant.core.history.demo_lines import DEMO_BRANCH

    _name_branch(get_paths())
    assert config.get_value("branch_name") == DEMO_BRANCH
    config.set_value("branch_name", "人民路支行")
    _name_branch(get_paths())
    assert config.get_value("branch_name") == "人民路支行"


def test_setting_rejects_unknown_keys_without_a_near_one():
    with pytest.raises(InputError, match="可以设置的有：branch_name"):
        config.setting("zzz")


def test_rehearsals_use_the_branch_setting_instead_of_the_example(library):
    from assistant.core.rehearse.sim import scenario_variables

    scenario = library.scenarios["scenario-adopt-call"]
    # Unset: a neutral word, never the library's example branch (幸福路支行) said as if it were ours.
    assert scenario_variables(library, scenario, scenario.personas[0])["branch"] == "网点"
    config.set_value("branch_name", "人民路支行")
    assert scenario_variables(library, scenario, scenario.personas[0])["branch"] == "人民路支行"


def test_an_unset_branch_reads_naturally_in_suggest_and_live_never_as_a_placeholder(capsys):
    from assistant.core.history import History
    from assistant.core.live.session import LiveSession
    from assistant.ui.services import build_services

    history = History(get_paths())
    staff = history.add_staff(name="李娜", role="理财经理")
    history.set_current_staff(staff["id"])
    customer = history.add_customer(name="王阿姨")
    history.close()
    line = "你是不是骗子啊，我怎么知道你是银行的"
    code, out, _ = coach(capsys, "suggest", line, "--customer", "王阿姨")
    assert code == 0 and "问一下网点有没有李娜这个人" in out and "【网点名称】" not in out
    s = build_services()
    session = LiveSession(s.library, s.matcher, s.renderer, s.history, staff=staff, customer=customer)
    reply = session.suggest(line).items[0]
    assert "问一下网点有没有李娜这个人" in reply.reply and "网点名称" not in reply.missing
    config.set_value("branch_name", "幸福路支行")
    code, out, _ = coach(capsys, "suggest", line, "--customer", "王阿姨")
    assert "问一下幸福路支行有没有李娜这个人" in out
