"""Pass 3 of validation: every template in the library is linted, rendered and compliance-checked.

Templates are rendered with their declared examples under StrictUndefined; compliance runs over
what staff say (responses, follow-ups, messages, model replies), never over customer lines or
triggers (customers may well say 保本).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from assistant.core.playbooks.library import Library, PlaybookRef
from assistant.core.playbooks.problems import Problem
from assistant.core.playbooks.shape import did_you_mean, loc_text

#: Braces typed with a Chinese IME: Jinja ignores them and the text shows them literally.
FULLWIDTH_BRACES = re.compile(r"[{｛]｛|｝[}｝]|｛%|%｝|{｛|｝}")
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
#: Card fields staff read (the UI may render them) but never say as is: no compliance check.
CARD_NOTES = ("summary", "goal", "move_on", "fall_back")


def normalize(text: str) -> str:
    """NFKC, lowercase, punctuation and spaces removed: how two triggers are compared."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text).lower())


def live_cards(lib: Library, ref: PlaybookRef) -> Iterator[tuple[int, object]]:
    """(index, card) of the file's cards that are in effect (not overridden by a branch card)."""
    for i, card in enumerate(getattr(ref.model, "cards", ())):
        live = lib.cards.get(card.id)
        if live is not None and live.file_id == ref.id:
            yield i, card


def templates_of(lib: Library, ref: PlaybookRef, live_only: bool = True) -> Iterator[tuple[tuple, str, bool]]:
    """(location, template, said by staff) for every Jinja text in one file."""
    m = ref.model
    cards = live_cards(lib, ref) if live_only else enumerate(getattr(m, "cards", ()))
    for i, card in cards:
        for k, resp in enumerate(card.responses):
            yield ("cards", i, "responses", k, "text"), resp.text, True
        if card.follow_up:
            yield ("cards", i, "follow_up"), card.follow_up, True
        for name in CARD_NOTES:
            if getattr(card, name):
                yield ("cards", i, name), getattr(card, name), False
    for name in ("assist_steps", "rules"):
        for i, item in enumerate(getattr(m, name, None) or ()):
            if getattr(item, "message", None):
                yield (name, i, "message"), item.message, True
    if ref.kind == "scenario":
        yield from _scenario_templates(m)


def _scenario_templates(m) -> Iterator[tuple[tuple, str, bool]]:
    for i, node in enumerate(m.nodes):
        if node.model_reply:
            yield ("nodes", i, "model_reply"), node.model_reply, True
        for field in ("customer", "poor"):
            for j, line in enumerate(getattr(node, field)):
                yield ("nodes", i, field, j), line, False
        for j, line in enumerate(node.customer_lines):  # rendered like `customer` (sim._voice)
            yield ("nodes", i, "customer_lines", j, "text"), line.text, False
    for j, line in enumerate(m.hangup):
        yield ("hangup", j), line, False


