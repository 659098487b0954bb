"""Small stand-ins for live-mode tests: a real `Library` of a few cards, and a matcher, renderer,
history and checks simple enough to read. The real modules get their own tests; these keep the
live state machine and the screens testable on their own.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from ruamel.yaml import YAML

from assistant.core.playbooks.library import CardRef, Library
from assistant.core.playbooks.models import Card, FollowupRule, KeyPoint, Response, TaxonomyFile, VariablesFile

REPO = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 11, 25, 10, 0, 0)


def _yaml(name: str) -> dict:
    return YAML(typ="safe").load((REPO / "playbooks" / name).read_text(encoding="utf-8"))


def _card(**kw) -> Card:
    return Card(**kw)


CARDS = [
    _card(id="rate-low-other-bank", title="他行报价更高", topic="rate_low", step="handle_objection",
          triggers=["隔壁银行利息比你们高", "收益太低了", "利息太低"],
          responses=[Response(label="认同型", text="{{ name }}，您货比三家说明您对钱很上心。{{ amount | default('') }}"),
                     Response(text="理解您，我们算一笔账。")],
          follow_up="您这笔钱大概什么时候会用到？", next_step="recommend"),
    _card(id="think-it-over", title="再考虑考虑", topic="think_it_over", step="handle_objection",
          triggers=["我再考虑考虑", "回去想想"], responses=[Response(text="好的{{ name }}，您主要顾虑哪一点？")],
          follow_up="您最担心的是哪一点？", next_step="close"),
    _card(id="step-care", title="主动关怀", step="care", responses=[Response(text="{{ name }}您好，最近怎么样？")],
          key_points=[KeyPoint(id="greet", label="称呼并问候", evidence=["您好", "最近"]),
                      KeyPoint(id="care-need", label="关心近况", evidence=["身体", "家里"])]),
    _card(id="step-recommend", title="推荐产品", step="recommend", responses=[Response(text="给您推荐{{ product }}。")],
          key_points=[KeyPoint(id="risk", label="讲清风险", evidence=["风险", "不保本"])]),
]


def make_library() -> Library:
    variables = VariablesFile(**_yaml("variables.yaml")).variables
    kinds = {"step-care": "conversion", "step-recommend": "conversion"}
    cards = {c.id: CardRef(card=c, file_id="f", kind=kinds.get(c.id, "objection"), path="x.yaml", line=1) for c in CARDS}
    rules = [
        FollowupRule(id="first-contact-24h", title="24小时内首次回访", after="session_end", hours=24, outcomes=["待跟进", "未成交"]),
        FollowupRule(id="result-72h", title="72小时内出结果", after="session_end", hours=72, outcomes=["待跟进", "未成交"]),
    ]
    return Library(cards=cards, taxonomy=TaxonomyFile(**_yaml("taxonomy.yaml")), variables=variables,
                   followup_rules=rules)


@dataclass
class FakeMatch:
    card_id: str
    kind: str
    topic: str | None
    title: str
    score: float
    matched: str
    spans: list[tuple[int, int]]


class FakeMatcher:
    """Matches when a trigger's two-character pieces appear in the text; score = share found."""

    cutoff = 50.0

    def __init__(self, library: Library):
        self.library = library

    def search(self, text: str, kind=None, top: int = 3) -> list[FakeMatch]:
        found = []
        for ref in self.library.matchable_cards():
            best = max(((*self._score(text, t), t) for t in ref.card.triggers), key=lambda x: x[0])
            if best[0] >= self.cutoff:
                found.append(FakeMatch(ref.id, ref.kind, ref.card.topic, ref.card.title, best[0], best[3], best[2]))
        return sorted(found, key=lambda m: -m.score)[:top]

    @staticmethod
    def _score(text: str, trigger: str):
        pieces = [trigger[i:i + 2] for i in range(0, len(trigger) - 1)]
        hits = [p for p in pieces if p in text]
        spans = [(text.index(p), text.index(p) + 2) for p in hits]
        return (100.0 * len(hits) / max(len(pieces), 1), hits, spans)


@dataclass
class FakeRendered:
    text: str
    missing: list[str] = field(default_factory=list)


class FakeRenderer:
    """Jinja2 with missing variables shown as 【label】 (the real renderer's contract)."""

    def __init__(self, library: Library):
        import jinja2

        self.library = library
        self.env = jinja2.Environment()
        self.env.filters["wan"] = lambda x: f"{int(x) // 10000}万元" if str(x).isdigit() else x

    def render(self, template: str, variables: dict, source: str = "") -> FakeRendered:
        missing = [v for v in re.findall(r"{{\s*(\w+)", template) if v not in variables and v in self.library.variables]
        values = {**{k: f"【{self.library.variable_label(k)}】" for k in missing}, **variables}
        return FakeRendered(self.env.from_string(template).render(**values), missing)


@dataclass
class FakeFlag:
    rule_id: str
    severity: str
    message: str
    safer: str
    span: tuple[int, int]
    quote: str


