"""The dashboard's panels as Rich renderables: bars and sparklines drawn with block characters
(robust in any terminal, stable in snapshots), from the plain dict of assistant.core.review.numbers."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from assistant.core.labels import abandoned_note
from assistant.core.playbooks.models import STEP_ORDER
from assistant.ui.screens.review_rows import Names

EIGHTHS = " ▏▎▍▌▋▊▉"
SPARKS = "▁▂▃▄▅▆▇█"
KIND_STYLE = {"live": "green", "practice": "cyan"}
CIRCLED = "①②③④⑤⑥⑦⑧"


def bar(value: float, top: float, width: int, style: str = "green") -> Text:
    """A horizontal bar `value/top` of `width` cells, in eighths of a cell."""
    eighths = int(round(8 * width * value / top)) if top else 0
    full, part = divmod(eighths, 8)
    text = Text("█" * full + (EIGHTHS[part] if part else ""), style=style)
    text.append(" " * max(0, width - text.cell_len))
    return text


def spark(values: list[float | None], low: float = 0, high: float = 100) -> Text:
    """One block per value (a gap for None), height by where it sits in [low, high]."""
    out = Text()
    for v in values:
        if v is None:
            out.append("·", style="dim")
        else:
            level = int((min(max(v, low), high) - low) / (high - low or 1) * (len(SPARKS) - 1))
            out.append(SPARKS[level], style="cyan")
    return out


def _table(*columns: str, **kw) -> Table:
    table = Table(box=None, pad_edge=False, padding=(0, 1), show_header=True, header_style="dim", **kw)
    for c in columns:
        table.add_column(c, no_wrap=True)
    return table


def funnel_panel(d: dict, names: Names, inner: int = 76) -> Table:
    """Each step: how many live and practice sessions reached it (bars) and stopped there.

    `inner` is the panel's width in cells; the bars get what the labels and numbers leave.
    """
    live, practice = d["funnel"]["live"], d["funnel"]["practice"]
    top = max(max(r["reached"] for r in live), max(r["reached"] for r in practice), 1)
    digits = len(str(top))
    width = max(4, min(24, (inner - 20 - 4 * (digits + 1) - 8) // 2))
    table = _table("步骤", f"实战 {d['kinds']['live']}", "停", f"练习 {d['kinds']['practice']}", "停")
    for i, (a, b) in enumerate(zip(live, practice)):
        table.add_row(f"{CIRCLED[i]}{names.step(a['step'])}",
                      bar(a["reached"], top, width, "green") + Text(f" {a['reached']}"), str(a["stopped"]),
                      bar(b["reached"], top, width, "cyan") + Text(f" {b['reached']}"), str(b["stopped"]))
    return table


def _shape(funnel: list[dict]) -> Text:
    """Eight blocks: the share of the group's sessions that reached each step."""
    total = funnel[0]["reached"] or max((r["reached"] for r in funnel), default=0)
    values = [100 * r["reached"] / total if total else None for r in funnel]
    return spark(values)


def _stopped_most(funnel: list[dict], names: Names) -> str:
    """The step before 成交 where most sessions ended (ending at 成交 or after is no leak)."""
    leaks = funnel[: STEP_ORDER.index("close")]
    row = max(leaks, key=lambda r: r["stopped"])
    return names.step(row["step"]) if row["stopped"] else ""


def groups_panel(groups: list[dict], names: Names, top: int = 8) -> Table:
    """Per staff member or segment: live and practice counts, the funnel's shape, where most stopped."""
    table = _table("", "实战", "①→⑧", "多卡在", "练习", "①→⑧")
    for g in groups[:top]:
        live, practice = g["funnel"]["live"], g["funnel"]["practice"]
        table.add_row(g["label"], str(g["live"]), _shape(live) if g["live"] else Text("—", style="dim"),
                      _stopped_most(live, names), str(g["practice"]),
                      _shape(practice) if g["practice"] else Text("—", style="dim"))
    if not groups:
        table.add_row(Text("没有会话", style="dim"))
    return table


