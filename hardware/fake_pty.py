"""The pty plumbing shared by the fake devices: plug, unplug, replug, port-open detection, faults."""
from __future__ import annotations

import os
import select
import threading
import time
import tty
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TICK_S = 0.005


@dataclass
class LineFaults:
    """Damage a fraction `rate` of lines/frames, never two in a row (so the next one recovers)."""

    rate: float = 0.0
    kinds: tuple[str, ...] = ("drop", "garbage", "bitflip", "partial", "duplicate")


class FakeSerialDevice:
    kind = ""

    def __init__(self, *, name: str, link_dir: Path | str, seed: int = 0, faults: LineFaults | None = None,
                 room=None):
        self.name = name
        self.link = Path(link_dir) / f"usb-qsec-fake-{self.kind}-{name}"
        self.rng = np.random.default_rng(seed)
        self.faults = faults if faults is not None else LineFaults()
        self.room = room
        self.lock = threading.RLock()
        self.master: int | None = None
        self.pty_path: str | None = None
        self.port_open = False       # a host has the slave open
        self.opens = 0
        self.damaged = 0             # lines/frames damaged on purpose
        self.sent = 0
        self._last_damaged = False
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- life cycle -----------------------------------------------------------------------------
    def start(self) -> None:
        self.replug()
        self._thread = threading.Thread(target=self._run, name=f"fake-{self.kind}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(2.0)
        self.unplug()

    def unplug(self, *, keep_power: bool = False) -> None:
        """The USB cable is pulled: the pty vanishes and the device loses power (unless it has its
        own supply: keep_power)."""
        with self.lock:
            if self.master is not None:
                os.close(self.master)
                self.master = None
            try:
                if os.readlink(self.link) == self.pty_path:   # not another device's link by now
                    self.link.unlink()
            except OSError:
                pass
            self.port_open = False
            if not keep_power:
                self.power_off()

    def replug(self, link: Path | str | None = None, *, keep_power: bool = False) -> None:
        """Plugged again: a new pty (the kernel may give another tty name) behind the same link, or
        behind `link` (another USB socket, as /dev/serial/by-path names them). keep_power: the device
        has its own supply and neither loses power nor reboots."""
        with self.lock:
            self.unplug(keep_power=keep_power)
            if link is not None:
                self.link = Path(link)
            master, slave = os.openpty()
            tty.setraw(slave)       # no echo or newline translation before a host opens it
            self.pty_path = os.ttyname(slave)
            os.close(slave)
            os.set_blocking(master, False)
            self.master = master
            self.link.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.link.with_name(self.link.name + ".new")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(self.pty_path)
            os.replace(tmp, self.link)
            if not keep_power:
                self.power_on()

    @property
    def plugged(self) -> bool:
        return self.master is not None

    # -- device behaviour (subclasses) ------------------------------------------------------------
    def power_on(self) -> None: ...
    def power_off(self) -> None: ...
    def on_port_opened(self) -> None: ...
    def on_host_bytes(self, data: bytes) -> None: ...
    def step(self, now: float) -> None: ...

    # -- output ---------------------------------------------------------------------------------
    def write_raw(self, data: bytes) -> None:
        """Bytes on the wire; lost when nobody listens or the buffer is full, like a real UART."""
        # A closed port's bytes must not wait in the pty for the next open: a real adapter drops them.
        if self.master is None or not self.port_open or not data:
            return
        try:
            os.write(self.master, data)
        except OSError:
            pass

    def send(self, frame: bytes, *, text: bool = False) -> None:
        """One line or frame, damaged now and then as configured."""
        self.sent += 1
        fault = None
        if self.faults.rate > 0 and not self._last_damaged and self.rng.random() < self.faults.rate:
            fault = str(self.rng.choice(self.faults.kinds))
        self._last_damaged = fault not in (None, "duplicate")
        if fault is not None:
            self.damaged += 1
        if fault == "drop":
            return
        if fault == "garbage":
            junk = self.rng.integers(0, 256, int(self.rng.integers(1, 40)), dtype=np.uint8).tobytes()
            # On a text protocol, noise mid-line is ended by the frame's own newline at worst.
            self.write_raw(junk + frame if not text else junk.replace(b"\n", b"") + b"\n" + frame)
            self._last_damaged = False if text else True
            return
        if fault == "bitflip":
            data = bytearray(frame)
            bit = int(self.rng.integers(0, (len(data) - (1 if text else 0)) * 8))
            data[bit // 8] ^= 1 << (bit % 8)
            if text and b"\n" in data[:-1]:
                data = data.replace(b"\n", b"\x00", data.count(b"\n") - 1)
            self.write_raw(bytes(data))
            return
        if fault == "partial":
            self.write_raw(frame[: int(self.rng.integers(1, len(frame) - 1))])
            return
        self.write_raw(frame)
        if fault == "duplicate":
            self.write_raw(frame)

    # -- thread -----------------------------------------------------------------------------------
    def _run(self) -> None:
        poller_fd = None
        poller = None
        while not self._stopping.is_set():
            with self.lock:
                if self.master is not None:
                    if poller_fd != self.master:
                        poller = select.poll()
                        poller.register(self.master, select.POLLIN | select.POLLHUP)
                        poller_fd = self.master
                    events = dict(poller.poll(0)).get(self.master, 0)
                    open_now = not events & select.POLLHUP
                    if open_now and not self.port_open:
                        self.opens += 1
                        self.on_port_opened()
                    self.port_open = open_now
                    if open_now and events & select.POLLIN:
                        try:
                            self.on_host_bytes(os.read(self.master, 4096))
                        except OSError:
                            pass
                    self.step(time.monotonic())
            time.sleep(TICK_S)