def _strings(data, loc=()) -> Iterator[tuple[tuple, str]]:
    """Every string in the raw YAML data with its location."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


def template_problems(lib: Library) -> list[Problem]:
    from assistant.core.playbooks.render import Renderer

    renderer = Renderer(lib, strict=True)
    global_vars = {k for f in lib.files_of("variables") for k in f.model.variables}
    problems = []
    for ref in lib.files.values():
        problems += _fullwidth(ref)
        problems += _stray_jinja(lib, ref)
        declared, examples = _declared(lib, ref, global_vars)
        for loc, text, staff in templates_of(lib, ref):
            problems += _check_template(lib, renderer, ref, loc, text, staff, declared, examples)
    return problems


def _fullwidth(ref: PlaybookRef) -> list[Problem]:
    problems = []
    for loc, text in _strings(ref.source.data):
        for m in FULLWIDTH_BRACES.finditer(text):
            line = ref.source.text_line(loc, text.count("\n", 0, m.start()) + 1)
            problems.append(Problem(ref.path, line, "error", f"全角花括号「{m.group(0)}」不会被当成模板：改成半角 {{{{ }}}} 或 {{% %}}"))
    return problems


def _stray_jinja(lib: Library, ref: PlaybookRef) -> list[Problem]:
    """Jinja in a field that is never rendered would reach staff as raw `{{ name }}`."""
    rendered = {loc for loc, _, _ in templates_of(lib, ref, live_only=False)}
    return [
        Problem(ref.path, ref.source.line_of(loc), "warning", f"`{loc_text(loc)}` 不按模板渲染：{{{{ }}}} 会原样显示")
        for loc, text in _strings(ref.source.data)
        if loc not in rendered and ("{{" in text or "{%" in text)
    ]


def _declared(lib: Library, ref: PlaybookRef, global_vars: set[str]) -> tuple[set[str], dict]:
    """Names a file's templates may use, and example values to render them with."""
    local = lib.file_variables.get(ref.id, {})
    declared = set(global_vars) | set(local)
    examples = {k: lib.variables[k].example for k in global_vars if k in lib.variables}
    examples.update({k: spec.example for k, spec in local.items()})
    for persona in getattr(ref.model, "personas", ()) if ref.kind == "scenario" else ():
        declared |= set(persona.variables)
        examples.update(persona.variables)
    return declared, examples


def _check_template(lib, renderer, ref, loc, text, staff, declared, examples) -> list[Problem]:
    from jinja2 import TemplateError, TemplateSyntaxError

    from assistant.core.compliance import check

    def problem(message: str, line: int | None = None, severity: str = "error") -> Problem:
        return Problem(ref.path, line or ref.source.text_line(loc), severity, message)

    try:
        unknown = sorted(renderer.undeclared(text) - declared)
    except TemplateSyntaxError as exc:
        return [problem(f"模板语法错误：{syntax_hint(exc.message or '')}", ref.source.text_line(loc, exc.lineno or 1))]
    if unknown:
        return [
            problem(
                f"模板变量 `{name}` 未声明{did_you_mean(name, declared)}：在 variables.yaml 或本文件的 variables: 里声明（label、example）",
                _name_line(ref, loc, text, name),
            )
            for name in unknown
        ]
    try:
        rendered = renderer.render_raw(text, examples).text
    except TemplateError as exc:
        return [problem(f"用示例值渲染失败：{exc}")]
    except Exception as exc:  # a sandbox refusal or a bad filter argument
        return [problem(f"用示例值渲染失败：{type(exc).__name__}: {exc}")]
    if not staff:
        return []
    return [
        problem(f"合规「{f.title}」：「{f.quote}」{f.message.rstrip('。')}；可改为：{f.safer}", _quote_line(ref, loc, text, f.quote), f.severity)
        for f in check(rendered, lib)
    ]


def syntax_hint(message: str) -> str:
    """Jinja's English syntax message, with what a branch author should do about it in Chinese."""
    unknown = re.match(r"No (filter|test) named '([^']+)'", message)
    if unknown:
        return f"没有名为 `{unknown.group(2)}` 的过滤器：只能用 playbooks/FORMAT.md「模板变量和过滤器」表里的（如 wan、pct）（{message}）"
    tag = re.match(r"Encountered unknown tag '([^']+)'", message)
    if tag:
        return f"不认识的标签 `{{% {tag.group(1)} %}}`：看看是不是 if / endif / for / endfor 拼错了（{message}）"
    return f"{{{{ 变量 }}}} 和 {{% if … %}}…{{% endif %}} 要成对、写全，括号用半角（{message}）"


def _name_line(ref: PlaybookRef, loc: tuple, text: str, name: str) -> int:
    """The YAML line where a variable name is first used in the template."""
    m = re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", text)
    return ref.source.text_line(loc, text.count("\n", 0, m.start()) + 1 if m else 1)


def _quote_line(ref: PlaybookRef, loc: tuple, text: str, quote: str) -> int:
    """The YAML line where the flagged words sit in the template (first line if not literal)."""
    at = text.find(quote)
    return ref.source.text_line(loc, text.count("\n", 0, at) + 1 if at >= 0 else 1)
