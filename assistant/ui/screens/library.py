"""话术库: browse every card and scenario by kind, topic, segment and step; search as you type
with the live matcher (customer lines and marketer questions alike); preview a card rendered for
the current customer or for the examples; send a card to 实战 (ctrl+y); list and remove the
customer lines the branch remembered (类别「记住的说法」, Del)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from assistant.core.errors import CoachError
from assistant.core.playbooks.models import STEP_ORDER
from assistant.ui.screens.live_remember import MatcherRebuilt, current, regrown, save_regrown, swap_matcher
from assistant.ui.widgets.footer import KeyFooter
from assistant.ui.widgets.zhtext import ZhStatic

SCENARIO = "scenario:"
FILE = "file:"
#: Option ids of remembered customer lines, and the kind filter that lists them.
REMEMBERED = "remembered:"
REMEMBERED_KIND = "remembered"
#: Kinds whose files are worth reading whole (not only their cards).
FILE_KINDS = ("segment", "activity", "role", "compliance", "followup", "group_fix", "conversion")
#: Model fields shown in a file preview, with their headings.
FILE_FIELDS = (("summary", "说明"), ("profile", "客群画像"), ("recommend", "推荐"), ("activities", "活动"),
               ("rhythm", "节奏"), ("duties", "职责"), ("checklist", "清单"), ("stages", "三个阶段"),
               ("tiers", "群分层"), ("rules", "规则"), ("forbidden", "不能说"), ("disclosures", "必须提示"),
               ("assist_steps", "辅管群五步法"), ("intimacy_ladder", "亲密度阶梯"))
#: Playbook kinds as staff call them.
KIND_LABELS = {"conversion": "八步转化", "objection": "异议处理", "group_fix": "社群经营", "segment": "客群",
               "followup": "跟进", "compliance": "合规", "scenario": "演练场景", "activity": "活动与联盟", "role": "岗位职责",
               REMEMBERED_KIND: "记住的说法"}


class LibraryScreen(Screen):
    """Filters on the left, the list in the middle, the preview on the right."""

    #: One row per card: a wrapped topic label read as a separate card in a narrow list.
    DEFAULT_CSS = """
    LibraryScreen #lib-list {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS = [
        Binding("ctrl+f", "focus_search", "搜索", tooltip="按意思搜索话术（和实战同一个匹配器）"),
        Binding("ctrl+t", "toggle_examples", "示例/客户", tooltip="预览用当前客户的信息，还是用示例值"),
        Binding("ctrl+r", "rehearse", "去演练", tooltip="在演练模式打开选中的场景"),
        Binding("ctrl+y", "use_in_live", "用这张", tooltip="把选中的卡片带回实战，按 1 回车使用"),
        Binding("delete", "forget_line", "删除这句", show=False, tooltip="删除列表里选中的记住的说法（类别「记住的说法」）"),
    ]

    class Searched(Message):
        """The search worker's card ids for query number `seq` (no 可能是 here: a search is not a customer line)."""

        def __init__(self, seq: int, ids: list[str]) -> None:
            super().__init__()
            self.seq, self.ids = seq, ids

    def __init__(self) -> None:
        super().__init__()
        #: Preview with example values (True) or the live customer's details (False).
        self.examples = False
        self.seq = 0
        self.services = None
        #: The card or scenario id in the preview.
        self.current: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="搜索：输入客户的原话或关键词，如「利息太低」", id="lib-search")
        with Horizontal(id="lib-filters"):
            yield Select([], prompt="全部类别", id="f-kind")
            yield Select([], prompt="全部话题", id="f-topic")
            yield Select([], prompt="全部客群", id="f-segment")
            yield Select([], prompt="全部步骤", id="f-step")
        with Horizontal(id="lib-body"):
            yield OptionList(id="lib-list")
            with VerticalScroll(id="lib-preview-box"):
                yield ZhStatic("选一张卡片看预览。", id="lib-preview")  # 。，：never start a line
        yield KeyFooter()

    def on_mount(self) -> None:
        self.app.when_ready(self, self._ready)

    def _ready(self, services) -> None:
        self.services = services
        lib = services.library
        kinds = sorted({ref.kind for ref in lib.cards.values()} | ({"scenario"} if lib.scenarios else set())
                       | {ref.kind for ref in lib.files.values() if ref.kind in FILE_KINDS}) + [REMEMBERED_KIND]
        self.query_one("#f-kind", Select).set_options([(KIND_LABELS.get(k, k), k) for k in kinds])
        topics = lib.taxonomy.topics.items() if lib.taxonomy else ()
        self.query_one("#f-topic", Select).set_options([(t.label, code) for code, t in topics])
        segments = lib.taxonomy.segments.items() if lib.taxonomy else ()
        self.query_one("#f-segment", Select).set_options([(label, code) for code, label in segments])
        self.query_one("#f-step", Select).set_options([(lib.step_label(c), c) for c in STEP_ORDER])
        self.refill()

    # ------------------------------------------------------------ listing

    def _filters(self) -> dict:
        values = {}
        for name in ("kind", "topic", "segment", "step"):
            select = self.query_one(f"#f-{name}", Select)
            values[name] = None if select.is_blank() else select.value
        return values

    def refill(self, ids: list[str] | None = None) -> None:
        """List the cards that fit the filters (in search order when `ids` is given)."""
        if self.services is None:
            return
        lib, f = self.services.library, self._filters()
        if f["kind"] == REMEMBERED_KIND:
            self._list_remembered()
            return
        fitting = {ref.id for ref in lib.cards_of(**f)} if f["kind"] != "scenario" else set()
        order = ids if ids is not None else list(lib.cards)
        options = [Option(self._card_line(lib.cards[i]), id=i) for i in order if i in fitting]
        if ids is None and not (f["topic"] or f["step"]):
            options += self._extra_options(f["kind"], f["segment"])
        listing = self.query_one(OptionList)
        listing.set_options(options or [Option("没有符合条件的卡片。", disabled=True)])
        if options:
            listing.highlighted = 0
        else:  # nothing listed: the last card's preview would read as a result
            self.current = ""
            self.query_one("#lib-preview", Static).update("没有符合条件的卡片。换个说法，或清空筛选。")

    def _extra_options(self, kind: str | None, segment: str | None) -> list[Option]:
        """Scenarios and whole playbook files (segment profiles, role duties, rules) to browse."""
        lib = self.services.library
        options = []
        if kind in (None, "scenario"):
            options += [Option(Text(f"演练场景  {s.title}", style="italic"), id=SCENARIO + sid)
                        for sid, s in lib.scenarios.items() if not segment or any(p.segment == segment for p in s.personas)]
        for ref in lib.files.values():
            fits_segment = not segment or getattr(ref.model, "segment", None) == segment
            if ref.kind in FILE_KINDS and kind in (None, ref.kind) and fits_segment:
                label = KIND_LABELS.get(ref.kind, ref.kind)
                options.append(Option(Text.assemble((ref.model.title, "italic"), (f"  {label}·全文", "dim")), id=FILE + ref.id))
        return options

    def _card_line(self, ref) -> Text:
        card = ref.card
        text = Text(card.title, style="bold")
        label = self.services.library.topic_label(card.topic) if card.topic else KIND_LABELS.get(ref.kind, ref.kind)
        text.append(f"  {label}", style="dim")
        return text

    def on_select_changed(self) -> None:
        self.on_input_changed(None)

    def on_input_changed(self, event) -> None:
        query = self.query_one("#lib-search", Input).value.strip()
        self.seq += 1
        if not query:
            self.refill()
        elif self.services is not None:
            self.search(self.seq, query)

    @work(exclusive=True, thread=True, group="library-search", exit_on_error=False)
    def search(self, seq: int, query: str) -> None:
        """The live matcher over the library (top 20); posts the ids, changes nothing."""
        matches = self.services.matcher.search(query, top=20)
        self.post_message(self.Searched(seq, [m.card_id for m in matches]))

    def on_library_screen_searched(self, message: Searched) -> None:
        if message.seq == self.seq:
            self.refill(message.ids)

    # ------------------------------------------------------------ preview

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.preview(event.option.id)

    def preview(self, item_id: str) -> None:
        """Draw the card (or scenario) rendered for the live customer or for the examples."""
        target = self.query_one("#lib-preview", Static)
        self.current = item_id
        if item_id.startswith(SCENARIO):
            target.update(self._scenario_text(item_id[len(SCENARIO):]))
        elif item_id.startswith(REMEMBERED):
            target.update(self._remembered_text(item_id[len(REMEMBERED):]))
        elif item_id.startswith(FILE):
            target.update(file_text(self.services.library.files[item_id[len(FILE):]].model))
        elif item_id in self.services.library.cards:
            target.update(self._card_text(self.services.library.cards[item_id].card))

    def preview_card(self, card_id: str) -> None:
        """Show one card (from the home agenda)."""
        if self.services is not None and card_id in self.services.library.cards:
            self.preview(card_id)

    def _variables(self) -> tuple[dict, str]:
        lib = self.services.library
        live = self._live_session()
        if live is not None and not self.examples:
            name = (live.customer or {}).get("name")
            return live.variables, f"按当前客户「{name}」填写" if name else "实战还没选客户，客户信息显示为【占位】；ctrl+t 看示例"
        # the branch (and values a rule sets) as the app knows them, and the signed-in staff member's
        # name: examples stand in for the customer only, never for who is speaking
        known = getattr(self.services.renderer, "defaults", {}) or {}
        examples = {k: spec.example for k, spec in lib.variables.items() if k not in known}
        staff = (getattr(self.app, "staff", None) or {}).get("name")
        return {**examples, **({"staff_name": staff} if staff else {})}, "按示例值填写"

    def _live_session(self):
        for screen in self.app._screen_stacks.get("live", []):
            if getattr(screen, "session", None) is not None:
                return screen.session
        return None

    def _card_text(self, card) -> Text:
        render = self.services.renderer.render
        variables, how = self._variables()
        text = Text(card.title + "\n", style="bold")
        meta = [self.services.library.topic_label(card.topic) if card.topic else "",
                self.services.library.step_label(card.step) if card.step else ""]
        text.append("  ".join(m for m in meta if m) + f"  （{how}）\n", style="dim")
        if card.summary:
            text.append(card.summary + "\n")
        for r in card.responses:
            text.append(f"\n【{r.label or '话术'}】", style="bold")
            text.append(render(r.text, variables, source=card.id).text.strip() + "\n")
        if card.follow_up:
            text.append(f"\n→ 接着问：{render(card.follow_up, variables, source=card.id).text}\n", style="italic")
        for kp in card.key_points:
            text.append(f"\n☐ {kp.label}", style="")
        if card.triggers:
            text.append("\n\n客户常这样说：" + "；".join(card.triggers[:6]), style="dim")
        return text

    def _scenario_text(self, scenario_id: str) -> Text:
        s = self.services.library.scenario(scenario_id)
        text = Text(f"演练场景：{s.title}\n", style="bold")
        if s.summary:
            text.append(s.summary + "\n")
        for p in s.personas:
            text.append(f"\n· {p.title}（{p.difficulty}）")
        text.append("\n\n按 ctrl+r 在演练模式打开", style="dim")
        return text

    # ------------------------------------------------------------ actions

    def search_for(self, text: str) -> None:
        """Put `text` in the search box (searching as if typed) and focus it to reword."""
        box = self.query_one("#lib-search", Input)
        box.value = text
        box.focus()

    def action_focus_search(self) -> None:
        self.query_one("#lib-search", Input).focus()

    def action_toggle_examples(self) -> None:
        """Switch the preview between the live customer's details and example values."""
        self.examples = not self.examples
        if self.current:
            self.preview(self.current)

    def action_rehearse(self) -> None:
        """Open the highlighted scenario in rehearse mode."""
        listing = self.query_one(OptionList)
        option = listing.get_option_at_index(listing.highlighted) if listing.highlighted is not None else None
        if option is None or not (option.id or "").startswith(SCENARIO):
            self.notify("先在列表里选一个「演练场景」。", severity="warning")
            return
        self.app.open_scenario(option.id[len(SCENARIO):])


    def action_use_in_live(self) -> None:
        """Send the highlighted card to 实战, shown there ready to use (1⏎)."""
        card_id = self._highlighted_id()
        if card_id.startswith(REMEMBERED):
            card_id = self._remembered(card_id[len(REMEMBERED):]).get("card_id", "")
        if card_id not in (self.services.library.cards if self.services else {}):
            self.notify("先在列表里选一张卡片。", severity="warning")
            return
        live = next((s for s in self.app._screen_stacks.get("live", []) if hasattr(s, "show_card_from_library")), None)
        if live is None or getattr(live, "session", None) is None:
            self.notify("实战还没有打开：先按 F2 进入实战。", severity="warning")
            return
        self.app.switch_mode("live")
        live.show_card_from_library(card_id)

    def _highlighted_id(self) -> str:
        listing = self.query_one(OptionList)
        option = listing.get_option_at_index(listing.highlighted) if listing.highlighted is not None else None
        return (option.id or "") if option is not None else ""

    # ------------------------------------------------------------ remembered lines

    def _list_remembered(self) -> None:
        from assistant.core.remembered import list_remembered

        lib = self.services.library
        options = []
        for r in reversed(list_remembered(self.services.history)):
            ref = lib.cards.get(r["card_id"])
            line = Text(f"「{r['text']}」", style="bold")
            line.append(f"  → {ref.card.title if ref else '（卡片已不在）'}", style="dim")  # staff see titles, never ids
            options.append(Option(line, id=REMEMBERED + r["id"]))
        listing = self.query_one(OptionList)
        listing.set_options(options or [Option("还没有记住任何一句。实战里教练没认出客户的话时，从这里找到卡片、ctrl+y 带回去使用，再按 F8 记住。", disabled=True)])
        if options:
            listing.highlighted = 0

    def _remembered(self, ident: str) -> dict:
        from assistant.core.remembered import list_remembered

        return next((r for r in list_remembered(self.services.history) if r["id"] == ident), {})

    def _remembered_text(self, ident: str) -> Text:
        r = self._remembered(ident)
        if not r:
            return Text("这句已经删除了。")
        ref = self.services.library.cards.get(r["card_id"])
        text = Text(f"「{r['text']}」\n", style="bold")
        text.append(f"\n提示卡片：{ref.card.title if ref else '（卡片已不在）'}")
        when = (r.get("time") or "")[:16].replace("T", " ")
        text.append(f"\n记住的人：{r.get('by_name') or '未知'}  {when}")
        text.append(f"\n编号：{r['id']}")
        text.append("\n\nDel 删除这句；ctrl+y 把卡片带回实战。导出给别的网点：coach triggers export 目录", style="dim")
        return text

    def action_forget_line(self) -> None:
        """Remove the highlighted remembered line; the matcher forgets it at once."""
        from assistant.core import remembered

        item = self._highlighted_id()
        if not item.startswith(REMEMBERED):
            self.notify("先把类别选成「记住的说法」，再选中要删除的一句。", severity="warning")
            return
        try:
            gone = remembered.forget(self.services.history, item[len(REMEMBERED):])
        except CoachError as exc:
            self.notify(str(exc), severity="error")
            return
        self.forgetting = gone["text"]
        self.refill()
        self.rebuild_matcher()

    #: The removed line, said as out of force once the matcher without it is swapped in.
    forgetting: str | None = None

    @work(exclusive=True, thread=True, group="remember", exit_on_error=False)
    def rebuild_matcher(self) -> None:
        """The matcher without the removed line, off the event loop: cut from the one in use
        (~0.2 s, ~0.7 s the first time), then its caches written for the next start."""
        message = regrown(self.services)
        self.post_message(message)
        if message.matcher is not None:
            save_regrown(message.matcher)

    def on_matcher_rebuilt(self, message: MatcherRebuilt) -> None:
        if current(self.services, message):
            swap_matcher(self.app, self.services, message.matcher)
        elif message.matcher is not None:
            return  # a later change is being taken in: its message says when
        gone, self.forgetting = self.forgetting, None
        if gone is not None:
            self.notify(f"已删除「{gone}」，教练不再按这句提示。" if message.matcher is not None
                        else f"已删除「{gone}」，下次打开教练时生效。")


def file_text(model) -> Text:
    """A whole playbook file as staff read it: its title, then each list it holds."""
    text = Text(model.title + "\n", style="bold")
    for field, heading in FILE_FIELDS:
        value = getattr(model, field, None)
        if not value:
            continue
        text.append(f"\n【{heading}】\n", style="bold")
        for item in value if isinstance(value, list) else [value]:
            text.append(f"· {_item_line(item)}\n")
    return text


def _item_line(item) -> str:
    """One list item: a plain string, or the readable fields of a rule/recommendation."""
    if isinstance(item, str):
        return item.strip()
    parts = [getattr(item, k, None) for k in ("title", "label", "product", "id")]
    head = next((p for p in parts if p), "")
    detail = [getattr(item, k, None) for k in ("why", "goal", "purpose", "message", "action", "safer")]
    timing = [f"{getattr(item, k)}{unit}" for k, unit in (("days", "天"), ("hours", "小时")) if getattr(item, k, None)]
    return "：".join(x for x in [head, "；".join(str(d).strip() for d in detail if d) + " ".join(timing)] if x)
