"""Generated sessions with their events (live, rehearsal and drill) for the demo and benchmark."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Iterator

from assistant.core.history.demo_lines import Lines
from assistant.core.labels import PASS_MARK
from assistant.core.playbooks.models import STEP_ORDER

LIVE_OUTCOMES = (("成交", 0.3), ("未成交", 0.25), ("待跟进", 0.45))
#: The step a demo drill practises: its items are objection cards (see demo.make_flags_and_drill).
DRILL_STEP = "handle_objection"


def _stamp(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


def _furthest(rng: random.Random, outcome: str | None) -> str:
    if outcome == "成交":
        return "close"
    if outcome == "未成交":
        return rng.choice(("handle_objection", "nurture", "recommend"))
    return STEP_ORDER[min(int(rng.expovariate(0.35)) + 1, 5)]


def _rounds(steps: tuple[str, ...], size: int) -> dict[str, int]:
    """Objection rounds (3-4 events each) per step, so the session comes out about `size` events."""
    budget = max(0, (size - 2 * len(steps) - 1) * 2 // 7)
    if "handle_objection" in steps:
        return {"probe": min(1, budget), "handle_objection": max(0, budget - 1)}
    return {"probe": budget} if "probe" in steps else {}


class SessionMaker:
    """Makes one session record and its events; `size` is the rough number of events."""

    def __init__(self, rng: random.Random, lines: Lines, staff: list[dict], customers: list[dict]):
        self.rng = rng
        self.lines = lines
        self.staff = [s for s in staff if s["role"] != "网点负责人"] or staff
        self.customers = customers
        self.count = 0

    def make(self, start: datetime, size: int) -> tuple[dict, list[dict]]:
        self.count += 1
        mode = self.rng.choices(("live", "rehearse", "drill"), (0.6, 0.33, 0.07))[0]
        staff = self.rng.choice(self.staff)
        sid = f"s-{start:%Y%m%d-%H%M%S}-{self.count:06x}"
        if mode == "live":
            return self._live(sid, staff, start, size)
        if mode == "drill":
            return self._drill(sid, staff, start)
        return self._practice(sid, mode, staff, start, size)

    def _event(self, events: list, sid: str, t: datetime, speaker: str, text: str, **fields) -> datetime:
        events.append({"session_id": sid, "seq": len(events), "time": _stamp(t), "speaker": speaker, "text": text,
                       "type": fields.pop("type", "line"), **fields})
        return t + timedelta(seconds=self.rng.randint(8, 90))

    def _live(self, sid: str, staff: dict, start: datetime, size: int) -> tuple[dict, list[dict]]:
        rng, customer = self.rng, self.rng.choice(self.customers)
        outcome = rng.choices([o for o, _ in LIVE_OUTCOMES], [w for _, w in LIVE_OUTCOMES])[0]
        furthest = _furthest(rng, outcome)
        events: list[dict] = []
        topics, used = [], []
        t = start
        steps = STEP_ORDER[: STEP_ORDER.index(furthest) + 1]
        rounds = _rounds(steps, size)
        for step in steps:
            t = self._event(events, sid, t, "system", f"步骤：{self.lines.step_label(step)}", type="step", step=step)
            card_id, line = self.lines.step_line(rng, step, customer, staff["name"])
            t = self._event(events, sid, t, "staff", line, step=step, used_card=card_id)
            for _ in range(rounds.get(step, 0)):
                t = self._objection_round(events, sid, t, step, customer, topics, used, staff["name"])
        t = self._event(events, sid, t, "system", f"结束：{outcome}", type="end", step=furthest)
        record = self._record(sid, "live", staff, start, t, outcome=outcome, furthest_step=furthest, steps=list(steps),
                              customer_id=customer["id"], segment=customer.get("segment"),
                              topics=list(dict.fromkeys(topics)), cards_used=list(dict.fromkeys(used)))
        return record, events

    def _objection_round(self, events, sid, t, step, customer, topics, used, staff_name) -> datetime:
        rng = self.rng
        topic, said, reply = self.lines.objection(rng, customer, staff_name)
        others = rng.sample(self.lines.topics, k=min(2, len(self.lines.topics)))
        matches = [{"card_id": topic.card_id, "score": rng.randint(62, 96)}] + [
            {"card_id": o.card_id, "score": rng.randint(40, 60)} for o in others if o.card_id != topic.card_id]
        t = self._event(events, sid, t, "customer", said, step=step, matches=matches, topic=topic.topic)
        t = self._event(events, sid, t, "coach", reply, type="suggestion", step=step, card_id=topic.card_id)
        topics.append(topic.topic)
        if rng.random() < 0.7:
            edited = rng.random() < 0.3
            used.append(topic.card_id)
            text = reply + ("您看这样行吗？" if edited else "")
            t = self._event(events, sid, t, "staff", text, type="use", step=step, used_card=topic.card_id, edited=edited)
        else:
            t = self._event(events, sid, t, "staff", "嗯，我明白您的意思，我们再看看。", step=step)
        return t

    def _practice(self, sid, mode, staff, start, size) -> tuple[dict, list[dict]]:
        rng = self.rng
        scenario_id, persona, turns, end = self.lines.scenario_turns(rng, staff["name"])
        events: list[dict] = []
        scores, t, played = [], start, 0
        while len(events) < size - 1 and turns:
            for step, line, reply in turns:
                score = max(20, min(100, int(rng.gauss(76, 12))))
                scores.append(score)
                played += 1
                t = self._event(events, sid, t, "customer", line, step=step)
                t = self._event(events, sid, t, "staff", reply or "好的，我明白。", step=step)
                t = self._event(events, sid, t, "coach", f"得分 {score}", type="score", step=step, score=score,
                                reasons=["覆盖了要点"] if score >= 80 else ["少讲了风险提示"])
                if len(events) >= size - 1:
                    break
        average = round(sum(scores) / len(scores)) if scores else None
        # a run played to the scenario's end has that end's outcome; one cut short did not close
        outcome = (end or "成交") if played >= len(turns) else rng.choice(("待跟进", "未成交"))
        t = self._event(events, sid, t, "system", f"结束：{outcome}", type="end")
        steps = [s for s in STEP_ORDER if s in {e.get("step") for e in events}]  # a scenario may skip some
        record = self._record(sid, mode, staff, start, t, outcome=outcome, score=average, scenario_id=scenario_id,
                              persona_id=getattr(persona, "id", None), segment=getattr(persona, "segment", None),
                              furthest_step=steps[-1] if steps else None, steps=steps)
        return record, events

    def _drill(self, sid, staff, start) -> tuple[dict, list[dict]]:
        """One drill answer as the drill screen logs it (ui/screens/drill.log_answer): the customer's
        line and my scored reply; the record names the card drilled and whether it passed. A drill
        has no customer, so no outcome, and practises one step (its `furthest_step`) of no conversation."""
        rng = self.rng
        topic, said, reply = self.lines.objection(rng, None, staff["name"])
        score = max(20, min(100, int(rng.gauss(76, 12))))
        passed = score >= PASS_MARK
        events: list[dict] = []
        t = self._event(events, sid, start, "customer", said, step=DRILL_STEP)
        t = self._event(events, sid, t, "staff", reply if passed else "嗯，我明白您的意思，我们再看看。", step=DRILL_STEP,
                        score=score, reasons=["覆盖了要点"] if passed else ["没有回应客户的顾虑"])
        record = self._record(sid, "drill", staff, start, t, score=score, passed=passed, card_id=topic.card_id,
                              drill_item=f"drill:{staff['id']}:card:{topic.card_id}", furthest_step=DRILL_STEP,
                              steps=[DRILL_STEP], cards_used=[topic.card_id])
        return record, events

    @staticmethod
    def _record(sid, mode, staff, start, end, **fields) -> dict:
        base = {"id": sid, "mode": mode, "staff_id": staff["id"], "customer_id": None, "persona_id": None,
                "scenario_id": None, "segment": None, "started": _stamp(start), "ended": _stamp(end),
                "outcome": None, "furthest_step": None, "score": None, "topics": [], "cards_used": [],
                "month": _stamp(start)[:7]}
        return {**base, **fields}


def session_starts(rng: random.Random, now: datetime, days: int, count: int) -> Iterator[datetime]:
    """`count` working-hours start times spread over the last `days` days, oldest first."""
    first = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    stamps = sorted(rng.random() for _ in range(count))
    for x in stamps:
        day = first + timedelta(days=int(x * days))
        start = day.replace(hour=9) + timedelta(seconds=int(rng.random() * 8 * 3600))
        yield min(start, now - timedelta(minutes=30))
