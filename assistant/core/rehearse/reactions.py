"""How the simulated customer reacts to what a reply says: a small rule engine, not a language model.

Each rule reads the reply (and the customer's last line, the persona, what happened so far, the
compliance flags) and may produce a `Reaction`: what the customer says and why, in words a trainer
would use. `judge` returns them strongest first; the simulator acts on the first blocking one,
and keeps the others as explanations (warmth, a number's basis, a time offered).

Rules, strongest first: compliance (a forbidden promise: suspicious, or the call ends), unsuitable
(a risky product offered to a cautious or elderly customer: refused), closes (staff say goodbye: she
says goodbye too and the call ends; parting.py), listed (key words strung
together: she does not follow), echoed (her own words said back: she asks again), pushy (a product before any
question about needs), ignored (nothing in the reply answers what the customer just said),
number (a figure without its basis: the customer asks where it comes from), time (a concrete time:
agreed, or a counter-time), warmth (the customer's name, warm words, a real question), long (a
reply far past the scoring's length limit: she says she could not take it all in, a little cooler).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

from assistant.core.language.phrasing import is_question, split_clauses

#: Words that ask about the customer's needs, plans or tolerance (with a question they count).
NEEDS_WORDS = re.compile(
    r"多久|用钱|打算|计划|用途|需求|什么时候用|什么时候要|考虑|在意|看重|关心|担心|顾虑|情况|接受|承受"
    r"|买过|了解过|接触过|家里|孩子|养老|生活费|用不上|不用|急用|习惯|想法|方便"
    r"|用处|用的地方|有用|要用|用到|怎么安排|有安排|什么安排|怎么处理|怎么弄|放哪|放在哪|存哪|存在哪|怎么打理"
)
#: Product words when the reply offers them (besides the compliance disclosures' `when`).
PRODUCT_OFFER = re.compile(
    r"(推荐|建议|试试|买点|买一点|配置|配点|给您配|帮您配|可以买|可以考虑|不妨|适合您的|这款|这只|我们的|有款|有一款|新出)"
    r"[^，。！？；,!?;]{0,10}(理财|基金|保险|产品|方案|定投|贵金属|黄金|存单|信用卡|分期)"
)
#: The rest of a risky product's name after the word RISKY found (偏股 → 偏股基金, 混合型 → 混合型基金).
PRODUCT_TAIL = re.compile(r"(?:型|类)?(?:基金|理财|产品)?")
#: Products that do not suit a customer who must not lose principal.
RISKY = re.compile(r"基金|股票|股基|混合型|偏股|权益类|R[345]|高收益|高风险|期货|贵金属|黄金|杠杆|定投|全部[^，。]{0,6}理财|都[买换转][^，。]{0,4}理财")
#: Before a risky word in the same clause: the reply puts it forward.
ADVISES_FOR = re.compile(r"推荐|建议|买|配|试试|考虑|放到|放进|换成|转到|转成|投|定投|做点|来点|适合您")
#: Before a risky word in the same clause: the reply advises against it.
ADVISES_AGAINST = re.compile(r"不建议|不适合|不推荐|不合适|不考虑|别碰|不碰|不要|不用|不买|没必要|不会给您|不让您")
#: A figure staff cite: a rate, an amount of money, a share.
NUMBER = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|个点|块钱|块|元)|[一二三四五六七八九两]点[一二三四五六七八九零\d]+(?:%|个点)?|百分之[\d一二三四五六七八九十点]+")
#: Words that give a figure its basis in the same sentence.
BASIS = re.compile(r"利率|挂牌|利率表|公告|官网|合同|说明书|业绩比较基准|比较基准|基准|按[^，。]{0,12}算|测算|算下来|算了一下|历史|往期|过往|参考|不是承诺|不承诺|不保证|不代表|今天的|现在的|执行的")
#: A concrete day or clock time.
DAY = r"今天|明天|后天|大后天|周[一二三四五六日天末]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|这周[一二三四五六日天末]|下周[一二三四五六日天]?|\d{1,2}(?:月\d{1,2})?[号日]"
CLOCK = r"(?:上午|下午|晚上|中午|早上)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})[点:：](?:半|\d{2}|[一二三四五]十分?)?|上午|下午|晚上|中午|早上"
TIME_OFFER = re.compile(rf"(?:{DAY})(?:\s*(?:{CLOCK}))?|(?:{CLOCK})")
#: A time is an offer only with a verb that proposes a meeting or a call in the same clause.
OFFER_VERB = re.compile(r"约|过来|来一趟|来网点|到网点|见|方便|给您打|打给您|上门|安排|等您|留着|预约|碰个面|聊聊|到您|去您|找您")
#: 「今天过来是办…」 asks about the visit under way: 今天 there proposes no meeting.
THIS_VISIT = re.compile(r"今天(?:您|你)?(?:过来|来)(?:是|办|有|要|主要|想|咱们|网点是)")
#: 「今天」 naming the call being made (今天给您打电话呢，主要是…), not a time offered: found in tmux,
#: a busy 刘先生 countered it with 「今天不太行，我那会儿走不开，周六上午吧」.
THIS_CALL = re.compile(r"今天(?:我)?(?:给您|给你|跟您|跟你)?(?:打|来)(?:这个|这通|个)?电话(?!给)|今天(?:打给您|联系您|找您)(?:是|呢|主要|就是|想)")
#: Warm words: care, thanks, empathy.
WARM = re.compile(r"辛苦|谢谢|感谢|理解您|明白您|别着急|不着急|您慢慢|身体|注意|照顾|关心|放心|惦记|麻烦您")
#: A customer picking up or placing the caller (喂，哪位？ / 你是昨天沙龙上的客户经理吧？): her
#: question is who is calling, not one to repeat word for word.
PICKING_UP = re.compile(r"喂|哪位|你好|您好|哈喽|你是")
#: Longest line a customer repeats whole when ignored; of a longer one she repeats the first sentence.
REPEAT_CHARS = 24
#: Staff words the customer quoted back (her doubt about them: 「收益3.5%」？我怎么听着不太对劲。).
QUOTED = re.compile(r"「([^」]{1,20})」")
#: A sentence that exclaims (its 呢 asks nothing).
EXCLAIMED = re.compile(r"[^。！!？?；;\n]*[！!]")
#: A clause that gives staff the floor (行，你说吧 / 请讲 / 我听着): what she waits for is the point.
GO_AHEAD = re.compile(r"^(?:行|好|嗯|那)?(?:你|您)?(?:说吧|说|讲吧|讲|请讲|请说|说说看|简单说两句|长话短说)(?:吧|呗)?$|^我听着(?:呢)?$")
#: Clauses: the unit the rules read (a ？ stays on the clause it ends).
_CLAUSE_BREAKS = "，,。！!？?；;\n"


@dataclass(frozen=True)
class Reaction:
    """One rule that fired: what it does to the conversation, what the customer says, and why."""

    #: compliance | unsuitable | closes | listed | echoed | pushy | ignored | number | time | warmth | long
    rule: str
    #: Why the customer said that, for the feedback panel (staff-facing Chinese).
    reason: str
    #: blocks (the reply does not move the call on) | ends (the customer hangs up) | asks (a
    #: question the next reply must answer) | prefix (said before the next line) | agrees (the
    #: customer accepts the time offered: an appointment) | closes (staff said goodbye: the call
    #: ends, 待跟进) | answers (her answer to a question about herself, answering.py) | mood (no line).
    effect: str
    #: What the customer says (None: the rule only shifts the mood).
    line: str | None = None
    #: Change of the customer's warmth (−3 … +3).
    warmth: int = 0
    #: The words of the reply the rule read.
    quote: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Heard:
    """What the rules need to know about the moment: filled by the simulator."""

    reply: str
    #: The customer's last line (what the reply should answer).
    customer_line: str
    temperament: str
    age: str
    #: Facts before this reply (voice.Facts).
    facts: object
    #: Compliance flags of the reply (errors only matter here).
    flags: tuple = ()
    #: The reply's covered share of the target's key points (0–1) and whether it meets the node's bar.
    share: float = 0.0
    ok: bool = False
    name: str | None = None
    #: Product names the scenario uses (persona's `offer`, product variables).
    products: tuple[str, ...] = ()
    #: A compliance disclosure `when` matched (a wealth product recommended).
    recommends: bool = False
    #: Current warmth and how many rules of each kind fired before (escalation).
    warmth: int = 0
    seen: tuple[str, ...] = ()
    #: A seeded chooser: `pick(options, purpose)`.
    pick: object = None
    #: Another way the customer would ask the same thing now (unsaid), for repeating herself.
    again: str | None = None
    #: The staff called her and she has not yet heard why (then an off-topic reply puzzles her).
    called: bool = False
    #: The reply only strings key words together (scoring: listed): nobody talks like that.
    listed: bool = False
    #: The reply mostly repeats the customer's own words back (scoring: copied ≥ COPY_MOSTLY).
    echoed: bool = False
    #: The reply speaks to the topic of the customer's line (meaning.same_topic).
    on_topic: bool = False
    #: How many characters the reply has when it is over the scoring's length limit (else 0).
    too_long: int = 0


CAUTIOUS = ("cautious_elderly",)
#: A line written with ？ asks (万一要用呢。 tells, though phrasing reads 呢 as a question).
QUESTION_MARK = re.compile(r"[？?]")
#: The compliance rule about asking a customer for her password or code (compliance/rules.yaml).
SECRETS_RULE = "ask-for-secrets"


def clauses(text: str) -> list[str]:
    return split_clauses(text, _CLAUSE_BREAKS, keep_question=True, strip=True)


def asks_needs(text: str) -> bool:
    """A real question about the customer's needs, plans or tolerance."""
    return any(is_question(c) and NEEDS_WORDS.search(c) for c in clauses(text))


