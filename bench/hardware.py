"""Serial sensors: parser throughput, and CPU cost of the reader threads with idle sensors.

Run: .venv/bin/python -m bench hardware   (or: .venv/bin/python -c "import bench.hardware as b; b.main()")
"""
from __future__ import annotations

import os
import statistics
import time

import numpy as np

from bench.common import timings
from hardware.protocols import footfall, mhz19, sds011

RUNS = 5
IDLE_WINDOW_S = 15.0


def _footfall_stream(n: int, garbage_every: int = 20) -> bytes:
    rng = np.random.default_rng(0)
    parts = []
    for i in range(n):
        if i % garbage_every == 0:
            parts.append(rng.integers(0, 256, 24, dtype=np.uint8).tobytes().replace(b"\n", b"") + b"\n")
        parts.append(footfall.encode_line("porte1", "1A2B3C4D", i, i // 2, i // 3, "E"))
    return b"".join(parts)


def parser_throughput() -> None:
    n = 50_000
    stream = _footfall_stream(n)
    chunks = [stream[i:i + 64] for i in range(0, len(stream), 64)]   # a UART delivers small reads

    def run_footfall():
        parser = footfall.FootfallParser()
        for chunk in chunks:
            parser.feed(chunk)

    def run_split_only():  # baseline: only finding the line ends, no validation at all
        buf = bytearray()
        for chunk in chunks:
            buf += chunk
            *lines, rest = bytes(buf).split(b"\n")
            buf = bytearray(rest)

    dust = b"".join(sds011.encode_data(i % 999 / 10, i % 999 / 10) for i in range(n))
    co2 = b"".join(mhz19.encode_response(400 + i % 2000) for i in range(n))

    def run_sds():
        parser = sds011.SDS011Parser()
        for i in range(0, len(dust), 64):
            parser.feed(dust[i:i + 64])

    def run_mhz():
        parser = mhz19.MHZ19Parser()
        for i in range(0, len(co2), 64):
            parser.feed(co2[i:i + 64])

    results = {}
    for name, fn in (("footfall lines (5% garbage lines)", run_footfall), ("baseline: split lines only", run_split_only),
                     ("SDS011 frames", run_sds), ("MH-Z19B frames", run_mhz)):
        results[name] = n / statistics.median(timings(fn, RUNS, warmup=1))
    print(f"parser throughput, median of {RUNS} runs of {n} frames fed in 64-byte reads:")
    for name, rate in results.items():
        print(f"  {name:38s} {rate:12,.0f} /s")
    ratio = results["baseline: split lines only"] / results["footfall lines (5% garbage lines)"]
    print(f"  full footfall validation (grammar + CRC-16) costs {ratio:.1f}x a bare line split; a door counter "
          f"sends about 0.1 line/s")


def _task_cpu_ns(native_id: int) -> int:
    """CPU time of one thread in ns from /proc/self/task/<tid>/schedstat (first field)."""
    with open(f"/proc/self/task/{native_id}/schedstat") as fh:
        return int(fh.read().split()[0])


def idle_cpu() -> None:
    from hardware.fake import FakeRig
    from hardware.service import SensorService, parse_sensor_config

    # Real-device timings: heartbeat 10 s, SDS011 working period 3 min, MH-Z19B polled every 5 s.
    rig = FakeRig.start(visitors_per_minute=0, time_scale=1.0, warm_up_s=0, working_period_min=3, boot_noise_s=0)
    section = rig.config_section()
    svc = SensorService(parse_sensor_config(section))
    svc.start()
    try:
        time.sleep(3.0)  # connect, warm up
        before = {r.name: _task_cpu_ns(r.native_id) for r in svc.readers}
        fake_before = {d.name: _task_cpu_ns(d._thread.native_id) for d in rig.devices.values()}
        t0 = time.monotonic()
        time.sleep(IDLE_WINDOW_S)
        window = time.monotonic() - t0
        after = {r.name: _task_cpu_ns(r.native_id) for r in svc.readers}
        fake_after = {d.name: _task_cpu_ns(d._thread.native_id) for d in rig.devices.values()}
    finally:
        svc.stop()
        rig.stop()
    print(f"reader threads, idle sensors (no visitors), CPU measured over {window:.0f} s from "
          f"/proc/self/task/*/schedstat and extrapolated x{3600 / window:.0f} to one hour:")
    total = 0.0
    for name in before:
        per_hour = (after[name] - before[name]) / 1e9 * 3600 / window
        total += per_hour
        print(f"  {name:28s} {per_hour:7.2f} s CPU per hour")
    print(f"  {'all readers':28s} {total:7.2f} s CPU per hour ({total / 36:.3f} % of one core)")
    fake = sum(fake_after[k] - fake_before[k] for k in fake_before) / 1e9 * 3600 / window
    print(f"  (the pty emulators, not part of a real kiosk: {fake:.1f} s CPU per hour)")


def main() -> None:
    parser_throughput()
    if os.path.exists("/proc/self/task"):
        idle_cpu()
    else:
        print("idle CPU: needs Linux /proc; skipped")


if __name__ == "__main__":
    main()
