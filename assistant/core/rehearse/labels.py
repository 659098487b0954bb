"""What staff read for a persona's codes (temperament, difficulty) and a scenario's channel;
shared by the rehearse screens and `coach rehearse --list`."""

from __future__ import annotations

TEMPERAMENTS = {"warm": "热情", "busy": "忙碌", "sceptical": "多疑", "price_driven": "比价",
                "cautious_elderly": "谨慎的长辈", "chatty": "爱聊"}
DIFFICULTIES = {"easy": "易", "normal": "中", "hard": "难"}
#: How the scenario is played (a scenario for any channel shows none).
CHANNELS = {"phone": "（电话）", "wechat": "（微信）"}


def persona_line(persona) -> str:
    """「忙碌的上班族刘先生 · 难度中 · 忙碌」."""
    temper = TEMPERAMENTS.get(persona.temperament, persona.temperament)
    return f"{persona.title} · 难度{DIFFICULTIES.get(persona.difficulty, persona.difficulty)} · {temper}"
