"""Pass 1 of validation: pydantic errors → `Problem`s at the YAML line of the offending key/item.

Messages are for content authors, in Chinese, with a "did you mean" for unknown keys and codes.
"""

from __future__ import annotations

import difflib
import re
import types
import typing

from pydantic import BaseModel, ValidationError

from assistant.core.playbooks.problems import Problem
from assistant.core.playbooks.yamlsrc import Loc, Source

_TYPE_WORDS = {
    "string_type": "应为文本",
    "list_type": "应为列表（- 开头的多行）",
    "dict_type": "应为映射（key: value）",
    "model_type": "应为映射（key: value）",
    "model_attributes_type": "应为映射（key: value）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
}


def did_you_mean(word: object, choices, cutoff: float = 0.6) -> str:
    """`（是不是 `x`？）` when a close spelling exists, else an empty string."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=cutoff)
    return f"（是不是 `{close[0]}`？）" if close else ""


def loc_text(loc: Loc) -> str:
    """("cards", 2, "next_step") → `cards[2].next_step`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def shape_problems(model: type[BaseModel], src: Source, path: str) -> tuple[BaseModel | None, list[Problem]]:
    """Validate `src.data` against `model`: the instance, or None and one problem per bad place."""
    try:
        return model.model_validate(src.data), []
    except ValidationError as exc:
        return None, errors_to_problems(exc, model, src, path)


def errors_to_problems(exc: ValidationError, model: type[BaseModel], src: Source, path: str) -> list[Problem]:
    """One problem per place; a union's per-branch type errors are merged into one message."""
    groups: dict[Loc, list[dict]] = {}
    for err in exc.errors(include_url=False):
        groups.setdefault(_data_loc(src.data, err["loc"], err["type"] == "missing"), []).append(err)
    problems = []
    for loc, errs in groups.items():
        line = src.line_of(loc[:-1] if errs[0]["type"] == "missing" else loc)
        problems.append(Problem(path, line, "error", _message(errs, loc, model)))
    return problems


def _data_loc(data, loc: tuple, missing: bool) -> Loc:
    """Keep the part of pydantic's loc that exists in the data (drop union/type tags)."""
    out: list = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif missing and i == len(loc) - 1 and isinstance(node, dict):
            pass
        else:
            break
        out.append(part)
    return tuple(out)


def _message(errs: list[dict], loc: Loc, model: type[BaseModel]) -> str:
    err = errs[0]
    kind = err["type"]
    name = loc[-1] if loc else ""
    where = loc_text(loc)
    if kind == "missing":
        parent = loc_text(loc[:-1])
        return f"{'`' + parent + '` ' if parent else ''}缺少必填字段 `{name}`"
    if kind == "extra_forbidden":
        allowed = fields_at(model, loc[:-1])
        return f"未知字段 `{name}`{did_you_mean(name, allowed)}" + ("" if allowed is None else "；可用字段：" + "、".join(allowed))
    value = err.get("input")
    if kind == "literal_error":
        options = _options(str(err.get("ctx", {}).get("expected", "")))
        return f"`{where}` 的值 `{value}` 无效{did_you_mean(value, options)}；可选：{'、'.join(options)}"
    if kind == "string_pattern_mismatch":
        return f"`{where}` 的值 `{value}` 不是 kebab-case 编号（只用小写字母、数字和连字符，如 rate-low-other-bank）"
    if kind == "too_short":
        need = err.get("ctx", {}).get("min_length", 1)
        return f"`{where}` 至少需要 {need} 项"
    if kind in _TYPE_WORDS:
        words = list(dict.fromkeys(_TYPE_WORDS[e["type"]].removeprefix("应为") for e in errs if e["type"] in _TYPE_WORDS))
        wanted = "、".join(words[:-1]) + "或" + words[-1] if len(words) > 1 else words[0]
        return f"`{where}` 类型不对：应为{wanted}（现在是 {_type_name(value)}）"
    return f"`{where}`：{err['msg']}"


def _options(expected: str) -> list[str]:
    """pydantic's "'care', 'probe' or 'close'" (or a bare "1") → ["care", "probe", "close"]."""
    return [q or bare for q, bare in re.findall(r"'([^']*)'|([^\s,']+)", expected) if (q or bare) != "or"]


def _type_name(value) -> str:
    return {dict: "映射", list: "列表", str: "文本", int: "整数", float: "数字", bool: "布尔值", type(None): "空值"}.get(
        type(value), type(value).__name__
    )


def fields_at(model: type[BaseModel], loc: Loc) -> list[str] | None:
    """The field names allowed at `loc` inside `model`, or None when that place is not a model."""
    tp: object = model
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            info = tp.model_fields.get(part) if isinstance(part, str) else None
            if info is None:
                return None
            tp = info.annotation
        else:
            args = typing.get_args(tp)
            tp = args[-1] if args else None
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return None


def _unwrap(tp):
    """Optional[X] → X."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        return models[0] if models else (args[0] if len(args) == 1 else tp)
    if origin is typing.Annotated:
        return typing.get_args(tp)[0]
    return tp