def fake_check(text: str, library) -> list[FakeFlag]:
    m = re.search(r"保本|稳赚", text)
    if not m or "不保本" in text:
        return []
    return [FakeFlag("no-guarantee", "error", "不能承诺保本保收益", "历史业绩不代表未来表现，产品有风险", m.span(), m.group())]


@dataclass
class FakeEvidence:
    key_point_id: str
    quote: str


def fake_covered(text: str, key_points) -> list[FakeEvidence]:
    return [FakeEvidence(kp.id, w) for kp in key_points for w in kp.evidence[:1] if w in text] + [
        FakeEvidence(kp.id, w) for kp in key_points for w in kp.evidence[1:] if w in text]


class _Events(list):
    """The fake's event list, also callable as the real `History.events(session_id)`."""

    def __call__(self, session_id: str) -> list[dict]:
        return [e for e in self if e["session_id"] == session_id]


class FakeHistory:
    """In-memory history with the API of docs/DESIGN.md (the parts live mode and the app use)."""

    def __init__(self):
        self.sessions: dict[str, dict] = {}
        self.events: _Events = _Events()
        self.followups: list[dict] = []
        self.customers: list[dict] = []
        self.staff: list[dict] = []
        self.settings: dict = {}
        self._ids = itertools.count(1)

    def _id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    def start_session(self, **fields) -> str:
        sid = self._id("s")
        self.sessions[sid] = {"id": sid, **fields}
        return sid

    def log_event(self, session_id, speaker, text, **fields) -> dict:
        event = {"session_id": session_id, "seq": len(self.events), "speaker": speaker, "text": text, **fields}
        self.events.append(event)
        return event

    def end_session(self, session_id, **fields) -> None:
        self.sessions[session_id].update(fields)

    def update_session(self, session_id, **fields) -> dict:
        self.sessions[session_id].update(fields)
        return dict(self.sessions[session_id])

    def add_followup(self, **fields) -> dict:
        record = {"id": self._id("f"), **fields}
        self.followups.append(record)
        return record

    def mark_followup(self, followup_id, status, note="", due=None) -> dict:
        record = next(f for f in self.followups if f["id"] == followup_id)
        record["status"] = status
        if due:
            record["due"] = due
        return record

    def add_followups(self, records) -> list[dict]:
        return [self.add_followup(**r) for r in records]

    def list_groups(self):
        return []

    def list_followups(self, due_before=None, status=None, customer_id=None):
        wanted = (status,) if isinstance(status, str) else status
        rows = [f for f in self.followups if (wanted is None or f.get("status") in wanted)
                and (due_before is None or f.get("due", "") < due_before)]
        return sorted(rows, key=lambda f: f.get("due", ""))

    def session(self, session_id):
        return dict(self.sessions[session_id]) if session_id in self.sessions else None

    def get_staff(self, ident):
        return next((s for s in self.staff if s["id"] == ident), None)

    def get_customer(self, ident):
        return next((c for c in self.customers if c["id"] == ident), None)

    def add_customer(self, **fields) -> dict:
        record = {"id": self._id("c"), **fields}
        self.customers.append(record)
        return record

    def list_customers(self, **_):
        return list(self.customers)

    def add_staff(self, **fields) -> dict:
        record = {"id": self._id("u"), **fields}
        self.staff.append(record)
        return record

    def update_staff(self, ident, **fields) -> dict:
        record = next(s for s in self.staff if s["id"] == ident)
        record.update(fields)
        return record

    def current_staff(self):
        ident = self.settings.get("current_staff")
        return next((s for s in self.staff if s["id"] == ident), None)

    def set_current_staff(self, ident):
        self.settings["current_staff"] = ident

    def list_staff(self):
        return list(self.staff)

    def query_sessions(self, filter=None, sort="-started", offset=0, limit=50):
        rows = sorted((s for s in self.sessions.values() if filter is None or filter.matches(s)),
                      key=lambda s: s.get("started", ""), reverse=True)
        return rows[offset:offset + limit], len(rows)


def clock(start: datetime = T0):
    """A clock that moves one second per call (deterministic timestamps)."""
    ticks = itertools.count()
    return lambda: start + timedelta(seconds=next(ticks))


def fake_services(history: FakeHistory | None = None, now: datetime = T0):
    """Services for the app made of the fakes above (no real loader, matcher or history)."""
    from assistant.ui.services import Services

    lib = make_library()
    return Services(lib, FakeMatcher(lib), FakeRenderer(lib), history or FakeHistory(), check=fake_check,
                    covered=fake_covered, clock=clock(now))



async def settle(pilot) -> None:
    """Let the app's workers finish and their messages be handled (never sleep)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def say(pilot, text: str) -> None:
    """Type a line into the live input and press Enter."""
    from assistant.ui.widgets.chat_input import ChatInput

    pilot.app.screen.query_one(ChatInput).value = text
    await pilot.press("enter")
    await settle(pilot)
