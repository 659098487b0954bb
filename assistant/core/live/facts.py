"""What the app already knows about this conversation, as template variables: the customer's
name and the product that brings them in (the one maturing first: amount, rate, term days, days
held, days to maturity), the signed-in staff member, and what the customer said in this session
(another bank's quote: 隔壁银行给3%). Only facts nobody recorded or said stay blank (the product
to offer, its benchmark)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

#: Chinese numerals staff write in product names (三年期, 六个月).
_NUMERALS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_TERM = re.compile(r"(\d+|[一两二三四五六七八九十])\s*(年|个月|月|天)")
_DEPOSIT = re.compile(r"定期|存款|存单|整存|储蓄")
_DAYS_PER = {"年": 365, "个月": 30, "月": 30, "天": 1}


def known_variables(customer: dict | None, staff: dict | None, today: date | None) -> dict[str, Any]:
    """Variables filled from the customer record and the staff member (none of them guessed)."""
    out: dict[str, Any] = {}
    customer = customer or {}
    if customer.get("name"):
        out["name"] = customer["name"]
    if (staff or {}).get("name"):
        out["staff_name"] = staff["name"]
    product = lead_product(customer.get("products") or [], today)
    if product:
        out.update(product_variables(product, today))
    return out


def lead_product(products: list[dict], today: date | None) -> dict | None:
    """The product the conversation is most likely about: the next one to mature (not yet past),
    else the first one listed."""
    dated = [(d, p) for p in products if isinstance(p, dict) for d in [_date(p.get("maturity"))] if d]
    upcoming = sorted(((d, i, p) for i, (d, p) in enumerate(dated) if today is None or d >= today), key=lambda x: x[:2])
    if upcoming:
        return upcoming[0][2]
    return next((p for p in products if isinstance(p, dict)), None)


def product_variables(product: dict, today: date | None) -> dict[str, Any]:
    """name → product, amount, rate (and deposit_rate for a deposit), maturity_date, days (its
    term), remain_days, held_days (from the term in its name or `term_days`)."""
    out: dict[str, Any] = {}
    name = str(product.get("name") or "")
    for key, field in (("product", "name"), ("amount", "amount"), ("rate", "rate"), ("maturity_date", "maturity")):
        if product.get(field) not in (None, ""):
            out[key] = product[field]
    if "rate" in out and _DEPOSIT.search(name):
        out["deposit_rate"] = out["rate"]
    maturity = _date(product.get("maturity"))
    term = term_days(product)
    if term:
        out["days"] = term
    if maturity and today:
        left = (maturity - today).days
        if left >= 0:
            out["remain_days"] = left
            if term and term > left:
                out["held_days"] = term - left
    return out


def term_days(product: dict) -> int | None:
    """The product's term in days: `term_days`, else read from its name (三年期 → 1095, 6个月 → 180)."""
    if isinstance(product.get("term_days"), int):
        return product["term_days"]
    m = _TERM.search(str(product.get("name") or ""))
    if not m:
        return None
    number = int(m[1]) if m[1].isdigit() else _NUMERALS[m[1]]
    return number * _DAYS_PER[m[2]]


def _date(value: Any) -> date | None:
    from assistant.core.playbooks.render import parse_date

    if value in (None, ""):
        return None
    try:
        return parse_date(value)
    except (ValueError, TypeError, ArithmeticError):
        return None


# ------------------------------------------------------------------ what the customer said

#: Who the customer compares us with: another bank, named or not (not 你们 / 咱们 / 这边).
_OTHER_BANK = re.compile(r"隔壁|别的银行|别家|别的行|其他银行|其它银行|其他行|外面|对面|人家|他们|那边|那家|"
                         r"(?P<bank>(?:工商|农业|建设|交通|招商|中国|浦发|兴业|中信|民生|光大|华夏|平安|广发|农商|城商|"
                         r"北京|上海|宁波|江苏|南京|杭州|微众|网商|邮政储蓄|邮储)银行|[工农中建交招]行|农商行|城商行|邮储|邮政)")
#: Words that name our side, or that only look like a bank (银行卡, 行情): a bank match there is not one.
_NOT_OTHER = re.compile(r"你们|咱们|您们|我们|这边|贵行|本行|银行卡|行情|不行|还行|可行|进行|执行|发行|流行")
#: A rate as customers say it: 3%, 3.1, 3个点, 百分之三, 三点一.
_RATE = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>%|％|个点|点)?(?![\d.万千百元块年月天岁号])"
                   r"|百分之(?P<cn>[一二三四五两]点?[零一二三四五六七八九]*)|(?P<cn2>[一二三四五两]点[零一二三四五六七八九]+)")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CLAUSES = re.compile(r"[，,。！!？?；;\n]+")
#: A deposit or wealth rate is a few percent: a bigger number is an amount, a term or a date.
_MAX_RATE = 10


def heard_variables(text: str) -> dict[str, Any]:
    """Facts the customer states in one line: another bank's rate (`other_rate`, 隔壁银行给3% /
    人家给3.1 / 别的银行利率3%) and, when named, that bank (`other_bank`). A number only counts
    after a mention of the other bank in the same clause, and only when it reads as a rate."""
    out: dict[str, Any] = {}
    for clause in _CLAUSES.split(text or ""):
        mention = _other_bank(clause)
        if mention is None:
            continue
        rate = _rate_after(clause[mention.end():])
        if rate is None:
            continue
        out["other_rate"] = rate
        bank = mention.group("bank")
        if bank:
            out["other_bank"] = bank
    return out


def _other_bank(clause: str) -> re.Match | None:
    for m in _OTHER_BANK.finditer(clause):
        near = clause[max(0, m.start() - 2):m.end() + 2]
        if not _NOT_OTHER.search(near) and not (m.group("bank") and _NOT_OTHER.search(m.group("bank"))):
            return m
    return None


def _rate_after(rest: str) -> float | int | None:
    for m in _RATE.finditer(rest):
        value = _number(m)
        if value is not None and 0 < value < _MAX_RATE:
            return int(value) if float(value).is_integer() else value
    return None


def _number(m: re.Match) -> float | None:
    if m.group("num"):
        if m.group("unit") == "点" and "." in m.group("num"):
            return None
        return float(m.group("num"))
    words = m.group("cn") or m.group("cn2")
    whole, _, frac = words.partition("点")
    digits = [_CN_DIGITS.get(ch) for ch in whole + frac]
    if None in digits or not whole:
        return None
    return float(f"{_CN_DIGITS[whole]}.{''.join(str(_CN_DIGITS[ch]) for ch in frac) or 0}")
