"""Rehearse the real customer: 王阿姨 (67, 20万 三年期定期 due 12月12日) rehearses as herself."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.core.history import History
from assistant.core.playbooks.loader import load_library
from assistant.core.rehearse.real_customer import age_band, customer_persona, scenario_for
from assistant.core.rehearse.session import play
from assistant.core.rehearse.sim import Rehearsal

TODAY = dt.date(2026, 12, 5)
WANG = {"id": "c-wang", "name": "王阿姨", "segment": "senior", "asset_tier": "20-50万", "birthday": "1959-06-28",
        "products": [{"name": "三年期定期", "amount": 200000, "rate": 2.15, "maturity": "2026-12-12"}],
        "tags": ["退休教师"], "notes": "喜欢电话沟通"}


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_wang_rehearses_as_herself(library):
    history = History()
    sid = history.start_session(mode="live", customer_id="c-wang", topics=["risk_fear", "early_withdrawal"])
    history.end_session(sid, outcome="待跟进", topics=["risk_fear", "early_withdrawal"])
    scenario = library.scenario(scenario_for(library, WANG, TODAY))
    assert scenario.id == "scenario-maturity-call"  # her deposit matures within the week
    persona, variables = customer_persona(library, scenario, WANG, history, TODAY)
    assert persona.title.startswith("王阿姨") and persona.age == "senior" and persona.temperament == "cautious_elderly"
    assert variables["name"] == "王阿姨" and variables["amount"] == 200000 and variables["maturity_date"] == "2026-12-12"
    assert persona.objections[:2] == ["risk_fear", "early_withdrawal"]  # hers first, then the scenario persona's
    assert "67岁" in persona.description and "12月12日到期" in persona.description

    run = Rehearsal(library, scenario.id, persona.id, persona=persona, customer_id="c-wang", seed=2)
    run.start()
    model = run.target().model_reply
    assert "王阿姨" in model and "20万" in model and "12月12日" in model  # the call she is about to get
    restored = Rehearsal.from_json(library, run.to_json())
    assert restored.persona == persona and restored.customer_id == "c-wang"


def test_the_report_and_the_session_name_the_customer(library):
    scenario = library.scenario("scenario-maturity-call")
    persona, _ = customer_persona(library, scenario, WANG, None, TODAY)
    history = History()
    report = play(library, scenario.id, persona.id, ["王阿姨您好，我是支行的小李"], history=history,
                  persona=persona, customer_id="c-wang")
    assert report["customer_id"] == "c-wang" and report["persona"]["title"] == "王阿姨（真实客户）"
    assert History().session(report["session_id"])["customer_id"] == "c-wang"


@pytest.mark.parametrize("birthday, band", [("1959-06-28", "senior"), ("1995-01-01", "young"), ("1980-01-01", "middle"), ("", None)])
def test_age_band_from_birthday(birthday, band):
    assert age_band({"birthday": birthday}, TODAY) == band
