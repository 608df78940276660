"""The names of the runtime's own screens. A station on screen is named by its station id."""
from __future__ import annotations

from enum import StrEnum


class ScreenName(StrEnum):
    ATTRACT = "attract"      # the loop shown while nobody uses the kiosk
    HOME = "home"            # the menu of stations
    CLOSED = "closed"        # outside opening hours
    PIN = "pin"              # the mediator's PIN pad
    MEDIATOR = "mediator"    # mediator mode: the menu and its pages
    GROUP = "group"          # a school group's full-screen step (instruction, quiz, results)


# Nobody is being waited for on these: no idle countdown.
UNATTENDED = frozenset({ScreenName.ATTRACT, ScreenName.CLOSED})
# Mediator and closed screens: no home button, no group banner or overlay.
NO_CHROME = frozenset({ScreenName.CLOSED, ScreenName.PIN, ScreenName.MEDIATOR})
