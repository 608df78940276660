"""Where mediator exports go: a mounted USB stick when there is one, else the configured folder."""
from __future__ import annotations

import os
from pathlib import Path

MOUNT_ROOTS = (Path("/media"), Path("/run/media"), Path("/mnt"))


def mounted_sticks(roots: tuple[Path, ...] = MOUNT_ROOTS) -> list[Path]:
    """Writable mount points of removable media (/media/USER/LABEL, /run/media/USER/LABEL, /mnt/X)."""
    found: list[Path] = []
    try:
        with open("/proc/mounts", encoding="utf-8") as fh:
            mounts = [line.split()[1].encode().decode("unicode_escape") for line in fh if len(line.split()) > 1]
    except OSError:
        mounts = []
    for mount in mounts:
        p = Path(mount)
        if any(root in p.parents for root in roots) and os.access(p, os.W_OK):
            found.append(p)
    return sorted(found)


def export_target(configured: Path | None, roots: tuple[Path, ...] = MOUNT_ROOTS) -> Path | None:
    """The first USB stick, else the configured export folder (created), else None."""
    sticks = mounted_sticks(roots)
    if sticks:
        return sticks[0]
    if configured is not None:
        configured.mkdir(parents=True, exist_ok=True)
        return configured
    return None
