"""The [sensors] section of the venue config, parsed and checked (hardware/README.md has the keys).

    [sensors]
    co2_self_calibration = false
    [[sensors.devices]]
    name = "porte"              # shown on the sensors page, stored in events
    kind = "footfall"           # footfall | sds011 | mhz19
    port = "auto"               # or a stable path such as /dev/serial/by-id/usb-...
    opening_reset = "09:30"     # footfall only: the room's occupancy goes back to zero at this time
    device_id = "porte1"        # footfall only: the DEVICE_ID of this door's board (the others are refused)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

KINDS = ("footfall", "sds011", "mhz19")
# USB vendor:product ids of the adapters each kind ships with: Arduino Uno/Nano (ATmega16U2, CH340
# clones), the SDS011's CH340 (HL-340) adapter, and CP2102 / FT232 boards used for the MH-Z19B.
USB_IDS: dict[str, tuple[tuple[int, int], ...]] = {
    "footfall": ((0x2341, 0x0043), (0x2341, 0x0001), (0x2A03, 0x0043), (0x1A86, 0x7523)),
    "sds011": ((0x1A86, 0x7523),),
    "mhz19": ((0x10C4, 0xEA60), (0x0403, 0x6001), (0x1A86, 0x7523)),
}
DEFAULT_OPENING_RESET = "06:00"
_NAME = re.compile(r"[A-Za-z0-9_-]{1,32}")
_DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")   # the footfall protocol's device field
_HHMM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
_VIDPID = re.compile(r"[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}")
DEVICE_KEYS = {
    "name", "kind", "port", "opening_reset", "usb_id", "serial_number", "baudrate",
    "working_period_min", "warm_up_s", "poll_s", "device_id",
}
SECTION_KEYS = {"devices", "co2_self_calibration"}


@dataclass(frozen=True)
class DeviceConfig:
    name: str
    kind: str
    port: str = "auto"                       # "auto" or a path
    usb_ids: tuple[tuple[int, int], ...] = ()  # for auto; empty = USB_IDS[kind]
    serial_number: str | None = None         # for auto: only the adapter with this serial number
    baudrate: int = 9600
    opening_reset: str = DEFAULT_OPENING_RESET
    working_period_min: int = 3              # sds011: 0 = continuous (wears the laser out in weeks)
    warm_up_s: float = 180.0                 # mhz19: datasheet warm-up
    poll_s: float = 5.0                      # mhz19: seconds between readings
    self_calibration: bool = False           # mhz19: automatic baseline correction
    device_id: str | None = None             # footfall: only lines of this board count (None: any board)

    @property
    def auto(self) -> bool:
        return self.port == "auto"


def _usb_id(text: str) -> tuple[int, int]:
    vid, pid = text.split(":")
    return int(vid, 16), int(pid, 16)


def parse_sensor_config(section: Mapping[str, Any] | None) -> list[DeviceConfig]:
    """The devices of a [sensors] section; entries with problems (see check_sensor_config) are skipped."""
    if not section:
        return []
    if check_sensor_config(section, "sensors"):
        bad = {i for i, _ in _device_problems(section)}
    else:
        bad = set()
    self_cal = section.get("co2_self_calibration", False) is True
    devices = []
    for i, raw in enumerate(section.get("devices", []) or []):
        if i in bad or not isinstance(raw, Mapping):
            continue
        kind = raw["kind"]
        usb = raw.get("usb_id")
        devices.append(DeviceConfig(
            name=raw["name"], kind=kind, port=raw.get("port", "auto"),
            usb_ids=(_usb_id(usb),) if usb else (),
            serial_number=raw.get("serial_number"),
            baudrate=raw.get("baudrate", 9600),
            opening_reset=raw.get("opening_reset", DEFAULT_OPENING_RESET),
            working_period_min=raw.get("working_period_min", 3),
            warm_up_s=float(raw.get("warm_up_s", 180.0)),
            poll_s=float(raw.get("poll_s", 5.0)),
            self_calibration=self_cal,
            device_id=raw.get("device_id"),
        ))
    return devices


def check_sensor_config(section: Mapping[str, Any] | None, key_path: str) -> list[str]:
    """One clear line per mistake, each starting with its key path. Never raises."""
    if section is None:
        return []
    if not isinstance(section, Mapping):
        return [f"{key_path}: must be a table"]
    problems = [f"{key_path}.{key}: unknown key (known: {', '.join(sorted(SECTION_KEYS))})"
                for key in section if key not in SECTION_KEYS]
    if "co2_self_calibration" in section and not isinstance(section["co2_self_calibration"], bool):
        problems.append(f"{key_path}.co2_self_calibration: must be true or false")
    problems += [line.replace("sensors.", f"{key_path}.", 1) for _, line in _device_problems(section)]
    return problems


def _device_problems(section: Mapping[str, Any]) -> list[tuple[int, str]]:
    devices = section.get("devices", [])
    if not isinstance(devices, list):
        return [(-1, "sensors.devices: must be a list of [[sensors.devices]] tables")]
    out: list[tuple[int, str]] = []
    names: dict[str, int] = {}
    resets: set[str] = set()
    paths: dict[str, int] = {}
    boards: dict[str, int] = {}
    for i, raw in enumerate(devices):
        at = f"sensors.devices[{i}]"
        if not isinstance(raw, Mapping):
            out.append((i, f"{at}: must be a table with name, kind and port"))
            continue
        at = f"{at} ({raw.get('name', '?')})"
        for key in raw:
            if key not in DEVICE_KEYS:
                out.append((i, f"{at}.{key}: unknown key (known: {', '.join(sorted(DEVICE_KEYS))})"))
        name, kind, port = raw.get("name"), raw.get("kind"), raw.get("port", "auto")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            out.append((i, f"{at}.name: {name!r} must be 1-32 letters, digits, '-' or '_'"))
        elif name in names:
            out.append((i, f"{at}.name: {name!r} is already used by sensors.devices[{names[name]}]"))
        else:
            names[name] = i
        if kind not in KINDS:
            out.append((i, f"{at}.kind: {kind!r} is not one of {', '.join(KINDS)}"))
        if not isinstance(port, str) or not port or (port != "auto" and not port.startswith("/")):
            out.append((i, f"{at}.port: {port!r} must be \"auto\" or an absolute path such as "
                           "/dev/serial/by-id/usb-..."))
        elif port != "auto":
            if port in paths:
                out.append((i, f"{at}.port: {port} is already used by sensors.devices[{paths[port]}]"))
            paths[port] = i
        usb = raw.get("usb_id")
        if usb is not None and (not isinstance(usb, str) or not _VIDPID.fullmatch(usb)):
            out.append((i, f"{at}.usb_id: {usb!r} must look like \"1a86:7523\" (vendor:product, hex)"))
        if "serial_number" in raw and not isinstance(raw["serial_number"], str):
            out.append((i, f"{at}.serial_number: must be text"))
        baud = raw.get("baudrate", 9600)
        if isinstance(baud, bool) or baud not in (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200):
            out.append((i, f"{at}.baudrate: {baud!r} is not a standard rate (these devices use 9600)"))
        reset = raw.get("opening_reset")
        if reset is not None:
            if kind != "footfall":
                out.append((i, f"{at}.opening_reset: only door counters (kind = \"footfall\") have one"))
            elif not isinstance(reset, str) or not _HHMM.fullmatch(reset):
                out.append((i, f"{at}.opening_reset: {reset!r} must be a time such as \"09:30\""))
            else:
                resets.add(reset)
        board = raw.get("device_id")
        if board is not None:
            if kind != "footfall":
                out.append((i, f"{at}.device_id: only door counters (kind = \"footfall\") have one"))
            elif not isinstance(board, str) or not _DEVICE_ID.fullmatch(board):
                out.append((i, f"{at}.device_id: {board!r} must be the board's DEVICE_ID: 1-16 letters, "
                               "digits, '-' or '_'"))
            elif board in boards:
                out.append((i, f"{at}.device_id: {board!r} is already used by sensors.devices[{boards[board]}]"))
            else:
                boards[board] = i
        out += _number_problems(i, at, raw, kind)
    if len(resets) > 1:
        out.append((-1, f"sensors.devices: door counters disagree on opening_reset ({', '.join(sorted(resets))}); "
                        "the room has one occupancy, give them the same time"))
    return out


def _number_problems(i: int, at: str, raw: Mapping[str, Any], kind: Any) -> list[tuple[int, str]]:
    rules = {"working_period_min": ("sds011", 0, 30, int), "warm_up_s": ("mhz19", 0, 600, (int, float)),
             "poll_s": ("mhz19", 1, 300, (int, float))}
    out = []
    for key, (owner, low, high, typ) in rules.items():
        if key not in raw:
            continue
        value = raw[key]
        if kind != owner:
            out.append((i, f"{at}.{key}: only {owner} devices have this key"))
        elif isinstance(value, bool) or not isinstance(value, typ) or not low <= value <= high:
            out.append((i, f"{at}.{key}: {value!r} must be a number from {low} to {high}"))
    return out
