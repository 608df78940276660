"""Display benchmark: the kiosk's CPU share per screen in a real X window (Xvfb, 1920x1080), before
(every frame drawn at 60 fps through SDL's default presentation, as the runtime did) and after (the
kiosk as it is), and the CPU cost of each way pygame-ce offers to put the canvas on screen.

CPU share = CPU seconds of the kiosk's process and its children (the crowd's field worker) over wall
seconds, read from /proc while the kiosk runs, median of RUNS runs. The X server's own share is printed
beside it (it copies what the kiosk presents). Xvfb comes from Debian's package, installed if missing."""
from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.common import median

SCREENS = ["home", "attract", "crowd-2000", "traffic", "survey", "agenda", "air", "wall", "closed", "closed-off"]
TARGETS = {"home": 10, "attract": 30, "crowd-2000": 60, "traffic": 60}   # % of one core, after
WAYS = ["sdl-default", "plain-surface", "update-rects", "scaled", "sdl2-renderer", "smoothscale-letterbox"]
RUNS = int(os.environ.get("BENCH_DISPLAY_RUNS", "3"))
MEASURE_S = float(os.environ.get("BENCH_DISPLAY_SECONDS", "8"))
ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


def ensure_xvfb() -> str | None:
    """Xvfb's path, installing Debian's xvfb package when it is missing (root only)."""
    found = shutil.which("Xvfb")
    if found or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return found
    print("installing Debian's xvfb package (apt-get) ...", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", "xvfb"], env=env, check=False, stdout=subprocess.DEVNULL)
    return shutil.which("Xvfb")


def start_xvfb(xvfb: str) -> tuple[subprocess.Popen, str]:
    """An X server of its own on a free display number (Xvfb picks it and writes it to a pipe)."""
    read, write = os.pipe()
    proc = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    number = b""
    while select.select([read], [], [], 20)[0]:
        chunk = os.read(read, 16)
        if not chunk or chunk.endswith(b"\n"):
            number += chunk
            break
        number += chunk
    os.close(read)
    return proc, ":" + number.decode().strip()


def cpu_seconds(pid: int, *, descendants_only: bool = False) -> float:
    """CPU seconds of a process and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICK
    tree, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    if descendants_only:
        tree.discard(pid)
    return sum(times.get(p, 0.0) for p in tree)


def wait_for_workers(pid: int, limit_s: float = 180.0) -> None:
    """Until the kiosk's worker processes are done with start-up (the crowd builds every room's field in
    one): a second in which they use under 2 % of a core."""
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        before = cpu_seconds(pid, descendants_only=True)
        time.sleep(1.0)
        if cpu_seconds(pid, descendants_only=True) - before < 0.02:
            return


def kiosk_share(display: str, server: int, screen: str, mode: str) -> tuple[float, float, float, float]:
    """(kiosk %, X server %, frames drawn a second, kiosk % at its pace) over MEASURE_S seconds of one run.

    On a loaded machine an animated screen gets fewer frames than it asks for, which hides CPU: "at its
    pace" scales its share to the frames a second it asks for (60 before; its frame_rate() after), as if
    each frame cost what it cost here. A still screen is measured as it is."""
    env = dict(os.environ, DISPLAY=display, SDL_VIDEODRIVER="x11", SDL_AUDIODRIVER="dummy",
               PYGAME_HIDE_SUPPORT_PROMPT="1")
    env.pop("WAYLAND_DISPLAY", None)
    if mode == "before":
        env["SDL_FRAMEBUFFER_ACCELERATION"] = "1"      # SDL's own choice on X11, as the runtime had it
        screen = "closed" if screen == "closed-off" else screen   # the runtime never switched the screen off
    else:
        env.pop("SDL_FRAMEBUFFER_ACCELERATION", None)
    proc = subprocess.Popen([sys.executable, "-m", "bench._display_run", screen, mode], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError(f"{screen} {mode}: the kiosk did not start ({line!r})")
        wait_for_workers(proc.pid)
        c0, x0, t0 = cpu_seconds(proc.pid), cpu_seconds(server), time.monotonic()
        time.sleep(MEASURE_S)
        c1, x1, t1 = cpu_seconds(proc.pid), cpu_seconds(server), time.monotonic()
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=60)[0].split()
        drawn, seconds = int(out[out.index("drawn") + 1]), float(out[out.index("seconds") + 1])
        pace = float(out[out.index("pace") + 1])
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    wall = t1 - t0
    share, fps = (c1 - c0) / wall * 100, drawn / seconds
    at_pace = share * pace / fps if pace > 1 and fps > 0 else share
    return share, (x1 - x0) / wall * 100, fps, at_pace


def present_cost(display: str, way: str) -> tuple[float, float]:
    env = dict(os.environ, DISPLAY=display, SDL_VIDEODRIVER="x11", SDL_AUDIODRIVER="dummy",
               PYGAME_HIDE_SUPPORT_PROMPT="1")
    out = subprocess.run([sys.executable, "-m", "bench._display_present", way], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300, check=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    xvfb = ensure_xvfb()
    if xvfb is None:
        print("Xvfb is missing and could not be installed (apt-get install xvfb as root); display bench skipped")
        return
    server, display = start_xvfb(xvfb)
    try:
        print(f"Xvfb {display} 1920x1080x24; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
        print("\nputting a changed 1920x1080 canvas on the X window, CPU ms per frame of the kiosk process "
              f"(median of {RUNS} runs of 180 frames; the canvas fill not counted):")
        print(f"{'way':24} {'cpu ms':>7} {'fps':>6}")
        for way in WAYS:
            runs = [present_cost(display, way) for _ in range(RUNS)]
            print(f"{way:24} {median([r[0] for r in runs]):7.2f} {median([r[1] for r in runs]):6.1f}", flush=True)
        print(f"\nCPU share of one core per screen, median of {RUNS} runs of {MEASURE_S:.0f} s after a "
              "warm-up (3 s, and the start-up work of its worker processes); 'before' = every frame drawn at 60 fps through SDL's default presentation "
              "(kiosk run --full-redraw, SDL_FRAMEBUFFER_ACCELERATION=1), 'after' = the kiosk as it is:")
        print(f"{'screen':12} {'before %':>9} {'after %':>8} {'target %':>9} | {'at pace: before %':>17} "
              f"{'after %':>8} | {'fps before':>10} {'fps after':>9} | {'X server before %':>16} {'after %':>8}")
        for screen in SCREENS:
            row = {}
            for mode in ("before", "after"):
                runs = [kiosk_share(display, server.pid, screen, mode) for _ in range(RUNS)]
                row[mode] = [median([r[k] for r in runs]) for k in range(4)]
            (b, bx, bf, bp), (a, ax, af, ap) = row["before"], row["after"]
            target = TARGETS.get(screen)
            verdict = "" if target is None else ("  ok" if max(a, ap) <= target else "  OVER")
            print(f"{screen:12} {b:9.1f} {a:8.1f} {'' if target is None else target:>9} | {bp:17.1f} {ap:8.1f} | "
                  f"{bf:10.1f} {af:9.1f} | {bx:16.1f} {ax:8.1f}{verdict}", flush=True)
        print("closed: Xvfb has no DPMS, so the closed screen stays on at one frame a second; closed-off: the "
              "same once the screen is off (the kiosk believes a stand-in for xset): nothing drawn, a wake a second.")
    finally:
        server.terminate()
        server.wait(timeout=10)
