"""Customer speech is its own data: natural voice, fitting the persona, never a trigger."""

from __future__ import annotations

import re

import pytest

from assistant.core.playbooks.loader import load_library
from assistant.core.playbooks.models import CustomerLine
from assistant.core.playbooks.render import Renderer
from assistant.core.rehearse.sim import Rehearsal, scenario_variables
from assistant.core.rehearse.targets import objection_cards
from assistant.core.rehearse.voice import Facts, Traits, fits, fitting


@pytest.fixture(scope="module")
def library():
    return load_library()


def all_lines(library):
    for ref in library.cards.values():
        for line in ref.card.customer_lines:
            yield ref.card.id, line
    for scenario in library.scenarios.values():
        for node in scenario.nodes:
            for line in node.customer_lines:
                yield f"{scenario.id}:{node.id}", line


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def test_customer_lines_are_natural_voice_not_matching_forms(library):
    import zhconv

    triggers = {_norm(t) for ref in library.cards.values() for t in ref.card.triggers}
    lines = list(all_lines(library))
    assert len(lines) >= 250
    for where, line in lines:
        plain = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|R[1-5]", "", line.text)
        assert not re.search(r"[A-Za-z]", plain), (where, line.text)  # no pinyin
        assert zhconv.convert(plain, "zh-cn") == plain, (where, line.text)  # no traditional forms
        if line.mood == "ask":
            assert _norm(line.text) not in triggers, (where, line.text)


def test_every_objection_a_persona_can_raise_has_a_line_for_it_and_answers_to_it(library):
    for scenario in library.scenarios.values():
        for persona in scenario.personas:
            run = Rehearsal(library, scenario.id, persona.id)
            raisable = {t for n in scenario.nodes for t in n.objections} & set(persona.objections)
            for topic in raisable:
                cards = objection_cards(library, topic)
                said = [c for c in cards if fitting(c.customer_lines, "ask", run.traits, Facts(True, True, True))]
                assert said, (scenario.id, persona.id, topic)
                for card in cards:
                    moods = {x.mood for x in card.customer_lines}
                    assert {"won_back", "doubtful"} <= moods, card.id


def test_node_lines_render_for_every_persona(library):
    renderer = Renderer(library, strict=True)
    for scenario in library.scenarios.values():
        for persona in scenario.personas:
            variables = scenario_variables(library, scenario, persona)
            for node in scenario.nodes:
                for line in node.customer_lines:
                    assert renderer.render(line.text, variables).text.strip(), (scenario.id, node.id)


def test_traits_filter_lines():
    traits = Traits("busy", "payroll", "middle", "phone", None)
    assert fits(CustomerLine(text="x", temperaments=["busy"], channel="phone"), traits, Facts())
    assert not fits(CustomerLine(text="x", channel="wechat"), traits, Facts())
    assert not fits(CustomerLine(text="x", ages=["senior"]), traits, Facts())
    assert not fits(CustomerLine(text="x", after=["product_named"]), traits, Facts())
    assert fits(CustomerLine(text="x", after=["product_named"]), traits, Facts(product_named=True))
    assert fits(CustomerLine(text="x", holder="holder"), traits, Facts())  # unknown holder: either
    assert not fits(CustomerLine(text="x", holder="holder"), Traits("busy", "payroll", "middle", "phone", "first"), Facts())


def test_an_elderly_phone_customer_never_asks_about_benchmarks_before_a_product(library):
    """The trainer's example: a retired man who cannot log in asking 业绩比较基准到底啥意思."""
    card = library.card("complex-product").card
    traits = Traits("cautious_elderly", "senior", "senior", "phone", None)
    texts = [x.text for x in fitting(card.customer_lines, "ask", traits, Facts())]
    assert texts and not [t for t in texts if "业绩比较基准" in t]
