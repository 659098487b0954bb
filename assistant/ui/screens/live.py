"""实战: type or paste what the customer said, get the right card rendered for this customer,
copy it with one key. The screen only draws; `assistant.core.live.session.LiveSession` decides."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label

from assistant.core.live.session import LiveSession, Suggestion, Suggestions, parse_command
from assistant.core.playbooks.models import STEP_ORDER
from assistant.ui.guard import Guarded
from assistant.ui.screens.customer_picker import CustomerPicker
from assistant.ui.screens.live_commands import LiveCommands, completions
from assistant.ui.screens.live_ending import SessionEnds
from assistant.ui.screens.live_matching import CustomerLines
from assistant.ui.screens.live_remember import RememberLine
from assistant.ui.screens.live_replies import OwnLines
from assistant.ui.screens.live_stranger import StrangerChat
from assistant.ui.widgets.chat import ChatLog
from assistant.ui.widgets.chat_input import BREAK, ChatInput
from assistant.ui.widgets.customer import CustomerPanel
from assistant.ui.widgets.footer import KeyFooter
from assistant.ui.widgets.quiet import FullMapCompositor
from assistant.ui.widgets.steps import Checklist, StepTracker
from assistant.ui.widgets.suggestion import SuggestionList

#: A whole line that acts on the cards while they are shown: 1⏎ 2⏎ 3⏎ copy, e⏎ edits.
CARD_KEYS = ("1", "2", "3", "e")
NO_CARDS_TO_PICK = ("「{key}」没有当成客户的话：现在没有可选的话术。先粘贴或输入客户说的话，回车后再输入 1、2、3 选用；"
                    "客户真说了这个数，请写完整（如「要3年的」）。")

#: Input placeholder when entering the customer's lines (False) or my own (True).
PLACEHOLDERS = {False: "粘贴或输入客户说的话，回车；/help 看命令", True: "输入我说的话（会先做合规检查），回车"}


def _too_long(text: str) -> str | None:
    """Why a pasted text is refused (a line longer than a command-line argument may be), or None."""
    from assistant.core.errors import InputError
    from assistant.core.textsafe import check_line_lengths

    try:
        check_line_lengths(text.splitlines(), "粘贴的内容")
    except InputError as exc:
        return str(exc)
    return None


class LiveScreen(Guarded, RememberLine, LiveCommands, StrangerChat, CustomerLines, OwnLines, SessionEnds, Screen):
    """One live conversation at a time; `session` is None until the services are loaded."""

    #: The input takes keys from the first frame: typed while the app starts, they are not lost
    #: to the first focusable widget (the cards) before on_mount's focus() lands.
    AUTO_FOCUS = "#say"

    # 1/2/3/e act on the cards only as a whole line (1⏎): a bare key would swallow a customer
    # line typed by hand that starts with it (1年期…), so they are words, never keys.
    BINDINGS = [
        # first: shown only while there is a line to remember (check_action), then it matters most
        Binding("f8", "remember_line", "记住这句", tooltip="教练没认出的客户原话，记成刚用的卡片的一种说法"),
        # shown except while F8 takes its place (check_action); the hidden ctrl+l below works always
        Binding("ctrl+l", "search_shown", "搜话术库", tooltip="教练没把握时：带着客户这句话去话术库找卡片，用后可按 F8 记住"),
        Binding("ctrl+t", "toggle_speaker", "客户/我", tooltip="切换：输入的是客户说的，还是我说的"),
        Binding("ctrl+y", "adopt_named", "换客户", show=False,
                tooltip="聊天记录里的那位客户：还没选客户时选上（没有就新建）；这次已是别人时问你要不要为他另开一次"),
        Binding("ctrl+o", "pick_customer", "选客户", tooltip="选择或新建客户"),
        Binding("ctrl+n", "next_step", "下一步", tooltip="进入八步中的下一步"),
        Binding("ctrl+g", "end", "结束", tooltip="结束本次会话，记录结果，安排跟进"),
        Binding("ctrl+l", "search_library", "搜话术库", show=False, tooltip="用客户刚说的话在话术库里搜（可以改关键词）"),
        Binding("ctrl+b", "toggle_side", "侧栏", show=False, tooltip="窄屏时显示/隐藏客户与要点侧栏"),
    ]
    #: Left out of a narrow footer first (the step line above says ctrl+n 下一步), before 结束.
    FOOTER_SPARE = ("next_step",)

    class Matched(Message):
        """The matching worker's answer for input number `seq` (stale ones are dropped)."""

        def __init__(self, seq: int, text: str, suggestions: Suggestions) -> None:
            super().__init__()
            self.seq, self.text, self.suggestions = seq, text, suggestions

    class ChatMatched(Message):
        """The matching worker's answer for a pasted chat: each message with its suggestions."""

        def __init__(self, seq: int, pairs: list, flags: list | None = None) -> None:
            super().__init__()
            #: `flags[i]`: compliance flags of message i, checked when it was pasted (once).
            self.seq, self.pairs, self.flags = seq, pairs, flags

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
        self._compositor = FullMapCompositor()  # one layout pass per Enter, not one and a half
        #: The running conversation (None until the library has loaded).
        self.session: LiveSession | None = None
        #: The suggestions on screen, in key order 1–3.
        self.shown: tuple[Suggestion, ...] = ()
        #: What those suggestions answer (its query line is kept when they are redrawn).
        self.shown_for = Suggestions(query="")
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
        #: That chat's messages with their cards and flags, kept so ctrl+y can log them in a new session.
        self.pasted: tuple[list, list | None] | None = None
        #: This conversation had lines of its own before that chat (then ctrl+y asks, never moves it).
        self.logged_before_paste = False
        #: A follow-up to open once the services are ready (from the home agenda).
        self.pending_followup: dict | None = None
        #: Customer lines sent and not yet drawn: (seq, text, time), drawn with their cards.
        self.unmatched: list[tuple[int, str, str]] = []
        #: Enter was pressed while the library loaded: the box is sent once it is ready.
        self.enter_while_loading = False
        #: ctrl+o was pressed while the library loaded: where the box's text ended then (what is
        #: typed after it is the name to search for); the picker opens once the library is ready.
        self.pick_while_loading: int | None = None
        #: That picker's search when a dialog was up once loaded: it opens when the dialog closes.
        self.pick_after_dialog: str | None = None

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
        self.chat.reserve(self.CHAT_ROWS)
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
        query = self._take_pick_query()
        self._send_kept_line()
        if query is not None:
            self._open_kept_picker(query)

    def _send_kept_line(self) -> None:
        """The line entered while loading is sent now, as if Enter were pressed again; not under a
        dialog (who is using the app, a session to resume: its answer decides which session the
        line belongs to), then it waits in the box and the user is told to press Enter."""
        box = self.query_one(ChatInput)
        if self.enter_while_loading and box.value.strip():
            if self.app.screen is self:
                box.post_message(ChatInput.Submitted(box, box.value))
            else:
                self.notify("话术库好了：回答完这个对话框，在输入框回车发送刚才那句。", timeout=10)
        self.enter_while_loading = False

    def _take_pick_query(self) -> str | None:
        """After ctrl+o while loading: what was typed after it, taken out of the box (the picker's
        search, not a customer line); None when ctrl+o was not pressed."""
        if self.pick_while_loading is None:
            return None
        box = self.query_one(ChatInput)
        at, self.pick_while_loading = min(self.pick_while_loading, len(box.value)), None
        query = box.value[at:].replace(BREAK, " ").strip()
        box.value = box.value[:at]
        box.cursor_position = len(box.value)
        return query

    def _open_kept_picker(self, query: str) -> None:
        """ctrl+o pressed while loading opens the picker now, searching what was typed after it;
        under a dialog (who is using the app, a session to resume), once that dialog is answered."""
        if self.app.screen is self:
            self._open_picker(query)
        else:
            self.pick_after_dialog = query

    def on_screen_resume(self) -> None:
        """Back from a dialog: a picker kept from loading opens now (the answer may have resumed a
        session: the customer picked then corrects whom it is with, as ctrl+o always does)."""
        query, self.pick_after_dialog = self.pick_after_dialog, None
        if query is not None and self.session is not None:
            self.call_after_refresh(self._open_picker, query)

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

    # The widgets an Enter updates, each looked up once: a DOM query walks the whole screen.
    @cached_property
    def chat(self) -> ChatLog:
        return self.query_one(ChatLog)

    @cached_property
    def suggestions(self) -> SuggestionList:
        return self.query_one(SuggestionList)

    @cached_property
    def _steps(self) -> tuple[StepTracker, Checklist]:
        return self.query_one(StepTracker), self.query_one(Checklist)

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
            if self.pick_while_loading is None:
                self.enter_while_loading = True
                self.notify("话术库还在加载，好了就自动发送这句。", severity="warning")
            else:  # typed after ctrl+o: a name to search for, not a customer line
                self.notify("话术库还在加载，好了就打开选客户，用刚输入的字搜。", severity="warning")
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
        """Pick or create the customer of this conversation (pressed while loading: once loaded)."""
        if self.session is None:
            if self.pick_while_loading is None:
                self.pick_while_loading = len(self.query_one(ChatInput).value)
            self.notify("话术库还在加载，好了就打开选客户；现在输入的字会用来搜客户。", severity="warning")
            return
        self._open_picker()

    def _open_picker(self, query: str = "") -> None:
        history = self.services.history
        customers = history.list_customers() if hasattr(history, "list_customers") else []
        segments = dict(self.services.library.taxonomy.segments) if self.services.library.taxonomy else {}
        today = self.services.clock().date()
        self.app.push_screen(CustomerPicker(customers, segments, query, today), self._customer_picked)

    def _customer_picked(self, customer: dict | None) -> None:
        if customer is None:
            return
        if not customer.get("id"):
            customer = self.services.history.add_customer(**customer)
        earlier = (self.session.customer or {}) if self.session.session_id else {}
        self.session.set_customer(customer)
        self.query_one(CustomerPanel).show(customer, self.services.library.segment_label, self.services.clock().date())
        if earlier.get("id") and earlier.get("id") != customer.get("id"):
            # picking corrects whom this conversation is with; the next customer starts after ctrl+g
            self.chat.add("system", f"这次对话改记在「{customer['name']}」名下（原来是{earlier.get('name')}）。"
                                    "接待下一位客户：先 ctrl+g 结束这一位。")
        else:
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

    def _refresh_steps(self) -> None:
        if self.session is None:
            return
        s = self.session
        items = s.checklist()
        hint = f"要点 {sum(i.done for i in items)}/{len(items)}（ctrl+b）· ctrl+n 下一步" if items else "ctrl+n 下一步"
        tracker, checklist = self._steps
        tracker.show([(c, s.step_label(c)) for c in STEP_ORDER], s.step, s.furthest, hint)
        checklist.show(s.step_label(s.step), items)

