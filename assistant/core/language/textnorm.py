"""Chinese text normalization shared by the matcher, coverage and history search.

`normalize` is NFKC (full-width → half-width), traditional → simplified, lowercase, and drops
punctuation, spaces, symbols and emoji. `tokens` segments with rjieba and drops stop words.
`syllables` gives one toneless pinyin syllable per character and `pinyin_full`/`pinyin_initials`
the phrase-aware pinyin a user would type.

zhconv and pypinyin take ~0.3 s to import, too slow for a one-shot `coach suggest`. So the
per-character tables (traditional → simplified, character → pinyin) are built from them once and
kept in `cache_dir` (see `CharTables`); after that, normalizing a query imports neither.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: Bump when the tables or the rules below change, so stale caches are rebuilt.
TABLES_VERSION = 2

#: Words that carry no topic: pronouns, particles, question words (怎么 would tie every "how" card).
STOP_WORDS = frozenset(
    "我 你 您 他 她 它 我们 你们 他们 咱 咱们 自己 的 地 得 了 着 过 吗 呢 吧 啊 呀 哦 哈 嘛 啦 呗 哎 嗯 噢 哇 喔 "
    "就 也 都 还 又 再 才 是 这 那 这个 那个 这些 那些 个 么 和 跟 与 及 在 把 被 给 让 对 向 从 "
    "一下 一 些 怎么 怎么办 怎样 如何 什么 啥 咋 咋办 咋整 为什么 干嘛 呢 嘛 一个 这样 那样 其实 "
    "然后 就是 可以 可能 现在 这边 那边 请问 老师 大家".split()
)
#: Characters of function words: pronouns, particles, light verbs (帮/给/让/把/被), modals,
#: negators and question words. A unit made only of these (帮我, 我们, 是不是, 怎么办) says how
#: something is asked, never what about, however rare it is among the triggers.
FUNCTION_CHARS = frozenset("我你您他她它们咱自己的地得了着过吗呢吧啊呀哦哈嘛啦呗哎嗯就也都还又再才是这那个么和跟与及在把被给让对向"
                           "从一些要不没想会能有很太好啥怎样什如何为去来到说办咋整哪谁嘞帮")


def is_function(text: str) -> bool:
    """Whether a word or character pair is only function words (帮我, 一下, 是不是)."""
    return text in STOP_WORDS or all(ch in FUNCTION_CHARS for ch in text)

#: Whole lines that only acknowledge, greet, thank or say goodbye carry no topic. A customer's
#: 好的 / 嗯嗯 / 谢谢 would otherwise show whichever card shares a 好 (说好的礼品) and, in live
#: mode, move the conversation step. Refusals (不用了, 算了, 不需要) are objections: not here.
ACKNOWLEDGEMENTS = frozenset(
    "好 好的 好吧 好啊 好呀 好嘞 好滴 好哒 好好 行 行吧 行的 可以 可以的 是 是的 是啊 对 对的 对啊 对了 "
    "嗯 嗯嗯 嗯哼 哦 哦哦 噢 喔 ok okay okk 您好 你好 早 早上好 下午好 晚上好 谢谢 多谢 谢了 感谢 "
    "收到 知道 知道了 晓得了 明白 明白了 懂了 清楚了 没问题 没事 没关系 不客气 辛苦了 麻烦了 麻烦你 麻烦您 "
    "再见 拜拜 回见 喂 在吗 在的 在呢".split()
)
#: What may pad an acknowledgement (好的呢, 那好吧, 谢谢您, 我知道了, 是吗).
ACK_PADDING = frozenset("了 啊 呀 吧 呢 哦 噢 嗯 哈 嘛 啦 的 哒 滴 嘞 哇 呃 额 诶 哎 吗 那 我 你 您".split())
_ACK_PIECES = ACKNOWLEDGEMENTS | ACK_PADDING
#: Characters of the longest piece (also bounds the syllables of its pinyin).
_ACK_LONGEST = max(map(len, _ACK_PIECES))
#: Longer lines say something more (and are not worth the check).
ACK_MAX_CHARS = 12

# Unicode categories dropped by `normalize`: punctuation, symbols (emoji), separators, controls, marks.
_DROP = frozenset("PSZCM")


@dataclass(frozen=True)
class CharTables:
    """Per-character tables built from zhconv and pypinyin (cached on disk)."""

    #: Traditional (or variant) character → simplified, only where they differ.
    t2s: dict[str, str]
    #: Simplified character → its most common toneless pinyin syllable (ü as v).
    pinyin: dict[str, str]


# ------------------------------------------------------------------ tables


def _cache_file() -> Path | None:
    try:
        from assistant.paths import get_paths

        return get_paths().cache_dir / f"textnorm-tables-v{TABLES_VERSION}.pickle"
    except Exception:  # no usable data dir: build in memory only
        return None


@lru_cache(maxsize=1)
def tables() -> CharTables:
    """The character tables: from the cache file when it is there, else built and saved."""
    path = _cache_file()
    if path is not None:
        with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError):
            with open(path, "rb") as fh:
                loaded = pickle.load(fh)
            if isinstance(loaded, CharTables):
                return loaded
    built = _build_tables()
    if path is not None:
        save_pickle(path, built)
    return built


def save_pickle(path: Path, obj: object) -> None:
    """Write atomically (temp file + replace); a cache that cannot be written is not an error."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _cjk_chars():
    for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):
        for cp in range(lo, hi + 1):
            yield chr(cp)


