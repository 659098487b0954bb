"""How we read Chinese: normalisation, phrasing rules, negation, matching, key-point coverage."""
