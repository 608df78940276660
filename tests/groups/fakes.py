"""Fake simulation stations implementing ChallengeSource, with the ids and metrics of the real ones,
so the shipped activities run against them. Their dynamics are trivial and known in advance."""
from __future__ import annotations

import pygame

from kiosk.input import DOWN
from kiosk.station import ChallengeSource, Station


class FakeCrowd(Station, ChallengeSource):
    """200 people leave at 5 per second, 10 per second once a pillar stands (one tap = one pillar).
    Like the real room, an empty room starts again by itself 12 s later."""

    id = "crowd"
    title = "Foules"
    teaser = "Faux"
    icon = "users-group"
    metrics = {"evacuation_time_s": "Temps d'évacuation (s)", "agents_remaining": "Personnes restantes",
               "pillars": "Piliers", "elapsed_s": "Temps depuis le départ (s)"}
    AGENTS = 200
    RESTART_AFTER_S = 12.0

    @classmethod
    def preset_scenarios(cls):
        return ["evacuation", "corridor"]

    def __init__(self, ctx):
        super().__init__(ctx)
        self.presets: list[tuple[str, dict]] = []
        self.reset()

    def reset(self):
        self.t, self.remaining, self.pillars, self.done_at = 0.0, float(self.AGENTS), 0, None

    def start_preset(self, scenario, settings=None):
        self.presets.append((scenario, dict(settings or {})))
        self.reset()

    def read_metric(self, name):
        return {"evacuation_time_s": self.done_at, "agents_remaining": int(self.remaining), "pillars": self.pillars,
                "elapsed_s": self.t}[name]

    def attempt_finished(self):
        return self.done_at is not None

    def handle_event(self, ev):
        if ev.kind == DOWN:
            self.pillars += 1
            return True
        return False

    def update(self, dt):
        if self.done_at is None:
            self.t += dt
            self.remaining = max(0.0, self.remaining - (10.0 if self.pillars else 5.0) * dt)
            if self.remaining == 0:
                self.done_at, self.empty_for = round(self.t, 2), 0.0
        else:
            self.empty_for += dt
            if self.empty_for > self.RESTART_AFTER_S:
                pillars = self.pillars
                self.reset()
                self.pillars = pillars

    def draw(self, surface):
        surface.fill((30, 30, 50))
        pygame.draw.rect(surface, (200, 200, 200), (460, 140, 1000, 800), 6)
        for i in range(int(self.remaining)):
            pygame.draw.circle(surface, (90, 170, 255), (500 + (i % 20) * 45, 200 + (i // 20) * 70), 12)


class FakeTraffic(Station, ChallengeSource):
    """A jam (4 stopped cars) forms after 3 s; a tap dissolves it for good."""

    id = "traffic"
    title = "Trafic"
    teaser = "Faux"
    icon = "car"
    metrics = {"stopped_vehicles": "Voitures arrêtées", "mean_speed_kmh": "Vitesse moyenne (km/h)",
               "speed_std_kmh": "Écart des vitesses (km/h)", "total_travel_time_s": "Temps de trajet total (s)"}

    @classmethod
    def preset_scenarios(cls):
        return ["sugiyama", "ring"]

    def __init__(self, ctx):
        super().__init__(ctx)
        self.reset()

    def reset(self):
        self.t, self.smooth = 0.0, False

    def start_preset(self, scenario, settings=None):
        self.reset()

    def jammed(self) -> bool:
        return self.t > 3.0 and not self.smooth

    def read_metric(self, name):
        jam = self.jammed()
        return {"stopped_vehicles": 4 if jam else 0, "mean_speed_kmh": 18.0 if jam else 29.5,
                "speed_std_kmh": 9.0 if jam else 1.0, "total_travel_time_s": 100.0}[name]

    def attempt_finished(self):
        return False

    def handle_event(self, ev):
        if ev.kind == DOWN and self.t > 3.0:
            self.smooth = True
            return True
        return False

    def update(self, dt):
        self.t += dt

    def draw(self, surface):
        surface.fill((20, 40, 30))
        pygame.draw.circle(surface, (120, 120, 120), (960, 560), 380, 40)


class PlainStation(Station):
    """A station that cannot host challenges."""

    id = "survey"
    title = "Sondage"
    teaser = "Faux"


CLASSES = {"crowd": FakeCrowd, "traffic": FakeTraffic, "survey": PlainStation}
