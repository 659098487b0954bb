"""Aspect: a loss told as done (亏了22%, 已经跌了, 竟然出现亏本) or as feared (会不会亏, 万一亏了,
亏了怎么办); a rate told against the past (比去年少, 越来越低, 和三年前差太远).

One member serves two topics: 亏 is risk_fear when feared and past_loss when it happened, and the
words around it say which, not the member. `told_done` reads them, so a concept in `REALIZED`
said as done also signals its mapped concept (`ConceptIndex.clause_strengths`) whatever member
was used: 缩水了 and 腰斩了 count as a loss that happened although no member lists them so.
Written from how the grammar marks completion, not from corpus lines.

Likewise a line about rates that compares them with the past (`compared_to_past`) is about rates
going down (rate_cut), not only about rates being low (rate_low), whichever words say so.
"""

from __future__ import annotations

import re

#: concept → the concept it also signals when told as done.
REALIZED = {"loss": "past-experience"}
#: A hypothesis or a worry before the member, in its clause: 万一亏了, 怕赔了, 会不会跌.
_FEARED_BEFORE = re.compile(r"(?:万一|如果|要是|假如|假设|怕|担心|害怕|会不会|会|可能|能不能|是不是|不会|怎么会|难道)[^，,。！!？?；;]{0,6}$")
#: A question right after it: 亏了怎么办, 赔了谁负责, 跌了吗.
_ASKED_AFTER = re.compile(r"^[^，,。！!？?；;]{0,3}(?:怎么办|咋办|咋整|谁负责|谁赔|谁管|算谁|怎么处理|吗|么|呢[?？])")
#: Done: 了 / 掉了 / 光了 / 过 right after, or 已经 / 竟然 / 结果 … just before.
_DONE_AFTER = ("了", "掉了", "光了", "完了", "过")
_DONE_BEFORE = re.compile(r"(?:已经|竟然|居然|结果|却|都|反而|一下子|直接|足足|整整)[^，,。！!？?；;]{0,3}$")


def told_done(text: str, start: int, end: int) -> bool:
    """Whether the member at text[start:end] is told as having happened (not feared or asked)."""
    before, after = text[max(0, start - 8):start], text[end:end + 8]
    if _FEARED_BEFORE.search(before) or _ASKED_AFTER.search(after):
        return False
    return after.startswith(_DONE_AFTER) or bool(_DONE_BEFORE.search(before))


#: concept → what a line must talk about for a comparison with the past to signal the concept.
COMPARED = {"rate-cut": re.compile(r"利息|利率|收益|年化|存款息")}
#: A comparison with the past: 比去年, 越来越, 一年比一年, 历史最低, 三年前, 以前, 当初 ….
_PAST = re.compile(r"比(?:去年|前年|以前|过去|原来|之前|上次|上回|往年)|越来越|一年比一年|一次比一次|历史(?:最低|新低)"
                   r"|(?:几|两|三|四|五|十|\d+)年前|那时候|那会儿|当年|以前|当初|过去")


def compared_to_past(text: str, topic: re.Pattern) -> int | None:
    """Where a line about `topic` (e.g. rates) compares it with the past, else None."""
    found = _PAST.search(text) if topic.search(text) else None
    return found.start() if found else None


#: concept → the tone a line must take (see `aggrieved`) for the concept to count, whatever
#: the matter: a grievance against the bank is a complaint about queues, cards or products alike.
TONE = {"indignant": "aggrieved"}
#: The bank or its people named as the ones who acted.
_BANK = re.compile(r"你们|银行|某行|分行|支行|网点|营业厅|柜台|工作人员|营业员|柜员|职员|员工|保安|大堂经理|客户经理|理财经理|行长"
                   r"|[农工建中交招]行")
#: Indignation: anger or scorn (气愤, 服了, 离谱), a question asked only to blame (凭什么, 难道). Not a bare
#: 「！」: thanks end on one as often (太感谢你们了！).
_INDIGNANT = re.compile(r"气[哭死人愤炸]|生气|火大|恼火|失望|服了|离谱|过分|可恶|无语|受够|不像话|欺负|说法|凭什么|凭啥|难道")


#: Anger shown (发火, 大发雷霆, 来闹, 带着气): at a bank a complaint whoever is named, and a marketer
#: asking how to handle it (客户带着气来…怎么办) asks about one.
_ANGER = re.compile(r"发火|发脾气|大发雷霆|火冒三丈|辱骂|骂人|大骂|破口大骂|吵闹|大吵|闹事|来闹|闹起来|带着气|气冲冲|愤怒")


def aggrieved(text: str) -> int | None:
    """Where a line shows anger, or blaming the bank or its staff turns indignant, else None."""
    found = _ANGER.search(text) or (_INDIGNANT.search(text) if _BANK.search(text) else None)
    return found.start() if found else None


#: concept → (the concept it stands for instead, what the line must name, what it must not name):
#: 没到期 / 提前取 of a wealth product is its lock-up (lockup_liquidity); of a deposit it is taking
#: the deposit out early (early_withdrawal).
INSTEAD = {"withdraw-early": ("lockup", re.compile(r"理财|基金|产品|封闭|锁定期|持有期|保险"),
                              re.compile(r"定期|存款|存单|死期|储蓄|大额")),
           # 安不安全 of a channel (手机银行, 绑卡, 链接 …) is online safety, not the risk of a product.
           "risk": ("online", re.compile(r"(?i)手机银行|网银|网上银行|手机上|app|绑卡|绑定|微信支付|支付宝|扫码|链接|刷脸|指纹|密码"),
                    re.compile(r"理财|基金|产品|收益|本金|股票|投资|存款|保险")),
           # 什么意思 / 看不懂 of a call or a message the bank seemed to send is a suspicion of fraud.
           # A loss after a broken promise (说好的低风险…怎么就亏钱了, 不是说不会亏本金吗) is one that happened.
           "loss": ("past-experience", re.compile(r"说好的|说好了|不是说|明明|本以为|原以为|还以为|满以为|本来以为"),
                    re.compile(r"万一|会不会|怕|担心|害怕|要是|如果")),
           # 骗子 / 骗人 said of the bank's own sales staff (理财经理都是骗子) is distrust of them,
           # not fear of a fraudster: no call, message, link or impostor in the line.
           "fraud": ("trust", re.compile(r"理财经理|客户经理|业务员|销售|你们这些|你们的人|你们银行的人|柜员|柜台"),
                     re.compile(r"电话|来电|短信|链接|验证码|冒充|假冒|自称|陌生|转账|安全账户|网站|(?i:app)|中奖|公安|警察")),
           "confusing": ("fraud", re.compile(r"打电话|来电|电话|短信|链接|验证码"),
                         re.compile(r"理财|基金|产品|收益|合同|条款|说明书|利率|利息"))}


def instead(concept_id: str, text: str) -> str:
    """The concept a hit of `concept_id` stands for in `text` (itself unless `INSTEAD` says)."""
    rule = INSTEAD.get(concept_id)
    if rule and rule[1].search(text) and not rule[2].search(text):
        return rule[0]
    return concept_id
