"""Access: what the runtime, the screens and the stations share to serve every visitor.

`play(name)` a sound, `announce(text)` what changed (spoken only while the visitor listens),
`reduced_motion` (the venue's setting or the visitor's wish), `reach` (where controls belong). The
kiosk's Services build one, the App opens it; screens and stations get it through their contexts."""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Callable

from kiosk.access.controls import ON_SCREEN, Control
from kiosk.access.focus import FocusRing
from kiosk.access.reach import Reach
from kiosk.access.sound import SoundBoard
from kiosk.access.speech import Speaker

log = logging.getLogger(__name__)


class Access:
    def __init__(self, config, *, now: Callable[[], datetime], i18n, cache_dir: Path, live: bool = True):
        """`live`: False in a reproducible (headless) run, where the mixer's real time must not show on screen."""
        self.config = config
        self.live = live
        self.settings = config.access
        self.reach = Reach(config.canvas_size, config.display)
        self.now = now
        self.i18n = i18n
        self.cache_dir = cache_dir
        self.sound: SoundBoard | None = None
        self.speaker: Speaker | None = None
        self.focus: FocusRing | None = None
        self.listening = False             # this visitor asked to hear (« Écouter », or keys)
        self.visitor_reduced_motion = False
        self.helped = False                # the keys' help was said once this visit
        self._visit_seen: str | None = None
        self._shown: tuple[str, int] = ("", -1)     # the screen last followed (name, its switch count)

    def open(self, *, press: Callable[[tuple[float, float]], None], back: Callable[[], None]) -> None:
        """Once pygame is up: the mixer, the speech worker and the focus ring."""
        self.sound = SoundBoard(self.config.sound, self.now)
        if self.settings.speech and self.config.sound.enabled:
            self.speaker = Speaker(self.cache_dir, rate=self.settings.voice_rate, voices=self.settings.voices,
                                   play=self.sound.play_speech, stop=self.sound.stop_speech, load=self.sound.speech_sound)
        self.focus = FocusRing(ON_SCREEN, self.settings, press=press, back=back,
                               spoken=self._say_control)

    def close(self) -> None:
        if self.speaker is not None:
            self.speaker.close()

    # -- a visit ---------------------------------------------------------------------------------
    def follow(self, visit: str | None, screen: tuple[str, int], describe: Callable[[], None]) -> None:
        """Once a frame, the visit's session id and the screen shown (its name, its switch count): a new
        visitor starts in silence with the venue's settings; a new screen gets its focus reset and, for a
        visitor who listens, is described at once (`describe`)."""
        if visit != self._visit_seen:
            if self._visit_seen is not None:
                self.new_visit()
            self._visit_seen = visit
        if screen != self._shown:
            self._shown = screen
            self.focus.reset()
            ON_SCREEN.clear()
            if self.listening:
                describe()

    def new_visit(self) -> None:
        """Between visitors: the next one starts with the venue's settings and silence."""
        self.listening = False
        self.visitor_reduced_motion = False
        self.helped = False
        if self.speaker is not None:
            self.speaker.stop()

    @property
    def reduced_motion(self) -> bool:
        return self.settings.reduced_motion or self.visitor_reduced_motion

    # -- sound and speech ----------------------------------------------------------------------------
    def play(self, name: str, volume: float = 1.0) -> None:
        if self.sound is not None:
            self.sound.play(name, volume)

    def say(self, text: str) -> None:
        """Speak now, in the visitor's language (the « Écouter » button, a key's focus)."""
        self.listening = True
        if self.speaker is not None:
            self.speaker.say(text, self.i18n.lang)

    @property
    def speaking(self) -> bool:
        """Speech is playing (on a live kiosk: the sound card's time is not a headless run's virtual clock)."""
        return self.live and self.sound is not None and self.sound.speaking()

    def announce(self, text: str) -> None:
        """What just changed ("the jam is moving backwards at 15 km/h"): spoken if the visitor listens."""
        if self.listening:
            self.say(text)

    def _say_control(self, control: Control) -> None:
        name = self.i18n.gettext(control.name)     # a French source string, or a label already translated
        value = control.value() if control.value is not None else ""
        self.say(f"{name}. {value}" if value else name)

    def tick(self) -> None:
        if self.speaker is not None:
            self.speaker.poll()
