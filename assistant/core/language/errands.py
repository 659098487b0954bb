"""Lines that raise no concern, though their words reach cards: a counter errand, relief that
staff averted a loss, staff talking to an elderly customer.

The matcher shows them no dimmed card (a sure one still shows, see `matcher.shows_guess`): their
money words (存, 取, 钱, 打水漂) share a trigger's words or a concept's member, but there is nothing
to answer. On the real dev half (eval_match --unread) 45.6 % of the lines needing no card got a
dimmed one; these three kinds were 17 of those 83 lines. Written from the kinds, not line by line:
a pattern that a concern word or a product name appears beside steps aside.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.core.language import textnorm

#: Asking for a service: who asks (我要, 帮我, 麻烦 …), a counter verb (取消 is no 取), and within a
#: few characters what it is done to: money, an amount or a document (我来存两百块钱, 帮我激活一下社保卡).
_ERRAND = re.compile(
    r"(?:帮我|给我|替我|我想|我要|我来|我得|麻烦|劳烦|能不能|能帮|可以帮|请)[^,]{0,4}?"
    r"(?:存|取(?!消)|转|换|办|查|开|激活|兑换|缴|交|注销|挂失|领|打印|改|数|清点)[^,]{0,6}?"
    r"(?:钱|现金|零钱|\d|[一二两三四五六七八九十百千万]+(?:元|块|万|千|百)|卡|存折|存单|账|号|余额|业务|密码|定期|活期|存款"
    r"|社保|医保|身份证|证件|手续|流水|回单|新钱|硬币|残币|外币|美元|港币)")
#: …with no concern beside it: a question why, a refusal, fees, yield, loss, fear, hurry, a
#: complaint, a deadline or a limit (我取自己的钱，为什么要问用途 is aml_checks), nor a product
#: (帮我把定期转到理财 may be a product question).
_CONCERN = re.compile(
    r"为什么|为啥|凭什么|怎么(?!办)|不让|不给|不能|没法|手续费|收费|扣|利息|收益|利率|亏|赔|怕|担心|急|投诉|慢|太|骗|安全|风险"
    r"|到期|过期|提前|锁|限|管|还要|非|只能|才|又"
    r"|理财|基金|保险|产品|国债|大额|养老金|股票|黄金|别的银行|别家|其他银行|余额宝|零钱通")
#: Relief credited to the bank: 多亏你们多问几句，不然…就打水漂了; 要不是银行员工多问一句 — the loss
#: did not happen, the customer thanks. (幸亏我多了个心眼，万一真是诈骗的 credits herself: it stays.)
_RELIEF = re.compile(r"(?:多亏|幸亏|幸好|要不是|好在|还好)[^,]{0,2}"
                     r"(?:你们|银行|工作人员|员工|柜员|大堂|经理|行长|小伙子|小姑娘|姑娘|同志|民警|警察)")
#: …unless the line also turns, declines, defers or asks.
_BESIDES_RELIEF = re.compile(r"不用|不要|不需要|不想|不买|算了|再说|考虑|想想|没兴趣|但|不过|可是|只是|已经有|太低|太贵|不划算"
                             r"|收益|利息|[?吗]|为什么|凭什么|怎么")
#: Staff addressing an elderly customer (老爷爷，有什么需要帮忙的吗; 大爷，用笔把缴费号写在纸背后):
#: the line is the staff's own, not what a customer said.
_TO_ELDER = re.compile(r"^(?:老爷爷|老奶奶|爷爷|奶奶|大爷|大妈|大娘|阿姨|叔叔|伯伯|老伯|老人家|老先生|老太太|大叔),")


def no_concern(text: str) -> bool:
    """Whether a line is an errand, relief or staff talking to an elderly customer: no card
    answers it, whatever its words reach."""
    line = clausal(text)
    if _TO_ELDER.search(line):
        return True
    if _ERRAND.search(line) and not _CONCERN.search(line):
        return True
    return bool(_RELIEF.search(line)) and not _BESIDES_RELIEF.search(_RELIEF.sub("", line))


def clausal(text: str) -> str:
    """`textnorm.normalize` keeping where clauses end: each run of punctuation or spaces is one
    comma, a question mark stays (the patterns above stop at a clause, and ? asks)."""
    out: list[str] = []
    for ch in text:
        got = textnorm.norm_char(ch)
        if got:
            out.append(got)
        elif ch in "?？":
            out.append("?")
        elif (unicodedata.category(ch)[0] in "PZ" or ch.isspace()) and out and out[-1] not in ",?":
            out.append(",")
    return "".join(out)
