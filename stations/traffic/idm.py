"""Intelligent Driver Model (Treiber, Hennecke & Helbing, PRE 62, 1805, 2000), vectorised.

Units: positions and gaps in m, speeds in m/s, accelerations in m/s², times in s.
Every function works on whole numpy arrays (one entry per vehicle): no Python loop over vehicles.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

MIN_GAP = 0.01          # m: gaps are floored here so that s*/s never divides by zero
HARD_DECEL = 9.0        # m/s²: physical limit of a car's brakes (dry road, about 0.9 g)


@dataclass(frozen=True)
class IDMParams:
    """One driver population. `heterogeneity` spreads v0 and a uniformly by ± that fraction."""

    v0: float = 120 / 3.6       # desired speed, m/s
    T: float = 1.6              # desired time gap, s
    s0: float = 2.0             # jam distance (bumper to bumper), m
    a: float = 0.73             # maximum acceleration, m/s²
    b: float = 1.67             # comfortable deceleration, m/s²
    delta: float = 4.0          # acceleration exponent
    length: float = 5.0         # vehicle length, m
    heterogeneity: float = 0.15
    noise_q: float = 0.0        # acceleration noise intensity Q, m²/s³ (variance Q/dt per step)

    def with_(self, **changes) -> "IDMParams":
        return replace(self, **changes)


# Treiber & Kesting, "Traffic Flow Dynamics" (Springer 2013), table 11.2 / traffic-simulation.de.
REALISTIC = IDMParams()
# Tuned for the exhibit (README, "exhibit set"): nervous drivers with short time gaps (0.6 s) and brisk
# starts. The ring is unstable from about 30 veh/km up to the Sugiyama density (96 veh/km), so a single
# tap creates a visible stop-and-go wave, while the wave still travels back at 11-19 km/h.
EXHIBIT = IDMParams(v0=110 / 3.6, T=0.6, s0=1.5, a=1.6, b=3.0, delta=4.0, length=4.5,
                    heterogeneity=0.15, noise_q=0.05)
# "Calm drivers" preset: the exhibit population keeping a longer time gap (stable on the Sugiyama ring).
CALM = EXHIBIT.with_(T=1.4, a=2.0, b=2.0, noise_q=0.02)
PARAM_SETS = {"realistic": REALISTIC, "exhibit": EXHIBIT, "calm": CALM}


def idm_acceleration(v, gap, dv, v0, T, s0, a, b, out=None):
    """IDM acceleration with delta = 4 (computed by squaring twice: faster than a power).

    dv = v - v_leader (approach rate). gap is floored at MIN_GAP. Returns an array (or fills `out`).
    """
    s_star = v * dv
    s_star /= 2.0 * np.sqrt(a * b)
    s_star += v * T
    np.maximum(s_star, 0.0, out=s_star)
    s_star += s0
    s_star /= np.maximum(gap, MIN_GAP)
    s_star *= s_star                       # (s*/s)²
    free = v / v0
    free *= free
    free *= free                           # (v/v0)⁴
    acc = np.subtract(1.0, free, out=out)
    acc -= s_star
    acc *= a
    return acc


def idm_acceleration_scalar_params(v, gap, dv, p: IDMParams):
    """Convenience for tests and diagrams: one parameter set for all vehicles."""
    return idm_acceleration(np.asarray(v, float), np.asarray(gap, float), np.asarray(dv, float),
                            p.v0, p.T, p.s0, p.a, p.b)


def ballistic_step(x, v, acc, dt, max_advance):
    """Ballistic update with an exact stop inside the step and a no-collision bound.

    A vehicle whose speed would turn negative stops where v² / (2|acc|) says and stays there; its
    advance is also bounded by `max_advance` (its gap minus a margin, with the leader's *old*
    position: leaders never move back, so this never depends on the leader's own update). Returns
    (advance, new speed); x is not modified.
    """
    v_new = v + acc * dt
    stopping = v_new < 0.0
    advance = v * dt + 0.5 * dt * dt * acc
    if stopping.any():
        safe_acc = np.where(stopping, acc, -1.0)
        advance = np.where(stopping, -v * v / (2.0 * safe_acc), advance)
        v_new[stopping] = 0.0
    np.minimum(advance, max_advance, out=advance)
    np.maximum(advance, 0.0, out=advance)
    return advance, v_new


def equilibrium_gap(v, p: IDMParams):
    """Gap s_e(v) at which IDM acceleration vanishes for a leader at the same speed v."""
    v = np.asarray(v, float)
    ratio = np.clip(v / p.v0, 0.0, 0.999999)
    return (p.s0 + v * p.T) / np.sqrt(1.0 - ratio ** p.delta)


def fundamental_diagram(p: IDMParams, points: int = 200):
    """Equilibrium (density veh/km, flow veh/h, speed km/h) for one lane, from jam to free flow."""
    v = np.linspace(0.0, p.v0 * 0.995, points)
    gap = equilibrium_gap(v, p)
    density = 1000.0 / (gap + p.length)
    flow = density * v * 3.6
    order = np.argsort(density)
    return density[order], flow[order], v[order] * 3.6