def topics_panel(rows: list[dict], names: Names, width: int = 14) -> Table:
    """Objection topics raised this week vs last week."""
    top = max([r["this_week"] for r in rows] + [r["last_week"] for r in rows] + [1])
    table = _table("异议话题", "本周至今", "", "上周同期", "变化")
    for r in rows:
        change = r["change"]
        arrow = Text(f"↑{change}", style="red") if change > 0 else Text(f"↓{-change}", style="green") if change < 0 else Text("=", style="dim")
        table.add_row(names.topic(r["topic"]), bar(r["this_week"], top, width, "yellow"), str(r["this_week"]),
                      str(r["last_week"]), arrow)
    if not rows:
        table.add_row(Text("本周至今和上周同期都没有记录到异议", style="dim"))
    return table


def clipped(title: str, width: int = 14) -> str:
    """A card title cut to `width` characters says it goes on (定期利息和理财业绩比较基准…), where
    a bare cut read as a whole title (…比较基准怎)."""
    return title if len(title) <= width else title[:width - 1] + "…"


def _won_table(d: dict, names: Names) -> Table:
    won = _table("成交时用过的卡片", "成交", "用过", "成交率")
    for r in d["winning_cards"][:6]:
        won.add_row(clipped(names.card(r["card_id"])), str(r["won"]), str(r["used"]), f"{r['win_rate']:.0%}")
    return won


def cards_panel(d: dict, names: Names, progress: int | None = None) -> Group:
    """Cards used in sessions that ended 成交, and cards shown but never used."""
    won = _won_table(d, names)
    cards = d.get("cards")
    if cards is None:
        note = "正在统计出现过的卡片…" + (f" {progress}%" if progress is not None else "")
        return Group(won, Text(""), Text(note, style="dim italic"))
    never = _table("出现过、从没用过", "出现")
    for r in cards["never_used"][:6]:
        never.add_row(clipped(names.card(r["card_id"])), str(r["shown"]))
    if not cards["never_used"]:
        never.add_row(Text("每张出现过的卡都用过", style="dim"), "")
    rate = f"{cards['used'] / cards['shown']:.0%}" if cards["shown"] else "—"
    summary = Text(f"建议 {cards['shown']} 次 · 采用 {cards['used']} 次（{rate}）· 改过再用 {cards['edited']} 次", style="dim")
    window = Text(f"（{d['cards_window']}）", style="dim") if d.get("cards_window") else Text("")
    return Group(won, Text(""), never, summary + window)


def scores_panel(trend: dict) -> Table:
    """Each staff member's weekly average rehearsal score, as a sparkline, with the latest."""
    first = trend["weeks"][0][5:] if trend["weeks"] else ""
    values = [v for r in trend["staff"] for v in r["weeks"] if v is not None]
    low, high = (min(values) - 5, max(values) + 5) if values else (0, 100)  # one scale for everyone
    table = _table("员工", f"{first} 起每周", "最近", "变化", "不计分")
    for r in trend["staff"]:
        seen = [v for v in r["weeks"] if v is not None]
        last = seen[-1] if seen else None
        change = seen[-1] - seen[-2] if len(seen) > 1 else None
        arrow = "" if change is None else (f"↑{change:g}" if change > 0 else f"↓{-change:g}" if change < 0 else "=")
        table.add_row(r["name"], spark(r["weeks"], low, high), "" if last is None else f"{last:g}", arrow,
                      Text(abandoned_note(r.get("abandoned", 0)), style="dim"))
    if not trend["staff"]:
        table.add_row(Text("这几周没有演练", style="dim"))
    return table


def streaks_panel(rows: list[dict]) -> Table:
    table = _table("员工", "连续天数", "练过天数", "卡片", "今天到期", "最长连对")
    for r in rows:
        table.add_row(r["name"], Text(f"{r['days']} 天", style="bold green" if r["days"] >= 3 else ""),
                      str(r["drill_days"]), str(r["items"]), str(r["due"]), str(r["best_item_streak"]))
    if not rows:
        table.add_row(Text("还没有强化练习", style="dim"))
    return table


