"""What each side loads: the shared format stays stdlib only (the hub installs without the kiosk's
dependencies), checked in a fresh interpreter so nothing another test imported can hide a dependency."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.live_hub import PROJECT_ROOT

HEAVY = ("pygame", "numpy", "scipy", "kiosk", "stations", "hardware", "serial")


def loaded_after(*modules: str) -> set[str]:
    code = (f"import sys\nfor name in {list(modules)!r}:\n    __import__(name)\n"
            "import json; print(json.dumps(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT,
                          timeout=120, check=True)
    return {name.split(".")[0] for name in json.loads(done.stdout)}


def test_the_shared_format_is_standard_library_only():
    modules = ("eventlog.kinds", "eventlog.stamps", "eventlog.shortcode", "eventlog.sqlite", "eventlog.wire",
               "eventlog.bundle")
    assert not loaded_after(*modules) & set(HEAVY)