def names_product(h: Heard) -> str | None:
    """The product the reply puts on the table (a quote), or None."""
    m = PRODUCT_OFFER.search(h.reply)
    if m:
        return m.group(0)
    for name in h.products:
        if name and name in h.reply:
            return name
    return None


def risky_offer(text: str) -> str | None:
    """A risky product the reply offers (not one it advises against), or None."""
    for clause in clauses(text):
        m = RISKY.search(clause)
        before = clause[: m.start()] if m else ""
        if m and ADVISES_FOR.search(before) and not ADVISES_AGAINST.search(before) and not is_question(clause):
            return m.group(0) + PRODUCT_TAIL.match(clause, m.end()).group(0)  # 偏股基金, not 偏股
    return None


def unexplained_number(h: Heard) -> str | None:
    """The first figure cited without its basis in the same sentence (not one the customer said,
    not a deposit's own rate or interest: that figure is the bank's posted rate)."""
    from assistant.core.rehearse.meaning import DEPOSIT_ONLY

    for sentence in re.split(r"[。！!？?；;\n]", h.reply):
        if DEPOSIT_ONLY.search(sentence):
            continue
        for m in NUMBER.finditer(sentence):
            if m.group(0) in h.customer_line:
                continue
            if not BASIS.search(sentence):
                return m.group(0)
    return None


