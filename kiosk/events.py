"""The catalogue of event kinds: what each fact in the log means and what its payload holds.

One source of truth for the kiosk (what stations record), statistics (what queries read) and the hub
(which validates every uploaded event against it). Payload fields not listed are allowed but must be
JSON scalars, lists or objects; listed fields are required with the given Python type(s).
"""
from __future__ import annotations

from typing import Any

Num = (int, float)

# kind -> {field: type or tuple of types}
KINDS: dict[str, dict[str, Any]] = {
    # runtime
    "kiosk.start": {"version": str},
    "kiosk.stop": {"reason": str},
    "session.start": {},                                        # first touch on the attract loop
    "session.end": {"reason": str, "duration_s": Num, "stations": list},  # stations: [{"id", "seconds"}]
    "station.enter": {},                                        # station column names it
    "station.exit": {"seconds": Num},
    "error": {"where": str, "message": str},                    # a station raised; traceback in the log file
    "mediator.login": {"ok": bool},
    "language.change": {"lang": str},
    # crowd / traffic
    "crowd.attempt": {"scenario": str, "evacuation_time_s": (int, float, type(None))},
    "traffic.tap": {"scenario": str},
    "traffic.attempt": {"scenario": str},
    # participatory
    "survey.answer": {"question": str, "choices": list},
    "survey.complete": {"answered": int},
    "wall.message": {"question": str},                          # text and/or drawing_sha256, flags
    "moderation.approved": {"target": str},                     # target = uuid of the wall.message
    "moderation.rejected": {"target": str},
    # sensors
    "footfall.minute": {"sensor": str, "minute": str, "in": int, "out": int},
    "footfall.state": {"sensor": str, "boot_id": str, "seq": int, "total_in": int, "total_out": int},
    "sensor.air": {"sensor": str, "minute": str},               # co2_ppm, pm25, pm10 medians when known
    "sensor.status": {"sensor": str, "state": str},             # connected | offline | warming_up
    # school groups
    "group.start": {"group_id": str, "level": str, "pupils": int, "adults": int, "activity": str},
    "group.step": {"group_id": str, "step": int},
    "group.challenge": {"group_id": str, "metric": str, "value": Num, "success": bool},
    "group.end": {"group_id": str, "reason": str},
    # sync
    "sync.bundle": {"events": int},
}


def validate_payload(kind: str, payload: Any) -> str | None:
    """None when the payload fits its kind, else a short reason."""
    if kind not in KINDS:
        return f"unknown kind {kind!r}"
    if not isinstance(payload, dict):
        return "payload must be a JSON object"
    for name, typ in KINDS[kind].items():
        if name not in payload:
            return f"payload field {name!r} missing for {kind}"
        value = payload[name]
        if isinstance(value, bool) and typ is not bool and bool not in (typ if isinstance(typ, tuple) else (typ,)):
            return f"payload field {name!r} has the wrong type"
        if not isinstance(value, typ):
            return f"payload field {name!r} has the wrong type"
    return None