def _rate(cell: dict, width: int = 10) -> Text:
    if not cell["due"]:
        return Text("—", style="dim")
    style = "green" if cell["rate"] >= 0.8 else "yellow" if cell["rate"] >= 0.5 else "red"
    return bar(cell["on_time"], cell["due"], width, style) + Text(f" {cell['rate']:.0%} ({cell['on_time']}/{cell['due']})")


def followups_panel(d: dict) -> Table:
    """Share of 24 h first contacts and 72 h results done on time, overall and per staff member."""
    table = _table("", "24小时首次回访", "72小时出结果")
    overall = d["overall"]
    table.add_row(Text("全部", style="bold"), _rate(overall["24h"]), _rate(overall["72h"]))
    for r in d["by_staff"]:
        table.add_row(r["name"], _rate(r["24h"]), _rate(r["72h"]))
    return table


def overview(d: dict) -> Text:
    outcomes = {}
    for counts in d["outcomes"].values():
        for k, v in counts.items():
            outcomes[k] = outcomes.get(k, 0) + v
    parts = " · ".join(f"{k} {v}" for k, v in sorted(outcomes.items(), key=lambda kv: -kv[1]))
    imported = f"，其中导入 {d['imported']}" if d.get("imported") else ""
    line = f"{d['sessions']} 个会话（实战 {d['kinds']['live']}{imported}，练习 {d['kinds']['practice']}）· {parts}"
    return Text(line + open_note(d))


def open_note(d: dict) -> str:
    """Says that open sessions are counted as far as they got, as the sessions list shows them."""
    if not d.get("open"):
        return ""
    unread = f"；其中较早的 {d['open_unread']} 个没有读步骤，漏斗里算作未到达" if d.get("open_unread") else ""
    return f"\n未结束的 {d['open']} 个也计入漏斗和话题，按目前到达的步骤算（和会话列表的「到达」一致）{unread}"



# ------------------------------------------------------------------ the team view on a staff PC
# Staff see the team's numbers but no colleague by name, and their PC holds colleagues' session
# records only (no transcripts, no follow-ups): what needs those says so instead of showing a 0.

#: What a staff PC cannot count for colleagues.
NOT_HERE = "同事的明细不在本机（只有网点负责人的电脑有），这一项团队合计看不到；按 t 看我的。"


def note(text: str) -> Text:
    return Text(text, style="dim italic")


def team_scores_panel(trend: dict) -> Table:
    """One row for the whole team: each week's average of the staff members' weekly averages."""
    rows = trend["staff"]
    weeks = [[r["weeks"][i] for r in rows if r["weeks"][i] is not None] for i in range(len(trend["weeks"]))]
    team = {"name": f"团队（{len(rows)} 人）", "abandoned": sum(r.get("abandoned", 0) for r in rows),
            "weeks": [round(sum(v) / len(v), 1) if v else None for v in weeks]}
    return scores_panel({"weeks": trend["weeks"], "staff": [team] if rows else []})


def team_streaks_panel(rows: list[dict]) -> Table:
    """How many practised, how many keep a streak, the team's cards and what is due (nobody named)."""
    table = _table("", "练过的人", "连续≥3天", "卡片", "今天到期")
    if not rows:
        table.add_row(Text("还没有强化练习", style="dim"))
        return table
    table.add_row(Text("团队", style="bold"), str(sum(r["drill_days"] > 0 for r in rows)),
                  str(sum(r["days"] >= 3 for r in rows)), str(sum(r["items"] for r in rows)),
                  str(sum(r["due"] for r in rows)))
    return table


def team_cards_panel(d: dict, names: Names) -> Group:
    """Cards in sessions that ended 成交 (session records: every PC's); suggestions need transcripts."""
    won = _won_table(d, names)
    return Group(won, Text(""), note("建议、采用次数和没人用的卡要读对话：" + NOT_HERE))
