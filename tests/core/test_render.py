"""The renderer: placeholders instead of errors, the money/date filters, coercion, the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.loader import load_library
from assistant.core.render import Renderer, lookup, variables_for_customer


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    good = Path(__file__).resolve().parent.parent / "data" / "good"
    return Renderer(load_library([good], use_cache=False))


@pytest.mark.parametrize(
    ("template", "variables", "text"),
    [
        ("{{ 200000 | wan }}", {}, "20万元"),
        ("{{ 12345 | wan }}", {}, "1.23万元"),
        ("{{ 1500000 | wan }}", {}, "150万元"),
        ("{{ 2.66 | pct }}", {}, "2.66%"),
        ("{{ 1.5 | pct }}", {}, "1.5%"),
        ("{{ interest_diff(200000, 1.5, 2.6, 113) }}", {}, "681.10"),
        ("{{ interest_diff(amount, 1.5, 2.6, days) }}", {"amount": "20万", "days": "113"}, "681.10"),
        ('{{ "2026-12-08" | before(7) }}', {}, "12月1日"),
        ('{{ "2026-12-08" | cn_date }}', {}, "12月8日"),
        ("{{ maturity_date | before(7) }}", {"maturity_date": "2026/12/8"}, "12月1日"),
        ("{{ amount | wan }}", {"amount": "200,000元"}, "20万元"),
        ("{{ rate | pct }}", {"rate": "2.66%"}, "2.66%"),
        ("{{ days }}天", {"days": "113天"}, "113天"),
        ("{{ maturity_date | cn_date }}", {"maturity_date": "2026年12月8日"}, "12月8日"),
        ("{{ maturity_date | before(7) }}", {"maturity_date": "12月8日"}, "12月1日"),
    ],
)
def test_filters_and_coercion(renderer: Renderer, template: str, variables: dict, text: str) -> None:
    rendered = renderer.render(template, variables)
    assert (rendered.text, rendered.ok) == (text, True)


@pytest.mark.parametrize(
    ("template", "text", "missing"),
    [
        ("{{ name }}您好", "【客户称呼】您好", ("name",)),
        ("{{ mystery }}", "【mystery】", ("mystery",)),
        ("{{ amount | wan }}", "【金额】", ("amount",)),
        ("{{ interest_diff(amount, 1.5, rate, 30) }}", "【利息差：先填金额、年化收益率】", ("amount", "rate")),
        ("{{ amount * 2 }}", "【金额】", ("amount",)),
        ("{{ customer.vip }}", "【customer】", ("customer",)),
        ("{% if name is defined %}{{ name }}{% else %}您好{% endif %}", "您好", ()),
        ("{{ name | default('您') }}好", "您好", ()),
    ],
)
def test_missing_variables_show_placeholders(renderer: Renderer, template: str, text: str, missing: tuple) -> None:
    rendered = renderer.render(template, {})
    assert (rendered.text, rendered.missing, rendered.error) == (text, missing, None)


@pytest.mark.parametrize(
    ("variables", "text"),
    [({"rate": "abc"}, "【年化收益率？】"), ({"days": "3.5"}, "【期限天数？】"), ({"maturity_date": "下周"}, "【到期日？】")],
)
def test_bad_values_show_question_placeholders(renderer: Renderer, variables: dict, text: str) -> None:
    key = next(iter(variables))
    filt = {"rate": " | pct", "days": "", "maturity_date": " | cn_date"}[key]
    rendered = renderer.render("{{ " + key + filt + " }}", variables)
    assert (rendered.text, rendered.bad) == (text, (key,))


def test_empty_value_counts_as_missing(renderer: Renderer) -> None:
    assert renderer.render("{{ name }}", {"name": "  "}).text == "【客户称呼】"


def test_syntax_and_runtime_errors_become_notes(renderer: Renderer) -> None:
    broken = renderer.render("{{ name }", {}, source="a.yaml:3")
    assert broken.error and "a.yaml:3" in broken.error and "a.yaml:3" in broken.text
    sandboxed = renderer.render("{{ ''.__class__.__mro__[1].__subclasses__() }}", {})
    assert "<class" not in sandboxed.text and "subclasses" not in sandboxed.text


def test_strict_renderer_raises_for_validation(renderer: Renderer) -> None:
    from jinja2 import UndefinedError

    strict = Renderer(None, strict=True)
    with pytest.raises(UndefinedError):
        strict.render_raw("{{ name | wan }}", {})


def test_undeclared_names_exclude_functions(renderer: Renderer) -> None:
    assert renderer.undeclared("{% set x = 1 %}{{ interest_diff(amount, a, b, x) | pct }}") == {"amount", "a", "b"}


def test_compiled_templates_are_cached(renderer: Renderer) -> None:
    assert renderer.compile("{{ name }}") is renderer.compile("{{ name }}")


def test_variables_for_customer(renderer: Renderer) -> None:
    library = load_library([Path(__file__).resolve().parent.parent / "data" / "good"], use_cache=False)
    customer = {"name": "王姐", "products": [{"amount": 100000, "maturity": "2026-12-08"}], "asset_tier": None}
    assert variables_for_customer(customer, library) == {"name": "王姐", "amount": 100000, "maturity_date": "2026-12-08"}
    assert variables_for_customer({}, library) == {}


@pytest.mark.parametrize(
    ("path", "value"),
    [("a.b", 1), ("list.1.x", 2), ("list.-1.x", 2), ("list.5.x", None), ("a.c", None), ("a.b.c", None)],
)
def test_lookup(path: str, value: object) -> None:
    assert lookup({"a": {"b": 1}, "list": [{"x": 1}, {"x": 2}]}, path) == value


def test_date_without_year_is_this_year() -> None:
    import datetime as dt

    from assistant.core.render import parse_date

    assert parse_date("12-08", today=dt.date(2027, 3, 1)) == dt.date(2027, 12, 8)


def test_a_computed_number_with_missing_inputs_names_what_to_fill_in():
    from assistant.core.render import Renderer

    text = Renderer().render("差{{ interest_diff(amount, rate, other_rate, 90) }}元", {"rate": 1.5}).text
    assert text.startswith("差【利息差：先填") and "amount" in text and "other_rate" in text and "rate、" not in text
