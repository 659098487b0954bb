"""Masking personal data in exported text: mobile numbers, ID-card numbers, bank-card numbers,
and the names of known customers. On by default in every export; `--no-mask` must be explicit.
"""

from __future__ import annotations

import re
from typing import Iterable

# 18-digit (or 15-digit) resident ID: region, birth date, sequence, check digit.
ID_CARD = re.compile(
    r"(?<![0-9A-Za-z])(\d{6})((?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"|\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])"
)
# Bank cards: 16–19 digits, possibly in groups of four separated by spaces or dashes.
BANK_CARD = re.compile(r"(?<!\d)[3-6]\d{3}(?:[ -]?\d){12,15}(?!\d)")
# Mainland mobiles, optionally +86 and grouped 3-4-4.
MOBILE = re.compile(r"(?<!\d)((?:\+?86[ -]?)?1[3-9]\d)([ -]?\d{4})([ -]?\d{4})(?!\d)")


def _stars(text: str) -> str:
    return re.sub(r"\d", "*", text)


def _mask_card(card: str) -> str:
    """Keep the first and the last four digits, star the rest, keep the spacing."""
    digits = [i for i, ch in enumerate(card) if ch.isdigit()]
    hidden = set(digits[4:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(card))


def mask_numbers(text: str) -> str:
    """ID card → first 6 and last 4 kept; bank card → first and last 4; mobile → first 3 and last 4."""
    text = ID_CARD.sub(lambda m: m[1] + "*" * (len(m[2]) - 4) + m[2][-4:], text)
    text = BANK_CARD.sub(lambda m: _mask_card(m[0]), text)
    return MOBILE.sub(lambda m: m[1] + _stars(m[2]) + m[3], text)


def mask_name(name: str) -> str:
    """王阿姨 → 王**, 李娜 → 李*; keeps the surname so a reviewer can still follow the chat."""
    return name[:1] + "*" * (len(name) - 1) if name else name


class Masker:
    """Masks numbers always, and the given customer names (longest first) when `names` is on."""

    def __init__(self, names: Iterable[str] = (), enabled: bool = True, mask_names: bool = True):
        self.enabled = enabled
        known = sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True) if mask_names else []
        self._names = re.compile("|".join(map(re.escape, known))) if known else None

    def text(self, value: str | None) -> str | None:
        if not self.enabled or not value:
            return value
        value = mask_numbers(value)
        return self._names.sub(lambda m: mask_name(m[0]), value) if self._names else value

    def name(self, value: str | None) -> str | None:
        return mask_name(value) if self.enabled and self._names and value else value
