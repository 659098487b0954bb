"""Plain-text layout of `coach history stats` (the numbers come from core.history.stats)."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len

from assistant.core.labels import abandoned_note

MODES = {"live": "实战", "rehearse": "演练", "drill": "强化练习"}


def _label(library: Any, kind: str, code: str) -> str:
    try:
        return getattr(library, f"{kind}_label")(code) or code
    except Exception:  # a library that failed to load still lets the numbers print
        return code


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def print_stats(n: dict, library: Any) -> None:
    span = f"{n['since']} 起" if n["since"] else "全部"
    of_them = f"（其中导入的聊天 {n['imported']} 个）" if n.get("imported") else ""
    print(f"统计范围：{span}，会话 {n['sessions']} 个{of_them}，事件 {n['events']} 条\n")
    print("【会话结果】")
    for mode, counts in n["outcomes"].items():
        parts = "  ".join(f"{k} {v}" for k, v in counts.items())
        print(f"  {MODES.get(mode, mode)}：{parts}")
    print("\n【八步漏斗】（到达 / 停在这一步）")
    for mode, steps in n["funnel"].items():
        print(f"  {MODES.get(mode, mode)}：")
        labels = [_label(library, "step", row["step"]) for row in steps]
        width = max((cell_len(label) for label in labels), default=0)
        for label, row in zip(labels, steps):
            pad = " " * (width - cell_len(label))  # Chinese characters take two columns
            print(f"    {label}{pad}  到达 {row['reached']:>6}  停在此步 {row['stopped']:>6}")
    print("\n【常见异议话题】")
    for row in n["topics"] or [{"topic": "（暂无）", "sessions": 0}]:
        print(f"  {_label(library, 'topic', row['topic'])}：{row['sessions']} 个会话")
    c = n["cards"]
    print(f"\n【卡片采用】展示 {c['shown']} 次，采用 {c['used']} 次（{_pct(c['used'], c['shown'])}），"
          f"改过再用 {c['edited']} 次")
    for row in c["cards"]:
        print(f"  {row['card_id']}：展示 {row['shown']}，采用 {row['used']}，改过 {row['edited']}")
    print("\n【演练得分】")
    for row in n["rehearsal_scores"] or [{"name": "（暂无演练）", "sessions": 0, "average": 0, "best": 0}]:
        scored = f"平均 {row['average']}，最好 {row['best']}" if row["sessions"] else "没有练完的"
        given_up = abandoned_note(row.get("abandoned", 0))  # not scored: counted beside
        print(f"  {row['name']}：{row['sessions']} 次，{scored}" + (f"；{given_up}（不计分）" if given_up else ""))
    print("\n【跟进及时率】")
    for key, row in n["followups"].items():
        print(f"  {key[:-1]} 小时跟进：到期 {row['due']} 条，按时完成 {row['on_time']} 条（{_pct(row['on_time'], row['due'])}）")
