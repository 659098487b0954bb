"""What the app already knows about this conversation, as template variables: the customer's
name and the product that brings them in (the one maturing first: amount, rate, term, days held,
days to maturity), and the signed-in staff member. Only facts nobody recorded stay blank (the
product to offer, its benchmark, another bank's quote)."""

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
    """name → product, amount, rate (and deposit_rate for a deposit), maturity_date, remain_days,
    held_days (from the term in its name or `term_days`)."""
    out: dict[str, Any] = {}
    name = str(product.get("name") or "")
    for key, field in (("product", "name"), ("amount", "amount"), ("rate", "rate"), ("maturity_date", "maturity")):
        if product.get(field) not in (None, ""):
            out[key] = product[field]
    if "rate" in out and _DEPOSIT.search(name):
        out["deposit_rate"] = out["rate"]
    maturity = _date(product.get("maturity"))
    term = term_days(product)
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
