"""`kiosk run --headless` end to end in a child process, as the README shows it."""
from __future__ import annotations

import os
import subprocess
import sys

import pygame
import pytest


def test_headless_run_writes_a_home_menu_png(tmp_path):
    script = tmp_path / "touch.toml"
    script.write_text("[[step]]\nat = 1.0\ntap = [960, 540]\n", encoding="utf-8")
    shot = tmp_path / "home.png"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy")
    proc = subprocess.run([sys.executable, "-m", "kiosk", "run", "--headless", "--frames", "120",
                           "--screenshot", str(shot), "--script", str(script), "--data-dir", str(tmp_path / "data")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    img = pygame.image.load(str(shot))
    assert img.get_size() == (1920, 1080)
    colours = {tuple(img.get_at((x, y)))[:3] for x in range(0, 1920, 37) for y in range(0, 1080, 37)}
    assert len(colours) > 5  # not blank


def test_bad_script_is_a_clear_message(tmp_path):
    script = tmp_path / "bad.toml"
    script.write_text("[[step]]\nat = 1.0\ntap = [960]\n", encoding="utf-8")
    env = dict(os.environ, SDL_VIDEODRIVER="dummy")
    proc = subprocess.run([sys.executable, "-m", "kiosk", "run", "--headless", "--script", str(script)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2 and "step[0].tap" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("step, named", [
    ('key = "escpe"', "step[1].key: unknown key name 'escpe'"),
    ('tapp = [960, 540]', "did you mean 'tap'?"),
    ('swipe = [[0, 0], [10, 10]]', "'swipe' is not a step"),
])
def test_a_script_with_an_unknown_key_or_step_is_refused_before_the_run(tmp_path, step, named):
    """Checked when loading: exit 2 and one line naming the step, before anything runs (no event log)."""
    script = tmp_path / "bad.toml"
    script.write_text(f'[[step]]\nat = 0.5\ntap = [960, 540]\n\n[[step]]\nat = 1.0\n{step}\n', encoding="utf-8")
    env = dict(os.environ, SDL_VIDEODRIVER="dummy")
    proc = subprocess.run([sys.executable, "-m", "kiosk", "run", "--headless", "--script", str(script),
                           "--data-dir", str(tmp_path / "data")], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert named in proc.stderr and str(script) in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "data" / "events.sqlite3").exists()


def test_no_display_says_so_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    proc = subprocess.run([sys.executable, "-m", "kiosk", "run", "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2
    lines = [l for l in proc.stderr.splitlines() if "no display" in l]
    assert len(lines) == 1 and "--headless" in lines[0] and "Traceback" not in proc.stderr


def _headless_png(tmp_path, name: str, *args: str) -> bytes:
    """One `kiosk run --headless` in a child process, on its own fresh data directory; the PNG's bytes."""
    shot = tmp_path / f"{name}.png"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy")
    proc = subprocess.run([sys.executable, "-m", "kiosk", "run", "--headless", "--screenshot", str(shot),
                           "--data-dir", str(tmp_path / f"data-{name}"), *args],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return shot.read_bytes()


def test_the_same_headless_command_gives_the_same_attract_loop_byte_for_byte(tmp_path):
    """The attract loop's live miniature (the crowd leaving a room) is seeded and walks on fields built
    in the frame: two runs of one command give one PNG."""
    first = _headless_png(tmp_path, "a", "--frames", "240")
    assert _headless_png(tmp_path, "b", "--frames", "240") == first


@pytest.mark.slow
def test_the_same_seed_gives_the_same_crowd_and_another_seed_another(tmp_path):
    """The crowd station with a pillar placed: its walking field comes from a worker process on a live
    kiosk; headless, the same command waits for nothing and gives the same PNG, whatever the load."""
    script = tmp_path / "pillar.toml"
    script.write_text("[[step]]\nat = 1.5\ntap = [700, 600]\n", encoding="utf-8")
    run = ("--station", "crowd", "--frames", "240", "--script", str(script))
    first = _headless_png(tmp_path, "a", *run)
    assert _headless_png(tmp_path, "b", *run) == first
    assert _headless_png(tmp_path, "c", *run, "--seed", "0") == first          # 0 is the headless default
    assert _headless_png(tmp_path, "d", *run, "--seed", "5") != first          # the seed places the crowd
