"""实战: type or paste what the customer said, get the right card rendered for this customer,
copy it with one key. The screen only draws; `assistant.core.live.session.LiveSession` decides."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label

from assistant.core.errors import CoachError
from assistant.core.live.chat import CUSTOMER, ChatMessage
from assistant.core.live.session import (COMMANDS, STAFF_TIP, Command, LiveSession, Suggestion, Suggestions,
                                         parse_command)
from assistant.core.playbooks.models import STEP_ORDER
from assistant.ui.guard import Guarded, problem_text
from assistant.ui.screens.customer_picker import CustomerPicker
from assistant.ui.screens.live_dialogs import PLACEHOLDER, ComplianceScreen, EditReplyScreen, OutcomeScreen
from assistant.ui.screens.live_remember import RememberLine
from assistant.ui.widgets.chat import ChatLog
from assistant.ui.widgets.chat_input import BREAK, ChatInput
from assistant.ui.widgets.commands_help import commands_help, with_commands
from assistant.ui.widgets.customer import CustomerPanel
from assistant.ui.widgets.steps import Checklist, StepTracker
from assistant.ui.widgets.suggestion import SuggestionCard, SuggestionList
from assistant.ui.widgets.footer import KeyFooter

#: A whole line that acts on the cards while they are shown: 1⏎ 2⏎ 3⏎ copy, e⏎ edits.
CARD_KEYS = ("1", "2", "3", "e")
NOTHING_FITS = "没有找到把握够的话术（都低于匹配线）。按 ctrl+l 带着这句话去话术库改关键词搜，或用 /card 关键词。"
NO_CARDS_TO_PICK = ("「{key}」没有当成客户的话：现在没有可选的话术。先粘贴或输入客户说的话，回车后再输入 1、2、3 选用；"
                    "客户真说了这个数，请写完整（如「要3年的」）。")
ACKNOWLEDGED = "客户只是在应答，不是异议，不用话术。趁热往下走：问一句本步还没问到的要点，或按 ctrl+n 进入下一步。"

#: Input placeholder when entering the customer's lines (False) or my own (True).
PLACEHOLDERS = {False: "粘贴或输入客户说的话，回车；/help 看命令", True: "输入我说的话（会先做合规检查），回车"}
CLIPBOARD_NOTE = "已复制（若终端不支持剪贴板，请手动选中复制）"


def completions() -> list[str]:
    """What the input completes: every /command, plus /step and /end with their arguments."""
    steps = ["/step 主动关怀", "/step 提问及解析", "/step 问题总结与引导改善", "/step 引入方案",
             "/step 推荐产品", "/step 回应异议", "/step 成交", "/step 未成交沉淀"]
    ends = ["/end 成交", "/end 未成交", "/end 待跟进"]
    takes_arg = {name for name, (usage, _) in COMMANDS.items() if " " in usage}
    return [*(f"/{name}{' ' if name in takes_arg else ''}" for name in COMMANDS), *steps, *ends]


def _too_long(text: str) -> str | None:
    """Why a pasted text is refused (a line longer than a command-line argument may be), or None."""
    from assistant.core.errors import InputError
    from assistant.core.textsafe import check_line_lengths

    try:
        check_line_lengths(text.splitlines(), "粘贴的内容")
    except InputError as exc:
        return str(exc)
    return None


class LiveScreen(Guarded, RememberLine, Screen):
    """One live conversation at a time; `session` is None until the services are loaded."""

    # 1/2/3/e act on the cards only as a whole line (1⏎): a bare key would swallow a customer
    # line typed by hand that starts with it (1年期…), so they are words, never keys.
    BINDINGS = [
        Binding("ctrl+t", "toggle_speaker", "客户/我", tooltip="切换：输入的是客户说的，还是我说的"),
        Binding("ctrl+y", "adopt_named", "换客户", show=False, tooltip="换成聊天记录里的那位客户（没有就新建）"),
        Binding("ctrl+o", "pick_customer", "选客户", tooltip="选择或新建客户"),
        Binding("ctrl+n", "next_step", "下一步", tooltip="进入八步中的下一步"),
        Binding("ctrl+g", "end", "结束", tooltip="结束本次会话，记录结果，安排跟进"),
        Binding("ctrl+l", "search_library", "搜话术库", show=False, tooltip="用客户刚说的话在话术库里搜（可以改关键词）"),
        Binding("f8", "remember_line", "记住这句", show=False, tooltip="教练没认出的客户原话，记成刚用的卡片的一种说法"),
        Binding("ctrl+b", "toggle_side", "侧栏", show=False, tooltip="窄屏时显示/隐藏客户与要点侧栏"),
    ]

    class Matched(Message):
        """The matching worker's answer for input number `seq` (stale ones are dropped)."""

        def __init__(self, seq: int, text: str, suggestions: Suggestions) -> None:
            super().__init__()
            self.seq, self.text, self.suggestions = seq, text, suggestions

    class ChatMatched(Message):
        """The matching worker's answer for a pasted chat: each message with its suggestions."""

        def __init__(self, seq: int, pairs: list) -> None:
            super().__init__()
            self.seq, self.pairs = seq, pairs

    class Shown(Message):
        """Suggestions for input number `seq` are painted (the benchmark times Enter → this)."""

        def __init__(self, seq: int) -> None:
            super().__init__()
            self.seq = seq

    class PublishFailed(Message):
        """The background publish to the team folder after a session's end failed: `problem` says why."""

        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    def __init__(self) -> None:
        super().__init__()
        #: The running conversation (None until the library has loaded).
        self.session: LiveSession | None = None
        #: The suggestions on screen, in key order 1–3.
        self.shown: tuple[Suggestion, ...] = ()
        #: Which suggestion `e` edits (the clicked one, else the first).
        self.selected = 0
        #: Earlier follow-ups the last /end marked done (/undo puts them back).
        self.settled: list = []
        #: True when the next line I enter is my own (else the customer's).
        self.me = False
        #: Number of the last customer line sent to matching, and of the last one drawn.
        self.seq = 0
        self.shown_seq = 0
        #: What the customer said last (ctrl+l searches the library with it).
        self.last_customer_line = ""
        #: The customer-side name of the last pasted chat when it is not the selected customer.
        self.named: str | None = None
        #: A follow-up to open once the services are ready (from the home agenda).
        self.pending_followup: dict | None = None
        #: Customer lines sent and not yet drawn: (seq, text, time), drawn with their cards.
        self.unmatched: list[tuple[int, str, str]] = []

    def compose(self) -> ComposeResult:
        yield StepTracker(id="steps")
        with Horizontal(id="live-body"):
            with Vertical(id="live-main"):
                yield ChatLog(id="chat")
                yield SuggestionList(id="suggestions")
            with Vertical(id="side"):
                yield CustomerPanel(id="customer")
                yield Checklist(id="checklist")
        with Horizontal(id="input-row"):
            yield Label("客户说▸", id="speaker")
            yield ChatInput(completions(), free_keys="", keep_bursts=True, placeholder="正在加载话术库…",
                            id="say")
        yield KeyFooter()

    #: Bubbles kept on screen (the history keeps every line): fewer widgets, cheaper layout per Enter.
    CHAT_ROWS = 8

    def on_mount(self) -> None:
        self.app.live_screen = self
        self.chat.MAX_ROWS = self.CHAT_ROWS
        self.query_one(CustomerPanel).show(None)
        self.query_one("#suggestions").display = False
        self.query_one(ChatInput).focus()
        self.app.when_ready(self, self._ready)

    def _ready(self, services) -> None:
        self.services = services
        self.session = self._new_session(None)
        self.query_one(ChatInput).placeholder = PLACEHOLDERS[False]
        self._show_intro()
        self._refresh_steps()
        if self.pending_followup is not None:
            self.open_followup(self.pending_followup)

    def open_followup(self, item: dict) -> None:
        """Work a follow-up from the home agenda: its customer selected, its card drawn for that
        customer and the signed-in staff member."""
        if self.session is None:
            self.pending_followup = item
            return
        self.pending_followup = None
        if self.has_open_session():
            self.notify("先结束当前的实战（ctrl+g），再处理这条跟进。", severity="warning")
            return
        customer = self.services.history.get_customer(item["customer_id"]) if item.get("customer_id") else None
        if customer is not None:
            self._customer_picked(customer)
        if item.get("card_id"):
            self.chat.add("coach", f"跟进：{item.get('title', '')}")
            found = Suggestions(query="", items=(self.session.suggestion_for(item["card_id"]),))
            self._show_suggestions(found, empty="")

    def _new_session(self, customer: dict | None) -> LiveSession:
        s = self.services
        return LiveSession(s.library, s.matcher, s.renderer, s.history, staff=self.app.staff, customer=customer,
                           clock=s.clock, check=s.check, covered=s.covered)

    def _show_intro(self) -> None:
        self.chat.add("coach", "粘贴客户说的话（或整段微信聊天）回车，我给话术；输入 1、2、3 回车复制那条，"
                               "e 回车改后用。ctrl+t 切换「我说」，/help 看命令。")

    @property
    def chat(self) -> ChatLog:
        return self.query_one(ChatLog)

    def _now(self) -> str:
        """Bubble time from the services' clock (fixed in tests and snapshots)."""
        return (self.services.clock() if self.session else datetime.now()).strftime("%H:%M")

    # ------------------------------------------------------------ input

    def on_input_submitted(self, event: ChatInput.Submitted) -> None:
        box = self.query_one(ChatInput)
        text = box.take(event.value)
        if not text:
            return
        if self.session is None:
            self.notify("话术库还在加载，请稍等一下再回车。", severity="warning")
            box.value = text.replace("\n", BREAK)  # a paste keeps its line breaks as ↵
            box.cursor_position = len(box.value)  # typing on adds to it, not before it
            return
        if self.shown and text in CARD_KEYS:
            self.action_edit() if text == "e" else self.action_use(int(text))
            return
        too_long = _too_long(text)
        if too_long:  # nothing that size is logged: say which line, let them paste it shorter
            self.chat.add("system", too_long)
            return
        if text.strip() in CARD_KEYS or text.strip().isdigit():  # a key pressed with no cards, not words
            self.chat.add("system", NO_CARDS_TO_PICK.format(key=text.strip()))
            return
        command = parse_command(text)
        getattr(self, f"_cmd_{command.name}")(command)

    def _cmd_say(self, command: Command) -> None:
        if self.me:
            self._own_line(command.arg)
            return
        messages = self.session.read_chat(command.arg)
        if len(messages) == 1 and not messages[0].name:
            self._customer_line(messages[0].text)
        elif messages:
            self._chat_paste(messages)

    def _cmd_me(self, command: Command) -> None:
        self._own_line(command.arg)

    def _cmd_error(self, command: Command) -> None:
        self.chat.add("system", with_commands(command.error or ""))

    def _cmd_undo(self, command: Command) -> None:
        from assistant.core.live.closing import undo_resolved

        count = undo_resolved(self.services.history, self.settled)
        self.settled = []
        self.chat.add("system", f"已撤销：{count} 个跟进恢复为未完成。" if count else "没有可以撤销的跟进。")

    def _cmd_help(self, command: Command) -> None:
        self.chat.add("coach", commands_help())

    def _cmd_customer(self, command: Command) -> None:
        self.action_pick_customer()

    def _cmd_next(self, command: Command) -> None:
        self.action_next_step()

    def _cmd_end(self, command: Command) -> None:
        self._finish(command.value)

    def _cmd_note(self, command: Command) -> None:
        self.session.note(command.arg)
        self.chat.add("system", f"备注：{command.arg}", self._now())

    def _cmd_step(self, command: Command) -> None:
        try:
            self.session.set_step(command.arg)
        except ValueError as exc:
            self.chat.add("system", str(exc))
        self._refresh_steps()

    def _cmd_var(self, command: Command) -> None:
        name, value = command.value
        try:
            key = self.session.set_var(name, value)
        except ValueError as exc:
            self.chat.add("system", str(exc))
            return
        self.chat.add("system", f"已设置 {self.services.library.variable_label(key)} = {value}")
        self._rerender()

    def _cmd_card(self, command: Command) -> None:
        found = self.session.search_cards(command.arg)
        self._note_searched(found)
        self._show_suggestions(found, empty=f"话术库里没有和「{command.arg}」相近的卡片。按 F5 打开话术库浏览。")

    # ------------------------------------------------------------ customer lines

    def _customer_line(self, text: str) -> None:
        """The line is drawn with its cards, in one layout pass (see `on_live_screen_matched`)."""
        self.last_customer_line = text
        self.seq += 1
        self.unmatched.append((self.seq, text, self._now()))
        self.match(self.seq, text)

    def _chat_paste(self, messages: list[ChatMessage]) -> None:
        """A stretch of chat: each message in its own bubble, all logged in order once matched."""
        for m in messages:
            note = m.name or ""
            self.chat.add("customer" if m.speaker == CUSTOMER else "staff", m.text, m.time or self._now(), note)
        customer_lines = [m.text for m in messages if m.speaker == CUSTOMER]
        if customer_lines:
            self.last_customer_line = customer_lines[-1]
        self._warn_stranger(self.session.stranger(messages))
        self.seq += 1
        self.match_chat(self.seq, messages)

    @work(exclusive=True, thread=True, group="match", exit_on_error=False)
    def match_chat(self, seq: int, messages: list[ChatMessage]) -> None:
        """Match every customer message of a pasted chat off the event loop."""
        self.post_message(self.ChatMatched(seq, self.session.suggest_chat(messages)))

    def on_live_screen_chat_matched(self, message: ChatMatched) -> None:
        if message.seq != self.seq:
            return
        found, mine = self.session.record_chat(message.pairs)
        flagged = sum(1 for line in mine if line.flags)
        if flagged:
            self.chat.add("system", f"⚠ 聊天里我说的话有 {flagged} 句含不合规表述，已记录。可在复盘里查看。")
        if found is not None:
            if self.named:  # said again over the cards: the chat log may have scrolled it away
                found = replace(found, notice=f"⚠ 这段聊天的客户是「{self.named}」，不是当前客户。ctrl+y 换成「{self.named}」")
            self._show_suggestions(found, empty=ACKNOWLEDGED if found.acknowledgement else NOTHING_FITS)
        self._refresh_steps()
        self.shown_seq = message.seq
        self._post_shown(message.seq)

    def _warn_stranger(self, name: str | None) -> None:
        """A chat with someone who is not the selected customer: say so, one key to switch."""
        self.named = name
        if name is None:
            return
        current = (self.session.customer or {}).get("name")
        where = f"当前选的是「{current}」" if current else "还没有选客户"
        self.chat.add("system", f"⚠ 聊天里的客户是「{name}」，{where}。按 ctrl+y 换成「{name}」（没有就新建）。")

    def action_adopt_named(self) -> None:
        """Make the customer named in the pasted chat the customer of this conversation."""
        if not self.named or self.session is None:
            self.notify("没有要换的客户。ctrl+o 可以选择或新建客户。", severity="warning")
            return
        from assistant.core.live.chat import same_person

        history = self.services.history
        found = next((c for c in history.list_customers() if same_person(c.get("name", ""), self.named)), None)
        self._customer_picked(found or {"name": self.named})

    @work(exclusive=True, thread=True, group="match", exit_on_error=False)
    def match(self, seq: int, text: str) -> None:
        """Match off the event loop; typing never waits. Only posts the answer."""
        self.post_message(self.Matched(seq, text, self.session.suggest(text)))

    async def on_live_screen_matched(self, message: Matched) -> None:
        """Draw the customer's line (and any sent before it whose matching a newer line cut short)
        with the cards of the newest, all in one batch: one layout pass per Enter, not three."""
        if message.seq != self.seq:
            return  # a newer line is being matched: it draws and logs this one too
        with self.app.batch_update():
            for seq, text, when in self.unmatched:
                self.chat.add("customer", text, when)
                if seq != message.seq:  # superseded: logged as said, without cards
                    self._record(text, Suggestions(text))
            self.unmatched.clear()
            found = self._record(message.text, message.suggestions)
            self._note_missed(message.text, found)
            self._show_suggestions(found, empty=ACKNOWLEDGED if found.acknowledgement else NOTHING_FITS)
            self._refresh_steps()
            await self.chat.settled()  # a bubble mounted (the conversation's first lines) is in that pass
        self.shown_seq = message.seq
        self._post_shown(message.seq)

    def _post_shown(self, seq: int) -> None:
        """Post Shown after the paint of what was just drawn. The widgets ask the screen for that
        layout pass from their own tasks, so the screen may not know of it yet when the callback
        is queued (it would run at once, before the paint); asking here puts it after the pass."""
        self.refresh(repaint=False, layout=True)
        self.call_after_refresh(self.post_message, self.Shown(seq))

    def _record(self, text: str, suggestions: Suggestions) -> Suggestions:
        """Log the customer's line; when the history cannot be written, say so and still show the cards."""
        try:
            return self.session.record_customer(text, suggestions)
        except (OSError, CoachError) as exc:
            self.show_problem(problem_text(exc) or str(exc))
            return suggestions

    def _show_suggestions(self, found: Suggestions, empty: str) -> None:
        self.shown, self.selected = found.items[:3], 0
        self.query_one(SuggestionList).show(found, empty)

    def _rerender(self) -> None:
        """After /var or a new customer, draw the same cards with the new details."""
        if self.shown:
            items = tuple(self.session.suggestion_for(s.card_id, s.score) for s in self.shown)
            items = tuple(replace(n, matched=o.matched, spans=o.spans, tier=o.tier, trigger=o.trigger)
                          for n, o in zip(items, self.shown))
            self._show_suggestions(Suggestions(query="", items=items), empty="")

    def on_suggestion_card_chosen(self, message: SuggestionCard.Chosen) -> None:
        self.selected = message.card.index - 1
        self.query_one(SuggestionList).select(message.card.index)

    # ------------------------------------------------------------ my own lines

    def _own_line(self, text: str) -> None:
        flags = self.session.check_line(text)
        if flags:
            self.app.push_screen(ComplianceScreen(text, flags), lambda choice: self._after_warning(choice, text))
            return
        self._send_own(text)

    def _after_warning(self, choice: str, text: str) -> None:
        if choice == "send":
            self._send_own(text)
        else:
            box = self.query_one(ChatInput)
            box.value = (("/me " if not self.me else "") + text).replace("\n", BREAK)
            box.focus()

    def _send_own(self, text: str) -> None:
        line = self.session.staff_said(text)
        note = "⚠ 含不合规表述" if line.flags else ""
        self.chat.add("staff", text, self._now(), note)
        self._refresh_steps()

    def action_use(self, number: int) -> None:
        """Copy suggestion `number` and log it as used."""
        if not 1 <= number <= len(self.shown):
            self.notify(f"没有第{number}条话术。" if self.shown else "现在没有话术。先输入客户说的话。", severity="warning")
            return
        suggestion = self.shown[number - 1]
        if not suggestion.for_customer:
            self.notify(STAFF_TIP, severity="warning")
            return
        if suggestion.missing:  # never paste 【金额】 to a customer: fill it in first
            self._edit(suggestion, f"还有待填：{'、'.join(suggestion.missing)}。改好再用（也可以先 /var 名称=值）。")
            return
        self._use(suggestion, None)

    def _use(self, suggestion: Suggestion, edited: str | None) -> None:
        line = self.session.use(suggestion, edited)
        self.app.copy_to_clipboard(line.text)
        label = "已修改后使用" if line.edited else "已使用"
        self.chat.add("staff", line.text, self._now(), f"{label}「{suggestion.title}」· 已复制")
        self.notify(f"{label}「{suggestion.title}」，{CLIPBOARD_NOTE}")
        if suggestion.follow_up:
            self.chat.add("coach", f"接着问：{suggestion.follow_up}")
        self._refresh_steps()
        self._offer_remember(suggestion)

    def action_edit(self) -> None:
        """Edit the selected suggestion before using it (logged as edited)."""
        if not self.shown:
            self.notify("现在没有可修改的话术。", severity="warning")
            return
        suggestion = self.shown[min(self.selected, len(self.shown) - 1)]
        if not suggestion.for_customer:
            self.notify(STAFF_TIP, severity="warning")
            return
        self._edit(suggestion)

    def _edit(self, suggestion: Suggestion, hint: str = "", text: str | None = None) -> None:
        self.app.push_screen(EditReplyScreen(suggestion.title, text or suggestion.reply, hint),
                             lambda edited: self._edited(suggestion, edited))

    def _edited(self, suggestion: Suggestion, text: str | None) -> None:
        if not text:
            return
        left = PLACEHOLDER.findall(text)
        if left:
            self._edit(suggestion, f"还有没填的{'、'.join(dict.fromkeys(left))}，改掉再用。", text)
            return
        flags = self.session.check_line(text)
        if flags:
            self.app.push_screen(ComplianceScreen(text, flags),
                                 lambda choice: self._use(suggestion, text) if choice == "send" else None)
            return
        self._use(suggestion, text)

    # ------------------------------------------------------------ other actions

    def action_toggle_speaker(self) -> None:
        """Switch between entering the customer's lines and my own."""
        self.me = not self.me
        self._show_speaker()
        self.query_one("#input-row").set_class(self.me, "-me")
        self.query_one(ChatInput).placeholder = PLACEHOLDERS[self.me]

    def _show_speaker(self) -> None:
        """The input's label says whose line it is: 我说, or the customer's name (客户 when none)."""
        name = ((self.session.customer if self.session else None) or {}).get("name") or "客户"
        self.query_one("#speaker", Label).update("我说▸" if self.me else f"{name[:6]}说▸")

    def action_pick_customer(self) -> None:
        """Pick or create the customer of this conversation."""
        if self.session is None:
            self.notify("话术库还在加载，请稍等。", severity="warning")
            return
        history = self.services.history
        customers = history.list_customers() if hasattr(history, "list_customers") else []
        segments = dict(self.services.library.taxonomy.segments) if self.services.library.taxonomy else {}
        self.app.push_screen(CustomerPicker(customers, segments), self._customer_picked)

    def _customer_picked(self, customer: dict | None) -> None:
        if customer is None:
            return
        if not customer.get("id"):
            customer = self.services.history.add_customer(**customer)
        self.session.set_customer(customer)
        self.query_one(CustomerPanel).show(customer, self.services.library.segment_label, self.services.clock().date())
        self.chat.add("system", f"客户：{customer['name']}")
        self._show_speaker()
        self._rerender()

    def action_next_step(self) -> None:
        """Move to the next of the eight steps."""
        if self.session:
            self.session.next_step()
            self._refresh_steps()

    def action_search_library(self) -> None:
        """Open 话术库 with the customer's last line in its search box, to reword it there."""
        self.app.open_library_search(self.last_customer_line)

    def action_toggle_side(self) -> None:
        self.toggle_class("-show-side")

    def action_end(self) -> None:
        """Ask the outcome, then end the session and show the follow-ups."""
        if self.session:
            self.app.push_screen(OutcomeScreen(), self._finish)

    def _finish(self, outcome: str | None) -> None:
        if not outcome:
            return
        due = self.session.end(outcome)
        self._publish()
        lines = [f"本次结束：{outcome}。"]
        lines += [f"· {d.title}：{_when(d.due)} 前" for d in due] or ["不需要安排跟进。"]
        self.settled = list(self.session.resolved)
        if self.settled:
            lines.append(f"之前的 {len(self.settled)} 个跟进已自动标为完成（输入 /undo 撤销）。")
        self.notify(f"已记录：{outcome}" + (f"，安排了 {len(due)} 个跟进" if due else ""))
        self.clear_for_next(lines)

    def clear_for_next(self, summary: list[str] | None = None) -> None:
        """A fresh conversation with nobody: empty transcript and panel, the last outcome kept as one note."""
        self.session = self._new_session(None)
        self.shown, self.named, self.last_customer_line = (), None, ""
        self.chat.remove_children()
        if summary:
            self.chat.add("coach", "\n".join(summary) + "\n可以开始下一位客户了。")
        else:
            self._show_intro()
        self.query_one(CustomerPanel).show(None)
        self._show_speaker()
        self.query_one("#suggestions").display = False
        self._refresh_steps()

    # ------------------------------------------------------------ open sessions (quit, resume)

    def has_open_session(self) -> bool:
        """True when this conversation has logged something and has not ended."""
        return bool(self.session and self.session.session_id and not self.session.ended)

    def open_summary(self) -> str:
        name = (self.session.customer or {}).get("name") if self.session else None
        return f"和{name}的实战" if name else "这次实战"

    def end_quietly(self, outcome: str) -> None:
        """End the open session with its outcome (quitting): follow-ups are made as with /end."""
        self.session.end(outcome)
        self._publish()  # a normal exit waits for it a few seconds (history/background.py)

    def _publish(self) -> None:
        """The session, its end and the follow-ups just made go to the team folder in the
        background: nobody waits for it (over a second with 100k customers)."""
        from assistant.core.history.team import publish_later

        publish_later(self.services.history, report=lambda problem: self.post_message(self.PublishFailed(problem)))

    def on_live_screen_publish_failed(self, message: PublishFailed) -> None:
        self.notify(message.problem, title="团队文件夹", severity="warning")

    def resume(self, record: dict) -> None:
        """Carry on a session left open: same id, customer, step; its last lines back on screen."""
        if self.session is None or self.has_open_session():
            self.notify("先结束当前的实战（ctrl+g），再接着上次的。", severity="warning")
            return
        history = self.services.history
        customer = history.get_customer(record["customer_id"]) if record.get("customer_id") else None
        events = history.events(record["id"])
        s = self.services
        self.session = LiveSession.resume(record, events, library=s.library, matcher=s.matcher, renderer=s.renderer,
                                          history=history, staff=self.app.staff, customer=customer, clock=s.clock,
                                          check=s.check, covered=s.covered)
        self.chat.remove_children()
        for e in [e for e in events if e.get("type") in ("line", "use")][-self.CHAT_ROWS + 1:]:
            self.chat.add(e.get("speaker", "system"), e.get("text", ""), str(e.get("time") or "")[11:16])
        self.chat.add("coach", "接着上次的对话继续。")
        self.query_one(CustomerPanel).show(customer, s.library.segment_label, s.clock().date())
        self._show_speaker()
        self._refresh_steps()

    def _refresh_steps(self) -> None:
        if self.session is None:
            return
        s = self.session
        items = s.checklist()
        hint = f"要点 {sum(i.done for i in items)}/{len(items)}（ctrl+b）· ctrl+n 下一步" if items else "ctrl+n 下一步"
        self.query_one(StepTracker).show([(c, s.step_label(c)) for c in STEP_ORDER], s.step, s.furthest, hint)
        self.query_one(Checklist).show(s.step_label(s.step), items)


def _when(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{moment.month}月{moment.day}日 {moment:%H:%M}"
