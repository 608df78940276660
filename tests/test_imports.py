"""What each side loads: the shared format stays stdlib only (the hub installs without the kiosk's
dependencies), checked in a fresh interpreter so nothing another test imported can hide a dependency."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.live_hub import PROJECT_ROOT

HEAVY = ("pygame", "numpy", "scipy", "kiosk", "stations", "hardware", "serial")


def loaded_after(*modules: str, then: str = "") -> set[str]:
    """Top-level packages in sys.modules once `modules` are imported (and `then` has run)."""
    code = (f"import sys\nfor name in {list(modules)!r}:\n    __import__(name)\n{then}\n"
            "import json; print(json.dumps(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT,
                          timeout=120, check=True)
    return {name.split(".")[0] for name in json.loads(done.stdout)}


def test_the_shared_format_is_standard_library_only():
    modules = ("eventlog.kinds", "eventlog.stamps", "eventlog.shortcode", "eventlog.sqlite", "eventlog.wire",
               "eventlog.bundle")
    assert not loaded_after(*modules) & set(HEAVY)


def test_the_hub_loads_nothing_of_the_kiosk():
    """The hub and its pages (labels read from the content files included) without pygame, scipy or
    any kiosk package: what `pip install '.[hub]'` provides is all it needs."""
    then = ("from hub.app import build_app\nfrom hub.config import HubConfig, SOURCE_CONTENT\n"
            "from hub.content import load_labels\nbuild_app(HubConfig())\n"
            "import hub.site.views.pages, hub.site.views.codes, hub.site.admin, hub.demo\n"
            "assert load_labels(SOURCE_CONTENT).activities")
    loaded = loaded_after("hub", "hub.app", "hub.__main__", "hub.importer", then=then)
    assert not loaded & set(HEAVY)
    assert {"hub", "eventlog", "starlette", "django"} <= loaded
