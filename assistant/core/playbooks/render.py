"""Render playbook templates (Jinja2 in the sandbox) with the maths staff really do.

A missing variable shows as a visible placeholder 【客户称呼】, a value that cannot be read as its
type shows as 【年化收益率？】: staff see what to fill in, never an exception or an empty gap.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Callable

from jinja2 import ChainableUndefined, StrictUndefined, TemplateError, TemplateSyntaxError, Undefined, meta
from jinja2.sandbox import SandboxedEnvironment

#: Anything that tells the date: a `date`, or a `datetime` (History's and LiveSession's clocks).
Clock = Callable[[], "dt.date | dt.datetime"]

#: (labels, missing keys, bad keys, clock) of the render in progress; filters and placeholders
#: report here, and a year-less date in a filter is read against the renderer's clock.
_STATE: contextvars.ContextVar[tuple[dict, list, list, Clock]] = contextvars.ContextVar("render_state")


@dataclass(frozen=True)
class Rendered:
    """The text to show, plus which variables were missing or unreadable and any template error."""

    text: str
    missing: tuple[str, ...] = ()
    bad: tuple[str, ...] = ()
    error: str | None = None
    #: One Chinese sentence per bad value: which field, what was typed, what would be read.
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not (self.missing or self.bad or self.error)


def _label(key: str) -> str:
    state = _STATE.get(None)
    return (state[0].get(key) if state else None) or key


def _note(index: int, key: str) -> None:
    state = _STATE.get(None)
    if state is not None and key not in state[index]:
        state[index].append(key)


class Placeholder(ChainableUndefined):
    """A missing variable: renders as 【label】 and is remembered in `Rendered.missing`.

    Attribute access, item access and arithmetic on it give the placeholder again, so
    `{{ customer.name }}` or `{{ amount * 2 }}` with nothing filled in still renders.
    """

    __slots__ = ()

    def __str__(self) -> str:
        name = self._undefined_name or "?"
        _note(1, name)
        return f"【{_label(name)}】"

    def _same(self, *args, **kwargs):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _same
    __pow__ = __rpow__ = __pos__ = __neg__ = __call__ = _same
    __lt__ = __le__ = __gt__ = __ge__ = _same


class BadValue:
    """A value that could not be read as its variable's type (e.g. `/var rate=abc`)."""

    def __init__(self, key: str, raw: object, reason: str = ""):
        self.key, self.raw, self.reason = key, raw, reason

    def __str__(self) -> str:
        _note(2, self.key)
        return f"【{_label(self.key)}？】"


# ------------------------------------------------------------------ filters


