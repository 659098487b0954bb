"""How customers address a staff member: 小王 or 王经理 for a 王小明, never the full name.

Live reads a pasted chat signed with any of these forms as the staff member (live/chat.staff_names);
the rehearsal customer says one of them (`customer_calls`, the `staff_call` template variable).
"""

from __future__ import annotations

import re

#: Two-character surnames common enough to meet at a branch (欧阳娜娜 is 小欧阳, not 小欧).
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "司徒",
                     "夏侯", "令狐", "宇文", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "钟离", "赫连")
#: What customers call staff whose name they do not know (or a role standing in for the name).
NO_NAME = "经理"
#: Role words that stand in for a name (the rehearsal's neutral identity is 客户经理).
ROLES = ("客户经理", "理财经理", "大堂经理", "柜员", "网点负责人")
#: A name that already is a form of address: 小李, 老张, 李经理, 张姐.
ALREADY_CALLED = re.compile(r"[小老][\u4e00-\u9fff]{1,2}|[\u4e00-\u9fff]{1,2}(?:经理|主任|行长|姐|哥)")
HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def surname(name: str) -> str | None:
    """The surname of a Chinese full name of 2–4 characters, None for anything else."""
    if not HAN_NAME.fullmatch(name or ""):
        return None
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[0] if len(name) <= 3 else None


def called(name: str) -> list[str]:
    """What customers call this person: [小王, 王经理] for 王小明; [] without a Chinese surname."""
    family = surname(name)
    return [f"小{family}", f"{family}经理"] if family else []


def customer_calls(name: str, senior: bool) -> str:
    """The one form a customer uses: an older customer says 小王, others 王经理; a role word or no
    name is 经理; a name that is already a form of address, or not a Chinese name, stays as it is."""
    name = (name or "").strip()
    if not name or name in ROLES:
        return NO_NAME
    if ALREADY_CALLED.fullmatch(name):
        return name
    forms = called(name)
    if not forms:
        return name
    return forms[0] if senior else forms[1]


#: What a reply template shows for a customer whose name is not known (the renderer's 【label】 of `name`).
NAME_PLACEHOLDER = "【客户称呼】"
#: Verbs that keep an object (谢谢您, 恭喜您): the name after them becomes 您.
_WITH_OBJECT = "谢谢|感谢|恭喜|欢迎|理解|祝|麻烦|辛苦|提醒|告诉|打扰"


def neutral_address(text: str, placeholder: str = NAME_PLACEHOLDER) -> str:
    """A reply rendered without the customer's name, as said to nobody in particular: 「王姐您好」
    → 「您好」, 「王姐，理解。」 → 「理解。」, 「谢谢王姐」 → 「谢谢您」, anything else → 您."""
    p = re.escape(placeholder)
    text = re.sub(p + r"(?=您)", "", text)
    text = re.sub(rf"(^|[。！？!?\n])[ \t]*{p}[，,、！!][ \t]*", r"\1", text)  # opening a sentence
    text = re.sub(rf"({_WITH_OBJECT}){p}", r"\1您", text)
    text = re.sub(p + r"(?=[，,、])", "", text)  # 好的王姐，… → 好的，…
    return text.replace(placeholder, "您")
