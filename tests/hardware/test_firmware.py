"""The firmware's counting state machine, compiled for the host with the machine's C compiler."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hardware.protocols.footfall import FootfallParser

FIRMWARE = Path(__file__).resolve().parents[2] / "hardware" / "firmware"
COMPILER = next((shutil.which(name) for name in ("cc", "gcc", "clang") if shutil.which(name)), None)


@pytest.mark.skipif(COMPILER is None, reason="no C compiler on this machine")
def test_counter_state_machine_host_build(tmp_path):
    exe = tmp_path / "test_counter"
    build = subprocess.run(
        [COMPILER, "-std=c99", "-Wall", "-Wextra", "-Werror", "-I", str(FIRMWARE / "qsec_footfall"),
         str(FIRMWARE / "test" / "test_counter.c"), str(FIRMWARE / "qsec_footfall" / "footfall_counter.c"),
         "-o", str(exe)],
        capture_output=True, text=True, timeout=60)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, timeout=30)
    assert run.returncode == 0, run.stdout.decode()
    assert run.stdout.endswith(b"ok\n")
    # The lines the firmware formats are what the Python reader parses (same CRC, same grammar).
    frames = FootfallParser().feed(run.stdout)
    assert [(f.device, f.boot_id, f.seq, f.total_in, f.total_out, f.kind) for f in frames] == [
        ("porte", "DEADBEEF", 4294967295, 668, 335, "H"),
        ("abcdefghijklmnop", "00000000", 0, 0, 0, "B"),
    ]
