"""How compliance reads a line: folded the way the matcher folds it, without moving any character.

Rules are written in simplified, lower-case, half-width Chinese; staff type traditional characters,
full-width letters and digits (１００％) and mixed punctuation. Folding one character into one keeps
every match's span valid in the original text, so quotes and highlights stay exact.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from assistant.core.language.textnorm import DIALECT as LANGUAGE_DIALECT
from assistant.core.language.textnorm import norm_char

#: Sentence ends: the scope of a rule's `nearby` words unless it asks for the clause.
SENTENCE_BREAK = re.compile(r"[。！？!?；;\n…]")
#: Clause ends: sentence ends plus commas, enumeration commas, colons and spaces.
CLAUSE_BREAK = re.compile(r"[。！？!?；;\n…，,、：:\s~～]")


#: Quote marks staff and Hong Kong / Taiwan pages use, read as the 「」 that rules spell.
QUOTES = {"『": "「", "』": "」", "〖": "「", "〗": "」"}


@lru_cache(maxsize=16384)
def fold_char(ch: str) -> str:
    """One character as rules spell it (繁 → 简, Ａ → a, ，stays a comma, 『 → 「), always one character."""
    if ch in QUOTES:
        return QUOTES[ch]
    folded = norm_char(ch)
    if len(folded) == 1:
        return folded
    nfkc = unicodedata.normalize("NFKC", ch).lower()
    return nfkc if len(nfkc) == 1 else ch


#: A space typed beside a figure (达到 5%, 年化 3.2): read as part of the clause, not a break.
SPACED_FIGURE = re.compile(r"(?<=[\d%])\s(?=\S)|(?<=\S)\s(?=[\d])")


#: Regional words, read as the rules spell them in ONE pass over the line, each replacement as long as what it
#: replaces (so spans stay valid). The language layer owns how we read Chinese: its dialect words
#: (textnorm.DIALECT) whose Mandarin is as long as they are come from there (唔/冇/睇/攞/谂/揾/畀/俾/蚀, 唔使, 唔该,
#: 得闲, 嘎哈 …). Compliance adds, in the same map, the words a quote needs read and the matcher does not:
#: context-bound words (唔好 but not 唔好意思, 系 but not 系统, 话 as a speech verb) and words that fold to function
#: words (嘅/咗/佢/哋, which the matcher leaves alone).
#:
#: Henan/Hebei/Shandong 俺 (我), 恁 (您), 木有/木问题/就木了 (没有/没问题/就没了), 就中/不中 (就行/不行) at a clause end. Hubei/Hunan/Sichuan (set 6):
#: 冇得 (没有), 没得 (没有; not 没得说, a boast), 么子/么事/么样 (什么/啥事/怎样), 莫 + a verb (别; session 14: 莫看/莫被/莫多/莫琢磨), 哪个 + a speech
#: verb (谁 → 有人: 哪个跟您讲…都是瞎讲). Northern (set 11): 保准/准保/一准/管保 (肯定).
#: Cantonese (set 13, voice-to-text from Foshan) and more Sichuan/Chongqing (set 14) function words:
#: 嘅/咗/佢/哋/喺/嚟 (的/了/他/们/在/来), 系 (是; not 系统/关系), 话 (说, a speech verb; not 电话/这话), 咩/乜 (啥),
#: 边 + 有/度/个 (哪), 啱 (对, or 刚 before a verb), 啲 (些 after 呢/嗰, 点 after 一/少/高, else 的), 呢 + a measure
#: word (这), 仲 (还), 实 + 会/到/保 (必: certain), 惊 (怕), 未 + 亏/跌 (没), 蚊 after a figure (块); 2 for 2: 乜嘢,
#: 执笠 (倒闭), 稳阵 (稳当), 而家 (现在), 屋企/屋头 (家里), 啥子 (什么), 听日/琴日 (明天/昨天), 隔离 + 嗰/间 (隔壁).
#: 唔好 (不要; not 唔好意思), 俾返 (返还), 返 after 睇/问/赚/涨 (回), 跑唔甩 (跑不了), 几多 (多少), 几时 (随时:
#: whenever), 户口 (账户; not 户口本), 拎 (拿), 揀 (选), 唔识 (不会), 就得/都得 at a clause end (就行), 冇分别
#: (没区别), 同 + 你/佢/存 (跟: with, to), 几日 (几天), 我张卡/亲戚个户口 (的: a classifier as a possessive);
#: Sichuan 照住/跟住 (着), 一哈/等哈 (一下), 莫 + 见 (没), 不得 + 让/亏/错 (不会: 有我在不得让你亏), 照到/跟到 (着),
#: 别个 + 说 (别人), 喊 + 他 (叫), 笃定. Shaanxi/Gansu (set 19): 嫑 (别), 么 + 有/事/跌/亏… (没; not 什么/怎么/这么).
#: 额们 (我们) and 额 alone (我: 额帮你, 发额微信上; not the 额 of 额度/额外/金额/限额/份额/余额…).
#: Minnan (set 21): 阮 + 的/行/这 (咱: we, our; not the surname 小阮/老阮). Hunan (everyday set 4): 冒得 (没有; not 感冒得).
#: Shanghai (everyday set 9): 勿 (不: 勿是存款 warns; 请勿/切勿 stay as the warnings rules know), 侬 (你), 阿拉/伊拉 (我们/他们), 伊 + a speech verb (他), 伐 at a clause end (吗).
#: A context word may itself be a regional word folded in the same pass (同俺 → 跟我, 冇得分别 → 没有区别): the
#: lookarounds name both spellings.
_OWN_WORDS: tuple[tuple[str, object], ...] = (
    # Henan/Hebei, Hubei/Hunan/Sichuan, northern
    (r"俺", "我"), (r"恁", "您"), (r"木(?=有|事|问题|了|啥)", "没"), (r"(?<=[就不可])中(?=$|[，,。！!？?\s~～哈啊了吧呢嘛呀的])", "行"),
    (r"冇得", "没有"), (r"(?<!感)冒得(?![很厉慌])", "没有"), (r"没得(?![说选比到了])", "没有"), (r"(?<![什怎那这多要])么子", "什么"),
    (r"(?<![什怎那这多要])么事", "啥事"), (r"(?<![什怎那这多要])么样", "怎样"),
    (r"(?<![约])莫(?=[操急慌怕担紧跟告说讲信打管听签填选想弄问去要让着给看被多琢])", "别"),
    (r"哪个(?=跟|和|对|给|说|讲|让|叫|要您|拍)", "有人"),
    (r"保准|准保|一准|管保", "肯定"), (r"莫得", "没有"),
    # Cantonese and Sichuan words of two characters
    (r"乜嘢|啥子", "什么"), (r"执笠", "倒闭"), (r"稳阵", "稳当"), (r"搞掂", "搞定"), (r"而家", "现在"),
    (r"屋企|屋头", "家里"), (r"啱啱", "刚刚"), (r"笃定", "肯定"), (r"隔离(?=[𠮶嗰那呢间个屋位家铺条])", "隔壁"),
    (r"[俾畀]返", "返还"), (r"(?<!好)唔好(?!意思|[？?])", "不要"), (r"几多", "多少"), (r"几时", "随时"),
    (r"一齐", "一起"), (r"好似", "好像"), (r"户口(?![本簿所迁])", "账户"),
    (r"嫑", "别"), (r"额们", "我们"),
    (r"(?<![金限份余超差定名数总面高大小全足巨低免配税易业交售款贷值蓄资保提降增减年月日])额(?![度外头数])", "我"), (r"(?<![什怎那这多要干为])么(?=有|事|啥|关系|跌|亏|出|问题|听|见|得|法|人|用|风险|保)", "没"),
    (r"(?<![小老姓])阮(?=的|行|这|家|银行|们|网点)", "咱"),
    # Shanghai
    (r"(?<![请切])勿(?![忘扰])", "不"), (r"侬", "你"), (r"阿拉(?![伯丁斯])", "我们"), (r"伊拉(?![克])", "他们"),
    (r"(?<![木])伊(?=[讲说话告叫问勿不也就还要是讲个])", "他"), (r"(?<![砍征讨步杀])伐(?=$|[？?，,。！!\s~～])", "吗"),
    (r"(?<=[今听琴寻])日|(?<=[几两每])日", "天"), (r"听(?=日)", "明"), (r"[琴寻](?=日)", "昨"),
)
#: Same-length words after the language layer's (a word both read the same way is taken from there).
_OWN_AFTER: tuple[tuple[str, object], ...] = (
    (r"嘅|㗎", "的"), (r"咗", "了"), (r"𠮶|嗰", "那"), (r"佢", "他"), (r"哋", "们"), (r"喺", "在"), (r"嚟", "来"),
    (r"咩|乜", "啥"), (r"揿|撳", "按"),
    (r"啲", lambda s, at: "些" if s[at - 1:at] in "呢𠮶嗰这那" else "点" if at and s[at - 1] in "一少多高快好慢低早细大平抵耐" else "的"),
    (r"(?<![关联体维派直院星水母父世谱])系(?![统列数])", "是"),
    (r"(?<![电说讲对笑实通废假真好大空情谈闲套暗神童会白土普鬼胡反这那句此的段番些一两几种样类个回带传发喊问答插坏瞎疯梦气黑官行])话(?![术题费筒语剧音])", "说"),
    (r"啱", lambda s, at: "刚" if s[at + 1:at + 2] in _JUST_BEFORE else "对"),
    (r"(?<![伯])仲(?![裁夏秋春])", "还"), (r"咁", "这"), (r"呢(?=[只个款期笔份句种啲些度张条类样次单间])", "这"),
    (r"(?<![那这旁身𠮶嗰呢两一左右东西南北里外上下前后手海周半路床江河岸窗天无耳枕])边(?=有|度|个|间|只|位|样|处|会)", "哪"),
    (r"(?<=唔)使", "用"), (r"呃(?=人|你|您|恁|钱|老|我|俺|佢|客)", "骗"), (r"(?<=[\d一二三四五六七八九十百千万几两])蚊", "块"),
    (r"(?<![其确真现老诚事属落充核如据证结扎踏厚务着切朴写坐严史果打])实(?=会|到|保(?!准)|唔|不|系|是|冇|没|木[有事]|莫得|赚|得|给|俾|有)", "必"),
    (r"(?<![吃震受心大虚])惊(?![喜人讶叹险艳动醒慌恐])", "怕"), (r"未(?=亏|跌|蚀|输|见过|赎)", "没"),
    (r"莫(?=见)", "没"), (r"不得(?=让|亏|错|少|跌|输|蚀)", "不会"), (r"(?<=[照跟盯守])到(?=[^\s，,。！!？?])", "着"),
    (r"(?<=别)个(?=说|讲|的话|都)", "人"), (r"喊(?=他|她|你|您|恁|人)", "叫"),
    (r"(?<=[睇看问攞拿赚涨搵找追])返", "回"), (r"(?<=唔)甩", "了"), (r"蚀(?=本|钱|咗|了|底|晒)", "亏"),
    (r"拎", "拿"), (r"拣|揀", "选"), (r"(?<=唔)识", "会"), (r"(?<=[照跟])住", "着"), (r"(?<=[一等看])哈", "下"),
    (r"(?<=[就都])得(?=$|[\s，,。！!啦嘅的了喇啰咯㗎])", "行"), (r"(?<=[没冇有咩乜])分别|(?<=[没冇莫]得)分别", "区别"),
    (r"(?<=[我你他她们公婆俺恁])张(?=卡|私人卡|银行卡|存单)", "的"), (r"(?<=[戚友我你他她俺])个(?=户口|账户|卡)", "的"),
    (r"(?<![合共相协认不大如一赞陪])同(?=你|您|佢|他|她|我|俺|恁|存|放|买|定期|活期|存款|零存)", "跟"),  # not 合同/共同/不同/如同/陪同 (session 14)
)
_JUST_BEFORE = set("买存开办到落来嚟去做转")


#: Language-layer words compliance reads only in context, by its own entry: 唔好 is 不要, but 唔好意思 is 不好意思
#: and 好唔好 asks; 蚀 before 本/钱/咗 (蚀本, 蚀咗).
_CONTEXT_BOUND = frozenset({"唔好", "蚀"})


def _language_words() -> tuple[tuple[str, object], ...]:
    """The language layer's dialect words (textnorm.DIALECT), longest first. A word whose Mandarin is as long
    as it is reads as that; a longer or shorter one (唔得闲 → 没空) reads character by character through the
    one-character words (不得闲), so its tail (得闲) is not read on its own."""
    single = {w: m for w, m in LANGUAGE_DIALECT.items() if len(w) == 1 == len(m)}
    out = []
    for word in sorted(LANGUAGE_DIALECT, key=len, reverse=True):
        if word in _CONTEXT_BOUND:
            continue
        reading = LANGUAGE_DIALECT[word]
        if len(reading) != len(word):
            reading = "".join(single.get(ch, ch) for ch in word)
        out.append((re.escape(word), reading))
    return tuple(out)


def _scan(p: str, start: int = 0):
    """(index, character, group depth) of the pattern's characters outside escapes and [sets]; a '(' or ')'
    is at the depth of the group it opens or closes."""
    depth, j = 0, start
    while j < len(p):
        c = p[j]
        if c in "\\[":
            j = j + 2 if c == "\\" else p.index("]", j + 1) + 1
            continue
        depth += c == "("
        yield j, c, depth
        depth -= c == ")"
        j += 1


def _close(p: str, i: int) -> int:
    """Index of the ')' closing the group opened at p[i]."""
    return next(j for j, c, depth in _scan(p, i) if c == ")" and depth == 1)


def _split_top(p: str) -> list[str]:
    """`p` split at its top-level '|'."""
    cuts = [j for j, c, depth in _scan(p) if c == "|" and depth == 0]
    return [p[a + 1:b] for a, b in zip([-1, *cuts], [*cuts, len(p)])]


def _leading(p: str) -> set[str] | None:
    """The characters a match of `p` can begin with, or None when the pattern is not of the plain shapes the map
    uses (lookbehinds, then a literal, a [set] or a (?:…|…) group)."""
    alts = _split_top(p)
    if len(alts) > 1:
        sets = [_leading(a) for a in alts]
        return None if None in sets else set().union(*sets)
    i = 0
    while p.startswith("(?<", i):
        i = _close(p, i) + 1
    rest = p[i:]
    if rest.startswith("(?:"):
        j = _close(rest, 0)
        return None if rest[j + 1:j + 2] in ("?", "*", "{") else _leading(rest[3:j])
    if not rest or rest[0] in "(\\.^$" or rest[1:2] in ("?", "*", "{"):
        return None
    if rest[0] == "[":
        body = rest[1:rest.index("]")]
        return None if body[:1] == "^" or "\\" in body or "-" in body else set(body)
    return {rest[0]}


_WORDS = (*_OWN_WORDS, *_language_words(), *_OWN_AFTER)
_LEADS = [_leading(p) for p, _ in _WORDS]
#: The one map: every word an alternative of one pattern, its reading looked up by the group that matched. A
#: lookahead on the characters a word can begin with lets the scan skip every other position (81 -> 9 ms per
#: 1000 lines: without it each position tries every alternative).
REGIONAL = re.compile(
    ("" if None in _LEADS else "(?=[" + "".join(sorted(set().union(*_LEADS))) + "])")
    + "(?:" + "|".join(f"(?P<w{i}>{p})" for i, (p, _) in enumerate(_WORDS)) + ")")
_READING = {f"w{i}": r for i, (_, r) in enumerate(_WORDS)}


def _regional(m: re.Match) -> str:
    reading = _READING[m.lastgroup]
    return reading if isinstance(reading, str) else reading(m.string, m.start())

#: Voice-to-text slips on the domain's own words (set 7, outbound calls transcribed): each read as the word it
#: sounds like, same length. Only slips that are not words of their own in a sales call. Session 14 (sets 19-33):
#: 村单 (存单), 活其 (活期; not 生活其实), 保笨 (保本), 风线 (风险), 测平 (测评), 冷净期 (冷静期); session 15: 里财 (理财), 鸡准 (基准), 以经 (已经).
ASR = re.compile(r"双路|测频|退宝|定头|验证吗|有预期(?=过|内|里|期间|之内)|定其|年华|受益(?!人)|村单|(?<!生)活其(?![实他中余])|保笨|风线|测平|冷净期|(?<![这那哪家心城村])里财(?![务富政经产])|鸡准|以经")
_ASR_AS = {"双路": "双录", "测频": "测评", "退宝": "退保", "定头": "定投", "验证吗": "验证码", "有预期": "犹豫期",
           "定其": "定期", "年华": "年化", "受益": "收益", "村单": "存单", "活其": "活期", "保笨": "保本", "风线": "风险",
           "测平": "测评", "冷净期": "冷静期", "里财": "理财", "鸡准": "基准", "以经": "已经"}

#: A rate said in words, as transcripts write it (二点九, 三点二): read as digits (2.9), same length, so the
#: rules' figure patterns see it. Only a digit 点 a digit: not 一点点, not a time (三点半). Amounts (五十万, 两千多块)
#: stay words: the rules read them as words (<NUM>), and 一块 is also "together".
_CN_DIGIT = {"零": "0", "一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
             "八": "8", "九": "9"}
NUMERAL = re.compile(r"(?<![一二两三四五六七八九十点])[一二两三四五六七八九]点[零一二三四五六七八九](?![点一二三四五六七八九个])")


def _numeral(m: re.Match) -> str:
    s = m.group()
    return _CN_DIGIT[s[0]] + "." + _CN_DIGIT[s[2]]


def fold(text: str) -> str:
    """`text` folded character by character: same length, same positions."""
    folded = "".join(fold_char(ch) for ch in text)
    folded = REGIONAL.sub(_regional, folded)
    folded = ASR.sub(lambda m: _ASR_AS[m.group()], folded)
    folded = NUMERAL.sub(_numeral, folded)
    return SPACED_FIGURE.sub("_", folded) if " " in folded else folded


#: Someone else's claim put to the customer, then knocked down (有人说存款保险连理财都保？那是瞎说 /
#: 别听人家催您「今天不买就没了」/ 有人让您改测评答案？那可不行): a hit inside it is the claim refuted,
#: not said (also 同事说…？这话不对, 谁说亏了他赔，那都是违规的, 群里有人晒…，别当真, 有人说退保不亏？骗你的).
#: The refutation may sit in the next sentence; a bare 其实 refutes only a loss word
#: (有同事说从没亏过，其实也回撤过), since 其实 also turns a warning into a sale (有人说有风险，其实稳得很).
HEARSAY = re.compile(
    r"(?:(?:(?:银行)?(?:员工|工作人员|客户经理|理财经理|柜员|经理|销售(?:人员)?|业务员)(?=要是|如果|若|假如)|有人|有的人|人家|别人|有同事|同事|有员工|有些人|有销售|网上|外面|别的地方|别家|群里有人|谁|任何人|他们|大家都|(?:(?<=^)|(?<=[。！？!?\n，,\s]))都|有(?:的|些|个|位)?(?:经理|客户经理|理财经理|销售|博主|网友|主播|业务员|员工)|(?:她|他|我|您|你)的?(?:朋友|亲戚|熟人|同学|老乡))(?:再|还|要是)?(?:跟|和|对|给|同|加|找|联系)?(?:您|你)?(?:微信|电话里?|私信)?(?:拍着?胸(?:脯|口))?(?:说|讲|催|让|叫|拿|推荐|保证|承诺|告诉|宣传|晒|自称|冒充|打包票|打包)"
    r"|(?:您|你)(?:刚才|刚)?(?:说|讲)(?=[「“\x22])|(?:您|你)讲|(?:您|你)(?:刚才|刚)?说(?=别的|外面|别家|人家|有人|隔壁)|有(?:的|个|位)?(?:宝子|家人|姐妹|粉丝|老铁)(?:说|问|讲)|(?:跟|给|对)(?:您|你)(?:说|讲|推)[^。！？!?\n，,]{0,16}的(?:那种|那个|那款)|(?:外面|网上|别处)?的?(?:中介|黄牛|贷款中介)(?:再|还)?(?:跟|和|对|给)?(?:您|你)?(?:说|讲|承诺|保证|宣传)"
    # an unnamed claimant: a clause opening with 说 and ending in 的 (说我们行能给您返点拉存款的，不是我们)
    r"|(?:(?<=^)|(?<=[。！？!?\n，,\s]))说(?![实真白句话明起])[^。！？!?\n，,]{2,24}的(?=[，,\s])"
    # a claim disowned by the bank (返现金的那个不是俺们行)
    r"|[^。！？!?\n，,\s]{2,12}的(?:那个|那种|那些)(?:都)?不是(?:我们|咱|俺们|本)(?:们)?(?:行|银行)"
    r"|(?:宣传单|传单|广告|海报|单子)上?(?:写|印)|(?:原告|上诉人|申请人|投诉人|起诉人)(?:主张|诉称|称|认为|提出|声称)|(?:客户|储户)?投诉(?:称|说)|(?:您|你)(?:电话里|刚才|刚|上回|上次|之前|手机上|群里|网上)?(?:说|讲|提|看|看到|听到|问)的(?:那个|这个|那种|那款)?"
    r"|(?:您|你)(?:说|讲)(?=上回|上次|之前|那天|昨天|有个|那个|有人)|(?:您|你)(?:说|听说|听人说|看到)(?=[^\n]{0,24}[?？])|(?:他|她|对方)说(?=[^。！!\n]{0,24}[?？])"
    r"|(?:有人|别人|人家|外面|网上)(?:把|将)[^\n]{0,8}(?:叫成|说成|叫做|称为|当成|叫(?=[「“\x22])|当(?=存款|定期|储蓄))"
    r")[^\n]{0,40}?(?:瞎说|胡说|乱说|瞎讲|乱讲|讲错|说错|看清楚|留神|缺乏证据|证据不足|不予支持|(?:投诉)?不成立|不属实|与事实不符|(?:不能|未能|无法)证明|不予采信|报了?警|劝住|劝下|(?:行|银行|地方|地儿)(?:都|也)?没有(?=[，,。！!\s]|$)|胡扯|瞎扯|拉黑|报警|飞单|核实|打个?问号|多问一句|留个?心|(?:都)?别要|(?:让|叫|请)(?:他|她|对方|他们)(?:把|拿|出示)|误导|违规|不合规|违法|别信|不要信|不能信|小心|当心|上当|不行|不对|投诉|举报|没这种|没这样|没这个|没有这种|没有这样|不一定|假的|骗人|骗子|骗你|骗您|别听|不靠谱|可不能|不存在|没这回事|别当真|不能当真|硬算|瞎咧咧|空话|糊弄|忽悠|吹牛|瞎吹|才(?:明白|知道|发现)|心眼|(?:让|叫|请)(?:他|她|对方|他们)(?:写|签|白纸黑字)|不敢写|敢不敢(?:写|签)|问问(?:他|她|对方)|(?:打|问)客服|客服电话|诈骗|骗局|搭售|不允许|不是(?:实际|真的|真实)|拿(?:来|过来)给我看|搞混|弄混|搞错|混淆|(?:千万|可)?(?:别|不要)(?:去|碰|理|转)|不是(?:咱|我们|本)(?:们)?(?:银行|行)?的|(?:直接|就|先)问(?:他|她|对方)|(?:肯定|一定|绝对|那就|就|准|八成|多半)有问题|纠正|(?:不搞|不做|不干)(?:这个|这种|这些)|不是的(?=[哈啊呀咯哦，,。！!\s]|$)|不是(?:哦|哈|啊|呀|喔|咯)|没有这个(?=[，,。！!\s]|$)|没(?:说|讲)过|(?:千万|可)莫(?:去|碰|理|转)|(?:现在|已经|早就|早)(?:再也|都|也)?没(?:有)?了|(?:跟|和|与)(?:我们|咱们?|本|我|俺)(?:们)?(?:行|银行|网点)?(?:都|可|也)?(?:没有?关系|无关|不相干)|没有?[^。！？!?\n，,]{0,8}这种(?:东西|事|产品|说法|名额|业务|合作)|(?:不|没有?)代销|不是(?:咱|我们|本|俺)(?:们)?(?:银行|行)?(?=[，,。！!\s]|$)"
    r"|其实[^\n]{0,10}?(?:亏|跌|回撤|波动))"
    # the refutation first: 别听人家催您「今天不买就没了」, to the end of its sentence; 甭听隔壁老王说…, to its clause's end
    r"|(?:别听|不要听|别信|不要信|甭听|不用听)(?:人家|别人|他们|有人|人|那些|外面)[^。！？!?\n]{0,30}"
    r"|(?:别听|不要听|甭听|不用听|莫听)[^。！？!?\n，,]{1,8}?(?:说|讲|吹)(?:(?!我们|咱们|我行|本行)[^。！？!?\n，,]){0,24}"
    # a claim reported in general, as notices and news put it (凡声称“保本高息”的…, 任何声称“银行兜底”的投资…), to its 的
    r"|(?:凡|凡是|但凡|任何|一切|所有)[^。！？!?\n]{0,12}?(?:声称|号称|宣称|自称|标榜|鼓吹|吹嘘|谎称|打着)[^。！？!?\n]{0,40}?的"
    # a claim in quotes, disowned or refuted right after it (“XX银行高息存款”不是我们官方的, 「年化稳稳8%」的都别信,
    # “百分百保本”的理财现在没有了), asked about by someone (来问“保本理财”), a customer's wish (想要“保本”的老年客户), or
    # explained against another (“保本”是讲定期的，不是讲理财)
    r"|[“\x22「][^”\x22」\n]{1,24}[”\x22」](?:的)?[^。！？!?\n，,]{0,8}?(?:都|就|全|均|根本|也)?(?:别信|不要信|别碰|不能信|别听|别买|不要买|别投|不要投|是骗|骗人"
    r"|(?:不是|并非|均非)(?:我们|我行|本行|咱|银行|官方|正规)|非本行|(?:现在|已经|早就|早)(?:都)?(?:没有了|没了|不存在了))"
    r"|(?<=[来去都还也我他她人户们次])问(?:的|过|了)?(?:那个|这个|那种|一下)?[“\x22「][^”\x22」\n]{1,16}[”\x22」]"
    r"|(?:想要|要求|追求|只认)[“\x22「][^”\x22」\n]{1,16}[”\x22」]的?(?:老年|老)?(?:客户|老人|客人|人|储户|投资者|阿姨|大爷)"
    r"|[“\x22「][^”\x22」\n]{1,12}[”\x22」](?:是|都是|指的是|说的是|讲的是)(?:讲|说|指)?(?=[^。！？!?\n]{0,12}(?:不是|而不是|别搞混|别弄混))"
    # a question put back and refused (您闺女要替您做风险测评？那不成)
    r"|[^。！？!?\n]{1,30}[?？]\s*(?:那|这|这个|那个)?(?:可|是|就|肯定|绝对)?(?:不成|不行|不可以|使不得|不允许|没门)(?!的话|吧|吗|么)"
    # a question back about where the claim came from (您听谁说的这个能保本？ 谁跟您说的保收益？)
    r"|(?:您|你)(?:是)?(?:听谁|听哪个|从哪儿?|在哪儿?)(?:说|讲|听|看)[^。！？!?\n]{0,24}[?？]|谁(?:跟|和|给|对)(?:您|你)(?:说|讲)的[^。！？!?\n]{0,24}[?？]"
    # the customer's question or wish said back before the answer (恁问银行倒了咋办，俺们交着存款保险呢; 你话要零风险 咁就定期)
    r"|(?:您|你)(?:刚才|刚|是)?问(?![问他她客别])(?:[^。！？!?\n，,]{0,16}(?:吧|什么|啥|多少)|[^。！？!?\n]{0,16}?(?:咋办|怎么办|行不行|会不会|吗|么))"
    r"|(?:您|你)(?:刚才|刚)?(?:说|讲)\s?(?:我|俺)?(?:就|只)?(?:要|想要|只要)[^。！？!?\n，,\s]{0,6}|(?:您|你)(?:要的|想要的|图的|求的|看重的|在意的)(?:是|就是)[^。！？!?\n，,\s]{0,6}"
    # a definition asked and answered (飞单是什么？就是…; 什么叫刚兑：…)
    r"|(?:(?<!为)什么(?:叫|是)|啥叫|何为)[^。！？!?\n]{0,8}[?？:：][^。！？!?\n]{0,40}"
    r"|(?:飞单|刚兑|刚性兑付|搭售|代签|代客操作|私售|误导销售|返佣|拆单|非法集资|洗钱)[^。！？!?\n]{0,4}(?:是什么|是啥|啥意思|什么意思|是指)[?？:：]?[^。！？!?\n]{0,40}")


def hearsay_spans(folded: str) -> list[tuple[int, int]]:
    """Spans of claims someone else made and the line refutes (see HEARSAY)."""
    return [m.span() for m in HEARSAY.finditer(folded)]


def scope_of(text: str, start: int, end: int, scope: str) -> tuple[int, int]:
    """The clause or sentence of `text` around text[start:end]."""
    pattern = CLAUSE_BREAK if scope == "clause" else SENTENCE_BREAK
    left = start
    while left > 0 and not pattern.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and not pattern.match(text[right]):
        right += 1
    return left, right


#: A line that retells what staff said or did (客户经理称…, 她说…, 对方让我…, 柜员代我…): a
#: third-person speaker. Such a line is read a second time as if the speaker said it.
NARRATOR = re.compile(
    r"(?:他|她|对方|经理|柜员|员工|业务员|销售|工作人员|代理人|营销人员|顾问|理财师|行长|主管|职员|客服)")
#: Retold speech read as direct speech: the speaker becomes 我, the narrator (我) the listener 您.
#: One character for one, so spans stay valid in the original text.
_SPEAKER_SWAP = str.maketrans({"他": "我", "她": "我", "我": "您"})

#: Where a sentence turns (说保本是违规的，但这个跟保本一样): a warning before the turn does
#: not excuse what comes after it. A clause that sets our product against another's
#: (他们的不保本，我们的保本) turns the sentence too, and so does a clause turning to the product pointed at
#: (别听他说什么风险，这款保本的).
CONTRAST = re.compile(r"但是|但|不过|可是|然而|其实|实际上|说白了|只是说|只不过|(?<=[，,、])(?:我们|咱们|咱|我行|本行|我家)(?:行)?(?:的|这)|(?<=[，,、])这(?:款|只)")


def retold_as_direct(folded: str) -> str | None:
    """The line with the retelling's speaker swapped in (她说肯定不会亏 → 我说肯定不会亏,
    让我把验证码报给她 → 让您把验证码报给我), or None when no third person speaks in it."""
    if not NARRATOR.search(folded):
        return None
    return folded.translate(_SPEAKER_SWAP)


def after_last_turn(text: str, start: int, end: int, hit_start: int) -> int:
    """Where the excuse scope of a hit begins: after the last contrast word before the hit."""
    left = start
    for m in CONTRAST.finditer(text, start, hit_start):
        left = m.end()
    return left


#: A negator just before a hit, in its clause: 本行不保证投资本金尽数返还, 并非保本, 没有承诺收益.
#: Not 不但/不仅/不少/不管/不论/不如/不到/不用 (they do not negate what follows), not 差不多/要不.
NEGATED_BEFORE = re.compile(
    r"(?:不允许|不准|不需要|无需|不必|(?<![差要])不(?![但仅少管论如到用光只止单过])(?:会|能|是|敢|一定|可能)?|没有?|并不|并非|无法|未|绝不|从不|从未|难以|很难|不再)$")


#: A clause that denies what follows it (这不是说你就能拿3.2, 不代表您也能), says there is no such thing (没有什么
#: 内部专属产品), or refuses to promise it (我没办法承诺一定能拿到这个收益, 谁也不敢保证): the hit is what is denied.
DENIED_CLAUSE = re.compile(r"(?:不是说|并不是说|不代表|并不代表|不等于|不意味着)[^。！？!?；;\n…，,、：:]{0,8}$|"
                           # not everyone (不是人人都赚了10个点, session 15)
                           r"(?:不是|并非|并不是)(?:人人|每个人|所有人|个个|每位|每一期|每期|每年)$|"
                           # an act denied toward its listener (并未向客户承诺收益, 从没跟您保证过)
                           r"(?:并未|未曾|未|并没有|没有|没|从未|从没有?|不曾|绝不|从不)(?:曾)?(?:向|对|给|跟|和)(?:客户|其|他|她|您|你|投资者|老人|消费者)(?:们)?$|"
                           r"(?:没办法|没法|无法|不能|不敢|不可能|谁也不能|谁都不能|谁也不敢|没人能|没有人能|没有谁能)"
                           r"(?:跟|给|向|对|和)?(?:您|你)?(?:承诺|保证|打包票|担保|确保)(?:说)?[^。！？!?；;\n…，,、：:]{0,4}$|"
                           # staff refusing the act that follows (俺们不能在单子上帮您勾已阅读, 我不敢跟您说这个保险比存银行划算);
                           # not 不会 (我们不会让您亏 promises) and not 让 (不能让您亏)
                           r"(?:我|咱|俺|银行|我行|本行|网点)(?:们)?(?:行|这边|这里)?(?:是|可|绝对|坚决|都|也)?(?:不能|不可以|不敢|没法|没办法|不得|不允许|不准|不帮|不替)(?:(?![让叫使])[^。！？!?；;\n…，,、：:]){0,8}$|"
                           r"(?:别|不要|千万别|可别|甭)(?:觉得|以为|认为|当成|当作)[^。！？!?；;\n…，,、：:]{0,8}$|"
                           r"(?:误以为|还以为|本以为|(?<![不别要])以为)[^。！？!?；;\n…，,、：:]{0,8}$|(?:没有|没|哪有|哪来|根本没有|并没有|不存在)(?:什么|啥|所谓的?)(?!问题|事|好|可)[^。！？!?；;\n…，,、：:\s]{0,6}$")


def negated_before(text: str, start: int) -> bool:
    """The three characters before `start` (not across a clause break) end in a negator, or its clause
    opens with a denial a few words before it (DENIED_CLAUSE)."""
    left = start
    while left > max(0, start - 3) and not CLAUSE_BREAK.match(text[left - 1]):
        left -= 1
    if NEGATED_BEFORE.search(text, left, start) is not None:
        return True
    return DENIED_CLAUSE.search(text, max(0, start - 14), start) is not None


_BREAK = r"。！？!?；;\n…，,、：:\s~～"
_REFUSAL = (r"(?:这个|这样|这种|这|那个)?(?:事|话)?(?:是|也|可|绝对|肯定|真的|万万|都|确实|实在|坚决)*"
            r"(?:不行|不可以|使不得|不允许|不合规|违规)的?(?:啊|哈|咯|哦|呀|哒|喔|嘞|啦)?"
            r"|(?:千万|可|绝对|坚决)(?:别|不要|莫|不能)(?:干|做|弄|答应)")
#: A refusal that closes the hit's clause a few characters on (卡和密码放我这保管不行的, 签空白合同这个不行, 我代抄是不行的),
#: or is the whole next clause (您说把钱转我个人卡上我帮您存，这个绝对不行; …给好处费 千万别干): what it closes is refused,
#: not offered. Not a condition or a question (保本的，不行的话我再给您换一个; 不行吗), not another subject set against
#: the product (那款不行, 别家不行, 他们不行), not a rhetorical 不成 (还能坑您不成) and not 千万别碰 (a warning off a peer runs it down).
REFUSED_IN_CLAUSE = re.compile(rf"(?:(?![别他其外那人])[^{_BREAK}]){{0,8}}?(?:{_REFUSAL})(?=$|[{_BREAK}])")
REFUSED_NEXT = re.compile(rf"[^{_BREAK}]*[{_BREAK}]+(?:{_REFUSAL})(?=$|[{_BREAK}])")


def refused_after(text: str, end: int) -> bool:
    """The hit ending at `end` is refused by what closes its clause, or by the next clause alone (see REFUSED_IN_CLAUSE)."""
    return REFUSED_IN_CLAUSE.match(text, end) is not None or REFUSED_NEXT.match(text, end) is not None
