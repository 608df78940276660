"""Supervision by systemd: the kiosk speaks the notify protocol (sd_notify(3)) itself.

The protocol is one text datagram per message on the unix socket named by NOTIFY_SOCKET: `READY=1`
once the first frame is on screen, `WATCHDOG=1` from the frame loop (a hung loop stops the pings and
systemd restarts the kiosk after WatchdogSec), `STOPPING=1` on a clean stop, `STATUS=…` for
`systemctl status`. A dozen lines of socket code: the python-systemd binding needs a C build against
libsystemd, and the protocol is documented as stable.

The kiosk runs as a child of the Wayland compositor (cage), which is the unit's main process: systemd
then names cage in WATCHDOG_PID, and the unit says NotifyAccess=all so that the kiosk's pings count. A
process whose parent is the watched one pings too; any other process (a `kiosk stats` run from the
unit's shell) stays silent.
"""
from __future__ import annotations

import logging
import os
import socket
from typing import Callable, Mapping

log = logging.getLogger(__name__)


def notify_address(raw: str | None) -> str | bytes | None:
    """NOTIFY_SOCKET as socket.connect wants it: '@name' is Linux's abstract namespace."""
    if not raw:
        return None
    if raw.startswith("@"):
        return b"\0" + raw[1:].encode()
    return raw if raw.startswith("/") else None   # vsock and other forms: not for a kiosk


class Notifier:
    """Messages to the service manager, and the watchdog's pace.

    `alive()` is called once per turn of the frame loop; it pings when a quarter of the watchdog's
    period has passed, so the gap between two pings stays under half the period as long as the loop
    turns at least every quarter period (it turns at least once a second, screen off included)."""

    def __init__(self, address: str | bytes | None = None, *, watchdog_s: float | None = None,
                 clock: Callable[[], float]):
        self.address = address
        self.watchdog_s = watchdog_s if address is not None else None
        self.clock = clock
        self.ready_sent = False
        self.pings = 0
        self._last_ping: float | None = None
        self._sock: socket.socket | None = None
        self._failed = False
        self._busy = False

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None, *,
                         clock: Callable[[], float]) -> "Notifier":
        env = os.environ if env is None else env
        address = notify_address(env.get("NOTIFY_SOCKET"))
        watchdog_s = None
        usec = env.get("WATCHDOG_USEC", "")
        pid = env.get("WATCHDOG_PID", "")
        watched = not pid or pid in (str(os.getpid()), str(os.getppid()))
        if usec.isdigit() and int(usec) > 0 and watched:
            watchdog_s = int(usec) / 1e6
        return cls(address, watchdog_s=watchdog_s, clock=clock)

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def ping_interval(self) -> float | None:
        return None if self.watchdog_s is None else self.watchdog_s / 4

    def send(self, message: str) -> bool:
        self._busy = False
        if self.address is None:
            return False
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            # never blocking: a manager slow to read its socket must not stall the frame loop (a ping lost
            # to a full queue is sent again a quarter period later; READY=1 at the next frame)
            self._sock.sendto(message.encode(), socket.MSG_DONTWAIT, self.address)
            self._failed = False
            return True
        except BlockingIOError:
            self._busy = True
            return False
        except OSError as exc:   # the manager went away (a restart of systemd): say it once, keep serving
            if not self._failed:
                log.warning("service manager notification failed: %s", exc)
            self._failed = True
            return False

    def ready(self, status: str = "serving visitors") -> None:
        """Once, after the first frame reached the screen."""
        if not self.ready_sent:
            self.send(f"READY=1\nSTATUS={status}")
            self.ready_sent = not self._busy      # a full queue: again at the next frame
            self._last_ping = self.clock()

    def alive(self) -> None:
        """From the frame loop, every turn: a ping when one is due."""
        if self.watchdog_s is None:
            return
        now = self.clock()
        if self._last_ping is None or now - self._last_ping >= self.ping_interval:
            if self.send("WATCHDOG=1"):
                self.pings += 1
            if not self._busy:                  # a full queue: again at the next turn
                self._last_ping = now

    def still_starting(self, status: str, seconds: float) -> None:
        """Before READY: give the start `seconds` more (EXTEND_TIMEOUT_USEC) and ping the watchdog."""
        self.send(f"EXTEND_TIMEOUT_USEC={int(seconds * 1e6)}\nWATCHDOG=1\nSTATUS={status}")

    def status(self, text: str) -> None:
        self.send(f"STATUS={text}")

    def stopping(self, reason: str) -> None:
        self.send(f"STOPPING=1\nSTATUS=stopping ({reason})")

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
