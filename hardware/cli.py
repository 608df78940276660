"""`kiosk sensors`: the devices of the venue config and their state, for installation day.

    kiosk sensors [--config FILE] [--seconds 8]      probe each configured device and print its state
    kiosk sensors --listen PORT [--kind K] [--seconds N]   dump decoded frames from one port
    kiosk sensors --fake ...                          the same against the emulated devices
    kiosk sensors --udev-rules [--config FILE]        the udev rules the installer writes for these sensors

Nothing is written to the event log. If the kiosk is running, it holds the ports: stop it first.
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from typing import TextIO

import serial

from hardware.config import KINDS, check_sensor_config, parse_sensor_config
from hardware.protocols import footfall, mhz19, sds011
from hardware.readings import SensorSnapshot
from hardware.udev import udev_rules

EXIT_BAD_INPUT = 2
STATE_FR = {"connected": "connecté", "offline": "hors ligne", "warming_up": "préchauffage"}


def format_value(value) -> str:
    if not value:
        return "—"
    if "co2_ppm" in value:
        return f"CO2 {value['co2_ppm']} ppm"
    if "pm25" in value:
        return f"PM2.5 {value['pm25']:.1f} µg/m³, PM10 {value['pm10']:.1f} µg/m³"
    if "in" in value:
        return f"entrées {value['in']}, sorties {value['out']} (depuis le démarrage de {value.get('device', '?')})"
    return str(value)


def format_snapshot(snap: SensorSnapshot, out: TextIO) -> None:
    if not snap.devices:
        print("Aucun capteur configuré ([[sensors.devices]] dans le fichier de la salle).", file=out)
        return
    for d in snap.devices:
        since = datetime.fromtimestamp(d.since).strftime("%H:%M:%S") if d.since else "jamais vu"
        print(f"{d.name} ({d.kind}) — {STATE_FR.get(d.state, d.state)} depuis {since}", file=out)
        print(f"    port : {d.port or '—'}", file=out)
        print(f"    dernière valeur : {format_value(d.last_value)}", file=out)
        print(f"    trames rejetées : {d.rejected}, octets parasites : {d.garbage_bytes}"
              + (f", doublons : {d.duplicates}, redémarrages vus : {d.reboots}" if d.kind == "footfall" else "")
              + (f", lignes d'un autre compteur : {d.foreign}" if d.foreign else ""),
              file=out)
        if d.last_error and d.state == "offline":
            print(f"    dernière erreur : {d.last_error}", file=out)
    if snap.occupancy is not None:
        print(f"Personnes dans la salle : {snap.occupancy}", file=out)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk sensors", description="État des capteurs série / serial sensors status")
    p.add_argument("--config", help="fichier de configuration de la salle (config/venues/NAME.toml)")
    p.add_argument("--listen", metavar="PORT", help="afficher les trames décodées d'un port (ex. /dev/ttyUSB0)")
    p.add_argument("--kind", choices=("auto",) + KINDS, default="auto", help="protocole du port écouté")
    p.add_argument("--seconds", type=float, default=None, help="durée d'observation (défaut 8 s, --listen : sans fin)")
    p.add_argument("--fake", action="store_true", help="utiliser les capteurs émulés (démonstration)")
    p.add_argument("--udev-rules", action="store_true",
                   help="écrire les règles udev des capteurs du fichier de la salle / print the sensors' udev rules")
    return p


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--"]:   # `kiosk sensors -- --listen …` when a dispatcher keeps the separator
        argv = argv[1:]
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_BAD_INPUT if exc.code else 0
    if args.seconds is not None and args.seconds <= 0:
        print("--seconds doit être positif", file=sys.stderr)
        return EXIT_BAD_INPUT
    rig = None
    try:
        if args.fake:
            from hardware.fake import FakeRig

            rig = FakeRig.start(warm_up_s=2.0)
        if args.listen:
            return listen(args.listen, args.kind, args.seconds, out)
        section = rig.config_section() if rig is not None else _section_from_config(args.config)
        if section is None:
            return EXIT_BAD_INPUT
        if args.udev_rules:
            out.write(udev_rules(parse_sensor_config(section)))
            return 0
        problems = check_sensor_config(section, "sensors")
        for line in problems:
            print(line, file=sys.stderr)
        if not parse_sensor_config(section):
            format_snapshot(SensorSnapshot(), out)
            return EXIT_BAD_INPUT if problems else 0
        return status(section, 8.0 if args.seconds is None else args.seconds, out) or (EXIT_BAD_INPUT if problems else 0)
    except KeyboardInterrupt:
        return 0
    finally:
        if rig is not None:
            rig.stop()


def _section_from_config(path: str | None):
    from kiosk.commandline import config_for_command

    config = config_for_command(path)
    return None if config is None else dict(config.sensors)


def status(section: dict, seconds: float, out: TextIO) -> int:
    from hardware.service import SensorService

    svc = SensorService(devices=parse_sensor_config(section))  # records nothing
    svc.start()
    print(f"Observation des capteurs pendant {seconds:g} s…", file=out)
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(0.2)
            svc.drain()
        snapshot = svc.snapshot()   # before stop(), which marks every device offline
    finally:
        svc.stop()
    format_snapshot(snapshot, out)
    return 0


def listen(port: str, kind: str, seconds: float | None, out: TextIO) -> int:
    """Print every decoded frame from one port, with what was rejected, until Ctrl-C or `seconds`."""
    parsers = {"footfall": footfall.FootfallParser(), "sds011": sds011.SDS011Parser(), "mhz19": mhz19.MHZ19Parser()}
    if kind != "auto":
        parsers = {kind: parsers[kind]}
    try:
        ser = serial.Serial(port, 9600, timeout=0.2, exclusive=True)
    except (serial.SerialException, OSError, ValueError) as exc:
        print(f"Impossible d'ouvrir {port} : {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"Écoute de {port} ({kind}) — Ctrl-C pour arrêter", file=out)
    deadline = None if seconds is None else time.monotonic() + seconds
    next_query = 0.0
    try:
        with ser:
            while deadline is None or time.monotonic() < deadline:
                if time.monotonic() >= next_query:   # the air sensors speak when spoken to
                    if "mhz19" in parsers:
                        ser.write(mhz19.read_command())
                    if "sds011" in parsers:
                        ser.write(sds011.query_command())
                    next_query = time.monotonic() + 2.0
                data = ser.read(max(1, ser.in_waiting))
                for name, parser in parsers.items():
                    for frame in parser.feed(data):
                        print(f"{datetime.now():%H:%M:%S} {name} {frame}", file=out, flush=True)
    except (serial.SerialException, OSError) as exc:
        print(f"Port perdu : {exc}", file=sys.stderr)
    for name, parser in parsers.items():
        print(f"{name}: {parser.stats}", file=out)
    return 0