def time_offered(text: str) -> str | None:
    """A concrete time the reply proposes (明天上午, 周六下午三点), not a question about when."""
    for clause in clauses(text):
        m = TIME_OFFER.search(clause)
        if m and OFFER_VERB.search(clause) and not re.search(r"什么时候|哪天|几点|哪个时间", clause):
            if m.group(0) == "今天" and (THIS_VISIT.search(clause) or THIS_CALL.search(clause)):
                continue
            return m.group(0)
    return None


def engages(h: Heard) -> bool:
    """The reply answers something of what the customer just said (or covers the node's points)."""
    if h.share > 0 or h.on_topic or is_question(h.reply.strip()[-12:]) and asks_needs(h.reply):
        return True
    return bool(_shared_words(h.reply, h.customer_line))


def _shared_words(reply: str, line: str) -> set[str]:
    import rjieba

    stop = set("的 了 是 有 也 就 都 和 在 我 你 您 他 她 这 那 个 吗 呢 吧 啊 呀 嘛 哦 很 不 没 还 要 说 好 就是 一下 现在".split())
    mine = {w for w in rjieba.cut(line) if len(w) >= 2 and w not in stop and not w.isspace()}
    return {w for w in mine if w in reply}


# ------------------------------------------------------------------ the rules


def judge(h: Heard) -> list[Reaction]:
    """Every rule that fires on this reply, strongest first."""
    out = []
    for rule in (_compliance, _unsuitable, _closes, _listed, _echoed, _pushy, _ignored, _number, _time, _warmth, _long):
        found = rule(h)
        if found is not None:
            out.append(found)
    if any(r.effect == "closes" for r in out):  # a goodbye is not a pitch, an echo or a missed question
        out = [r for r in out if r.rule in ("compliance", "unsuitable", "closes", "time")]
    decisive = blocking(out)
    if decisive is not None:  # only what she says is explained: no warmth, no time taken, and no
        out = [decisive]      # 「客户追问来源」 beside a compliance line that asked nothing (found in tmux)
    return out


