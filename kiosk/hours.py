"""Opening hours: whether the venue is open now, and the closed screen's line saying when it reopens."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable

from kiosk.i18n import N_

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.config import KioskConfig
    from kiosk.i18n import Translator

# Whole sentences, so that each language orders its words its own way.
REOPENS_TODAY = N_("Réouverture aujourd’hui à {time}")
REOPENS_TOMORROW = N_("Réouverture demain à {time}")
REOPENS_ON = (N_("Réouverture lundi à {time}"), N_("Réouverture mardi à {time}"), N_("Réouverture mercredi à {time}"),
              N_("Réouverture jeudi à {time}"), N_("Réouverture vendredi à {time}"),
              N_("Réouverture samedi à {time}"), N_("Réouverture dimanche à {time}"))
CLOCK = N_("{hour} h {minute}")


class OpeningHours:
    def __init__(self, config: "KioskConfig", i18n: "Translator", now: Callable[[], datetime]):
        self.config = config
        self.i18n = i18n
        self.now = now

    def _hours(self, day: datetime):
        return self.config.hours[day.strftime("%A").lower()]

    def is_open(self, now: datetime | None = None) -> bool:
        if not self.config.enforce_hours:
            return True
        now = now or self.now()
        hours = self._hours(now)
        return hours is not None and hours[0] <= now.time() < hours[1]

    def next_opening(self) -> tuple[int, datetime] | None:
        """(days from today, opening time) of the next opening, within a week; None if the hours never open."""
        now = self.now()
        for offset in range(8):
            day = now + timedelta(days=offset)
            hours = self._hours(day)
            if hours is None or (offset == 0 and now.time() >= hours[0]):
                continue
            return offset, datetime.combine(day.date(), hours[0])
        return None

    def next_opening_text(self, lang: str | None = None) -> str:
        """"Réouverture demain à 10 h 00" in `lang` (default: the source language, French); "" if none."""
        found = self.next_opening()
        if found is None:
            return ""
        offset, at = found
        msgid = REOPENS_TODAY if offset == 0 else REOPENS_TOMORROW if offset == 1 else REOPENS_ON[at.weekday()]
        tr = (lambda m: m) if lang is None else (lambda m: self.i18n.translate_to(lang, m))
        clock = tr(CLOCK).format(hour=at.hour, minute=f"{at.minute:02d}")
        return tr(msgid).format(time=clock)
