"""A test-side stand-in for systemd's side of the notify protocol: a unix datagram socket that a kiosk
is given as NOTIFY_SOCKET, and a supervisor that does what a unit with Type=notify, WatchdogSec= and
Restart=always does — wait for READY=1, expect WATCHDOG=1 within the period, and when the pings stop,
kill the process (SIGABRT, then SIGKILL as systemd's TimeoutAbortSec would) and start it again."""
from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable


class NotifySocket:
    def __init__(self, path: Path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.messages: list[tuple[float, str]] = []

    def receive(self, timeout: float) -> str | None:
        """The next datagram within `timeout` seconds, else None."""
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if not ready:
            return None
        text = self.sock.recv(4096).decode()
        self.messages.append((time.monotonic(), text))
        return text

    def wait_for(self, wanted: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            text = self.receive(left)
            if text is not None and wanted in text.split("\n"):
                return True
        return False

    def drain(self) -> list[str]:
        found = []
        while (text := self.receive(0)) is not None:
            found.append(text)
        return found

    def collect(self) -> "Collector":
        """Read every datagram on a thread from now on, as systemd does while the kiosk runs in the test's
        own thread (unread, the socket's queue fills after ten datagrams and later ones are dropped)."""
        return Collector(self)

    def close(self) -> None:
        self.sock.close()


class Collector:
    def __init__(self, notify: NotifySocket):
        self.notify = notify
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.notify.receive(0.05)

    def stop(self) -> list[str]:
        """Stop reading once the socket is empty; every message read, in order."""
        self._stop.set()
        self._thread.join()
        self.notify.drain()
        return [text for _, text in self.notify.messages]


class WatchdogSupervisor:
    """Starts `command` with the notify socket and a watchdog period, restarts it when pings stop."""

    def __init__(self, command: list[str], env: dict[str, str], notify: NotifySocket, watchdog_s: float):
        self.command = command
        self.env = dict(env, NOTIFY_SOCKET=str(notify.path), WATCHDOG_USEC=str(int(watchdog_s * 1e6)))
        self.notify = notify
        self.watchdog_s = watchdog_s
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self.log: list[str] = []

    def start(self) -> subprocess.Popen:
        self.process = subprocess.Popen(self.command, env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, text=True)
        self.log.append(f"started {self.process.pid}")
        self.ready, self.last_ping = False, time.monotonic()
        return self.process

    def run_until(self, done: Callable[[str], bool], timeout: float) -> bool:
        """Play systemd's part until done(message) is true for a message; True if it was in time.
        The watchdog only runs once READY=1 came, as systemd's does for a Type=notify service."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.notify.receive(min(0.05, self.watchdog_s / 10))
            now = time.monotonic()
            if text is not None:
                lines = text.split("\n")
                if "READY=1" in lines:
                    self.ready, self.last_ping = True, now
                if "WATCHDOG=1" in lines:
                    self.last_ping = now
                if done(text):
                    return True
            if self.ready and now - self.last_ping > self.watchdog_s:
                self.log.append(f"watchdog timeout after {now - self.last_ping:.1f} s: restarting")
                self.kill()
                self.restarts += 1
                self.start()
        return False

    def kill(self) -> None:
        proc = self.process
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGABRT)      # systemd's WatchdogSignal (a stopped process keeps it pending)
        try:
            proc.wait(2)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
            self.process.wait()
