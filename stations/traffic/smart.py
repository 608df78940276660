"""The calm ("smart") car: it drives at the average speed of the traffic and keeps a larger gap.

Inspired by Stern et al., Transp. Res. C 89, 205-221 (2018): one automated car following the
traffic's mean speed with a generous gap (their "PI with saturation" controller) absorbed the stop-and-go
wave of about twenty human drivers on a 260 m ring. Here the same idea in IDM form: its desired speed
is its own moving average speed (so it does not rush into the back of the next jam), its time gap is
larger, its acceleration gentle.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .idm import IDMParams, idm_acceleration


@dataclass(frozen=True)
class SmartCarParams:
    averaging_s: float = 40.0        # s: time constant of its own moving-average speed
    speed_margin_ms: float = 0.5     # m/s above that average it aims for
    min_speed_ms: float = 2.0        # m/s: never aims lower than this
    time_gap_factor: float = 1.8     # × the human T
    accel: float = 0.4               # m/s²: gentle starts
    decel: float = 1.0               # m/s²: anticipates early, brakes gently


def smart_acceleration(v, gap, v_lead, v_avg, human: IDMParams, p: SmartCarParams):
    v0 = np.maximum(v_avg + p.speed_margin_ms, p.min_speed_ms)
    return idm_acceleration(v, gap, v - v_lead, v0, human.T * p.time_gap_factor, human.s0, p.accel, p.decel)
