"""Live mode as a pure state machine: the UI feeds it lines, it answers with result objects.

`LiveSession` holds the services (library, matcher, renderer, history), the customer and the
template variables, the current step of the eight, the checklist of that step, and logs every
action to the history. The results it answers with are in `results.py`, the steps and checklist
in `steps.py`, how a card becomes a reply in `replies.py`, sessions left open in `stored.py`;
`/commands` are parsed in `commands.py`, pasted chats read in `chat.py`.
Nothing here imports Textual; the screen in `assistant/ui/screens/live.py` only draws what it returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, is_dataclass, replace
from datetime import datetime
from typing import Any, Callable

from assistant.core.errors import UnknownIdError
from assistant.core.live.asking import ASKED_NOTE, asked_by_staff
from assistant.core.live.chat import (CUSTOMER, ChatMessage, base_name, colon_name, has_senders, parse_chat,
                                       same_person, staff_names)
from assistant.core.live.closing import resolve_earlier_followups, session_end_followups
from assistant.core.live.commands import COMMANDS, OUTCOMES, Command, help_text, parse_command
from assistant.core.live.driving import driving, last_said
from assistant.core.live.facts import heard_variables, known_variables
from assistant.core.live.moments import said_at
from assistant.core.live.replies import customer_variables, pick_response, repeats_last_question
from assistant.core.live.results import (STAFF_TIP, ChecklistItem, FollowupDue, StaffLine, Suggestion,
                                         Suggestions)
from assistant.core.live.steps import StepsMixin, _card, covered_unless_negated
from assistant.core.live.stored import RESUME_DAYS, end_stored_session, furthest_of, unfinished_sessions
from assistant.core.playbooks.models import STEP_ORDER, steps_of
from assistant.core.playbooks.render import value_problem
from assistant.core.language.phrasing import split_clauses
from assistant.core.language.textnorm import is_acknowledgement, normalize

#: Longest text handed to the matcher; a bigger paste is cut (with a notice), never a hang.
MAX_MATCH_CHARS = 2000
#: How many suggestions a customer line gets by default.
TOP_N = 3
#: Lines longer than this are also matched clause by clause.
CLAUSE_MIN = 12


@dataclass
class LiveSession(StepsMixin):
    """One live conversation with one customer. Every method logs what it did."""

    library: Any
    matcher: Any
    renderer: Any
    history: Any
    staff: dict | None = None
    customer: dict | None = None
    clock: Callable[[], datetime] = datetime.now
    #: Injected checks so tests can use fakes; default to the core modules.
    check: Callable[[str, Any], list] | None = None
    covered: Callable[[str, list], list] | None = None
    top: int = TOP_N
    step: str = STEP_ORDER[0]
    furthest: str = STEP_ORDER[0]
    #: Every step the conversation was at (a customer who objects at once skips 提问及解析…): the funnel counts these.
    reached: list[str] = field(default_factory=lambda: [STEP_ORDER[0]])
    overrides: dict[str, Any] = field(default_factory=dict)
    ticks: dict[str, dict[str, str]] = field(default_factory=dict)
    topics: list[str] = field(default_factory=list)
    cards_used: list[str] = field(default_factory=list)
    session_id: str | None = None
    ended: str | None = None
    #: Extra fields for the session record (an import adds source and import_key).
    extra: dict[str, Any] = field(default_factory=dict)
    #: The best card of each customer line, in order, once each (what 复盘 shows as matched).
    matched_cards: list[str] = field(default_factory=list)
    #: Facts the customer stated this session (another bank's rate: 隔壁银行给3%), latest wins.
    heard: dict[str, Any] = field(default_factory=dict)
    #: The customer-side name of a pasted chat while no customer is selected (fills 【客户称呼】).
    chat_name: str | None = None
    #: The customer's earlier follow-ups that `end` marked done (closing.undo_resolved puts them back).
    resolved: list = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.check is None:
            from assistant.core.compliance import check

            self.check = check
        if self.covered is None:
            self.covered = covered_unless_negated

    def _session_fields(self) -> dict:
        customer = self.customer or {}
        return {
            "mode": "live",
            "staff_id": (self.staff or {}).get("id"),
            "customer_id": customer.get("id"),
            "segment": customer.get("segment"),
            "started": self._now(),
            **self.extra,
        }

    def _now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def _log(self, speaker: str, text: str, **fields: Any) -> dict:
        """Log an event; the session record is written with the first one (an opened and
        abandoned screen leaves nothing behind)."""
        if self.session_id is None:
            self.session_id = self.history.start_session(**self._session_fields())
        return self.history.log_event(self.session_id, speaker, text, step=self.step, time=self._now(), **fields)

    # -------------------------------------------------------------- variables

    @property
    def variables(self) -> dict[str, Any]:
        """Template variables: the customer's fields, what the app knows of the customer's lead
        product and the staff member (see `facts`), what the customer said, then /var overrides."""
        return self._variables()

    def _variables(self, line: dict | None = None) -> dict[str, Any]:
        """`variables` with the facts of the line being answered (not yet recorded) on top of `heard`."""
        customer = self.customer or ({"name": self.chat_name} if self.chat_name else None)
        values = customer_variables(customer, getattr(self.library, "variables", {}) or {})
        values.update(known_variables(self.customer, self.staff, self.clock().date()))
        return {**values, **self.heard, **(line or {}), **self.overrides}

    def set_customer(self, customer: dict | None) -> None:
        self.customer = customer
        if self.session_id is not None:
            name = (customer or {}).get("name", "（无）")
            self._log("system", f"客户：{name}", type="note", customer_id=(customer or {}).get("id"))
            # The record itself names the new customer: resume, 复盘 and follow-ups read it there.
            update = getattr(self.history, "update_session", None)
            if update is not None:
                update(self.session_id, customer_id=(customer or {}).get("id"), segment=(customer or {}).get("segment"))

    def set_var(self, name: str, value: str) -> str:
        """Set a template variable by key or Chinese label; returns the key. Unknown → ValueError."""
        key = self.variable_key(name)
        if key is None:
            known = "、".join(spec.label for spec in (self.library.variables or {}).values())
            raise ValueError(f"没有叫「{name}」的变量。可用：{known}")
        spec = (getattr(self.library, "variables", {}) or {}).get(key)
        problem = value_problem(key, value, {key: spec} if spec else {}, self.clock().date())
        if problem:
            raise ValueError(problem)
        # a date stays as typed: 12.10 is 12月10日, not the number 12.1
        self.overrides[key] = value if spec is not None and spec.type == "date" else _number_or_text(value)
        self._log("system", f"设置 {self._var_label(key)} = {value}", type="note")  # read in 复盘: no codes
        return key

    def variable_key(self, name: str) -> str | None:
        specs = getattr(self.library, "variables", {}) or {}
        if name in specs:
            return name
        return next((k for k, spec in specs.items() if spec.label == name), None)

    # -------------------------------------------------------------- customer lines

    def customer_said(self, text: str) -> Suggestions:
        """Match and render the customer's line, then log it and move the step if implied."""
        return self.record_customer(text, self.suggest(text))

    def suggest(self, text: str) -> Suggestions:
        """The top cards for a customer line, rendered for this customer. Changes nothing, logs
        nothing: safe to run in a worker while the screen keeps the state."""
        query, notice = _clip(text)
        matches = self._search(query, self.top)
        heard = heard_variables(query)
        return Suggestions(query=query, items=tuple(self._suggest(m, query, heard) for m in matches), notice=notice,
                           acknowledgement=not matches and is_acknowledgement(normalize(query)))

    def typed(self, text: str) -> Suggestions:
        """`suggest` for a line typed into the 客户说 box, which may be the staff member's own question
        (老客户多久联系一次合适？, see `asking`): then the answer says so, and `record_customer` logs
        it as asked. Changes nothing, logs nothing."""
        found = self.suggest(text)
        top = found.items[0] if found.items else None
        staff_card = top is not None and self.library.card(top.card_id).kind != "objection"  # suggest rendered it
        if not asked_by_staff(found.query, staff_card, top is not None and top.tier == "sure"):
            return found
        return replace(found, asked=True, notice=f"{ASKED_NOTE}\n{found.notice}" if found.notice else ASKED_NOTE)

    def _search(self, query: str, top: int) -> list:
        return merged_search(self.matcher, query, top)

    def record_customer(self, text: str, suggestions: Suggestions, said: str | None = None) -> Suggestions:
        """Log the customer's line with what matched (`said`: when a pasted chat shows it was said);
        note its topic; move forward to its step. A line read as the staff member's own question
        (`typed`) is logged as asked (speaker staff, type ask) and leaves topic, step and facts alone."""
        matches = [{"card_id": s.card_id, "score": s.score} for s in suggestions.items]
        if suggestions.asked:
            self._log("staff", text, type="ask", matches=matches)
            return suggestions
        self._log("customer", text, type="line", matches=matches, **({"said": said} if said else {}))
        self.heard.update(heard_variables(text))
        for s in suggestions.items[:1]:
            if s.card_id not in self.matched_cards:
                self.matched_cards.append(s.card_id)
            if s.topic and s.topic not in self.topics:
                self.topics.append(s.topic)
            self._advance(s.step)
        return suggestions

    def _recall_match(self, card_id: str | None) -> None:
        """A logged customer line's top card counts again on resume, as `record_customer` counted
        it: the record keeps topics only from the end, so a session quit with 稍后继续 (or killed)
        would otherwise end with none. A card no longer in the library is skipped."""
        try:
            card = _card(self.library.card(card_id)) if card_id else None
        except UnknownIdError:
            return
        if card is None:
            return
        if card.id not in self.matched_cards:
            self.matched_cards.append(card.id)
        if card.topic and card.topic not in self.topics:
            self.topics.append(card.topic)

    def search_cards(self, text: str) -> Suggestions:
        """/card: the same matcher over the library, rendered for this customer; logs nothing.
        No tier: the staff member searched, nobody said the words, so nothing reads 可能是."""
        query, notice = _clip(text)
        matches = self._search(query, max(self.top, 5))
        return Suggestions(query=query, items=tuple(self._suggest(m, query, tiered=False) for m in matches),
                           notice=notice, searched=True)

    def suggestion_for(self, card_id: str, score: float = 0.0) -> Suggestion:
        """A card rendered for this customer without a match (library preview, agenda)."""
        card = _card(self.library.card(card_id))
        return self._render_card(card, score=score, matched=(), spans=())

    def _suggest(self, match: Any, query: str, heard: dict | None = None, tiered: bool = True) -> Suggestion:
        card = _card(self.library.card(match.card_id))
        spans = tuple(tuple(s) for s in (getattr(match, "spans", None) or ()))
        words = tuple(dict.fromkeys(query[a:b] for a, b in spans if query[a:b].strip()))
        trigger = getattr(match, "matched", None)
        suggestion = self._render_card(card, match.score, words, spans, heard)
        tier = getattr(match, "tier", "sure") if tiered else "sure"
        return replace(suggestion, trigger=trigger if isinstance(trigger, str) else None,
                       tier=tier if tier in ("sure", "maybe") else "sure")

    def _render_card(self, card: Any, score: float, matched: tuple, spans: tuple, heard: dict | None = None) -> Suggestion:
        segment = (self.customer or {}).get("segment")
        response = pick_response(card, segment, self.step)
        tip_response = pick_response(card, segment, self.step, audience="staff")
        audience = getattr(response, "audience", "customer") if response else "staff"
        variables = self._variables(heard)
        reply, missing = self._render(response.text if response else card.summary or "", variables, card.id)
        tip = None
        if tip_response is not None and tip_response is not response:
            tip = self._render(tip_response.text, variables, card.id)[0]
        follow_up = self._render(card.follow_up, variables, card.id)[0] if card.follow_up else None
        if audience == "staff" or repeats_last_question(reply, follow_up):
            follow_up = None
        return Suggestion(
            card_id=card.id, title=card.title, topic=card.topic,
            topic_label=self._label("topic_label", card.topic), score=float(score),
            matched=matched, spans=spans, reply=reply, follow_up=follow_up, step=card.step,
            next_step=card.next_step, missing=tuple(self._var_label(k) for k in missing),
            label=response.label if response else None, audience=audience, tip=tip,
        )

    def _render(self, template: str, variables: dict, source: str) -> tuple[str, tuple[str, ...]]:
        rendered = self.renderer.render(template, variables, source=source)
        return rendered.text.strip(), tuple(getattr(rendered, "missing", ()) or ())

    def _var_label(self, key: str) -> str:
        return self._label("variable_label", key)

    def _label(self, method: str, code: str | None) -> str:
        if not code:
            return ""
        try:
            return getattr(self.library, method)(code) or code
        except (KeyError, AttributeError):
            return code

    # -------------------------------------------------------------- pasted chats

    def read_chat(self, text: str) -> list[ChatMessage]:
        """A pasted stretch of chat as messages: my names (and 我) are staff, the rest the customer."""
        known = [name for name in [(self.customer or {}).get("name")] if name]
        messages = parse_chat(text, staff_names(self.staff), known)
        sender = None if has_senders(messages) else colon_name(text)
        if sender and self._is_customer(sender):  # 王阿姨：… forwarded alone, 王阿姨 not picked yet
            messages = parse_chat(text, staff_names(self.staff), [*known, sender])
        names = {m.name for m in messages if m.speaker == CUSTOMER and m.name}
        if not self.customer and len(names) == 1:  # nobody picked yet: call them what the chat does
            self.chat_name = names.pop()
        return messages

    def _is_customer(self, name: str) -> bool:
        """Some customer in the history goes by `name`. The stored rows are pre-filtered on the
        name's bytes: decoding a branch of 100k customers costs ~1.5 s on the Enter."""
        state = getattr(self.history, "state", None)
        if state is not None and hasattr(state, "matching"):
            needle = base_name(name).encode()
            customers = state.matching("customers", lambda raw: needle in raw, [re.compile(re.escape(needle))])
        else:
            customers = getattr(self.history, "list_customers", lambda: [])()
        return any(same_person(name, c.get("name") or "") for c in customers)

    def suggest_chat(self, messages: list[ChatMessage]) -> list[tuple[ChatMessage, Suggestions | None]]:
        """Suggestions for every customer message of a chat; changes nothing (for the worker)."""
        return [(m, self.suggest(m.text) if m.speaker == CUSTOMER else None) for m in messages]

    def record_chat(self, pairs: list[tuple[ChatMessage, Suggestions | None]],
                    flags: list[tuple] | None = None) -> tuple[Suggestions | None, list[StaffLine]]:
        """Log a chat in order: customer lines with their matches, staff lines as said (with their
        compliance flags: `flags[i]` for message i when already checked, else checked here).
        Returns the suggestions that drive the cards (see `driving`)."""
        heard, mine = [], []
        for i, (message, found) in enumerate(pairs):
            said = said_at(message.time, self.clock())
            if message.speaker == CUSTOMER:
                heard.append(self.record_customer(message.text, found or Suggestions(message.text), said))
            else:
                mine.append(self.staff_said(message.text, flags[i] if flags else None, said))
        return driving(heard), mine

    def stranger(self, messages: list[ChatMessage]) -> str | None:
        """The customer-side name of a chat when it is not the selected customer (or none is)."""
        names = [m.name for m in messages if m.speaker == CUSTOMER and m.name]
        if not names:
            return None
        current = (self.customer or {}).get("name") or ""
        other = next((n for n in names if not same_person(n, current)), None)
        return other

    @classmethod
    def resume(cls, record: dict, events: list[dict], **services: Any) -> "LiveSession":
        """Carry on a session that was left open (quit with 稍后继续, or the app was killed): same
        id, step, furthest step, topics and cards used."""
        session = cls(**services)
        session.session_id = record["id"]
        steps = [e.get("step") for e in events if e.get("step") in STEP_ORDER]
        session.step = steps[-1] if steps else STEP_ORDER[0]
        session.furthest = furthest_of([*steps, record.get("furthest_step")]) or session.step
        session.reached = steps_of([*steps, *(record.get("steps") or ()), session.step])
        session.topics = list(record.get("topics") or [])
        for e in events:
            if e.get("speaker") == "customer" and e.get("type") == "line":
                session.heard.update(heard_variables(e.get("text") or ""))
                session._recall_match((e.get("matches") or [{}])[0].get("card_id"))
        session.cards_used = list(dict.fromkeys([*(record.get("cards_used") or []),
                                                 *(e["used_card"] for e in events if e.get("used_card"))]))
        return session

    def resumed_cards(self, events: list[dict]) -> Suggestions | None:
        """The cards of the customer's last lines, matched again for a resumed session (they were
        on screen when it was left); None when the customer said nothing. Logs nothing."""
        return driving([self.suggest(text) for text in last_said(events)])

    # -------------------------------------------------------------- my own lines

    def check_line(self, text: str) -> tuple[Any, ...]:
        """Compliance flags for a line I am about to send; logs nothing (the UI asks first)."""
        return tuple(self.check(text, self.library))

    def staff_said(self, text: str, flags: tuple | None = None, said: str | None = None) -> StaffLine:
        """Log my own line with its compliance flags (`flags` when the UI already checked it, so a
        line is checked once; `said` as in record_customer); tick the current step's key points."""
        flags = self.check_line(text) if flags is None else tuple(flags)
        ticked = self._tick(text)
        self._log("staff", text, type="line", flags=[_flag_id(f) for f in flags], **({"said": said} if said else {}))
        return StaffLine(text, flags, ticked)

    def use(self, suggestion: Suggestion, edited_text: str | None = None, flags: tuple | None = None) -> StaffLine:
        """Log that I sent this suggestion (as is, or edited: `flags` when the UI already checked
        the edit); move forward to the card's next step (never back: see `_advance`). A tip for
        staff is never sent: ValueError."""
        if not suggestion.for_customer:
            raise ValueError(STAFF_TIP)
        text = edited_text if edited_text is not None else suggestion.reply
        edited = edited_text is not None and edited_text.strip() != suggestion.reply.strip()
        flags = (self.check_line(text) if flags is None else tuple(flags)) if edited else ()
        ticked = self._tick(text)
        self._log("staff", text, type="use", used_card=suggestion.card_id, edited=edited,
                  flags=[_flag_id(f) for f in flags])
        if suggestion.card_id not in self.cards_used:
            self.cards_used.append(suggestion.card_id)
        self._advance(suggestion.next_step, reason=f"用了「{suggestion.title}」")
        return StaffLine(text, flags, ticked, edited)

    def note(self, text: str) -> None:
        self._log("staff", text, type="note")

    # -------------------------------------------------------------- end

    def end(self, outcome: str, make_followups: Callable[..., list[dict]] | None = None) -> list[FollowupDue]:
        """Close the session with its outcome; create and return the follow-ups the rules call for.
        A resolving outcome (成交) also marks done the customer's open follow-ups of earlier sessions
        (kept in `resolved`, for undo)."""
        if outcome not in OUTCOMES:
            raise ValueError(f"结果要写 {'、'.join(OUTCOMES)}")
        now = self.clock()
        self._log("system", f"结束：{outcome}", type="end")
        customer = self.customer or {}
        self.history.end_session(
            self.session_id, ended=now.isoformat(timespec="seconds"), outcome=outcome,
            furthest_step=self.furthest, steps=steps_of(self.reached), topics=list(self.topics),
            cards_used=list(self.cards_used), customer_id=customer.get("id"), segment=customer.get("segment"),
        )
        self.ended = outcome
        self.resolved = resolve_earlier_followups(self.history, customer.get("id"), self.session_id, self.staff,
                                                  outcome, now)
        records = (make_followups or session_end_followups)(self.library, self.customer, self.session_id, outcome, now)
        return [self._save_followup(r) for r in records]

    def _save_followup(self, record: dict) -> FollowupDue:
        if self.staff and self.staff.get("id"):
            record = {**record, "staff_id": self.staff["id"]}  # whose follow-up it is (agenda actions)
        saved = self.history.add_followup(**record) or record
        ident = saved.get("id") if isinstance(saved, dict) else saved
        return FollowupDue(record["title"], record["due"], record["rule_id"], record.get("card_id"),
                           record.get("scenario_id"), ident)


