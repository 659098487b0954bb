"""`coach validate`: every problem in a playbook library, as `path:line: severity: message`.

Pass 1 (shape: YAML, kind/folder, pydantic) happens while loading. Pass 2 checks references
between files (codes, ids, scenario graphs, triggers two cards share). Pass 3 lints and renders
every template with its declared examples and runs the compliance rules over staff-facing text
(see `assistant.core.playbooks.templates_lint`).
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import Iterator, Sequence

from assistant.core.playbooks.library import Library, PlaybookRef
from assistant.core.playbooks.problems import Problem, display_path, sort_problems
from assistant.core.playbooks.shape import did_you_mean

#: Two normalized triggers this similar (rapidfuzz ratio) on cards of different topics are confusable.
CONFUSABLE_RATIO = 92


def validate(dirs: Sequence[str | os.PathLike] | None = None) -> list[Problem]:
    """Every problem of the library in `dirs` (default: built-in + branch folders), sorted."""
    return check_library(_load(dirs))


def validate_dirs(dirs: Sequence[str | os.PathLike]) -> tuple[list[Problem], int]:
    """Problems in the given folders and how many files they hold.

    A branch folder has no taxonomy of its own: it is checked on top of the built-in library,
    and only problems inside the given folders are reported.
    """
    from assistant.paths import BUILTIN_PLAYBOOKS

    roots = [Path(d).expanduser().resolve() for d in dirs]
    base = [] if any((r / "taxonomy.yaml").is_file() for r in roots) else [BUILTIN_PLAYBOOKS.resolve()]
    lib = _load([*base, *roots])
    problems = check_library(lib)
    if base:
        problems = [p for p in problems if any(_inside(p.path, r) for r in roots)]
        return problems, sum(1 for _ in _yaml_files(roots))
    return problems, lib.n_files


def _inside(path: str, root: Path) -> bool:
    return Path(path).is_relative_to(root)


def _load(dirs) -> Library:
    from assistant.core.playbooks.loader import load_library

    return load_library(dirs, use_cache=False)


def _yaml_files(roots) -> Iterator[Path]:
    from assistant.core.playbooks.loader import list_files

    return (p for _, _, p in list_files(roots))


def check_library(lib: Library) -> list[Problem]:
    """Load problems plus cross-reference and template problems, sorted by path and line."""
    from assistant.core.playbooks.concept_checks import concept_problems
    from assistant.core.playbooks.templates_lint import template_problems

    problems = list(lib.problems)
    for ref in lib.files.values():
        problems += file_refs(lib, ref)
    problems += duplicate_rule_ids(lib)
    problems += trigger_problems(lib)
    problems += concept_problems(lib)
    problems += template_problems(lib)
    problems += suitability_problems(lib)
    return sort_problems(problems)


def suitability_problems(lib: Library) -> list[Problem]:
    """No product but deposits is named before a 风险测评 key point (compliance/suitability.py)."""
    from assistant.core.compliance.suitability import card_gaps, scenario_gaps

    return [Problem(ref.path, ref.line_of(*loc), "error", message)
            for ref, loc, message in (*card_gaps(lib), *scenario_gaps(lib))]


# ------------------------------------------------------------------ pass 2: references


class _Out:
    """Collects problems for one file, turning a data location into its line."""

    def __init__(self, ref: PlaybookRef):
        self.ref, self.items = ref, []

    def add(self, loc: tuple, message: str, severity: str = "error") -> None:
        self.items.append(Problem(self.ref.path, self.ref.source.line_of(loc), severity, message))

    def code(self, loc: tuple, value, known, what: str) -> None:
        """An unknown taxonomy code or id, with the nearest known one."""
        if value is not None and value not in known:
            self.add(loc, f"未知的{what} `{value}`{did_you_mean(value, known)}")


def file_refs(lib: Library, ref: PlaybookRef) -> list[Problem]:
    out = _Out(ref)
    m = ref.model
    topics = lib.taxonomy.topics if lib.taxonomy else {}
    segments = lib.taxonomy.segments if lib.taxonomy else {}
    for i, card in enumerate(getattr(m, "cards", ())):
        _card_refs(out, i, card, topics, segments)
    if ref.kind == "segment":
        out.code(("segment",), m.segment, segments, "客群代码")
    if ref.kind == "scenario":
        _scenario_refs(out, lib, m, topics, segments)
    if ref.kind in ("group_fix", "followup"):
        for i, rule in enumerate(m.rules):
            out.code(("rules", i, "card"), rule.card, lib.cards, "卡片")
            out.code(("rules", i, "scenario"), rule.scenario, lib.scenarios, "演练场景")
            if ref.kind == "group_fix":
                _group_rule_refs(out, i, rule)
    if ref.kind == "compliance":
        from assistant.core.compliance.rules import library_macros

        _regex_refs(out, m, library_macros(lib))
    return out.items


#: Group event types the group doctor sees (docs/DESIGN.md `group_event.type`).
GROUP_EVENTS = ("post", "product_question", "members_moved", "deal")


def _group_rule_refs(out: _Out, i: int, rule) -> None:
    """The values the group doctor compares against real groups must be ones groups can have."""
    from assistant.core.groups import DATE_FIELDS, ROLES, SUBROLES, TIERS

    allowed = {"tier": TIERS, "role": ROLES, "subrole": SUBROLES}
    for key, value in rule.applies_to.items():
        if key not in allowed:
            out.add(("rules", i, "applies_to", key), f"applies_to 不认识 `{key}`{did_you_mean(key, allowed)}；可用：tier、role、subrole")
        else:
            label = {"tier": "群层级", "role": "群类型", "subrole": "主管群细分"}[key]
            out.code(("rules", i, "applies_to", key), value, allowed[key], label)
    if rule.check in ("members_over", "members_under", "days_since") and rule.threshold is None:
        out.add(("rules", i, "check"), f"规则 `{rule.id}` 的 check `{rule.check}` 需要 threshold")
    if rule.check == "days_since":
        out.code(("rules", i, "field"), rule.field, DATE_FIELDS, "日期字段")
    if rule.check == "event_seen":
        if rule.event is None:
            out.add(("rules", i, "check"), f"规则 `{rule.id}` 的 check `event_seen` 需要 event（{'、'.join(GROUP_EVENTS)}）")
        out.code(("rules", i, "event"), rule.event, GROUP_EVENTS, "群事件类型")


def _card_refs(out: _Out, i: int, card, topics, segments) -> None:
    out.code(("cards", i, "topic"), card.topic, topics, "话题代码")
    if card.triggers and not card.topic:
        out.add(("cards", i), f"卡片 `{card.id}` 有 triggers，必须写 topic（taxonomy.yaml 里的话题代码）")
    for j, seg in enumerate(card.segments):
        out.code(("cards", i, "segments", j), seg, segments, "客群代码")
    for k, resp in enumerate(card.responses):
        for j, seg in enumerate(resp.segments):
            out.code(("cards", i, "responses", k, "segments", j), seg, segments, "客群代码")
    _heard_refs(out, ("cards", i), card.customer_lines, {kp.id for kp in card.key_points})


def _scenario_refs(out: _Out, lib: Library, m, topics, segments) -> None:
    for i, persona in enumerate(m.personas):
        out.code(("personas", i, "segment"), persona.segment, segments, "客群代码")
        for j, topic in enumerate(persona.objections):
            out.code(("personas", i, "objections", j), topic, topics, "话题代码")
    nodes: dict[str, int] = {}
    for i, node in enumerate(m.nodes):
        if node.id in nodes:
            out.add(("nodes", i, "id"), f"节点 id `{node.id}` 重复（第一个在 nodes[{nodes[node.id]}]）")
        nodes.setdefault(node.id, i)
    out.code(("start",), m.start, nodes, "节点")
    for i, node in enumerate(m.nodes):
        out.code(("nodes", i, "next"), node.next, nodes, "节点")
        out.code(("nodes", i, "card"), node.card, lib.cards, "卡片")
        for j, topic in enumerate(node.objections):
            out.code(("nodes", i, "objections", j), topic, topics, "话题代码")
        if node.next is None and node.end is None:
            out.add(("nodes", i), f"节点 `{node.id}` 既没有 next 也没有 end：演练会停在这里", "warning")
        if not node.key_points and not node.card and node.end is None:
            out.add(("nodes", i), f"节点 `{node.id}` 没有 key_points 也没有 card：无法给回复打分", "warning")
    for i, node in enumerate(m.nodes):
        _heard_refs(out, ("nodes", i), node.customer_lines, _heard_points(lib, m, node))
    reached = _reachable(m, m.start) if m.start in nodes else set()
    for i, node in enumerate(m.nodes):
        if node.id not in reached and m.start in nodes:
            out.add(("nodes", i, "id"), f"节点 `{node.id}` 从 start 出发走不到", "warning")


def _heard_refs(out: _Out, loc: tuple, lines, known: set[str]) -> None:
    for j, line in enumerate(lines):
        for k, point in enumerate(line.heard):
            out.code((*loc, "customer_lines", j, "heard", k), point, known, "要点 id（heard 要写它回应的那句回复的要点）")


def _heard_points(lib: Library, m, node) -> set[str]:
    """Key point ids a node's `heard` line may name: the node's own (a reaction to the reply at it)
    and those of the nodes whose `next` it is (its opening line answers their reply); a node no
    `next` leads to (the start, a closing node a decided customer jumps to) may answer any node."""
    def points(n) -> set[str]:
        card = lib.cards.get(n.card) if n.card else None
        return {kp.id for kp in (n.key_points or (card.card.key_points if card else []))}

    before = [n for n in m.nodes if n.next == node.id] or list(m.nodes)
    return points(node).union(*(points(n) for n in before))


def _reachable(m, start: str) -> set[str]:
    """Nodes a rehearsal can reach: along `next`, and by the closing jump a call takes when the
    customer has decided (see ScenarioFile.closing_after)."""
    edges = {n.id: n.next for n in m.nodes}
    seen: set[str] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        if node in seen or node not in edges:
            continue
        seen.add(node)
        todo += [t for t in (edges[node], m.closing_after(node)) if t is not None]
    return seen


def _regex_refs(out: _Out, m, macros: dict[str, str]) -> None:
    """Every pattern of a compliance file compiles once its `<MACRO>`s are expanded."""
    from assistant.core.compliance import regex_error, unknown_macros

    for name, piece in m.macros.items():
        if (err := regex_error(piece, macros)) is not None:
            out.add(("macros", name), f"宏 `{name}` 的正则表达式有误：{err}")
    groups = [("forbidden", r, ("patterns", "unless", "nearby", "unless_nearby")) for r in m.forbidden]
    groups += [("disclosures", r, ("when",)) for r in m.disclosures]
    index = defaultdict(int)
    for section, rule, fields in groups:
        i = index[section]
        index[section] += 1
        for f in fields:
            for j, pattern in enumerate(getattr(rule, f)):
                if missing := unknown_macros(pattern, macros):
                    out.add((section, i, f, j), f"没有名为 `<{missing[0]}>` 的宏：在合规文件的 macros: 里声明，或改用正则")
                elif (err := regex_error(pattern, macros)) is not None:
                    out.add((section, i, f, j), f"正则表达式有误：{err}")


def duplicate_rule_ids(lib: Library) -> list[Problem]:
    """Rules (compliance, follow-up, group) merge by id: the same id twice in one folder is a mistake."""
    seen: dict[tuple, tuple[PlaybookRef, int]] = {}
    problems = []
    for ref in lib.files.values():
        for section in ("forbidden", "disclosures", "rules", "personas"):
            for i, item in enumerate(getattr(ref.model, section, None) or ()):
                key = (ref.kind, section, ref.dir_index, item.id) if section != "personas" else (ref.id, item.id)
                if key in seen:
                    first, j = seen[key]
                    where = f"{display_path(first.path)}:{first.line_of(section, j, 'id')}"
                    problems.append(Problem(ref.path, ref.line_of(section, i, "id"), "error", f"id `{item.id}` 重复：{where} 已使用"))
                else:
                    seen[key] = (ref, i)
    return problems


#: What FORMAT.md asks of an objection card (a customer says it many ways; 认同 → 解释 → 方案 → 确认).
MIN_OBJECTION_TRIGGERS = 8
MIN_OBJECTION_RESPONSES = 3


def coverage_problems(lib: Library) -> list[Problem]:
    """Thin objection cards, and taxonomy topics no card can be matched to (warnings).

    A content-completeness check for the shipped library (tests/playbooks/test_contract.py),
    not part of `coach validate`: a small branch folder need not cover every topic.
    """
    problems = []
    for ref in lib.files_of("objection"):
        out = _Out(ref)
        for i, card in enumerate(ref.model.cards):
            if card.triggers and len(card.triggers) < MIN_OBJECTION_TRIGGERS:
                out.add(("cards", i, "triggers"), f"异议卡片 `{card.id}` 只有 {len(card.triggers)} 条 triggers，至少写 {MIN_OBJECTION_TRIGGERS} 条不同说法", "warning")
            if card.triggers and len(card.responses) < MIN_OBJECTION_RESPONSES:
                out.add(("cards", i), f"异议卡片 `{card.id}` 只有 {len(card.responses)} 个回复变体，至少写 {MIN_OBJECTION_RESPONSES} 个", "warning")
        problems += out.items
    taxonomy = next((f for f in lib.files_of("taxonomy")), None)
    if taxonomy is not None and lib.cards:
        matched = {r.card.topic for r in lib.matchable_cards()}
        out = _Out(taxonomy)
        for code in taxonomy.model.topics:
            if code not in matched:
                out.add(("topics", code), f"话题 `{code}` 还没有任何带 triggers 的卡片", "warning")
        problems += out.items
    return problems


# ------------------------------------------------------------------ pass 2: triggers


def _trigger_rows(lib: Library) -> list[tuple[str, str, str, str, int, str]]:
    """(normalized, raw, card id, topic, line, path) for every trigger of every live card."""
    from assistant.core.playbooks.templates_lint import live_cards, normalize

    rows = []
    for ref in lib.files.values():
        for i, card in live_cards(lib, ref):
            for j, trig in enumerate(card.triggers):
                rows.append((normalize(trig), trig, card.id, card.topic or "", ref.line_of("cards", i, "triggers", j), ref.path))
    return rows


def trigger_problems(lib: Library) -> list[Problem]:
    """The same trigger on two cards (error across topics), and near-identical ones (warning)."""
    rows = _trigger_rows(lib)
    problems, first = [], {}
    for row in rows:
        norm, raw, card_id, topic, line, path = row
        prev = first.setdefault(norm, row)
        if prev is row or not norm:
            continue
        if prev[2] == card_id:
            problems.append(Problem(path, line, "warning", f"trigger「{raw}」在卡片 `{card_id}` 里重复"))
            continue
        severity = "error" if prev[3] != topic else "warning"
        problems.append(Problem(path, line, severity, f"trigger「{raw}」与卡片 `{prev[2]}` 的相同（{display_path(prev[5])}:{prev[4]}）；匹配时分不出是哪张"))
    return problems + _confusable(list(first.values()))


def _confusable(rows) -> list[Problem]:
    """Pairs of distinct normalized triggers with ratio ≥ CONFUSABLE_RATIO on different topics."""
    from rapidfuzz import fuzz, process

    norms = [r[0] for r in rows]
    problems = []
    for i, a in enumerate(rows):
        hits = process.extract(a[0], norms[i + 1 :], scorer=fuzz.ratio, score_cutoff=CONFUSABLE_RATIO, limit=None)
        for _, _, k in hits:
            b = rows[i + 1 + k]
            if a[3] != b[3] and a[2] != b[2]:
                problems.append(
                    Problem(b[5], b[4], "warning", f"trigger「{b[1]}」和卡片 `{a[2]}` 的「{a[1]}」太像（{display_path(a[5])}:{a[4]}），但话题不同：改写其中一句")
                )
    return problems
