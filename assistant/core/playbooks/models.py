"""The playbook format: every shape a YAML file under `playbooks/` may take, declared once.

Unknown keys are refused (the validator turns pydantic's errors into `file:line` problems with a
"did you mean"). Text fields that staff read or say may hold Jinja2 (`{{ name }}`, filters from
`assistant.core.playbooks.render`). Variable names are ASCII keys declared in `playbooks/variables.yaml`
(or a file's own `variables:`), each with a Chinese label used for placeholders and `/var`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

KebabId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
StepCode = Literal["care", "probe", "summarize", "propose", "recommend", "handle_objection", "close", "nurture"]
#: The eight steps of the online conversion, in order.
STEP_ORDER: tuple[str, ...] = ("care", "probe", "summarize", "propose", "recommend", "handle_objection", "close", "nurture")


def steps_of(steps) -> list[str]:
    """These step codes once each, in the eight steps' order (what a session record's `steps` holds)."""
    seen = set(steps)
    return [s for s in STEP_ORDER if s in seen]


Channel = Literal["wechat", "phone", "any"]
Severity = Literal["error", "warning", "info"]


class Strict(BaseModel):
    """Base for every playbook shape: unknown keys are errors, values are immutable."""

    # defer_build: the schema is built at the first validation, not at import: a one-shot
    # `coach suggest` reads the library from its pickle and validates nothing (~0.1 s saved).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# ---------------------------------------------------------------- shared pieces


class VariableSpec(Strict):
    """A template variable: its Chinese label (shown as 【label】 when missing) and an example."""

    label: str
    example: str | int | float
    type: Literal["text", "money", "percent", "date", "int"] = "text"
    #: Dotted path into the customer record that fills this variable (e.g. `name`, `products.0.rate`).
    customer_field: str | None = None
    help: str | None = None
    #: The value in force when nothing else fills it (a number a rule sets, e.g. the deposit-insurance
    #: limit); unlike `example` it reaches customers, so `help` says which rule and since when.
    default: str | int | float | None = None


class KeyPoint(Strict):
    """Something a good reply covers. `evidence` are words/phrases that show it was covered."""

    id: KebabId
    label: str
    evidence: list[str] = Field(min_length=1)
    #: Relative weight in scoring (default 1).
    weight: float = 1.0
    #: Concept ids (playbooks/concepts.yaml) whose members also prove the point when the reply
    #: says one and does not negate it: meaning, beyond the listed words.
    concepts: list[str] = []


class Response(Strict):
    """One reply variant (Jinja2), optionally limited to a channel, segments or steps."""

    text: str
    channel: Channel = "any"
    segments: list[str] = []
    steps: list[StepCode] = []
    #: Short name of the variant shown in the UI (e.g. 认同型, 算账型).
    label: str | None = None
    #: Who the text is for: `customer` (a reply to copy and send) or `staff` (a tip for the
    #: staff member, shown apart, never copied or logged as said to the customer).
    audience: Literal["customer", "staff"] = "customer"


Temperament = Literal["warm", "busy", "sceptical", "price_driven", "cautious_elderly", "chatty"]
AgeBand = Literal["young", "middle", "senior"]


class CustomerLine(Strict):
    """Something the simulated customer may say, in natural voice, and when it fits.

    Triggers are for matching (typos, pinyin, traditional forms); these are for speaking. Empty
    trait lists mean "any". See playbooks/FORMAT.md (customer_lines).
    """

    text: str
    #: ask = raise it (the objection, or the node's line) | won_back = settled by a good answer |
    #: doubtful = still unsure after a weak answer | annoyed = losing patience.
    mood: Literal["ask", "won_back", "doubtful", "annoyed"] = "ask"
    temperaments: list[Temperament] = []
    segments: list[str] = []
    ages: list[AgeBand] = []
    channel: Channel = "any"
    #: first = has never held this kind of product; holder = already holds one; any.
    holder: Literal["first", "holder", "any"] = "any"
    #: Said only after this happened in the conversation: product_named | number_cited | needs_asked.
    after: list[Literal["product_named", "number_cited", "needs_asked"]] = []
    #: Key point ids of the staff reply this line answers: said only when that reply covered at
    #: least one (号码我存了 needs the number given); lines that meet theirs are said first.
    heard: list[KebabId] = []


class Card(Strict):
    """A unit of advice. It is matchable when it has triggers (then `topic` is required)."""

    id: KebabId
    title: str
    topic: str | None = None
    step: StepCode | None = None
    triggers: list[str] = []
    responses: list[Response] = []
    key_points: list[KeyPoint] = []
    follow_up: str | None = None
    next_step: StepCode | None = None
    segments: list[str] = []
    #: Why/when to use this card, for the library preview.
    summary: str | None = None
    goal: str | None = None
    move_on: str | None = None
    fall_back: str | None = None
    #: The step to go back to when `fall_back` applies.
    fall_back_step: StepCode | None = None
    tags: list[str] = []
    #: Concepts (ids from a `kind: concepts` file) that signal this card, besides those whose
    #: `topics` name the card's topic (see assistant/core/language/concepts.py).
    concepts: list[str] = []
    #: What a simulated customer says to raise (and react on) this objection; never the triggers.
    customer_lines: list[CustomerLine] = []


class PlaybookHeader(Strict):
    """The four fields every file starts with."""

    version: Literal[1]
    kind: str
    id: KebabId
    title: str


class PlaybookFile(PlaybookHeader):
    """Common to every kind: optional cards and local variables."""

    summary: str | None = None
    variables: dict[str, VariableSpec] = {}
    cards: list[Card] = []
    #: Seed references (e.g. "000: 八步曲") for COVERAGE.md; not shown to staff.
    sources: list[str] = []


# ---------------------------------------------------------------- kinds


class TopicSpec(Strict):
    label: str
    group: Literal["objection", "marketer"]


class StepSpec(Strict):
    code: StepCode
    label: str


class TaxonomyFile(PlaybookHeader):
    kind: Literal["taxonomy"]
    topics: dict[str, TopicSpec]
    steps: list[StepSpec]
    segments: dict[str, str]
    """Segment code → Chinese label (payroll, merchant, senior, community, women, moviegoer...)."""


class VariablesFile(PlaybookHeader):
    kind: Literal["variables"]
    variables: dict[str, VariableSpec]


class Stage(Strict):
    """One of the three user stages (潜在/活跃/交易期)."""

    id: KebabId
    label: str
    goal: str
    tactics: list[str]


class ConversionFile(PlaybookFile):
    """The eight steps: one card per step (card.step set), plus the three user stages."""

    kind: Literal["conversion"]
    stages: list[Stage] = []


class ObjectionFile(PlaybookFile):
    kind: Literal["objection"]


class GroupRule(Strict):
    """A group-doctor rule. `check` is one of the checks the engine knows; numbers live here."""

    id: KebabId
    title: str
    check: Literal["members_over", "members_under", "days_since", "event_seen", "assist_stage"]
    #: Which groups the rule applies to; keys: tier (大众/潜在/精英), role (主管群/辅管群), subrole.
    applies_to: dict[str, str] = {}
    threshold: float | None = None
    #: For days_since: last_activity | last_promotion | last_deal | created.
    field: str | None = None
    #: For event_seen: the group event type (product_question, post, members_moved, deal).
    event: str | None = None
    severity: Severity = "warning"
    action: str
    message: str | None = None
    card: str | None = None
    scenario: str | None = None
    #: Turn into an agenda follow-up due this many days after today.
    followup_days: int | None = None


class GroupTier(Strict):
    id: Literal["大众", "潜在", "精英"]
    purpose: str
    size_min: int | None = None
    size_max: int | None = None
    note: str | None = None


class AssistStage(Strict):
    """One stage of the 辅管群 五步法, with what to post."""

    id: KebabId
    label: str
    goal: str
    message: str


class GroupFixFile(PlaybookFile):
    kind: Literal["group_fix"]
    tiers: list[GroupTier] = []
    rules: list[GroupRule] = []
    assist_steps: list[AssistStage] = []
    intimacy_ladder: list[str] = []
    roles: dict[str, str] = {}


class Recommendation(Strict):
    product: str
    why: str


class SegmentFile(PlaybookFile):
    kind: Literal["segment"]
    segment: str
    profile: list[str]
    recommend: list[Recommendation] = []
    activities: list[str] = []
    rhythm: list[str] = []
    subgroups: dict[str, str] = {}


class FollowupRule(Strict):
    """When a follow-up falls due. `after` names the event that starts the clock."""

    id: KebabId
    title: str
    after: Literal["event", "session_end", "maturity", "birthday", "holiday", "new_contact", "group_elite", "group_potential"]
    #: Offset from the event; negative means before it (T-7 maturity is -7 days).
    hours: int | None = None
    days: int | None = None
    #: Only for session_end rules: outcomes that trigger it.
    outcomes: list[Literal["成交", "未成交", "待跟进"]] = []
    message: str | None = None
    card: str | None = None
    scenario: str | None = None
    repeat: str | None = None
    """Free text cadence, e.g. 每周 2–3 次."""


class FollowupFile(PlaybookFile):
    kind: Literal["followup"]
    rules: list[FollowupRule] = []


class ForbiddenRule(Strict):
    """Phrases that must never be said. `patterns` are regexes (Python syntax)."""

    id: KebabId
    title: str
    patterns: list[str] = Field(min_length=1)
    severity: Severity = "error"
    message: str
    safer: str
    #: Regexes that, when they match around the hit, excuse it (e.g. 不保本 / 不承诺保本).
    unless: list[str] = []
    #: Where the law says so: instrument and article (shown with every flag and in COVERAGE.md).
    source: str = ""
    #: Regexes of which one must appear in the hit's scope for it to count (送 needs 买理财 nearby).
    nearby: list[str] = []
    #: Regexes that excuse a hit when they appear anywhere in its scope (谁跟您说保本…都要当心).
    unless_nearby: list[str] = []
    #: The scope of `nearby` / `unless_nearby`: the clause (up to a comma) or the sentence.
    scope: Literal["clause", "sentence"] = "sentence"


class DisclosureRule(Strict):
    """When `when` matches (a wealth product is recommended), one of `must_include_any` must appear."""

    id: KebabId
    title: str
    when: list[str] = Field(min_length=1)
    must_include_any: list[str] = Field(min_length=1)
    severity: Severity = "error"
    message: str
    safer: str
    #: Where the law says so: instrument and article.
    source: str = ""


class ComplianceFile(PlaybookHeader):
    kind: Literal["compliance"]
    summary: str | None = None
    forbidden: list[ForbiddenRule] = []
    disclosures: list[DisclosureRule] = []
    sources: list[str] = []
    #: Named regex pieces patterns share, written `<NAME>` (upper-case) inside a pattern.
    macros: dict[str, str] = {}


class Persona(Strict):
    id: KebabId
    title: str
    segment: str
    asset_tier: str
    temperament: Temperament
    difficulty: Literal["easy", "normal", "hard"] = "normal"
    objections: list[str] = []
    #: How many poor replies in a row before the customer hangs up.
    patience: int = 3
    variables: dict[str, str | int | float] = {}
    description: str | None = None
    #: Age band for choosing customer lines; None = senior when segment is senior or the
    #: temperament is cautious_elderly, else middle.
    age: AgeBand | None = None
    #: Already holds the product being discussed (holder) or never has (first); None = either.
    holder: Literal["first", "holder"] | None = None


class ScenarioNode(Strict):
    """A point in the simulated conversation. The customer says one of `customer` lines."""

    id: KebabId
    step: StepCode
    customer: list[str] = Field(min_length=1)
    key_points: list[KeyPoint] = []
    #: Use this card's key points and model reply when `key_points` is empty.
    card: str | None = None
    #: Share (0-1) of key-point weight needed to move on; default from scoring.yaml.
    pass_share: float | None = None
    next: str | None = None
    #: Customer lines when the reply was poor (cooling down).
    poor: list[str] = []
    #: Objection topics this node may raise when the reply was poor (intersected with the persona's).
    objections: list[str] = []
    #: Terminal node: the outcome when reached.
    end: Literal["成交", "未成交", "待跟进"] | None = None
    model_reply: str | None = None
    #: More customer lines with traits and moods (won_back, doubtful, annoyed at this node).
    customer_lines: list[CustomerLine] = []


class ScenarioFile(PlaybookHeader):
    kind: Literal["scenario"]
    summary: str | None = None
    channel: Channel = "phone"
    opening: Literal["customer", "staff"] = "staff"
    variables: dict[str, VariableSpec] = {}
    personas: list[Persona] = Field(min_length=1)
    start: str
    nodes: list[ScenarioNode] = Field(min_length=1)
    #: Customer line when they hang up after running out of patience.
    hangup: list[str] = ["算了，我这边还有事，先挂了。"]
    sources: list[str] = []

    def closing_after(self, node_id: str) -> str | None:
        """The first closing (not final) node after `node_id`: where a call jumps when the customer
        has decided (money kept in deposits), past the product steps. None when already closing."""
        ids = [n.id for n in self.nodes]
        here = ids.index(node_id)
        if self.nodes[here].step == "close":
            return None
        return next((n.id for n in self.nodes[here + 1:] if n.step == "close" and not n.end), None)


class SkillSpec(Strict):
    label: str
    steps: list[StepCode]


class StyleRule(Strict):
    """A style check: `kind` is one the scorer knows; `points` is its weight inside the style share."""

    id: KebabId
    label: str
    kind: Literal["length", "asks_question", "uses_name", "polite", "not_copy"]
    points: float
    min_chars: int | None = None
    max_chars: int | None = None
    words: list[str] = []


class ConservativeSpec(Strict):
    """A conservative answer to a loss-averse customer (keep it in deposits) answers the points about
    product risk: what makes a customer loss-averse, what the reply says, which points it covers."""

    #: Persona temperaments that cannot take a loss.
    temperaments: list[Temperament] = []
    #: Words in the customer's line that say the money must not shrink (少了受不了, 养老钱).
    customer_says: list[str] = []
    #: Words of a reply that keeps the money safe (存定期, 大额存单, 不建议您买理财).
    reply: list[str] = Field(min_length=1)
    #: Key points whose label holds one of these words count as covered by such a reply.
    covers_labels: list[str] = Field(min_length=1)


class ScoringFile(PlaybookHeader):
    kind: Literal["scoring"]
    knowledge_weight: float = 0.7
    style_weight: float = 0.3
    pass_mark: int = 80
    pass_share: float = 0.5
    skills: dict[str, SkillSpec]
    style: list[StyleRule] = []
    #: Groups of words staff use for the same thing (多久 / 多长时间): a key point's evidence
    #: with one member also counts when the reply says another.
    paraphrases: list[list[str]] = []
    conservative: ConservativeSpec | None = None


class ActivityFile(PlaybookFile):
    """Events and alliances: SMART check, preparations, on-site roles, evaluation, 异业/商户联盟."""

    kind: Literal["activity"]
    checklist: list[str] = []
    roles: dict[str, str] = {}
    numbers: dict[str, str | int | float] = {}


class Concept(Strict):
    """One thing customers say in many ways (亏 / 赔 / 缩水 / 打水漂), and the topics it signals."""

    id: KebabId
    label: str
    #: The ways it is said: colloquial, regional, typo variants (matched inside the line).
    members: list[str] = Field(min_length=1)
    #: Taxonomy topic codes this concept points to (a card of such a topic is signalled by it).
    topics: list[str] = []


class ConceptsFile(PlaybookHeader):
    """The domain thesaurus (playbooks/concepts.yaml); a branch file merges into it by concept id."""

    kind: Literal["concepts"]
    summary: str | None = None
    concepts: list[Concept] = Field(min_length=1)


class TriggersFile(PlaybookHeader):
    """Extra triggers for cards of the library (a branch's 「记住这句」 lines, exported)."""

    kind: Literal["triggers"]
    summary: str | None = None
    #: card id → lines customers said that should find that card.
    triggers: dict[str, list[str]]


class RoleFile(PlaybookFile):
    """Role duties as a checklist a user can open (柜员, 大堂经理...)."""

    kind: Literal["role"]
    role: Literal["柜员", "大堂经理", "理财经理", "客户经理", "网点负责人"]
    duties: list[str]


#: kind → model; the folder name under `playbooks/` must equal the kind.
KINDS: dict[str, type[BaseModel]] = {
    "taxonomy": TaxonomyFile,
    "variables": VariablesFile,
    "conversion": ConversionFile,
    "objection": ObjectionFile,
    "group_fix": GroupFixFile,
    "segment": SegmentFile,
    "followup": FollowupFile,
    "compliance": ComplianceFile,
    "scenario": ScenarioFile,
    "scoring": ScoringFile,
    "activity": ActivityFile,
    "role": RoleFile,
    "concepts": ConceptsFile,
    "triggers": TriggersFile,
}
