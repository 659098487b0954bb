"""Customer lines the engine needs when a scenario has none of its own (staff-facing, Chinese)."""

#: Said after an objection was handled well: the customer comes back to the conversation.
WON_BACK = (
    "嗯，这么说我就明白了，你接着说。",
    "行，这个说得在理。那你继续。",
    "好吧，听你这么一讲我放心点了。",
)
#: A weak answer to an objection whose card has no `doubtful` lines: still not convinced.
DOUBTFUL = (
    "你说的这些，我还是不太放心。",
    "嗯……我还是有点犹豫。",
    "道理我懂，可我心里还是没底。",
)
#: A poor reply at a node without `poor` lines.
POOR = ("嗯……", "这跟我有什么关系？", "你说的我没太听明白。")
#: A node that moves on but names no next node and no end (a content gap): the call winds down.
NO_NEXT = "好的，那先这样吧，回头再说。"
#: An objection raised again when the last answer did not settle it.
AGAIN = "你还是没回答我的问题。"
#: After agreeing to a time at the end of a call.
SEE_YOU = "到时候见。"
#: After agreeing to a time, before asking again what the reply left unanswered.
BY_THE_WAY = "不过，"
