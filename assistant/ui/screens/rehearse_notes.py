"""The note under a customer line on the rehearse screen: what happened, in a few words (the
feedback panel gives the reasons). Split from rehearse.py: it reads only the run and the library."""

from __future__ import annotations

KIND_NOTES = {"objection": "客户提出了顾虑", "won_back": "客户被你说动了", "end": "对话结束",
              "poor": "没打动客户", "reaction": "客户对你这句话有反应"}
#: The note under a customer line a reaction rule decided (details in the feedback panel).
REACTION_NOTES = {"compliance": "客户起了疑心（合规）", "unsuitable": "客户拒绝了不合适的产品", "pushy": "客户觉得你在推销",
                  "listed": "客户没听懂（只罗列了关键词）", "echoed": "你重复了客户的话",
                  "ignored": "你没接客户的话", "number": "客户追问数字的来源",
                  "answers": "客户回答了你问的情况"}


def customer_note(run, library, customer) -> str:
    """What happened, in a few words; an objection names its topic (so the trainee knows what to
    answer), a reaction the rule behind it."""
    reactions = run.transcript[-2].reactions if len(run.transcript) >= 2 else []
    if customer.kind in ("reaction", "hangup"):
        rule = next((r["rule"] for r in reactions if r["effect"] in ("blocks", "ends", "asks", "answers")), None)
        if rule in REACTION_NOTES:
            return REACTION_NOTES[rule] + (f"，{hung_up(run)}" if customer.kind == "hangup" else "")
    if customer.kind == "end" and any(r["effect"] == "agrees" for r in reactions):
        return f"约好了时间，对话结束（{customer.outcome}）"
    if customer.kind == "end" and any(r["effect"] == "closes" for r in reactions):
        return f"你收了线，客户道别，对话结束（{customer.outcome}）"
    note = f"客户{hung_up(run)}" if customer.kind == "hangup" else KIND_NOTES.get(customer.kind, "")
    if customer.kind == "objection" and customer.objection:
        note += f"：{library.topic_label(customer.objection)}"
    return note


def hung_up(run) -> str:
    """挂断 only on the phone: a WeChat or counter customer just stops (found in tmux, 邹先生 in WeChat)."""
    return "挂断了" if run.scenario.channel == "phone" else "不聊了"