def blocking(reactions: list[Reaction]) -> Reaction | None:
    """The reaction that decides the turn (the reply does not move the call on), if any."""
    return next((r for r in reactions if r.effect in ("blocks", "ends")), None)


def _compliance(h: Heard) -> Reaction | None:
    # Asking for her code is what a customer hears first, as fraud (found in tmux: 严老师 heard 「手机给我，
    # 我帮您弄，验证码是多少您念给我听」 and answered only 「「手机给我，我帮您弄」？」)
    errors = sorted((f for f in h.flags if f.severity == "error"), key=lambda f: f.rule_id != SECRETS_RULE)
    if not errors:
        return None
    f = errors[0]
    if f.rule_id == SECRETS_RULE:
        ends = h.temperament in ("sceptical", *CAUTIOUS) or "compliance" in h.seen
        line = h.pick(["验证码能随便念给别人听？电视上天天说，谁要都别给。你到底是不是银行的？",
                       "密码验证码是能告诉别人的吗？我可不敢跟你弄了。"], "secrets")
        return Reaction("compliance", f"你向客户要了密码/验证码（「{f.quote}」）：客户当成了骗子" + ("，不聊了。" if ends else "，起了疑心，这句不算数。"),
                        "ends" if ends else "blocks", line, -3 if ends else -2, f.quote)
    f = replace(f, quote=_whole_figure(f.quote.strip("，,。.！!？?；;、 "), h.reply)) if f.quote else f  # words, not commas
    ends = h.temperament in ("sceptical", *CAUTIOUS) or "compliance" in h.seen or h.warmth <= -2
    if ends:
        again = "compliance" in h.seen  # 「又是」 only when this call already crossed the line once
        line = h.pick([f"又是「{f.quote}」……这种话我听多了，不聊了。"] if again else
                      [f"「{f.quote}」？银行的人哪能这么说话，你这话我可不敢信。先这样吧。",
                       f"「{f.quote}」？这种话我可不敢信。先这样吧，不聊了。"], "compliance-end")
        why = f"你说了「{f.quote}」（{f.title}）：{'多疑/谨慎的客户' if not 'compliance' in h.seen else '第二次越线，客户'}不再信你，不聊了。"
        return Reaction("compliance", why, "ends", line, -3, f.quote)
    line = h.pick([f"「{f.quote}」？你确定？现在理财不是都不让这么说了吗？",
                   f"你说「{f.quote}」，这话你敢写在纸上吗？",
                   f"「{f.quote}」？我怎么听着不太对劲。"], "compliance")
    return Reaction("compliance", f"你说了「{f.quote}」（{f.title}）：客户起了疑心，这句不算数。", "blocks", line, -2, f.quote)


def _whole_figure(quote: str, reply: str) -> str:
    """The quote with the unit its figure has in the reply (「能拿到4.5」 → 「能拿到4.5%」)."""
    at = reply.find(quote)
    if at < 0 or not quote[-1:].isdigit():
        return quote
    unit = re.match(r"\s*(?:%|％|个点|块钱|块|元|万)", reply[at + len(quote):])
    return quote + unit.group(0).strip() if unit else quote


def _unsuitable(h: Heard) -> Reaction | None:
    if h.temperament not in CAUTIOUS and h.age != "senior":
        return None
    risky = risky_offer(h.reply)
    if risky is None:
        return None
    line = h.pick([f"{risky}？我这把年纪可不碰这个，这钱是养老的，少一分都不行。",
                   f"你跟我说{risky}干嘛，我要的是稳当，亏了我找谁去？",
                   f"{risky}我不要。本金不能少，这是底线。"], "unsuitable")
    return Reaction("unsuitable", f"你向一位{'谨慎的' if h.temperament in CAUTIOUS else ''}年长客户推荐了「{risky}」：不适合客户的风险承受能力，被拒绝。",
                    "blocks", line, -1, risky)


def _closes(h: Heard) -> Reaction | None:
    from assistant.core.rehearse.parting import takes_leave

    quote = takes_leave(h.reply)
    if quote is None:
        return None
    return Reaction("closes", f"你主动结束了这通对话（「{quote}」）：客户跟你道别，这次以待跟进收尾。", "closes", None, 0, quote)