# ------------------------------------------------------------------ helpers


def _clip(text: str) -> tuple[str, str | None]:
    if len(text) <= MAX_MATCH_CHARS:
        return text, None
    return text[:MAX_MATCH_CHARS], f"粘贴的内容有 {len(text)} 字，只用前 {MAX_MATCH_CHARS} 字来匹配。"


def _number_or_text(value: str) -> Any:
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() and "." not in value else number


def _flag_id(flag: Any) -> str:
    return getattr(flag, "rule_id", None) or str(flag)


__all__ = [
    "COMMANDS", "MAX_MATCH_CHARS", "OUTCOMES", "RESUME_DAYS", "STAFF_TIP", "ChecklistItem", "Command",
    "FollowupDue", "LiveSession", "StaffLine", "Suggestion", "Suggestions", "covered_unless_negated",
    "end_stored_session", "help_text", "parse_command", "pick_response", "repeats_last_question",
    "staff_names", "unfinished_sessions",
]


def merged_search(matcher: Any, query: str, top: int) -> list:
    """The whole line, and each clause of a long line on its own (a long message dilutes the
    words that matter); the best score per card wins, spans shifted into the whole line. A
    clause's sure card the whole line did not make sure is a guess when the learned topic opinion,
    reading the whole line, doubts its topic (`Matcher.opinion`: 你们这个手续也太麻烦了吧，我来了三趟了
    还没办完 showed 手机银行安全吗 sure from its first clause). scripts/eval_match.py --live measures it."""
    if not query.strip():
        return []
    whole = matcher.search(query, top=top)
    best = {m.card_id: m for m in whole}
    for start, clause in split_clauses(query, offsets=True) if len(query) > CLAUSE_MIN else ():
        for m in matcher.search(clause, top=top):
            if m.card_id not in best or m.score > best[m.card_id].score:
                spans = tuple((a + start, b + start) for a, b in (getattr(m, "spans", None) or ()))
                best[m.card_id] = replace(m, spans=spans) if is_dataclass(m) else m
    _judged_by_the_whole_line(matcher, query, whole, best)
    ranked = sorted(best.values(), key=lambda m: -m.score)
    # The learned topic opinion's guess for the whole line keeps its last place: ranked by its low
    # lexical score, a clause's cards would push it out, and with it what the model adds to real lines.
    guess = next((m for m in whole if getattr(m, "learned", False) and best[m.card_id] is m), None)
    if guess is not None and getattr(ranked[0], "tier", "") != "sure" and guess not in ranked[:top]:
        ranked = [m for m in ranked if m is not guess][:top - 1] + [guess]
    return ranked[:top]


