"""The feedback side panel of 演练: the score of my last reply, compliance with safer wording,
what I missed (and, when I named a key word only to wave it away, why it did not count), each
covered key point with my own words that earned it, the model reply and style.
`marked_reply` highlights those words in my chat bubble. It only draws a `ReplyScore`."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll

from assistant.core.rehearse.scoring import shown_quote
from assistant.ui.widgets.zhtext import ZhStatic

#: Style of my words that earned a key point, of words that broke a compliance rule, and of
#: words that named a key point only to negate it (没什么好商量的).
EARNED = "bold reverse green"
BROKE = "bold reverse red"
NEGATED = "bold reverse yellow"


def marked_reply(reply: str, score) -> Text:
    """My reply with the quoted evidence (green), negated key words (yellow) and compliance hits
    (red) marked; later marks win where they overlap."""
    out = Text(reply)
    for n in score.negated:
        if 0 <= n.phrase_start < n.phrase_end <= len(reply):
            out.stylize(NEGATED, n.phrase_start, n.phrase_end)
    for e in score.covered:
        if 0 <= e.start < e.end <= len(reply):
            out.stylize(EARNED, e.start, e.end)
    for f in score.flags:
        start, end = f.span
        if 0 <= start < end <= len(reply):
            out.stylize(BROKE, start, end)
    return out


def _section(out: Text, title: str) -> None:
    out.append(f"\n{title}\n", style="bold underline")


def reply_feedback(score, heading: str, why: str | None = None, reactions=()) -> Text:
    """Everything about one scored reply, in the order a trainee should read it: the verdict,
    why the customer answered as she did, red lines, what to add, what earned points (my own
    words), the model reply, then style."""
    out = Text()
    out.append(f"{heading}  {score.total}分  ", style="bold")
    out.append("✓ 过关" if score.passed else "✗ 未过关", style="bold green" if score.passed else "bold red")
    out.append(f"\n要点 {score.knowledge:.0f} · 表达 {score.style:.0f}\n", style="dim")
    _why(out, why, reactions)
    _compliance(out, score)
    _missed(out, score)
    _covered(out, score)
    if score.model_reply:
        _section(out, "参考说法")
        out.append(score.model_reply + "\n", style="italic")
    _style(out, score)
    return out


def _why(out: Text, why: str | None, reactions) -> None:
    """Why the customer said what she said: the deciding reaction first, then the others."""
    # A reason the customer's turn already gives, whole or up to its 「：」 (a hang-up keeps only what
    # she did), is not listed twice (found in tmux: 「…这已经不是第一次了」 read twice, 秦先生).
    reasons = [r.reason for r in reactions if r.reason and r.reason.split("：")[0].rstrip("。") not in (why or "")]
    if not why and not reasons:
        return
    _section(out, "客户为什么这么说")
    for line in [*(why or "").split("；"), *reasons]:
        if line:
            out.append("→", style="bold cyan")
            out.append(f"{line}\n")


def _compliance(out: Text, score) -> None:
    if not score.flags:
        return
    _section(out, "合规（本句 0 分）" if score.failed_compliance else "合规提醒")
    for f in score.flags:
        out.append("✗", style="bold red")
        out.append(f"「{f.quote}」", style=BROKE)
        out.append(f"{f.message}\n")
        out.append("  可以这样说：", style="green")
        out.append(f"{f.safer}\n")


def _missed(out: Text, score) -> None:
    if score.missed:
        _section(out, "没讲到")
        negated = {n.point_id: n for n in score.negated}
        for point_id, label in score.missed:
            out.append("✗", style="bold red")  # no space: a long CJK label then wraps in place
            out.append(f"{label}\n")
            if point_id in negated:
                _negated(out, negated[point_id])
    if score.copied >= 0.4:
        out.append("✗大部分照抄了客户原话\n", style="red")


def _negated(out: Text, n) -> None:
    """Why a key word I did say earned nothing: my words (yellow), then what they did to it."""
    out.append("  ")
    out.append(f"「{n.phrase}」", style=NEGATED)
    out.append(f"是在否定“{n.quote}”，不算数\n")


def _covered(out: Text, score) -> None:
    if not score.covered:
        return
    _section(out, "讲到了（你的原话）")
    for e in score.covered:
        out.append("✓", style="bold green")
        out.append(e.label)
        out.append(shown_quote(e), style=EARNED if e.start != e.end else "dim")
        out.append("\n")


def _style(out: Text, score) -> None:
    if not score.style_checks:
        return
    _section(out, "表达")
    for c in score.style_checks:
        out.append("✓" if c.passed else "✗", style="green" if c.passed else "red")
        out.append(f"{c.why}\n", style="" if c.passed else "bold")


class FeedbackPanel(VerticalScroll):
    """One Static inside a scroll; the screen calls `show_*` and never writes styles itself."""

    can_focus = False
    #: What the panel shows now, as plain text (tests and screen readers read it).
    plain = ""

    def compose(self):
        yield ZhStatic(id="fb-text")

    def _put(self, content: Text | str) -> None:
        self.plain = content.plain if isinstance(content, Text) else content
        self.query_one("#fb-text", ZhStatic).update(content)
        self.scroll_home(animate=False)

    def show_reply(self, score, number: int, why: str | None = None, reactions=()) -> None:
        """The feedback on reply `number` (1-based), with why the customer answered as she did."""
        self.set_class(score.passed, "-passed")
        self.set_class(not score.passed, "-failed")
        self._put(reply_feedback(score, f"第{number}句", why, reactions))

    def show_note(self, text: str | Text) -> None:
        """A plain note (how it works, exam mode, the end)."""
        self.remove_class("-passed", "-failed")
        self._put(text)