def _build_tables() -> CharTables:
    import zhconv
    from pypinyin.pinyin_dict import pinyin_dict

    t2s = {}
    for ch in _cjk_chars():
        simple = zhconv.convert(ch, "zh-cn")
        if simple != ch and len(simple) == 1:
            t2s[ch] = simple
    pinyin = {chr(cp): _toneless(readings.split(",")[0]) for cp, readings in pinyin_dict.items()}
    return CharTables(t2s=t2s, pinyin=pinyin)


def _toneless(syllable: str) -> str:
    # ü may carry a tone mark too (ǚ): decompose first, then ü (u + diaeresis) → v.
    plain = unicodedata.normalize("NFD", syllable).replace("u\u0308", "v")
    return "".join(c for c in plain if not unicodedata.combining(c))


# ------------------------------------------------------------------ normalize


@lru_cache(maxsize=16384)
def norm_char(ch: str) -> str:
    """One original character, normalized ('' when it is dropped; NFKC may give several)."""
    out = []
    for c in unicodedata.normalize("NFKC", ch).lower():
        if unicodedata.category(c)[0] in _DROP:
            continue
        out.append(tables().t2s.get(c, c))
    return "".join(out)


def normalize(text: str) -> str:
    """NFKC, traditional → simplified, lowercase, without punctuation, spaces or emoji."""
    return "".join(norm_char(ch) for ch in text)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """The normalized text and, for each of its characters, the index of the original character."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for c in norm_char(ch):
            chars.append(c)
            index.append(i)
    return "".join(chars), index


#: Dialect words folded to Mandarin where they carry the meaning (Cantonese 冇钱, 唔得闲, 谂下, 蚀本;
#: northern 嘎哈, 寻思), read by the matcher's queries and the concept layer (`normalize_for_match`),
#: not by the triggers' units: folding the triggers too (the own-voice Cantonese lines) moved dev
#: --unread customer top-3 73.5 → 72.9 % and marketer top-1 63.8 → 63.0 %, this way it is unchanged.
#: Words that fold to stop or function words (点解 → 为什么, 嘅/啲 → 的, 咗 → 了, 佢 → 他) are left
#: out: folded on both sides they cost dev top-3 0.4–0.8 (为什么-questions lost to Cantonese lines),
#: and on a query alone they only hide it from the Cantonese lines it shares them with. Leave-one-
#: set-out on the tuning set cw8 (its lines out of own-voice): customer top-1 49.2 → 56.4 %, top-3
#: 57.5 → 65.0 %, none → any 14 → 10 %; cw9 top-3 83.9 → 84.4 %; held-out own-voice and dev --unread
#: unchanged (held-out sure cards 340 → 343 at 95.6 %). Applied after traditional → simplified.
DIALECT = {
    "唔得闲": "没空", "得闲": "有空", "食本": "亏本", "唔该": "谢谢", "唔好": "不要", "唔使": "不用", "唔": "不", "冇": "没", "睇": "看", "攞": "拿", "谂": "想",
    "諗": "想", "揾": "找", "搵": "找", "畀": "给", "俾": "给", "瞓": "睡", "嘢": "东西", "蚀": "亏",
    "嘎哈": "干啥", "干哈": "干啥", "唠嗑": "聊天", "寻思": "想", "瞅": "看",
}
_DIALECT_RE = re.compile("|".join(sorted(map(re.escape, DIALECT), key=len, reverse=True)))


def fold_dialect(norm: str, index: list[int]) -> tuple[str, list[int]]:
    """`norm` with DIALECT words said in Mandarin, and the original index of each character (a
    replacement's characters all point where the word began)."""
    if not _DIALECT_RE.search(norm):
        return norm, index
    chars: list[str] = []
    out: list[int] = []
    at = 0
    for m in _DIALECT_RE.finditer(norm):
        chars.append(norm[at:m.start()])
        out.extend(index[at:m.start()])
        word = DIALECT[m.group()]
        chars.append(word)
        out.extend([index[m.start()]] * (len(word) - 1) + [index[m.end() - 1]])
        at = m.end()
    chars.append(norm[at:])
    out.extend(index[at:])
    return "".join(chars), out


def normalize_for_match(text: str) -> tuple[str, list[int]]:
    """`normalize_with_map` with dialect words folded (see DIALECT): what a matcher query and the
    concept layer read."""
    return fold_dialect(*normalize_with_map(text))


def spans_from_positions(positions, index: list[int]) -> list[tuple[int, int]]:
    """Merge normalized positions into (start, end) ranges of the original text."""
    spans: list[tuple[int, int]] = []
    for pos in sorted(set(positions)):
        start = index[pos]
        end = start + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


# ------------------------------------------------------------------ tokens


@lru_cache(maxsize=1)
def _jieba():
    import rjieba  # ~0.1 s: loads its dictionary; no logging to stderr, unlike jieba

    return rjieba


@lru_cache(maxsize=1)
def _jieba_class():
    """rjieba's `Jieba` class without building the default 350k-word dictionary that
    `import rjieba` builds (~0.1 s): the extension is loaded on its own and registered, so a
    later `import rjieba` uses it. Falls back to the plain import."""
    import sys

    if "rjieba" in sys.modules or "rjieba.rjieba" in sys.modules:
        return (sys.modules.get("rjieba.rjieba") or sys.modules["rjieba"]).Jieba
    try:
        import importlib.machinery
        import importlib.util

        spec = importlib.util.find_spec("rjieba")
        folder = Path(spec.submodule_search_locations[0])
        path = next(folder / f"rjieba{sfx}" for sfx in importlib.machinery.EXTENSION_SUFFIXES if (folder / f"rjieba{sfx}").exists())
        loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(path))
        module = importlib.util.module_from_spec(importlib.util.spec_from_file_location("rjieba.rjieba", path, loader=loader))
        loader.exec_module(module)
        sys.modules["rjieba.rjieba"] = module
        return module.Jieba
    except Exception:  # another layout: pay for the default dictionary
        return _jieba().Jieba