def _judged_by_the_whole_line(matcher: Any, query: str, whole: list, best: dict) -> None:
    """The cards clauses found (in `best`, by card id) as the whole line sees them. By the learned
    topic opinion of the whole line (`Matcher.opinion`): a sure one the whole line did not make sure
    is a guess below `learnedtopic.BACKS_AT`; one the whole line did not show is left out below
    `learnedtopic.CLAUSE_AT` (a topic the opinion does not know is left as it is). And a guess the
    whole line did not show goes when the whole line shows none (`Matcher.hides_guesses`: thanks,
    an errand, relief — 太感谢你们了，如果不是你们及时阻止我，…就被诈骗电话骗去了 found fraud in a clause)."""
    from assistant.core.language import learnedtopic

    opinion = getattr(matcher, "opinion", None)
    shown = {m.card_id: m for m in whole}
    from_clauses = [(card_id, m) for card_id, m in best.items() if shown.get(card_id) is not m]
    if opinion is None or not from_clauses:
        return
    p = opinion(query)
    sure = {m.card_id for m in whole if getattr(m, "tier", "") == "sure"}
    hides = getattr(matcher, "hides_guesses", None)
    quiet = bool(hides and hides(query))
    for card_id, m in from_clauses:
        topic = getattr(m, "topic", None)
        if topic in p and card_id not in shown and p[topic] < learnedtopic.CLAUSE_AT:
            del best[card_id]
            continue
        if topic in p and getattr(m, "tier", "") == "sure" and card_id not in sure and is_dataclass(m) and p[topic] < learnedtopic.BACKS_AT:
            m = best[card_id] = replace(m, tier="maybe")
        if quiet and card_id not in shown and getattr(m, "tier", "") != "sure":
            del best[card_id]
