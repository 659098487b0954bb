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
