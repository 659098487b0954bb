"""Masking personal data in exported text: mobile numbers, ID-card numbers, bank-card numbers,
and the names of known customers. On by default in every export; `--no-mask` must be explicit.

Numbers are found after normalising what people type around them: full-width digits (１３８…),
groups split by spaces, dots or dashes (138.1234.5678, 6222 0212 3456 7890), +86 / 0086 in front.
A run of digits is classified by its digits alone (ID with a valid birth date, 16–19-digit card
of any issuer — 62 UnionPay, 9558 ICBC, 2-series Mastercard —, mobile), then its digits are starred
in place, separators kept. Names: the whole name, the given name alone (王建国 → 建国), spaced
(王 建 国) and in traditional characters (陳建國).
"""

from __future__ import annotations

import re
from typing import Iterable

#: Full-width digits, X and the separators typed with a Chinese input method, to ASCII (1:1).
_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＸ．－＋　（）", "0123456789xxX.-+ ()")
#: A run of digits with single separators inside (space, dot, dash), maybe ending in X (ID).
_RUN = re.compile(r"(?<![0-9A-Za-z])(?:\+|\(\+?)?\d(?:[ .\-]?\d|\)[ .\-]?(?=\d))+(?:[ .\-]?[Xx])?(?![0-9A-Za-z])")
_ID18 = re.compile(r"\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]")
_ID15 = re.compile(r"\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}")
_MOBILE = re.compile(r"(?:0086|86)?1[3-9]\d{9}")

#: Words that end a form of address (王阿姨, 李先生): the part after the surname is not a given name.
HONORIFICS = ("阿姨", "先生", "女士", "小姐", "大爷", "大妈", "大姐", "大哥", "叔叔", "阿叔", "奶奶", "爷爷",
              "老师", "经理", "总", "姐", "哥", "叔", "婶", "伯", "老板", "师傅", "同学")


def normalise_width(text: str) -> str:
    """Full-width digits and separators as ASCII (same length, so positions still match)."""
    return text.translate(_WIDTH)


def _keep(digits: str) -> tuple[int, int] | None:
    """How many digits to keep at the start and at the end, or None when this is not personal data."""
    n = len(digits)
    if n == 18 and _ID18.fullmatch(digits) or n == 15 and _ID15.fullmatch(digits) and not digits.startswith("0086"):
        return 6, 4
    if _MOBILE.fullmatch(digits):
        return n - 8, 4  # the prefix (0086/86) and the 3-digit operator code stay
    if 16 <= n <= 19 and digits.isdigit():
        return 4, 4
    return None


def _mask_run(run: str) -> str:
    digits = "".join(ch for ch in run if ch.isdigit() or ch in "Xx")
    keep = _keep(digits)
    if keep is None:
        return run
    head, tail = keep
    out, seen = [], 0
    for ch in run:
        if ch.isdigit() or ch in "Xx":
            out.append(ch if seen < head or seen >= len(digits) - tail else "*")
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def mask_numbers(text: str) -> str:
    """ID card → first 6 and last 4 kept; bank card → first and last 4; mobile → first 3 and last 4."""
    return _RUN.sub(lambda m: _mask_run(m[0]), normalise_width(text))


def mask_name(name: str) -> str:
    """王阿姨 → 王**, 李娜 → 李*; keeps the surname so a reviewer can still follow the chat."""
    return name[:1] + "*" * (len(name) - 1) if name else name


def _full_forms(name: str) -> set[str]:
    """The whole name as stored and in traditional/simplified characters."""
    name = re.sub(r"\s+", "", name)
    forms = {name}
    try:
        from zhconv import convert

        forms |= {convert(name, "zh-hant"), convert(name, "zh-tw"), convert(name, "zh-hans")}
    except ImportError:  # zhconv is a dependency; without it only the stored form is masked
        pass
    return forms


def name_forms(name: str) -> list[str]:
    """The forms of one customer's name a chat may carry: as stored, in traditional characters,
    and the given name alone when the name is surname + given name (not 王阿姨)."""
    forms = _full_forms(name)
    name = re.sub(r"\s+", "", name)
    if len(name) >= 3 and not name.endswith(HONORIFICS):
        forms |= {f[1:] for f in list(forms)}
    return sorted((f for f in forms if len(f) >= 2), key=len, reverse=True)


class Masker:
    """Masks numbers always, and the given customer names (longest first) when `names` is on."""

    def __init__(self, names: Iterable[str] = (), enabled: bool = True, mask_names: bool = True):
        self.enabled = enabled
        names = [n for n in names if n and len(n) >= 2] if mask_names else []
        forms = {f for n in names for f in name_forms(n)}
        #: given names alone (建国): starred whole, the first character is not a surname to keep
        self._given = forms - {f for n in names for f in _full_forms(n)}
        # a name may be typed with spaces between its characters (王 建 国)
        patterns = [r"\s*".join(map(re.escape, f)) for f in sorted(forms, key=len, reverse=True)]
        self._names = re.compile("|".join(patterns)) if patterns else None

    def text(self, value: str | None) -> str | None:
        if not self.enabled or not value:
            return value
        value = mask_numbers(value)
        return self._names.sub(self._star, value) if self._names else value

    def _star(self, m: re.Match) -> str:
        found = m[0]
        if re.sub(r"\s+", "", found) in self._given:
            return re.sub(r"\S", "*", found)
        return _star_chars(found)

    def name(self, value: str | None) -> str | None:
        return mask_name(value) if self.enabled and self._names and value else value


def _star_chars(found: str) -> str:
    """Keep the first character (the surname, usually) and any spaces; star the rest."""
    first = True
    out = []
    for ch in found:
        if ch.isspace():
            out.append(ch)
        elif first:
            out.append(ch)
            first = False
        else:
            out.append("*")
    return "".join(out)
