"""The renderer: placeholders instead of errors, the money/date filters, coercion, the sandbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.core.playbooks.loader import load_library
from assistant.core.playbooks.models import VariableSpec
from assistant.core.playbooks.render import DateError, Renderer, lookup, parse_date, value_problem, variables_for_customer


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
        ("{{ interest_diff(200000, 1.5, 2.6, 113) }}", {}, "681"),
        ("{{ interest_diff(amount, 1.5, 2.6, days) }}", {"amount": "20万", "days": "113"}, "681"),
        ('{{ "2026-12-08" | before(7) }}', {}, "12月1日"),
        ('{{ "2026-12-08" | cn_date }}', {}, "12月8日"),
        ("{{ maturity_date | before(7) }}", {"maturity_date": "2026/12/8"}, "12月1日"),
        ("{{ amount | wan }}", {"amount": "200,000元"}, "20万元"),
        ("{{ rate | pct }}", {"rate": "2.66%"}, "2.66%"),
        ("{{ days }}天", {"days": "113天"}, "113天"),
        ("存{{ days | term }}", {"days": 1095}, "存三年"),
        ("存{{ days | term }}", {"days": "365"}, "存一年"),
        ("存{{ days | term }}", {"days": 182}, "存半年"),
        ("存{{ days | term }}", {"days": 91}, "存三个月"),
        ("存{{ days | term }}", {"days": "113天"}, "存113天"),
        ("存{{ days | term }}", {"days": 1460}, "存1460天"),
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
        ("{{ maturity_date | before(7) }}", "【到期日】", ("maturity_date",)),
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


# (today, typed, read): a date without a year is the next such day on or after today.
YEARLESS = [
    ("2026-12-28", "1月5日", "2027-01-05"),
    ("2026-12-28", "1-5", "2027-01-05"),
    ("2026-12-28", "1/5", "2027-01-05"),
    ("2026-12-28", "12月28日", "2026-12-28"),
    ("2026-12-28", "12-27", "2027-12-27"),
    ("2026-12-28", "2月29日", "2028-02-29"),
    ("2027-03-01", "12-08", "2027-12-08"),
    ("2027-03-01", "3-1", "2027-03-01"),
    ("2027-03-01", "2/28", "2028-02-28"),
    ("2027-03-01", "2月29日", "2028-02-29"),
    ("2027-02-28", "2-28", "2027-02-28"),
    ("2027-02-28", "2月29日", "2028-02-29"),
    ("2027-02-28", "3月1日", "2027-03-01"),
    ("2028-02-28", "2月29日", "2028-02-29"),
    ("2028-02-28", "2/27", "2029-02-27"),
    ("2028-02-28", "3.1", "2028-03-01"),
    ("2096-03-01", "2-29", "2104-02-29"),  # 2100 is not a leap year
    # A year typed is kept, even a past one.
    ("2026-12-28", "2026-01-05", "2026-01-05"),
    ("2026-12-28", "2027年2月28日", "2027-02-28"),
    ("2028-02-28", "20270105", "2027-01-05"),
    ("2028-02-28", "2028/2/29", "2028-02-29"),
]


def dated(today: str) -> Renderer:
    """A renderer whose clock says `today`, with two date variables."""
    specs = {key: VariableSpec(label=label, example="2026-12-08", type="date") for key, label in
             (("maturity_date", "到期日"), ("d", "日期"))}
    return Renderer(SimpleNamespace(variables=specs), defaults={}, clock=lambda: dt.date.fromisoformat(today))


@pytest.mark.parametrize(("today", "typed", "read"), YEARLESS)
def test_date_without_year_is_the_next_such_day(today: str, typed: str, read: str) -> None:
    assert parse_date(typed, today=dt.date.fromisoformat(today)) == dt.date.fromisoformat(read)


@pytest.mark.parametrize(("today", "typed", "read"), YEARLESS)
def test_renderer_reads_year_less_dates_by_its_clock(today: str, typed: str, read: str) -> None:
    renderer = dated(today)
    expected = dt.date.fromisoformat(read)
    assert renderer.render("{{ maturity_date | cn_date }}", {"maturity_date": typed}).text == f"{expected.month}月{expected.day}日"


# (today, template, variables, text): before() counts back across 29 Feb only in a leap year, and the
# year of a year-less date is the one the clock says is next (a colleague suspected an off-by-one here).
BEFORE = [
    ("2027-02-28", "{{ d | before(1) }}", {"d": "3月1日"}, "2月28日"),
    ("2028-02-28", "{{ d | before(1) }}", {"d": "3月1日"}, "2月29日"),
    ("2027-03-01", "{{ d | before(1) }}", {"d": "3月1日"}, "2月28日"),
    ("2026-12-28", "{{ d | before(1) }}", {"d": "3月1日"}, "2月28日"),
    ("2027-12-28", "{{ d | before(1) }}", {"d": "3月1日"}, "2月29日"),  # next 1 Mar is in 2028
    ("2028-02-28", "{{ d | before(7) }}", {"d": "3-5"}, "2月27日"),
    ("2027-02-28", "{{ d | before(7) }}", {"d": "3-5"}, "2月26日"),
    ("2026-12-28", "{{ d | before(7) }}", {"d": "2028-03-07"}, "2月29日"),
    ("2028-02-28", "{{ d | before(7) }}", {"d": "2027-03-07"}, "2月28日"),
    ("2028-02-28", "{{ d | before(1) }}", {"d": "2月29日"}, "2月28日"),
    ("2026-12-28", "{{ d | before(7) }}", {"d": "1月5日"}, "12月29日"),
    # A literal in a template is read by the same clock.
    ("2028-02-28", '{{ "3月1日" | before(1) }}', {}, "2月29日"),
    ("2027-02-28", '{{ "3月1日" | before(1) }}', {}, "2月28日"),
]


@pytest.mark.parametrize(("today", "template", "variables", "text"), BEFORE)
def test_before_across_a_leap_day(today: str, template: str, variables: dict, text: str) -> None:
    renderer = dated(today)
    assert renderer.render(template, variables).text == text


def test_a_datetime_clock_works_like_a_date_clock() -> None:
    """History and LiveSession clocks return datetimes; the renderer takes either."""
    renderer = Renderer(None, defaults={}, clock=lambda: dt.datetime(2028, 2, 28, 23, 59))
    assert renderer.render('{{ "2月29日" | before(0) }}').text == "2月29日"


@pytest.mark.parametrize("typed", ["13月40日", "2月30日", "0-5", "2027-02-29", "2026-13-01", "下周", "1.5.5", ""])
def test_a_date_that_is_not_one_names_the_formats(typed: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(typed, today=dt.date(2027, 2, 28))
    assert f"「{typed}」不是日期" in str(caught.value)
    assert "2026-12-08" in str(caught.value) and "12月8日" in str(caught.value) and "12-8" in str(caught.value)


def test_a_bad_date_shows_a_placeholder_and_a_sentence_naming_the_field(renderer: Renderer) -> None:
    rendered = renderer.render("{{ maturity_date | before(7) }}", {"maturity_date": "13月40日"})
    assert (rendered.text, rendered.bad) == ("【到期日？】", ("maturity_date",))
    (problem,) = rendered.problems
    assert problem.startswith("到期日「13月40日」不是日期。可以写：") and "12月8日" in problem


def test_value_problem_checks_a_var_before_it_is_set(renderer: Renderer) -> None:
    specs = renderer.specs
    assert value_problem("maturity_date", "13月40日", specs).startswith("到期日「13月40日」不是日期")
    assert value_problem("maturity_date", "2月29日", specs, today=dt.date(2027, 3, 1)) is None
    assert value_problem("rate", "abc", specs) == "年化收益率「abc」读不懂。应为百分数，如 2.6 或 2.6%"
    assert value_problem("rate", "2.6%", specs) is None
    assert value_problem("mystery", "anything", specs) is None


def test_a_computed_number_with_missing_inputs_names_what_to_fill_in():
    from assistant.core.playbooks.render import Renderer

    text = Renderer().render("差{{ interest_diff(amount, rate, other_rate, 90) }}元", {"rate": 1.5}).text
    assert text.startswith("差【利息差：先填") and "amount" in text and "other_rate" in text and "rate、" not in text
