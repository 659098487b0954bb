"""Read one YAML file (1.2, ruamel) into plain Python data plus the line of every key and item.

Pydantic validates the plain data; the line map turns its error locations back into `file:line`.
Duplicate keys and syntax errors become `YamlError` with the line they were found at.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

Loc = tuple  # a path into the data: ("cards", 0, "triggers", 2)

#: Largest playbook file read (the biggest shipped one is ~100 KB); bigger is refused unread.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Most nodes a file may stand for once its aliases are expanded ("billion laughs" stops here).
MAX_NODES = 200_000


class YamlError(Exception):
    """The file is not readable YAML; `line` is 1-based, `message` is for content authors."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Source:
    """A parsed file: plain data and, for every key/item, the 1-based line it starts on."""

    data: object
    #: loc → line of the key (mapping entries) or of the item (sequence entries).
    lines: dict[Loc, int] = field(default_factory=dict)
    #: loc → (0-based line of the value, is a block scalar `|` / `>`), for template line numbers.
    values: dict[Loc, tuple[int, bool]] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int:
        """The line of `loc`, or of its nearest ancestor that has one (missing keys, union branches)."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return 1

    def text_line(self, loc: Loc, template_line: int = 1) -> int:
        """The YAML line holding line `template_line` of the text at `loc`."""
        if loc not in self.values:
            return self.line_of(loc)
        start, block = self.values[loc]
        return start + 1 + (template_line if block else template_line - 1)


def read_yaml(path: Path) -> Source:
    """Parse `path`; raise YamlError on unreadable files, syntax errors and duplicate keys."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlError(1, f"文件太大（{size // 1024} KB，最多 {MAX_FILE_BYTES // 1024} KB）；话术文件请拆小")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(1, f"文件不是 UTF-8 编码：{exc.reason}") from None
    except OSError as exc:
        raise YamlError(0, f"无法读取文件：{exc.strerror}") from None
    return parse_yaml(text)


def parse_yaml(text: str) -> Source:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        _check_expansion(yaml, text)
        raw = yaml.load(text)
    except DuplicateKeyError as exc:
        key = re.search(r'duplicate key "([^"]*)"', str(exc.problem))
        first = exc.context_mark.line + 1 if exc.context_mark else 0
        name = key.group(1) if key else "?"
        raise YamlError(_line(exc.problem_mark), f"重复的键 `{name}`（映射从第 {first} 行开始）；删掉或合并其中一个") from None
    except MarkedYAMLError as exc:
        where = f"（{exc.context}）" if exc.context else ""
        raise YamlError(_line(exc.problem_mark), f"YAML 语法错误：{_hint(exc.problem)}{exc.problem}{where}") from None
    except YAMLError as exc:
        raise YamlError(1, f"YAML 错误：{exc}") from None
    src = Source(None)
    src.data = _plain(raw, (), src)
    return src


#: The parser's usual complaints, said the way a branch's playbook editor can act on (the
#: parser's own words stay after it, for searching).
_HINTS = (
    ("mapping values are not allowed", "缩进不对，或值里有冒号（值里有「: 」时整句加引号）——"),
    ("could not find expected ':'", "少了「键: 值」的冒号，或上一行的引号没有闭合——"),
    ("cannot start any token", "这里不能用 Tab 或这个符号开头（缩进只用空格；以 @ ` % 开头的值加引号）——"),
    ("expected <block end>", "缩进没有对齐（同一层的键要对齐）——"),
    ("found unexpected end of stream", "引号或括号没有闭合——"),
    ("expected ',' or ']'", "方括号列表没写完（少了「,」或「]」）——"),
    ("expected ',' or '}'", "花括号没写完（少了「,」或「}」）——"),
)


def _hint(problem: str | None) -> str:
    return next((hint for words, hint in _HINTS if words in (problem or "")), "")


def _check_expansion(yaml, text: str) -> None:
    """Count the nodes the document stands for, aliases expanded, from parser events — before
    anything is composed, so an alias bomb costs what its text costs."""
    from ruamel.yaml.events import (
        AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent,
    )

    if len(text) > MAX_FILE_BYTES:
        raise YamlError(1, f"文件太大（{len(text) // 1024} K 字，最多 {MAX_FILE_BYTES // 1024} K）；话术文件请拆小")
    sizes: dict[str, int] = {}
    stack: list[list] = [[0, None]]
    for event in yaml.parse(text):
        if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            stack.append([1, event.anchor])
            continue
        if isinstance(event, ScalarEvent):
            count, anchor = 1, event.anchor
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            count, anchor = stack.pop()
        elif isinstance(event, AliasEvent):
            count, anchor = sizes.get(event.anchor, 1), None
        else:
            continue
        if anchor:
            sizes[anchor] = count
        stack[-1][0] += count
        if stack[-1][0] > MAX_NODES or count > MAX_NODES:
            raise YamlError(_line(event.start_mark),
                            f"引用（&锚点 / *别名）展开后超过 {MAX_NODES} 个节点；话术文件不要用层层嵌套的别名")


def _line(mark) -> int:
    return mark.line + 1 if mark is not None else 1


def _plain(node, loc: Loc, src: Source):
    """Convert ruamel's round-trip nodes to plain dict/list/str/int/float, recording lines."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            k = _scalar(key)
            child = (*loc, k)
            try:
                src.lines[child] = node.lc.key(key)[0] + 1
                src.values[child] = (node.lc.value(key)[0], _is_block(value))
            except (KeyError, TypeError, AttributeError):
                src.lines[child] = src.lines.get(loc, 1)
            out[k] = _plain(value, child, src)
        return out
    if isinstance(node, CommentedSeq):
        out = []
        for i, value in enumerate(node):
            child = (*loc, i)
            try:
                line0 = node.lc.item(i)[0]
                src.lines[child] = line0 + 1
                src.values[child] = (line0, _is_block(value))
            except (KeyError, TypeError, AttributeError, IndexError):
                src.lines[child] = src.lines.get(loc, 1)
            out.append(_plain(value, child, src))
        return out
    return _scalar(node)


def _is_block(value) -> bool:
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, (LiteralScalarString, FoldedScalarString))


def _scalar(value):
    """Plain Python scalars; dates become ISO strings (templates and /var treat them as text)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
