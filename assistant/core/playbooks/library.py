"""The loaded playbook library: every file, card and rule, with lookups the app and CLI share.

Built by `assistant.core.playbooks.loader.load_library`; plain data (picklable) so it can be cached.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterator

from assistant.core.errors import UnknownIdError
from assistant.core.playbooks.models import (
    STEP_ORDER,
    AssistStage,
    Card,
    DisclosureRule,
    FollowupRule,
    ForbiddenRule,
    GroupRule,
    GroupTier,
    ScenarioFile,
    ScoringFile,
    SegmentFile,
    Stage,
    TaxonomyFile,
    VariableSpec,
)
from assistant.core.playbooks.problems import Problem
from assistant.core.playbooks.yamlsrc import Source


@dataclass
class PlaybookRef:
    """One loaded file: its model, where it came from and the line of every key."""

    id: str
    kind: str
    #: Absolute path of the file (problems carry it; `format_problem` shows it relative).
    path: str
    #: Index of the playbook folder it came from (0 = the first/built-in folder).
    dir_index: int
    model: object
    source: Source

    def line_of(self, *loc) -> int:
        return self.source.line_of(loc)


@dataclass(frozen=True)
class CardRef:
    """A card together with the file it lives in (for the preview, `edit`, and problems)."""

    card: Card
    file_id: str
    kind: str
    path: str
    line: int

    @property
    def id(self) -> str:
        return self.card.id


@dataclass
class ComplianceRules:
    """Every forbidden-phrase and disclosure rule of the library (later folders override by id)."""

    forbidden: list[ForbiddenRule] = field(default_factory=list)
    disclosures: list[DisclosureRule] = field(default_factory=list)


@dataclass
class Library:
    """Everything the playbooks say, merged over the built-in folder and any branch folders."""

    dirs: list[str] = field(default_factory=list)
    files: dict[str, PlaybookRef] = field(default_factory=dict)
    cards: dict[str, CardRef] = field(default_factory=dict)
    taxonomy: TaxonomyFile | None = None
    #: Global variables (variables.yaml) merged with every file's own `variables:`.
    variables: dict[str, VariableSpec] = field(default_factory=dict)
    #: file id → that file's own variables (scenario persona variables not included).
    file_variables: dict[str, dict[str, VariableSpec]] = field(default_factory=dict)
    scenarios: dict[str, ScenarioFile] = field(default_factory=dict)
    compliance: ComplianceRules = field(default_factory=ComplianceRules)
    followup_rules: list[FollowupRule] = field(default_factory=list)
    group_rules: list[GroupRule] = field(default_factory=list)
    group_tiers: list[GroupTier] = field(default_factory=list)
    assist_steps: list[AssistStage] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    scoring: ScoringFile | None = None
    segments: list[SegmentFile] = field(default_factory=list)
    #: Files skipped and other load problems (the app shows them; `coach validate` prints them).
    problems: list[Problem] = field(default_factory=list)
    #: How many YAML files were read.
    n_files: int = 0
    #: Derived, unpickled caches (compiled compliance rules, matcher...): rebuilt on demand.
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["derived"] = {}
        return state

    # ------------------------------------------------------------ lookups

    def card(self, card_id: str) -> CardRef:
        """The card with this id; UnknownIdError (with the nearest id) when there is none."""
        return _lookup(self.cards, card_id, "卡片")

    def cards_of(self, kind=None, topic=None, step=None, segment=None) -> list[CardRef]:
        """Cards filtered by file kind, topic code, step code and segment code (None = any)."""
        return [r for r in self.cards.values() if self._card_fits(r, kind, topic, step, segment)]

    def _card_fits(self, ref: CardRef, kind, topic, step, segment) -> bool:
        c = ref.card
        if (kind and ref.kind != kind) or (topic and c.topic != topic) or (step and c.step != step):
            return False
        return not segment or segment in c.segments or self._file_segment(ref.file_id) == segment

    def _file_segment(self, file_id: str) -> str | None:
        ref = self.files.get(file_id)
        return getattr(ref.model, "segment", None) if ref and ref.kind == "segment" else None

    def step_card(self, step: str) -> CardRef | None:
        """The conversion card that teaches this step of the eight."""
        found = self.cards_of(kind="conversion", step=step)
        return found[0] if found else None

    def title_of(self, kind: str, ident: str) -> str:
        """A card's (kind "card") or scenario's title, what staff read instead of an id; the id when
        the library lacks it (a group rule naming a card a branch removed)."""
        found = (self.cards if kind == "card" else self.scenarios).get(ident)
        return getattr(getattr(found, "card", found), "title", None) or ident

    def matchable_cards(self) -> list[CardRef]:
        """Cards with triggers (the matcher's targets)."""
        return [r for r in self.cards.values() if r.card.triggers]

    def scenario(self, scenario_id: str) -> ScenarioFile:
        """The scenario with this id; UnknownIdError (with the nearest id) when there is none."""
        return _lookup(self.scenarios, scenario_id, "演练场景")

    def files_of(self, kind: str) -> Iterator[PlaybookRef]:
        return (f for f in self.files.values() if f.kind == kind)

    def segment_profiles(self, code: str) -> list[SegmentFile]:
        """The segment files describing this segment code."""
        return [s for s in self.segments if s.segment == code]

    # ------------------------------------------------------------ labels

    def topic_label(self, code: str | None) -> str:
        spec = self.taxonomy.topics.get(code) if self.taxonomy and code else None
        return spec.label if spec else (code or "")

    def is_objection_topic(self, code: str | None) -> bool:
        """False for a marketer's topic (taxonomy group marketer: 到期提醒, 群不活跃…): what staff ask
        the coach about is never listed as a customer's objection. True otherwise, an unknown code too."""
        spec = self.taxonomy.topics.get(code) if self.taxonomy and code else None
        return spec is None or spec.group != "marketer"

    def step_label(self, code: str | None) -> str:
        for s in self.taxonomy.steps if self.taxonomy else ():
            if s.code == code:
                return s.label
        return code or ""

    def segment_label(self, code: str | None) -> str:
        return (self.taxonomy.segments.get(code) if self.taxonomy and code else None) or (code or "")

    def variable_label(self, key: str) -> str:
        spec = self.variables.get(key)
        return spec.label if spec else key

    @property
    def step_order(self) -> tuple[str, ...]:
        return STEP_ORDER

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def _lookup(table: dict, key: str, what: str):
    try:
        return table[key]
    except KeyError:
        close = difflib.get_close_matches(key, list(table), n=1)
        hint = f"；是不是 `{close[0]}`？" if close else ""
        raise UnknownIdError(f"话术库里没有{what} `{key}`{hint}") from None