def _listed(h: Heard) -> Reaction | None:
    if not h.listed:
        return None
    line = h.pick(["你这一个词一个词的，到底想说什么？", "你说的这几个词我没听明白，能好好说吗？",
                   "嗯？你这是念提纲呢？我没听懂。"], "listed")
    return Reaction("listed", "你只是罗列了几个关键词，没说成完整的话：客户听不懂你想表达什么，这句不算数。",
                    "blocks", line, -1)


def _echoed(h: Heard) -> Reaction | None:
    if not h.echoed or h.listed:
        return None
    last = h.customer_line.strip()
    if asks_something(last):
        line = h.pick([f"你怎么把我的话又说了一遍？我是问你：{last}", f"我问你呢，你倒反过来问我？{last}"], "echoed")
    else:
        line = h.pick(["你重复我的话干嘛？你倒是说说你的看法。", "嗯，这是我刚说的。那你怎么看？"], "echoed")
    return Reaction("echoed", "你把客户的话照着说了一遍，没有说自己的内容：客户觉得你没在回答。",
                    "blocks", line, -1)


def _pushy(h: Heard) -> Reaction | None:
    if h.facts.needs_asked or h.facts.product_named or asks_needs(h.reply):
        return None
    product = names_product(h) if not h.recommends else (names_product(h) or "理财")
    if product is None:
        return None
    line = h.pick(["你先别推销，我还没说要买。", "怎么一上来就推产品？我还没说要买呢。",
                   "先别跟我说产品，你都不知道我要干嘛。"], "pushy")
    return Reaction("pushy", f"你先提了产品（「{product}」），还没问过客户的需求和打算：客户觉得你在推销。",
                    "blocks", line, -1, product)


def _ignored(h: Heard) -> Reaction | None:
    if engages(h):
        return None
    last = h.customer_line.strip()
    if h.warmth <= -1 or "ignored" in h.seen:
        line = h.pick(["你说的跟我问的不是一回事。算了，我也不急。", "你好像没在听我说话。", "行吧……我先忙了，回头再说。"], "ignored-cool")
        why = ("你的回复没有接客户刚说的话，这已经不是第一次了：客户冷下来了。" if "ignored" in h.seen
               else "你的回复没有接客户刚说的话，客户本来就不太痛快，这下冷下来了。")
        return Reaction("ignored", why, "blocks", line, -1)
    # A customer who was called, or who gave you the floor (「行，你说吧，我听着。」), waits for the
    # point: she does not ask again something she never asked (found in tmux: small talk there drew
    # 「你还没回答我呢。嗯，存了。还有别的吗？」 and 「不是，我是说……喂？」).
    # Her line's own ？ says she asked: 「说不准，家里老人身体不好，万一要用呢。」 told you something, and asked
    # again she would not say another of the node's lines (三年应该用不上吧…: found headless on 防他行策反).
    asked = asks_something(last) and bool(QUESTION_MARK.search(last))
    again = _closing_question(h.again) if asked and h.again and asks_something(h.again) else None
    then = "客户又问了一遍"
    if h.called and not (asks_something(last) and not PICKING_UP.search(last)):  # she has not heard why you call
        line, then = h.pick(["嗯？你这是说什么呢？", "你到底有什么事？", "我没听明白，你找我什么事？"], "ignored"), "客户不知道你打电话来干什么"
    elif gives_the_floor(last):
        line, then = h.pick(["有事说事吧。", "你倒是说正事啊。", "嗯？你到底想说什么？"], "ignored"), "客户让你说，等的是正事，催你了"
    elif quoted := QUOTED.search(last):  # her doubt about your words: she asks about them again, in other
        # words (found in tmux: 「你还没回答我呢：「收益3.5%」？我怎么听着不太对劲。」 re-read her line)
        words = quoted.group(1)
        line = h.pick([f"你先别岔开，{words}这话到底怎么回事？", f"等等，刚才那个{words}，你还没说清楚呢。"], "ignored")
    elif again:
        line = h.pick([f"你还没回答我呢。{again}", f"不是，我是说……{again}", f"我刚问你呢，{again}"], "ignored")
    elif asked:  # her question again, not what she said around it (号码我存了)
        question = asked_part(last)
        line = h.pick([f"你还没回答我呢：{question}", f"不是，我是问：{question}"], "ignored")
    elif _acknowledged_only(last):  # 「好。」 「谢谢。」: nothing to repeat (not 「我是说，好。」)
        line, then = h.pick(["嗯。", "……", "嗯，还有事吗？"], "ignored"), "客户只是礼貌地应了一声，你没接着说到点上，客户也就淡淡地回了一句"
    else:  # she told you something: she says it again (a long line's first sentence: not a speech)
        said = re.findall(r"[^。！!？?]+[。！!？?]*", last)[0].strip() if len(last) > REPEAT_CHARS else last
        line, then = h.pick([f"我是说，{said}", f"你没听我说吗？{said}"], "ignored"), "客户把刚才的话又说了一遍"
    return Reaction("ignored", f"你的回复没有接客户刚说的话（没有回应客户的话，也没有讲到这一步的要点）：{then}。",
                    "blocks", line, -1)


