"""Who the rehearsal is with: the persona, and the template values that fill its lines and model replies."""

from __future__ import annotations

import re

from assistant.core.address import customer_calls
from assistant.core.errors import UnknownIdError
from assistant.core.playbooks.models import Persona

#: Who is calling: filled by the signed-in staff and the configured branch, never by the library's
#: example (a stranger's name in the model reply); without them, neutral words.
NEUTRAL_IDENTITY = {"staff_name": "客户经理", "branch": "网点"}
#: A role word before the neutral staff name (理财经理{{ staff_name }}) keeps only the role.
ROLE_TWICE = re.compile(r"(理财经理|客户经理|大堂经理|柜员)客户经理")


def find_persona(scenario, persona_id: str) -> Persona:
    """The scenario's persona with this id; UnknownIdError naming the nearest one."""
    import difflib

    for p in scenario.personas:
        if p.id == persona_id:
            return p
    ids = [p.id for p in scenario.personas]
    close = difflib.get_close_matches(persona_id, ids, n=1)
    hint = f"是不是 `{close[0]}`？" if close else "可选：" + "、".join(ids)
    raise UnknownIdError(f"演练场景 `{scenario.id}` 里没有客户角色 `{persona_id}`；{hint}")


def scenario_variables(library, scenario, persona, extra: dict | None = None) -> dict:
    """Template values: library examples (neutral words for the staff's name and branch) < the user's
    settings (branch) < scenario examples < persona's < persona traits < caller's (the staff's name).
    `staff_call` is what this customer calls the staff member (小王 from an older customer, else
    王经理; 经理 without a name) unless the caller says."""
    from assistant.core.rehearse.voice import traits_of

    from assistant.core.config import template_defaults

    out = {k: spec.example for k, spec in library.variables.items() if k not in NEUTRAL_IDENTITY}
    out.update(NEUTRAL_IDENTITY)
    out.update(template_defaults())  # staff rehearse with their own branch's name, not the example's
    out.update({k: spec.example for k, spec in scenario.variables.items()})
    out.update(persona.variables)
    out.update(temperament=persona.temperament, difficulty=persona.difficulty,
               segment=persona.segment, asset_tier=persona.asset_tier)
    out.update(extra or {})
    if "staff_call" not in (extra or {}):
        senior = traits_of(persona, scenario.channel or "any").age == "senior"
        out["staff_call"] = customer_calls(str(out.get("staff_name") or ""), senior)
    return out