def _dec(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    return Decimal(str(value).strip().replace(",", "").rstrip("%"))


def _trim(d: Decimal) -> str:
    text = f"{d.quantize(Decimal('0.01'), ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _guarded(fn: Callable, is_filter: bool = False) -> Callable:
    """Placeholders pass through filters; an unreadable input becomes 【value？】, never a crash.

    A filter's value is its first argument: `{{ maturity_date | before(7) }}` with no date shows
    【到期日】, like `{{ maturity_date }}` would (the 7 is the template's, not the staff's to fill)."""

    def wrapper(*args):
        missing = [str(arg) for arg in args if isinstance(arg, (Undefined, BadValue))]  # Strict raises here
        if len(missing) == 1 and (len(args) == 1 or (is_filter and isinstance(args[0], (Undefined, BadValue)))):
            return missing[0]
        if missing:  # a computed number with unknown inputs: say what is needed, not one input's label
            return f"【{fn.__doc__.split('：')[0] if '：' in (fn.__doc__ or '') else fn.__name__}：先填{'、'.join(m.strip('【】') for m in missing)}】"
        try:
            return fn(*args)
        except (InvalidOperation, ValueError, TypeError, OverflowError):
            return f"【{args[0]}？】"

    wrapper.__name__ = fn.__name__
    return wrapper


def wan(value) -> str:
    """200000 → 20万元, 12345 → 1.23万元."""
    return f"{_trim(_dec(value) / 10000)}万元"


def pct(value) -> str:
    """2.66 → 2.66%."""
    return f"{_trim(_dec(value))}%"


_YEARS = {1: "一年", 2: "两年", 3: "三年", 5: "五年"}


def term(days) -> str:
    """A term as people say it: 1095 → 三年, 365 → 一年, 182/183 → 半年, 90 → 三个月, else 45 → 45天."""
    n = int(_dec(days))
    years, rest = divmod(n, 365)
    if rest == 0 and years in _YEARS:
        return _YEARS[years]
    if n in (180, 181, 182, 183):
        return "半年"
    if n in (90, 91, 92):
        return "三个月"
    return f"{n}天"


def interest_diff(amount, low_rate, high_rate, days) -> str:
    """利息差：extra interest in 元 of `high_rate` over `low_rate` (percent) on `amount` for `days` (simple, 365),
    rounded as people say it after 约: whole 元 (221.92 → 222), one decimal under 10 元 (3.46 → 3.5)."""
    diff = _dec(amount) * (_dec(high_rate) - _dec(low_rate)) / 100 * _dec(days) / 365
    step = Decimal("1") if abs(diff) >= 10 else Decimal("0.1")
    return _trim(diff.quantize(step, ROUND_HALF_UP))


DATE_FORMATS = "2026-12-08、2026/12/8、2026.12.8、2026年12月8日、20261208，或不写年份：12月8日、12-8、12/8"


class DateError(ValueError):
    """A typed date that is not one; the message lists the formats read (see `DATE_FORMATS`)."""

    def __init__(self, text: str):
        super().__init__(f"「{text}」不是日期。可以写：{DATE_FORMATS}（不写年份指今天起最近的那一天）")


def parse_date(value, today: dt.date | None = None) -> dt.date:
    """A date from a date, an ISO string, 2026/12/8, 2026.12.8, 2026年12月8日, 20261208, or without
    a year (12月8日, 12-08, 12/8): the next such day on or after `today` (a maturity of 1月5日
    typed on 28 Dec is next January's; 2月29日 is the next leap day). Raises `DateError`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text
    )
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[-/.月](\d{1,2})日?", text)
        if m:
            return _next_day(int(m[1]), int(m[2]), today or _today())
    except ValueError:
        pass
    raise DateError(text)


def _next_day(month: int, day: int, today: dt.date) -> dt.date:
    """The first `month`-`day` on or after `today`; ValueError if no year has it (13月40日)."""
    dt.date(2000, month, day)  # a leap year: refuses only days no year has
    for year in range(today.year, today.year + 9):  # 29 Feb: at most 8 years away (2096 → 2104)
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise ValueError(f"{month}-{day}")


def _today() -> dt.date:
    """Today by the clock of the render in progress; outside a render, the wall clock."""
    state = _STATE.get(None)
    return _date_of(state[3]()) if state else dt.date.today()


def _date_of(now: dt.date | dt.datetime) -> dt.date:
    return now.date() if isinstance(now, dt.datetime) else now


def cn_date(value) -> str:
    """2026-12-08 → 12月8日."""
    d = parse_date(value)
    return f"{d.month}月{d.day}日"


def before(value, days=0) -> str:
    """"2026-12-08" | before(7) → 12月1日."""
    return cn_date(parse_date(value) - dt.timedelta(days=int(days)))


FILTERS = {"wan": wan, "pct": pct, "term": term, "cn_date": cn_date, "before": before}
FUNCTIONS = {"interest_diff": interest_diff}


# ------------------------------------------------------------------ coercion


def coerce(value: object, vtype: str, today: dt.date | None = None) -> object:
    """A `/var` or customer value read as its declared type; raises ValueError when it cannot be.
    A date without a year is read against `today` (see `parse_date`)."""
    if vtype == "money":
        text = str(value).strip().replace(",", "").replace("元", "")
        scale = 10000 if text[-1:] in ("万", "w", "W") else 1
        number = _dec(text.rstrip("万wW")) * scale
        return int(number) if number == number.to_integral_value() else float(number)
    if vtype == "percent":
        return float(_dec(value))
    if vtype == "int":
        number = _dec(str(value).strip().removesuffix("天"))
        if number != number.to_integral_value():
            raise ValueError(value)
        return int(number)
    if vtype == "date":
        return parse_date(value, today).isoformat()
    return value if isinstance(value, str) else str(value)


def coerce_all(variables: dict, specs: dict, today: dt.date | None = None) -> dict:
    """Every value coerced by its spec; empty values dropped (missing); unreadable → BadValue."""
    out = {}
    for key, value in (variables or {}).items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        spec = specs.get(key)
        try:
            out[key] = coerce(value, spec.type, today) if spec else value
        except (ValueError, InvalidOperation, TypeError, OverflowError) as exc:
            out[key] = BadValue(key, value, _reason(spec, value, exc))
    return out


#: What each type accepts, for the message about a value that is not one.
TYPE_HINTS = {"money": "金额，如 200000、20万、200,000元", "percent": "百分数，如 2.6 或 2.6%",
              "int": "整数，如 90 或 90天", "date": DATE_FORMATS}


def _reason(spec, value: object, exc: Exception) -> str:
    """`到期日「13月40日」不是日期。可以写：…`: the field's label, what was typed, what is read."""
    if isinstance(exc, DateError):
        return f"{spec.label}{exc}"
    return f"{spec.label}「{value}」读不懂。应为{TYPE_HINTS.get(spec.type, spec.type)}"


def value_problem(key: str, value: object, specs: dict, today: dt.date | None = None) -> str | None:
    """Why a `/var` value cannot be used (one Chinese sentence naming the field), or None if it can."""
    spec = specs.get(key)
    try:
        if spec and str(value).strip():
            coerce(value, spec.type, today)
    except (ValueError, InvalidOperation, TypeError, OverflowError) as exc:
        return _reason(spec, value, exc)
    return None


# ------------------------------------------------------------------ renderer


def make_env(strict: bool = False) -> SandboxedEnvironment:
    """A sandboxed environment (a branch's playbook cannot run code) with our filters."""
    from assistant.core.playbooks.budget import BudgetedEnvironment, install

    # sandboxed and budgeted: output size, loop iterations, time, `*`/`**`/join/padding bounded
    env = BudgetedEnvironment(undefined=StrictUndefined if strict else Placeholder, autoescape=False)
    install(env)
    env.filters.update({k: _guarded(f, is_filter=True) for k, f in FILTERS.items()})
    env.globals.update({k: _guarded(f) for k, f in FUNCTIONS.items()})
    return env


class Renderer:
    """Renders templates for one library (variable labels and types); compiled templates cached."""

    def __init__(self, library=None, *, strict: bool = False, defaults: dict | None = None,
                 clock: Clock | None = None):
        self.specs = dict(getattr(library, "variables", None) or {})
        #: Tells "today" for dates typed without a year; tests pass a fixed one.
        self.clock: Clock = clock or dt.date.today
        self.labels = {k: s.label for k, s in self.specs.items()}
        self.env = make_env(strict)
        self._compiled: dict[str, Any] = {}
        #: Values used when a render is not given them (e.g. branch from `coach config`); None reads
        #: the user's settings, except when strict (validation renders with the examples only).
        if defaults is None and not strict:
            from assistant.core.config import template_defaults

            defaults = template_defaults()
        in_force = {} if strict else {k: s.default for k, s in self.specs.items() if s.default is not None}
        self.defaults = coerce_all({**in_force, **(defaults or {})}, self.specs, self.today())

    def today(self) -> dt.date:
        return _date_of(self.clock())

    def compile(self, template: str):
        """The compiled template (cached); raises TemplateSyntaxError."""
        compiled = self._compiled.get(template)
        if compiled is None:
            compiled = self._compiled[template] = self.env.from_string(template)
        return compiled

    def undeclared(self, template: str) -> set[str]:
        """Top-level names the template reads (filters and our functions excluded)."""
        return set(meta.find_undeclared_variables(self.env.parse(template))) - set(self.env.globals)

    def render_raw(self, template: str, variables: dict | None = None) -> Rendered:
        """Render, letting Jinja errors through (validation reports them with the YAML line)."""
        token = _STATE.set((self.labels, [], [], self.clock))
        try:
            # No `today` here: a year-less date asks the state's clock, so most renders never read it.
            values = {**self.defaults, **coerce_all(variables or {}, self.specs)}
            from assistant.core.playbooks.budget import budgeted, render_budgeted

            compiled = self.compile(template)  # once per template, bounded by its size: outside the budget
            with budgeted():
                text = render_budgeted(compiled, values)
            _, missing, bad, _ = _STATE.get()
            if not bad:
                return Rendered(text.strip(), tuple(missing))
            problems = tuple(v.reason for k in bad if isinstance(v := values.get(k), BadValue) and v.reason)
            return Rendered(text.strip(), tuple(missing), tuple(bad), problems=problems)
        finally:
            _STATE.reset(token)

    def render(self, template: str, variables: dict | None = None, source: str = "") -> Rendered:
        """Render for staff: never raises; a broken template gives a visible note and `error`."""
        try:
            return self.render_raw(template, variables)
        except TemplateSyntaxError as exc:
            note = f"模板语法错误（{source or '模板'} 第{exc.lineno}行）：{exc.message}"
        except TemplateError as exc:
            note = f"模板出错（{source or '模板'}）：{exc}"
        except Exception as exc:  # a filter or sandbox refusal: still never a traceback for staff
            note = f"模板出错（{source or '模板'}）：{type(exc).__name__}: {exc}"
        return Rendered(f"【话术模板有误，请联系话术维护人：{note}】", error=note)


def variables_for_customer(customer: dict | None, library) -> dict:
    """Template variables filled from a customer record via each VariableSpec.customer_field.

    `library` is a Library or directly its `variables` dict (key → VariableSpec).
    """
    specs = library if isinstance(library, dict) else getattr(library, "variables", None) or {}
    out = {}
    for key, spec in specs.items():
        if spec.customer_field:
            value = lookup(customer or {}, spec.customer_field)
            if value not in (None, ""):
                out[key] = value
    return out


def lookup(record: object, dotted: str) -> object:
    """`products.0.rate` → record["products"][0]["rate"]; None when any step is missing."""
    node = record
    for part in dotted.split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, (list, tuple)) and part.lstrip("-").isdigit():
            i = int(part)
            node = node[i] if -len(node) <= i < len(node) else None
        else:
            return None
        if node is None:
            return None
    return node
