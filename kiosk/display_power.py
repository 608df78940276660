"""The screen's power by the opening hours: off while the venue is closed, on at opening.

The kiosk asks whatever drives the screen: the X server's DPMS (`xset dpms force off|on`), or a
wlroots compositor's output power (cage, labwc, wayfire: `wlopm --off|--on '*'`). Which one is found at
start-up and said in the log; with neither, the closed screen stays on, dark and drifting, and the log
says why. Commands run on a worker thread: the frame loop never waits on them."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Mapping, Sequence

log = logging.getLogger(__name__)
COMMAND_TIMEOUT_S = 10.0
Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


def run_command(args: Sequence[str]) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(list(args), capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, check=False)


class PowerControl:
    """How to switch the screen; `commands` is None when this kiosk cannot."""

    def __init__(self, name: str, off: Sequence[str] | None = None, on: Sequence[Sequence[str]] = (),
                 why_not: str = ""):
        self.name, self.off, self.on, self.why_not = name, off, list(on), why_not

    @property
    def available(self) -> bool:
        return self.off is not None


def detect(env: Mapping[str, str] | None = None, run: Runner = run_command,
           which: Callable[[str], str | None] = shutil.which) -> PowerControl:
    """What can turn this screen off: a Wayland compositor's output power first, then X's DPMS."""
    env = os.environ if env is None else env
    tried = []
    if env.get("WAYLAND_DISPLAY"):
        if which("wlopm") is None:
            tried.append("Wayland without wlopm (apt install wlopm)")
        else:
            out = _ask(run, ["wlopm"])
            if out is not None and out.strip():
                return PowerControl("wlopm (Wayland output power)", off=["wlopm", "--off", "*"],
                                    on=[["wlopm", "--on", "*"]])
            tried.append("wlopm found no output (the compositor lacks wlr-output-power-management)")
    if env.get("DISPLAY"):
        if which("xset") is None:
            tried.append("X without xset (apt install x11-xserver-utils)")
        else:
            out = _ask(run, ["xset", "q"])
            if out is not None and "DPMS is" in out:
                # DPMS on with no timeouts of its own: only the kiosk switches the screen, and a touch on
                # a sleeping screen wakes it (the X server does that by itself).
                return PowerControl("X DPMS (xset)", off=["xset", "dpms", "force", "off"],
                                    on=[["xset", "dpms", "force", "on"], ["xset", "s", "reset"]])
            tried.append("the X server has no DPMS extension")
    if not tried:
        tried.append("no display server (neither WAYLAND_DISPLAY nor DISPLAY is set)")
    return PowerControl("none", why_not="; ".join(tried))


def _ask(run: Runner, args: Sequence[str]) -> str | None:
    try:
        done = run(args)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("%s failed: %s", " ".join(args), exc)
        return None
    return done.stdout if done.returncode == 0 else None


class ScreenPower:
    """Keeps the screen's power as the frame loop wishes (`want(on)` once a frame): each change is one
    command (or two) for the worker thread, run in order."""

    def __init__(self, control: PowerControl, run: Runner = run_command):
        self.control = control
        self._run = run
        self.on = True                      # what was last asked of the screen
        self._pending: Future | None = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="screen-power") if control.available else None
        if control.available:
            log.info("screen power: %s turns the screen off outside opening hours", control.name)
        elif control.why_not:
            log.warning("screen power: the screen cannot be turned off here (%s); outside opening hours it "
                        "shows the dark closed screen", control.why_not)

    @property
    def available(self) -> bool:
        return self._pool is not None

    def want(self, on: bool) -> None:
        """Ask for the screen on or off; the worker runs the commands in the order asked."""
        if self._pool is None or on == self.on:
            return
        self.on = on
        commands = self.control.on if on else [self.control.off]
        self._pending = self._pool.submit(self._switch, commands, on)

    def _switch(self, commands: list[Sequence[str]], on: bool) -> None:
        for args in commands:
            try:
                done = self._run(args)
            except (OSError, subprocess.SubprocessError) as exc:
                log.error("screen power: %s failed: %s", " ".join(args), exc)
                return
            if done.returncode != 0:
                log.error("screen power: %s exited %d: %s", " ".join(args), done.returncode,
                          (done.stderr or "").strip()[:200])
                return
        log.info("screen power: screen %s", "on" if on else "off")

    def close(self) -> None:
        """Leave the screen on (a stopped kiosk must not leave a venue's screen dark for the next start)."""
        if self._pool is None:
            return
        self.want(True)
        if self._pending is not None:
            try:
                self._pending.result(timeout=2 * COMMAND_TIMEOUT_S + 1)
            except Exception:
                log.warning("screen power: could not turn the screen back on", exc_info=True)
        self._pool.shutdown(wait=False)