def gives_the_floor(line: str) -> bool:
    """The customer's line hands staff the turn without asking anything (行，你说吧，我听着。)."""
    return not asks_something(line) and any(GO_AHEAD.match(c.strip("，,。！!？?；; ")) for c in clauses(line))


def _acknowledged_only(line: str) -> bool:
    from assistant.core.language.textnorm import is_acknowledgement, normalize

    return is_acknowledgement(normalize(line))


def asked_part(line: str) -> str:
    """The sentences of `line` that ask (「好，号码我存了。你们还能提供什么服务？」 → the second)."""
    asking = [x for x in re.findall(r"[^。！!？?]+[。！!？?]*", line) if asks_something(x)]
    return "".join(asking).strip() or line


def _closing_question(line: str) -> str:
    """A line's closing question alone (「嗯，存了。还有别的吗？」 → 「还有别的吗？」: not 「存了」 twice);
    a line that goes on after its questions stays whole (吃面啊？里边坐。不是吃面？那等会儿…)."""
    asked = asked_part(line)
    return asked if line.rstrip().endswith(asked) else line


def asks_something(line: str) -> bool:
    """Some clause of the line is a question (an exclamation is not: 还记得我生日呢！)."""
    return any(is_question(c) for c in clauses(EXCLAIMED.sub("", line)))


def _number(h: Heard) -> Reaction | None:
    num = unexplained_number(h)
    if num is None:
        return None
    line = h.pick([f"{num}是怎么来的？是保证能拿到的吗？", f"你说{num}，这个数是按什么算的？",
                   f"{num}？这个数靠谱吗，哪儿来的？"], "number")
    return Reaction("number", f"你报了数字「{num}」，没说依据（挂牌利率、按什么测算、是不是承诺）：客户追问来源。",
                    "asks", line, 0, num)


def _time(h: Heard) -> Reaction | None:
    when = time_offered(h.reply)
    if when is None:
        return None
    busy = h.temperament == "busy"
    if busy and "time" not in h.seen:
        counter = h.pick(["下午四点以后", "明天中午", "周六上午"], "counter-time")
        line = f"{when}不太行，我那会儿走不开，{counter}吧。"
        return Reaction("time", f"你给了具体时间「{when}」：忙碌的客户回了一个自己方便的时间，约定在推进。", "prefix", line, 1, when)
    line = h.pick([f"行，{when}可以。", f"{when}啊，行，就这么定。", f"好，那就{when}。"], "agree-time")
    return Reaction("time", f"你给了具体时间「{when}」：客户好答应，约定在推进。", "agrees", line, 1, when)


def _warmth(h: Heard) -> Reaction | None:
    named = bool(h.name) and h.name in h.reply
    warm = WARM.search(h.reply)
    asks = is_question(clauses(h.reply)[-1]) if clauses(h.reply) else False
    signs = [s for s, on in (("称呼了客户", named), (f"说了「{warm.group(0)}」" if warm else "", bool(warm)),
                             ("问了一个真问题", asks)) if on]
    if len(signs) < 2:
        return None
    return Reaction("warmth", "你" + "、".join(signs) + "：客户对你热络了一点，更愿意往下聊。", "mood", None, 1)


def _long(h: Heard) -> Reaction | None:
    # Last of the rules: a time she takes or counters is said first (listening._prefixed says one lead).
    # Found in tmux: a 455-character reply to 蒋阿姨 (谨慎的长辈) drew 「那还是听你的」 as if she had heard it all.
    if not h.too_long:
        return None
    line = h.pick(["一下子说这么多，我都记不住。", "你说得太多了，我就听明白个大概。", "慢点说，这么一大堆我没听全。"], "long")
    return Reaction("long", f"你一句话说了{h.too_long}个字：客户一下子听不过来，有点不耐烦。分几次说，每次讲一两个要点、问一个问题。",
                    "prefix", line, -1)
