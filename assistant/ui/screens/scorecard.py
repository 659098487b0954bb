"""The scorecard at the end of a rehearsal: total, per step, per skill, the two or three things to
practise next (already queued for drill), and the transcript. Returns what to do next."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from assistant.core.labels import run_end_label
from assistant.core.playbooks.models import STEP_ORDER
from assistant.core.rehearse.scorecard import ALL_PASSED_TITLE, SKILLS_TITLE, STEPS_TITLE, practise_title, verdict
from assistant.ui.widgets.footer import KeyFooter
from assistant.ui.widgets.zhtext import ZhStatic

#: Result of the dialog: go drill, play again (new seed), pick another scenario; None = close.
DRILL, RESTART, PICK = "drill", "restart", "pick"


def _bar(score: int | None, width: int = 10) -> Text:
    if score is None:
        return Text("—  没练到", style="dim")
    full = round(score / 100 * width)
    return Text("█" * full + "░" * (width - full) + f" {score}", style="green" if score >= 80 else "yellow")


def _label(text: str, cells: int) -> str:
    """`text` padded to `cells` terminal cells (Chinese characters take two)."""
    return "  " + text + " " * max(1, cells - cell_len(text))


#: Under the result of a run given up: it is not scored anywhere else.
UNSCORED = "没练完（客户还没结束通话）：不计入 PK 榜、得分趋势和平均分。"


def scorecard_text(card, library, queued: int = 0, pass_mark: int = 80) -> Text:
    """The whole scorecard as one Text (it scrolls)."""
    out = Text()
    out.append(f"总分 {card.total}  ", style="bold")
    style = "bold yellow" if not card.finished else "bold green" if card.passed else "bold red"
    out.append(verdict(card, pass_mark), style=style)
    out.append(f"\n结果：{run_end_label(card.outcome, card.finished)} · 回复 {card.replies} 句 · 用了提示 {card.hints} 次"
               f" · 合规提醒 {card.flags} 次\n")
    if not card.finished:  # the total above is this run's feedback only
        out.append(UNSCORED + "\n", style="dim")
    _practise(out, card, queued, pass_mark)
    _skills(out, card)
    _steps(out, card, library)
    _transcript(out, card)
    return out


def _steps(out: Text, card, library) -> None:
    if not card.steps:
        return
    out.append(f"\n{STEPS_TITLE}\n", style="bold underline")
    labels = {step: library.step_label(step) for step in card.steps}
    width = max(cell_len(label) for label in labels.values()) + 2
    for step in sorted(card.steps, key=STEP_ORDER.index):
        out.append(_label(labels[step], width))
        out.append_text(_bar(card.steps[step]))
        out.append("\n")


def _skills(out: Text, card) -> None:
    out.append(f"\n{SKILLS_TITLE}\n", style="bold underline")
    width = max((cell_len(s["label"]) for s in card.skills.values()), default=0) + 2
    for skill in card.skills.values():
        out.append(_label(skill["label"], width))
        out.append_text(_bar(skill["score"]))
        out.append("\n")


def _practise(out: Text, card, queued: int, pass_mark: int) -> None:
    if practise_title(card, pass_mark) == ALL_PASSED_TITLE:  # the screen can offer a harder customer (n)
        out.append(f"\n{ALL_PASSED_TITLE}，可以换个难度更高的客户（n）\n", style="bold green")
        return
    if not card.practise:
        return
    out.append(f"\n{practise_title(card, pass_mark)}\n", style="bold underline")
    labels = [p.label for p in card.practise]
    for i, p in enumerate(card.practise, 1):
        where = _where(card, p) if labels.count(p.label) > 1 else ""
        out.append(f"  {i}. {p.label}", style="bold")
        out.append(f"{where}\n", style="dim")
        out.append(f"     {p.why}\n")
    if queued:
        out.append(f"  已放进你的强化练习（{queued} 题，今天就能练），按 d 现在去练。\n", style="green")


def _where(card, practice) -> str:
    """Which moment of the call a step means, when two practise items share a step name."""
    for turn in card.transcript:
        customer = turn["customer"]
        if customer.get("node_id") == practice.node_id and customer.get("card_id") == practice.card_id:
            text = customer["text"]
            return f"（客户说「{text[:14]}{'…' if len(text) > 14 else ''}」时）"
    return ""


def _transcript(out: Text, card) -> None:
    """Every line; under each reply its score, what it missed and any red line (exam mode sees
    this for the first time here)."""
    out.append("\n对话记录\n", style="bold underline")
    for turn in card.transcript:
        out.append("客户：", style="bold cyan")
        out.append(f"{turn['customer']['text']}\n")
        if turn.get("reply") is None:
            continue
        out.append("我：", style="bold green")
        out.append(f"{turn['reply']}\n")
        if turn.get("score"):
            _turn_score(out, turn["score"])


def _turn_score(out: Text, score: dict) -> None:
    total = score["total"]
    out.append(f"   {total}分", style="green" if score.get("passed") else "yellow")
    missed = "；".join(label for _, label in score.get("missed", []))  # labels hold 、 themselves
    if missed:
        out.append(f"，漏：{missed}", style="dim")  # no space: the list then wraps in place
    out.append("\n")
    for flag in score.get("flags", []):  # warnings too: 「合规提醒 N 次」 above counts them
        mark, style = ("✗合规", "red") if flag.get("severity") == "error" else ("⚠提醒", "yellow")
        out.append(f"   {mark}「{flag['quote']}」可以这样说：{flag['safer']}\n", style=style)


class ScorecardScreen(ModalScreen[str | None]):
    """Read-only; the keys say what comes next. Wider than the small dialogs: it holds a transcript."""

    DEFAULT_CSS = """
    ScorecardScreen #rh-scorecard {
        width: 90%; max-width: 110; height: 90%;
        padding: 0 1; border: round $primary; background: $surface;
    }
    ScorecardScreen #rh-card-body { height: 1fr; }
    """

    BINDINGS = [
        Binding("d", "pick('drill')", "去强化练习", tooltip="现在就练这次没练好的地方"),
        Binding("r", "pick('restart')", "再来一次", tooltip="同一场景和客户，换个种子"),
        Binding("n", "pick('pick')", "换场景", tooltip="选另一个场景或客户"),
        Binding("escape", "pick('')", "关闭", tooltip="回到对话记录"),
    ]

    def __init__(self, card, library, queued: int = 0, pass_mark: int = 80) -> None:
        super().__init__()
        self.card = card
        self.body = scorecard_text(card, library, queued, pass_mark)

    def compose(self) -> ComposeResult:
        with Vertical(id="rh-scorecard"):
            yield Label("演练成绩单", classes="dialog-title")
            with VerticalScroll(id="rh-card-body"):
                yield ZhStatic(self.body, id="rh-card-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#rh-card-body").focus()

    def action_pick(self, what: str) -> None:
        """Close with what to do next ('' = just close)."""
        self.dismiss(what or None)
