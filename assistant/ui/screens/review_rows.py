"""What the review screens write in a table cell or a list line: names for ids, Chinese labels
for modes, steps and topics, a one-line summary of the filters, a search hit with its words lit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from rich.text import Text
from textual.content import Content

from assistant.core.history.filters import SessionFilter
from assistant.core.labels import (
    DRILL_FAILED, DRILL_PASSED, MODES as LABELS, abandoned, outcome_label, session_mode_label,
)

MODES = LABELS  # one set of names with Home (core/labels.py)
#: A drill's 过关/未过关 in the colours of 成交/未成交 (they were dim beside coloured rehearsal outcomes).
OUTCOME_STYLE = {"成交": "bold green", "未成交": "red", "待跟进": "yellow", DRILL_PASSED: "bold green", DRILL_FAILED: "red"}
HIGHLIGHT = "bold black on yellow"

#: (column key = sort key, header) of the sessions table; topics cannot be sorted.
COLUMNS = [("started", "开始"), ("mode", "方式"), ("staff_id", "员工"), ("customer_id", "客户/场景"),
           ("outcome", "结果"), ("furthest_step", "到达"), ("score", "得分"), ("flags", "批注"),
           ("segment", "客群"), ("topics", "话题")]
#: Widths of the columns that could grow without end (a scenario's title, a list of topics); a
#: longer value ends in 「…」 (see `capped`). At 80 columns the columns up to 客群 fit the screen.
WIDTHS = {"customer_id": 10, "furthest_step": 8, "segment": 8, "topics": 24}
WIDE_WIDTHS = {"customer_id": 24, "furthest_step": 18, "segment": 14, "topics": 40}


@dataclass
class Names:
    """Labels for ids, read once when the screen opens (staff, customers, the library's labels)."""

    staff: dict[str, str] = field(default_factory=dict)
    customers: dict[str, str] = field(default_factory=dict)
    library: Any = None

    @classmethod
    def load(cls, history: Any, library: Any) -> "Names":
        staff = {s["id"]: s.get("name") or s["id"] for s in history.list_staff()}
        customers = {c["id"]: c.get("name") or c["id"] for c in history.list_customers()}
        return cls(staff, customers, library)

    def step(self, code: str | None) -> str:
        if not code:
            return ""
        return self.library.step_label(code) if self.library else code

    def reached(self, s: dict) -> str:
        """The 到达 cell: how far a conversation got. A drill is one answer at one step, in no
        conversation: it reached nothing (its card or step is in `who`)."""
        return "" if s.get("mode") == "drill" else self.step(s.get("furthest_step"))

    def topic(self, code: str | None) -> str:
        if not code:
            return ""
        return self.library.topic_label(code) if self.library else code

    def segment(self, code: str | None) -> str:
        taxonomy = getattr(self.library, "taxonomy", None)
        return (taxonomy.segments.get(code) if taxonomy and code else None) or code or ""

    def scenario(self, scenario_id: str | None) -> str:
        scenarios = getattr(self.library, "scenarios", None) or {}
        found = scenarios.get(scenario_id) if scenario_id else None
        return found.title.split("（")[0] if found is not None else scenario_id or ""  # its name, not the gloss

    def card(self, card_id: str | None) -> str:
        cards = getattr(self.library, "cards", None) or {}
        ref = cards.get(card_id) if card_id else None
        return ref.card.title if ref is not None else card_id or ""

    def rule(self, rule_id: str) -> str:
        """A compliance rule's title (承诺保本), as staff read it, for the id a flag stores."""
        rules = getattr(self.library, "compliance", None)
        found = next((r for r in [*getattr(rules, "forbidden", ()), *getattr(rules, "disclosures", ())]
                      if r.id == rule_id), None)
        return found.title if found is not None else str(rule_id)

    def rules(self, rule_ids) -> str:
        """Several rules' titles on one line. Joined with ；: titles themselves contain 、
        (说预期收益率、预测业绩), so 、 ran four titles together into what read as one list."""
        return "；".join(self.rule(r) for r in rule_ids)

    def who(self, s: dict) -> str:
        """The customer's name for a live session, the scenario for practice; for a drill, what was
        practised: the card it drilled (a drill from Live has no scenario), else its scenario or step."""
        if s.get("customer_id"):
            return self.customers.get(s["customer_id"], s["customer_id"])
        if s.get("mode") == "drill":
            return (self.card(s.get("card_id")) or self.scenario(s.get("scenario_id"))
                    or self.step(s.get("furthest_step")) or "—")
        return self.scenario(s.get("scenario_id")) or "—"


def when(iso: str | None) -> str:
    return (iso or "")[5:16].replace("T", " ")


def session_cells(s: dict, names: Names, flags: str = "") -> tuple:
    """The sessions table's cells for one session record."""
    score = None if abandoned(s) else s.get("score")  # 未完成 is not scored
    outcome = outcome_label(s)
    topics = "、".join(names.topic(t) for t in (s.get("topics") or ())[:3])
    return (when(s.get("started")), session_mode_label(s),
            names.staff.get(s.get("staff_id"), s.get("staff_id") or ""), capped(names.who(s)),
            Text(outcome, style=OUTCOME_STYLE.get(outcome, "dim")), capped(names.reached(s)),
            "" if score is None else f"{score:g}", Text(flags, style="bold yellow"),
            capped(names.segment(s.get("segment"))), capped(topics))


def capped(value: str) -> Text:
    """A cell that says it goes on (「问题总…」) when its column is narrower than it."""
    return Text(value, no_wrap=True, overflow="ellipsis", end="")


def _one(value: Any, label) -> str:
    values = (value,) if isinstance(value, str) else tuple(value)
    return "/".join(label(v) for v in values)


def describe_filter(f: SessionFilter, names: Names) -> str:
    """`2026-11-01 至 2026-11-25 · 李娜 · 演练 · 得分 60–80`, or 全部会话."""
    parts = []
    if f.since or f.until:
        parts.append(f"{f.since or '最早'} 至 {f.until or '今天'}")
    labels = {"staff_id": lambda v: names.staff.get(v, v), "customer_id": lambda v: names.customers.get(v, v),
              "mode": lambda v: MODES.get(v, v), "outcome": lambda v: v or "未结束", "segment": names.segment,
              "topic": lambda v: "话题 " + names.topic(v), "step": lambda v: "到过 " + names.step(v)}
    for item in fields(SessionFilter):
        value = getattr(f, item.name)
        if item.name in labels and value is not None:
            parts.append(_one(value, labels[item.name]))
    if f.score_min is not None or f.score_max is not None:
        parts.append(f"得分 {f.score_min if f.score_min is not None else 0:g}–{f.score_max if f.score_max is not None else 100:g}")
    return " · ".join(parts) or "全部会话"


def lit(text: str, spans: list[tuple[int, int]], width: int = 60) -> Text:
    """`text` with the spans highlighted, cut to a window around the first span."""
    start = max(0, (spans[0][0] if spans else 0) - 12)
    shown = Text(("…" if start else "") + text[start:start + width] + ("…" if len(text) > start + width else ""))
    offset = 1 if start else 0
    for a, b in spans:
        if a >= start and a < start + width:
            shown.stylize(HIGHLIGHT, a - start + offset, min(b, start + width) - start + offset)
    return shown


SPEAKERS = {"customer": "客户", "staff": "员工", "coach": "教练", "system": "系统"}


def hit_prompt(hit: Any, names: Names) -> Content:
    """`hit_line` as the results list shows it: wrapped by Chinese line-breaking rules (Rich folded
    at the exact width, so a wrapped hit line could start with 「，」)."""
    from assistant.ui.widgets.zhtext import ZhContent

    return ZhContent.of(Content.from_rich_text(hit_line(hit, names)))


def hit_line(hit: Any, names: Names) -> Text:
    """`11-24 10:00 李娜·王阿姨 客户：…利息太低了…` with the searched words lit."""
    s, e = hit.session, hit.event
    head = Text("≈ " if getattr(hit, "fuzzy", False) else "", style="bold cyan")
    head.append(f"{when(e.get('time') or s.get('started'))} {names.staff.get(s.get('staff_id'), '')}·{names.who(s)} ",
                style="dim")
    who = "员工问教练" if e.get("type") == "ask" else SPEAKERS.get(e.get("speaker"), "")  # see live.asking
    head.append(f"{who}：", style="bold")
    return head + lit(str(e.get("text") or ""), hit.spans)
