"""A variable's `default` is the value in force: it fills replies when nothing else does."""

from __future__ import annotations

from assistant.core.playbooks.loader import load_library
from assistant.core.playbooks.models import VariableSpec
from assistant.core.playbooks.render import Renderer


class _Lib:
    def __init__(self, variables):
        self.variables = variables


def test_default_fills_a_missing_value_and_a_given_value_wins() -> None:
    lib = _Lib({"cap": VariableSpec(label="限额", example=1, default=500000, type="money"),
                "name": VariableSpec(label="客户称呼", example="王姐")})
    renderer = Renderer(lib, defaults={})
    assert renderer.render("最高{{ cap | wan }}").text == "最高50万元"
    assert renderer.render("最高{{ cap | wan }}", {"cap": 300000}).text == "最高30万元"
    blank = renderer.render("{{ name }}您好")
    assert blank.text == "【客户称呼】您好" and blank.missing == ("name",)


def test_shipped_rule_numbers_reach_the_reply() -> None:
    lib = load_library(use_cache=False)
    card = lib.card("deposit-insurance").card
    text = Renderer(lib, defaults={}).render(card.responses[0].text, {"name": "王阿姨"}).text
    assert "最高偿付50万元" in text and "【" not in text
