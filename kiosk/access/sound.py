"""Short sounds, synthesised with numpy at start-up (no audio file to license), and the mixer's channels.

What a visitor hears: a soft click when a touch or a key presses something, a chime when something
succeeds, the "Encore là ?" countdown ticking, and sonification where it teaches (a car braking, the
jam's wave passing the visitor's car, people leaving a room by a door). Levels: the venue's volume, a
lower one in quiet hours, none while a mediator has muted the kiosk; speech has its own channel and level.
Without a sound device (or SDL_AUDIODRIVER=dummy) everything still runs, silently."""
from __future__ import annotations

import logging
import wave
from datetime import datetime
from pathlib import Path
from typing import Callable

import numpy as np
import pygame

from kiosk.access.settings import SoundSettings, in_quiet_hours

log = logging.getLogger(__name__)
RATE = 44100          # Hz, when the kiosk opens the mixer itself (pygame.init() may have opened it already)
SPEECH_CHANNEL = 0    # reserved: a sound never cuts a sentence


def _envelope(n: int, attack: float, decay: float, rate: int) -> np.ndarray:
    t = np.arange(n) / rate
    return np.minimum(1.0, t / max(attack, 1e-4)) * np.exp(-t / decay)


def synthesise(rate: int = RATE) -> dict[str, np.ndarray]:
    """Every sound as float samples in -1..1 at `rate` Hz, mono."""

    def envelope(n, attack, decay):
        return _envelope(n, attack, decay, rate)

    def _tone(freq, seconds, *, attack=0.004, decay=0.08, harmonics=(1.0, 0.3)):
        n = int(rate * seconds)
        f0, f1 = (freq, freq) if isinstance(freq, (int, float)) else freq
        phase = 2 * np.pi * np.cumsum(np.linspace(f0, f1, n)) / rate
        return sum(a * np.sin((k + 1) * phase) for k, a in enumerate(harmonics)) * envelope(n, attack, decay)

    def _noise(seconds, smooth_s, seed):
        """Noise low-passed by a moving average over `smooth_s` seconds (a hiss, a rumble)."""
        smooth = max(1, int(rate * smooth_s))
        raw = np.random.default_rng(seed).normal(0, 1, int(rate * seconds) + smooth)
        return np.convolve(raw, np.ones(smooth) / np.sqrt(smooth), mode="valid")[: int(rate * seconds)]

    swell = np.sin(np.linspace(0, np.pi, int(rate * 0.9))) ** 2
    sounds = {
        "tap": _tone(1400, 0.05, decay=0.012, harmonics=(1.0,)) * 0.5,
        "success": np.concatenate([_tone(659, 0.13, decay=0.09), _tone(988, 0.3, decay=0.14)]) * 0.6,
        "tick": _tone(880, 0.09, decay=0.03, harmonics=(1.0, 0.15)) * 0.55,
        "warning": np.concatenate([_tone(740, 0.16, decay=0.08), _tone(554, 0.3, decay=0.12)]) * 0.6,
        # a car braking: a falling tone over a short tyre hiss
        "brake": _tone((700, 180), 0.55, attack=0.01, decay=0.3, harmonics=(0.6, 0.3, 0.15)) * 0.5
        + _noise(0.55, 0.0002, 1) * envelope(int(rate * 0.55), 0.01, 0.15) * 0.12,
        # the jam's wave passing: a low swell, like traffic bunching up and rolling past
        "wave": _noise(0.9, 0.003, 2) * swell * 0.5 + _tone((110, 80), 0.9, attack=0.3, decay=0.5, harmonics=(0.4,)) * swell,
    }
    for k, freq in enumerate((523, 587, 659, 784)):   # a soft knock per door, one pitch each
        sounds[f"door{k}"] = _tone(freq, 0.07, decay=0.02, harmonics=(1.0, 0.5, 0.2)) * 0.35
    return {name: np.clip(s, -1, 1) for name, s in sounds.items()}


def to_pcm(samples: np.ndarray, channels: int) -> bytes:
    """Float mono samples -> the mixer's 16-bit interleaved frames."""
    mono = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    return np.repeat(mono[:, None], channels, axis=1).tobytes()


def read_wav(path: Path, rate: int) -> np.ndarray:
    """A 16-bit mono WAV file (espeak-ng's, 22,050 Hz) as float samples at `rate` Hz."""
    with wave.open(str(path), "rb") as w:
        own, frames = w.getframerate(), w.readframes(w.getnframes())
    samples = np.frombuffer(frames, np.int16).astype(np.float64) / 32767
    if own != rate and len(samples):
        samples = np.interp(np.arange(0, len(samples), own / rate), np.arange(len(samples)), samples)
    return samples


class SoundBoard:
    def __init__(self, settings: SoundSettings, now: Callable[[], datetime]):
        self.settings = settings
        self.now = now
        self.muted = False                  # the mediator's mute, until they unmute or the kiosk restarts
        self.channels, self.rate = 2, RATE
        self.sounds: dict[str, pygame.mixer.Sound] = {}
        self.played: list[str] = []         # names played since start, newest last (tests, sonification checks)
        self.ready = False
        if not settings.enabled:
            return
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init(frequency=RATE, size=-16, channels=2, buffer=512)
            self.rate, size, self.channels = pygame.mixer.get_init()
            if size != -16:
                raise pygame.error(f"the mixer takes {size}-bit samples, not 16-bit")
            pygame.mixer.set_reserved(1)
            self.sounds = {name: pygame.mixer.Sound(buffer=to_pcm(s, self.channels))
                           for name, s in synthesise(self.rate).items()}
            self.ready = True
        except pygame.error as exc:   # no sound card: the kiosk serves visitors silently
            log.warning("no sound: %s", exc)

    def level(self) -> float:
        """The volume sounds play at now: 0 muted, the quiet level in quiet hours, else the venue's."""
        if self.muted or not self.settings.enabled:
            return 0.0
        if in_quiet_hours(self.settings, self.now().time()):
            return self.settings.quiet_volume
        return self.settings.volume

    def play(self, name: str, volume: float = 1.0) -> None:
        self.played.append(name)
        del self.played[:-50]
        level = self.level() * volume
        sound = self.sounds.get(name)
        if sound is None or level <= 0:
            return
        channel = pygame.mixer.find_channel()
        if channel is not None:
            channel.set_volume(level)
            channel.play(sound)

    # -- speech: its own channel and level; the mute and quiet hours do not silence a visitor who asked
    def speech_sound(self, path: Path):
        """Runs on the speech worker: the file read and converted off the frame loop."""
        return to_pcm(read_wav(path, self.rate), self.channels)

    def play_speech(self, pcm: bytes) -> None:
        self.played.append("speech")
        if not self.ready:
            return
        channel = pygame.mixer.Channel(SPEECH_CHANNEL)
        channel.set_volume(self.settings.speech_volume)
        channel.play(pygame.mixer.Sound(buffer=pcm))

    def speaking(self) -> bool:
        """Is a description being spoken now (the « Écouter » button shows it)?"""
        return self.ready and pygame.mixer.Channel(SPEECH_CHANNEL).get_busy()

    def stop_speech(self) -> None:
        if self.ready:
            pygame.mixer.Channel(SPEECH_CHANNEL).stop()
