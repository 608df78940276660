"""Spoken descriptions: espeak-ng renders each text once, on a worker thread, into a cache of WAV files;
the frame loop only hands finished sounds to the mixer (never waits on the synthesiser or the disk).

The newest request wins: a visitor moving the focus quickly hears the control they stopped on, not a
queue of every control they passed."""
from __future__ import annotations

import hashlib
import logging
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any, Callable, Mapping

log = logging.getLogger(__name__)
# espeak-ng voices for the kiosk's languages; a language variant ("fr-falc") speaks with its base voice.
VOICES = {"fr": "fr", "en": "en-gb", "ar": "ar", "pt": "pt", "es": "es", "de": "de", "it": "it"}
ESPEAK = "espeak-ng"


def voice_for(lang: str, overrides: Mapping[str, str] | None = None) -> str:
    overrides = overrides or {}
    if lang in overrides:
        return overrides[lang]
    base = lang.split("-")[0]
    return overrides.get(base) or VOICES.get(lang) or VOICES.get(base) or base


def espeak_available() -> bool:
    return shutil.which(ESPEAK) is not None


def render_wav(text: str, voice: str, rate: int, path: Path) -> bool:
    """espeak-ng writes `text` spoken by `voice` to `path` (22,050 Hz, mono, 16-bit)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    try:
        subprocess.run([ESPEAK, "-v", voice, "-s", str(rate), "-w", str(tmp), "--", text],
                       check=True, capture_output=True, timeout=30)
        tmp.replace(path)
        return True
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("espeak-ng could not speak %r (%s)", text[:40], exc)
        return False


class Speaker:
    """say(text, lang) -> the text is spoken as soon as it is rendered; stop() silences it."""

    def __init__(self, cache_dir: Path, *, rate: int = 150, voices: Mapping[str, str] | None = None,
                 play: Callable[[Any], None] | None = None, stop: Callable[[], None] | None = None,
                 load: Callable[[Path], Any] = lambda path: path):
        """`load` turns a WAV file into what `play` takes; it runs on the worker thread (disk, resampling)."""
        self.cache_dir = cache_dir
        self.rate = rate
        self.voices = dict(voices or {})
        self._play, self._stop, self._load = play, stop, load
        self.available = espeak_available()
        self._wanted: queue.Queue[tuple[int, str, str] | None] = queue.Queue()
        self._done: queue.Queue[tuple[int, Any]] = queue.Queue()
        self._serial = 0
        self.last_text = ""                 # what was asked last (tests, the mediator's check)
        self._thread: threading.Thread | None = None
        if not self.available:
            log.warning("espeak-ng is not installed: the « Écouter » button stays silent")

    def cache_path(self, text: str, lang: str) -> Path:
        digest = hashlib.sha256(f"{voice_for(lang, self.voices)}|{self.rate}|{text}".encode()).hexdigest()[:24]
        return self.cache_dir / f"{digest}.wav"

    def say(self, text: str, lang: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        self.last_text = text
        self._serial += 1
        if self._stop is not None:
            self._stop()
        if not self.available:
            return
        self._ensure_thread()
        self._wanted.put((self._serial, text, lang))

    def prepare(self, texts: list[tuple[str, str]]) -> None:
        """Render these (text, lang) ahead of time, in the background (serial 0: never played)."""
        if not self.available:
            return
        self._ensure_thread()
        for text, lang in texts:
            self._wanted.put((0, " ".join(text.split()), lang))

    def poll(self) -> None:
        """Once a frame: play what the worker finished, if it is still the latest request."""
        while True:
            try:
                serial, sound = self._done.get_nowait()
            except queue.Empty:
                return
            if serial == self._serial and serial and self._play is not None:
                self._play(sound)

    def stop(self) -> None:
        self._serial += 1
        if self._stop is not None:
            self._stop()

    def close(self) -> None:
        if self._thread is not None:
            self._wanted.put(None)
            self._thread.join(timeout=5)
            self._thread = None

    def _ensure_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="speech", daemon=True)
            self._thread.start()

    def _work(self) -> None:
        while True:
            item = self._wanted.get()
            try:
                if item is None:
                    return
                serial, text, lang = item
                if serial and serial != self._serial:
                    continue            # a newer request came meanwhile: skip this one
                path = self.cache_path(text, lang)
                if path.exists() or render_wav(text, voice_for(lang, self.voices), self.rate, path):
                    if serial:
                        self._done.put((serial, self._load(path)))
            except Exception:           # a broken cache file or a mixer format we cannot convert to
                log.warning("speech failed", exc_info=True)
            finally:
                self._wanted.task_done()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """True once every request so far is rendered or skipped (headless runs, tests)."""
        with self._wanted.all_tasks_done:
            return self._wanted.all_tasks_done.wait_for(lambda: self._wanted.unfinished_tasks == 0, timeout)
