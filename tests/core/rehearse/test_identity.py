"""Who is calling: model replies and customer lines name the signed-in staff and the configured
branch, never the library's example (小李 / 幸福路支行), and neutral words when neither is known."""

from __future__ import annotations

import pytest

from assistant.core import config
from assistant.core.history import History
from assistant.core.playbooks.loader import load_library
from assistant.core.rehearse.session import play
from assistant.core.rehearse.sim import Rehearsal


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_the_model_reply_names_the_staff_member_who_rehearses_and_her_branch(library):
    config.set_value("branch_name", "幸福里支行")
    history = History()
    me = history.add_staff("李娜", "理财经理")
    report = play(library, "scenario-maturity-call", "cautious-retiree", ["陈阿姨您好"], history=history,
                  staff_id=me["id"])
    model = report["turns"][0]["model_reply"]
    assert "幸福里支行的理财经理李娜" in model and "小李" not in model


def test_without_a_staff_member_or_branch_the_words_are_neutral(library):
    run = Rehearsal(library, "scenario-maturity-call", "cautious-retiree")
    run.start()
    model = run.target().model_reply
    assert "我是网点的理财经理。" in model  # not 理财经理小李, not 理财经理客户经理
    assert "小李" not in model and "幸福路支行" not in model


def test_a_customer_line_addresses_the_staff_by_her_name(library):
    persona = library.scenario("scenario-anti-poaching").personas[0].id
    run = Rehearsal(library, "scenario-anti-poaching", persona, variables={"staff_name": "李娜"})
    assert run.render("{{ staff_name }}啊") == "李娜啊"
    neutral = Rehearsal(library, "scenario-anti-poaching", persona)
    assert neutral.render("{{ staff_name }}啊，{{ branch }}") == "客户经理啊，网点"


def _spoken(run) -> list[str]:
    out = []
    for node in run.scenario.nodes:
        out += [run.render(t) for t in [*node.customer, *(x.text for x in node.customer_lines)]]
        out += [run.render(node.model_reply)] if node.model_reply else []
    return out


def test_lines_about_the_maturing_money_fit_what_the_customer_holds(library):
    """QA R5: 「那笔理财」 to a customer whose maturing product is a 三年期定期 (and 「您的定期」 to a
    理财 holder) — the maturity call names the product she holds."""
    persona = "cautious-retiree"
    deposit = _spoken(Rehearsal(library, "scenario-maturity-call", persona, variables={"product": "三年期定期"}))
    assert not [t for t in deposit if "那笔理财" in t or "续购同类三年期定期" in t]
    assert any("那笔三年期定期" in t for t in deposit)
    wealth = _spoken(Rehearsal(library, "scenario-maturity-call", persona))
    assert not [t for t in wealth if "您的定期" in t]
