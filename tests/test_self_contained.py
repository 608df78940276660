"""The repository stands on its own: nothing it ships points to a guide kept outside it (`../shared`,
`GUIDE.md`) or to an issue number of a tracker a person who clones it does not have. What such a
pointer meant is written here instead (docs/architecture.md, the READMEs, the docstrings)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = re.compile(r"\.\./shared|GUIDE\.md|[Ii]ssue [0-9]")   # as `git grep -E`, plus "Issue 6"


def _tracked_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked files are unknown")
    return [name for name in out.decode().split("\0") if name and not name.startswith("tests/")]


def test_nothing_outside_tests_points_outside_the_repository():
    hits = []
    for name in _tracked_files():
        path = ROOT / name
        if not path.is_file():   # deleted in the working tree, not yet committed
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                hits.append(f"{name}:{number}: {line.strip()}")
    assert not hits, "references to outside the repository:\n" + "\n".join(hits)
