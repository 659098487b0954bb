"""A render budget for playbook templates: the sandbox stops attribute escapes but not resource use.

A branch's playbook folder is not trusted code. Without limits `{{ 'x' * 10**9 }}` allocates
gigabytes, nested `range(100000)` loops run for a minute and `join` prints hundreds of MB. Every
render gets a budget (output characters, loop iterations through `range`, CPU time) and the
environment refuses, before allocating, a `*`, `**`, `join` or padding whose result would not fit.
Over budget: `RenderBudgetError`, a TemplateError with a message for the playbook's author.
"""

from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager
from typing import Any, Iterator

from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

#: Longest text one render may produce (a script is a few hundred characters).
MAX_OUTPUT = 20_000
#: Loop iterations through range() in one render, nested loops counted together.
MAX_ITERATIONS = 10_000
#: CPU time one render may take, counted on the rendering thread only (`time.thread_time`): wall
#: time made the same render fail on a loaded machine or while another thread worked, so a
#: rehearsal with one seed could play two ways.
MAX_SECONDS = 1.0
#: Largest integer a `**` may produce, in bits (10**300 fits; 9**9**9 does not).
MAX_POW_BITS = 1024
#: String methods whose integer argument is a result length.
_PADDING = {"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map"}


class RenderBudgetError(TemplateError):
    """A template went over its render budget; the message says which limit and what to do."""


class _Budget:
    def __init__(self) -> None:
        self.deadline = time.thread_time() + MAX_SECONDS
        self.iterations = MAX_ITERATIONS

    def tick(self, n: int = 1) -> None:
        self.iterations -= n
        if self.iterations < 0:
            raise RenderBudgetError(f"模板循环超过 {MAX_ITERATIONS} 次，已停止；请减少 range() 的次数或嵌套")
        if time.thread_time() > self.deadline:
            raise RenderBudgetError(f"模板运行超过 {MAX_SECONDS:g} 秒，已停止；请简化模板")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("render_budget", default=None)


def _budget() -> _Budget:
    budget = _BUDGET.get()
    if budget is None:  # a template rendered outside `budgeted` (e.g. jinja2 API directly) still has one
        budget = _Budget()
        _BUDGET.set(budget)
    return budget


@contextmanager
def budgeted() -> Iterator[None]:
    """A fresh budget for one render."""
    token = _BUDGET.set(_Budget())
    try:
        yield
    finally:
        _BUDGET.reset(token)


def too_long(size: int, what: str) -> RenderBudgetError:
    return RenderBudgetError(f"模板{what}会有 {size} 个字，超过上限 {MAX_OUTPUT}；请检查乘法、join 或填充")


def budget_range(*args: int) -> Iterator[int]:
    """range() whose every step is counted against the render's iterations and time."""
    rng = range(*args)
    if len(rng) > MAX_ITERATIONS:
        raise RenderBudgetError(f"range() 有 {len(rng)} 次，超过上限 {MAX_ITERATIONS}；请减少次数")
    budget = _budget()
    for i in rng:
        budget.tick()
        yield i


def budget_join(env, value: Any, d: str = "", attribute: Any = None) -> str:
    """Jinja's join, refusing a result longer than the budget before building it."""
    from jinja2.filters import sync_do_join

    items = list(value)
    _budget().tick(len(items) // 100)
    size = sum(len(str(x)) for x in items) + len(str(d)) * max(0, len(items) - 1)
    if size > MAX_OUTPUT:
        raise too_long(size, " join 的结果")
    return sync_do_join(env, items, d, attribute)


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None


class BudgetedEnvironment(SandboxedEnvironment):
    """SandboxedEnvironment that also bounds `*`, `**`, string padding and every call's time."""

    intercepted_binops = frozenset(["*", "**", "+"])

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        _budget().tick(0)
        if operator == "+" and _length(left) is not None and _length(right) is not None:
            if _length(left) + _length(right) > MAX_OUTPUT:
                raise too_long(_length(left) + _length(right), "里的加法结果")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                n = _length(seq)
                if n is not None and isinstance(times, int) and n * max(times, 0) > MAX_OUTPUT:
                    raise too_long(n * times, "里的乘法结果")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            if abs(left) > 1 and right * max(abs(left).bit_length(), 1) > MAX_POW_BITS:
                raise RenderBudgetError(f"模板里的乘方 {left}**{right} 太大；请写成具体的数")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - jinja's signature
        _budget().tick(0)
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        name = getattr(target, "__name__", "")
        if isinstance(getattr(target, "__self__", None), str) and name in _PADDING:
            sizes = [a for a in (*args, *kwargs.values()) if isinstance(a, int)]
            if name.startswith("format"):
                sizes.append(_wide_format(target.__self__))
            if max(sizes, default=0) > MAX_OUTPUT:
                raise too_long(max(sizes), "里的填充")
        return super().call(__context, __obj, *args, **kwargs)


def _wide_format(fmt: str) -> int:
    """The widest field a format string asks for ({:>1000000000} → 1000000000), 0 for none."""
    import re

    return max((int(w) for w in re.findall(r"\{[^{}]*?:[^{}]*?(\d+)[^{}]*\}", fmt)), default=0)


def render_budgeted(template, values: dict) -> str:
    """Render through generate(), stopping once the output passes the budget."""
    out, size = [], 0
    budget = _budget()
    for chunk in template.generate(values):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise too_long(size, "输出")
        budget.tick(0)
        out.append(chunk)
    return "".join(out)


def install(env: SandboxedEnvironment) -> None:
    """Budgeted range, join and padding filters in `env`."""
    from jinja2.filters import do_center, do_indent

    env.globals["range"] = budget_range
    env.globals["namespace"] = BudgetedNamespace
    env.filters["join"] = _pass_env(budget_join)

    def center(value: Any, width: int = 80) -> str:
        if isinstance(width, int) and width > MAX_OUTPUT:
            raise too_long(width, "里的填充")
        return do_center(value, width)

    def indent(s: str, width: Any = 4, first: bool = False, blank: bool = False) -> str:
        if isinstance(width, int) and width * (str(s).count("\n") + 1) > MAX_OUTPUT:
            raise too_long(width, "里的缩进")
        if isinstance(width, str) and len(width) * (str(s).count("\n") + 1) > MAX_OUTPUT:
            raise too_long(len(width), "里的缩进")
        return do_indent(s, width, first, blank)

    env.filters["center"] = center
    env.filters["indent"] = indent


def _namespace_class():
    from jinja2.utils import Namespace

    class BudgetedNamespace(Namespace):
        """namespace() whose values must fit the budget (`{% set ns.s = ns.s ~ ns.s %}` doubles)."""

        def __setitem__(self, name: str, value: Any) -> None:
            _budget().tick(0)
            if isinstance(value, str) and len(value) > MAX_OUTPUT:
                raise too_long(len(value), "里的变量")
            super().__setitem__(name, value)

    return BudgetedNamespace


BudgetedNamespace = _namespace_class()


def _pass_env(fn):
    from jinja2.utils import pass_environment

    return pass_environment(fn)
