"""Live-hub fixtures for the kiosk side: a real `python -m hub serve` on 127.0.0.1."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import pytest

from tests.kiosk_logs import kiosk_counts_by_kind, kiosk_uuids
from tests.live_hub import LiveHub

KIOSK = "kiosk-sync"


def wait_until(predicate: Callable[[], bool], timeout: float = 30.0, step: float = 0.05) -> bool:
    """Poll a condition with a bound (tests never loop forever)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def assert_hub_holds_exactly(hub: LiveHub, data_dir: Path) -> None:
    """Same uuids, same count per kind, none twice."""
    hub_uuids = hub.uuids()
    assert len(hub_uuids) == len(set(hub_uuids))
    assert hub_uuids == kiosk_uuids(data_dir)
    assert hub.counts_by_kind() == kiosk_counts_by_kind(data_dir)
    assert hub.intact()


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory):
    hub = LiveHub(tmp_path_factory.mktemp("hub"), limits={"rate_per_s": 0.0})
    hub.start()
    hub.token = hub.add_kiosk(KIOSK)
    yield hub
    hub.stop()
