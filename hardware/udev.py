"""udev rules for a venue's sensors, written at installation (install/install.sh runs
`kiosk sensors --udev-rules`): the kiosk's user may open every sensor adapter, ModemManager leaves
them alone (its probing sends AT commands into a door counter), and each sensor that can be told
apart gets a stable name, /dev/qsec/<name>, whatever USB socket it is plugged into and in whatever
order the adapters woke up."""
from __future__ import annotations

from collections import Counter

from hardware.config import USB_IDS, DeviceConfig

RULES_FILE = "70-qsec-kiosk.rules"


def _match(vid: int, pid: int, serial: str | None = None) -> str:
    rule = f'SUBSYSTEM=="tty", ATTRS{{idVendor}}=="{vid:04x}", ATTRS{{idProduct}}=="{pid:04x}"'
    return rule + (f', ATTRS{{serial}}=="{serial}"' if serial else "")


def udev_rules(devices: list[DeviceConfig], group: str = "qsec") -> str:
    ids = sorted({pair for kind_ids in USB_IDS.values() for pair in kind_ids}
                 | {pair for d in devices for pair in d.usb_ids})
    lines = ["# qsec-kiosk: written by `kiosk sensors --udev-rules` from the venue file; written again at each install.",
             "# Every adapter a sensor ships with: the kiosk's user may open it, ModemManager does not probe it."]
    lines += [f'{_match(vid, pid)}, GROUP="{group}", MODE="0660", ENV{{ID_MM_DEVICE_IGNORE}}="1"' for vid, pid in ids]
    lines.append("# One stable name per sensor: /dev/qsec/<name> (port = \"/dev/qsec/<name>\" in the venue file).")
    # adapters that only a serial number can tell apart: two sensors on the same kind of adapter
    shared = Counter(pair for d in devices if not d.serial_number for pair in set(d.usb_ids or USB_IDS[d.kind]))
    for d in devices:
        if not d.auto and not d.port.startswith("/dev/qsec/"):
            lines.append(f"# {d.name}: its port {d.port} is already a stable path")
            continue
        pairs = d.usb_ids or USB_IDS[d.kind]
        if d.serial_number is None and any(shared[pair] > 1 for pair in pairs):
            lines.append(f"# {d.name}: its adapter cannot be told from another sensor's without its serial number;"
                         " give `serial_number` in the venue file (`udevadm info /dev/ttyUSB0` shows ID_SERIAL_SHORT)."
                         " Until then port = \"auto\" finds it by what it says.")
            continue
        lines += [f'{_match(vid, pid, d.serial_number)}, SYMLINK+="qsec/{d.name}"' for vid, pid in pairs]
    return "\n".join(lines) + "\n"