class Segmenter:
    """rjieba restricted to a vocabulary (plus its HMM for unknown words). The matcher segments
    triggers and queries with the library's own words: both sides cut alike, and it loads in ~1 ms."""

    def __init__(self, vocabulary):
        self._jieba = _jieba_class().empty()
        for word in sorted(vocabulary):
            self._jieba.add_word(word, None, None)

    def word_spans(self, norm: str) -> list[tuple[str, int, int]]:
        """(word, start, end) of every word of an already normalized text."""
        return list(self._jieba.tokenize(norm)) if norm else []

    def token_spans(self, norm: str) -> list[tuple[str, int, int]]:
        """The same without stop words."""
        return [t for t in self.word_spans(norm) if t[0] not in STOP_WORDS]


def tokens(text: str) -> list[str]:
    """Words of the normalized text (rjieba), without stop words."""
    return [w for w, _, _ in token_spans(normalize(text))]


def token_spans(norm: str) -> list[tuple[str, int, int]]:
    """(word, start, end) over an already normalized text, without stop words."""
    return [t for t in word_spans(norm) if t[0] not in STOP_WORDS]


def word_spans(norm: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of every word of an already normalized text (rjieba)."""
    return list(_jieba().tokenize(norm)) if norm else []


def is_ascii_query(norm: str) -> bool:
    """A normalized query of letters only: typed pinyin or pinyin initials."""
    return bool(norm) and norm.isascii() and norm.isalpha()


# ------------------------------------------------------------------ pinyin


def syllables(norm: str) -> list[str]:
    """One toneless syllable per character of a normalized text (others stay as they are).

    Character-level and read from the cached table, so a query needs no pypinyin import; it
    makes homophone typos (受益 / 收益) compare equal.
    """
    table = tables().pinyin
    return [table.get(c, c) for c in norm]


@lru_cache(maxsize=1)
def _pypinyin():
    import pypinyin

    return pypinyin


def phrase_syllables(norm: str) -> list[str]:
    """Phrase-aware syllables of a normalized text, one per character (银行 → yin, hang).

    Needs pypinyin (~0.2 s to import): used when preparing the library, which is cached.
    """
    p = _pypinyin()
    out: list[str] = []
    for piece in p.lazy_pinyin(norm, style=p.Style.NORMAL, v_to_u=False, errors=lambda s: list(s)):
        out.append(piece)
    return out if len(out) == len(norm) else syllables(norm)


def pinyin_full(text: str) -> str:
    """Phrase-aware toneless pinyin of the normalized text, no spaces (银行 → yinhang)."""
    return "".join(phrase_syllables(normalize(text)))


def pinyin_initials(text: str) -> str:
    """First letters of each syllable, as staff type them (定期提前 → dqtq)."""
    return "".join(s[:1] for s in phrase_syllables(normalize(text)))


@lru_cache(maxsize=1)
def _syllable_set() -> frozenset[str]:
    # Only syllables with a vowel: `n`, `m`, `ng` would let any initials string parse as pinyin.
    return frozenset(s for s in tables().pinyin.values() if s.isalpha() and any(v in s for v in "aeiouv"))


@lru_cache(maxsize=1024)
def split_pinyin(letters: str) -> tuple[str, ...] | None:
    """Typed full pinyin split into syllables (qunbuhuoyue → qun bu huo yue), fewest syllables
    first; None when the letters are not pinyin (then they are read as initials)."""
    valid, n = _syllable_set(), len(letters)
    best: list[tuple[str, ...] | None] = [()] + [None] * n
    for end in range(1, n + 1):
        for start in range(max(0, end - 6), end):
            head, piece = best[start], letters[start:end]
            if head is not None and piece in valid and (best[end] is None or len(head) + 1 < len(best[end])):
                best[end] = head + (piece,)
    return best[n]


# ------------------------------------------------------------------ acknowledgements


#: Thanks inside a longer line (真是太感谢你们了，及时阻止了我): a customer who only thanks raises no
#: concern, whatever card her story's words (养老钱, 老伴, 密码) happen to reach.
_THANKS = re.compile(r"谢谢|感谢|多谢|谢了|谢啦")
#: …unless she also declines, hesitates, worries or turns (不用了谢谢, 谢谢，不过我再考虑考虑), or
#: names the commonest concerns (谢谢你还惦记着，最近忙着…; 谢谢，我已经有理财了; 收益有点低).
_BESIDES_THANKS = re.compile(r"不用|不要|不需要|不必|不想|不买|算了|再说|考虑|想想|没兴趣|别|但|不过|可是|只是|担心|怕|顾虑"
                             r"|没空|没时间|忙着|太忙|很忙|挺忙|已经有|有了|太低|太贵|亏|风险|不划算|收益|利息")


def only_thanks(norm: str) -> bool:
    """A normalized line that thanks and says nothing a card answers (no refusal, doubt or
    "but"): small talk, shown no dimmed card (a sure one still shows)."""
    return bool(_THANKS.search(norm)) and not _BESIDES_THANKS.search(norm)


def is_acknowledgement(norm: str) -> bool:
    """A normalized line made only of acknowledgements, greetings and thanks (好的谢谢, 嗯嗯好,
    ok好的), or typed in pinyin (haode, xiexie): no card fits it."""
    if not norm or len(norm) > ACK_MAX_CHARS:
        return False
    if is_ascii_query(norm):
        split = split_pinyin(norm)
        return norm in ACKNOWLEDGEMENTS or (split is not None and _covered(split, _ack_pinyin()))
    return _covered(norm, _ACK_PIECES)


@lru_cache(maxsize=1)
def _ack_pinyin() -> frozenset[tuple[str, ...]]:
    """The acknowledgements as typed pinyin, a tuple of syllables each (好的 → hao, de)."""
    return frozenset(tuple(syllables(w)) for w in _ACK_PIECES if not w.isascii())


def _covered(seq, pieces) -> bool:
    """Whether `seq` (a string or a tuple of syllables) splits wholly into `pieces`."""
    ends = [True] + [False] * len(seq)
    for end in range(1, len(seq) + 1):
        ends[end] = any(ends[start] and seq[start:end] in pieces for start in range(max(0, end - _ACK_LONGEST), end))
    return ends[-1]
