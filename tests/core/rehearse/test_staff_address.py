"""The simulated customer calls the staff member what real customers do — 小王 (an older customer)
or 王经理 — never by the full name (「王小明啊，跟你说一声」 read like a form being filled in), and
经理 when the staff member has not said who they are. The same forms let a pasted chat signed 小王
be read as the staff member (live/chat.staff_names)."""

from __future__ import annotations

import pytest

from assistant.core.address import called, customer_calls
from assistant.core.live.chat import staff_names
from assistant.core.playbooks.loader import load_library
from assistant.core.rehearse.sim import Rehearsal


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_the_forms_of_address_come_from_the_surname():
    assert called("王小明") == ["小王", "王经理"] and called("李娜") == ["小李", "李经理"]
    assert called("欧阳娜娜") == ["小欧阳", "欧阳经理"]  # a two-character surname
    assert called("Tony") == [] and called("") == []


def test_an_older_customer_says_xiao_and_others_say_manager():
    assert customer_calls("王小明", senior=True) == "小王"
    assert customer_calls("王小明", senior=False) == "王经理"
    assert customer_calls("客户经理", senior=True) == "经理"  # nobody signed in: the neutral identity
    assert customer_calls("小李", senior=False) == "小李"  # already how people call her
    assert customer_calls("Tony", senior=False) == "Tony"


def test_live_reads_a_chat_signed_with_the_same_forms():
    assert staff_names({"name": "王小明", "aliases": ["明明"]}) == ["王小明", "明明", "小王", "王经理"]


def _first_lines(library, scenario_id: str, persona_id: str, staff: str | None) -> str:
    extra = {"staff_name": staff} if staff else None
    run = Rehearsal(library, scenario_id, persona_id, seed=1, variables=extra)
    return run.render("{{ staff_call }}啊，跟你说一声。")


def test_the_rehearsal_customer_calls_the_staff_by_surname(library):
    scenario = library.scenarios["scenario-anti-poaching"]
    for persona in scenario.personas:
        line = _first_lines(library, scenario.id, persona.id, "王小明")
        assert "王小明" not in line and line.split("啊")[0] in ("小王", "王经理"), line
        assert _first_lines(library, scenario.id, persona.id, None).startswith("经理啊")


def test_no_customer_line_in_a_scenario_says_the_staff_members_full_name(library):
    """Customer lines use {{ staff_call }}; {{ staff_name }} stays in the staff's own model replies
    (「我是幸福路支行的王小明」) and in a group chat's @ (WeChat puts the display name there)."""
    for scenario in library.scenarios.values():
        for node in scenario.nodes:
            for line in node.customer:
                spoken = line.replace("@{{ staff_name }}", "")
                assert "staff_name" not in spoken, (scenario.id, node.id, line)
