"""Finding a customer by name, pinyin, initials, phone or tag (as staff type it)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def name_keys(name: str) -> tuple[str, str]:
    """Full pinyin and initials of a name (cached: the list is re-ranked as the user types)."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(name)).lower(), "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


def rank_customers(customers: list[dict], query: str, limit: int = 20) -> list[dict]:
    """Exact-ish hits first (substring of name, phone or tag; pinyin prefix), then fuzzy ones."""
    q = query.strip().lower()
    if not q:
        return customers[:limit]
    from rapidfuzz import fuzz

    scored = []
    for c in customers:
        score = _hit(c, q)
        if score is None:
            name = c.get("name") or ""
            full, initials = name_keys(name)
            score = max(fuzz.ratio(q, name), fuzz.ratio(q, full), fuzz.ratio(q, initials))
        if score >= 60:
            scored.append((score, c))
    scored.sort(key=lambda x: -x[0])
    return [c for _, c in scored[:limit]]


def named_by(customer: dict, query: str) -> bool:
    """`query` finds this customer outright (name, pinyin, initials, phone or tag), not only by
    looking like the name (赵大姐 for 赵姐)."""
    q = query.strip().lower()
    return bool(q) and _hit(customer, q) is not None


def _hit(customer: dict, q: str) -> float | None:
    """An exact-ish hit's score (part of the name, a pinyin or initials prefix, part of the phone
    number; then a tag), shorter names first; None when only a fuzzy match could find it."""
    name = customer.get("name") or ""
    full, initials = name_keys(name)
    phone = str((customer.get("contact") or {}).get("phone") or "")
    if q in name.lower() or full.startswith(q) or initials.startswith(q) or (q.isdigit() and q in phone):
        return 200.0 - len(name)
    if any(q in str(t).lower() for t in customer.get("tags") or ()):
        return 150.0
    return None
