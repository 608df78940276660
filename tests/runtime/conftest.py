from __future__ import annotations

import dataclasses

import pytest

from kiosk.config import load_config
from tests.runtime.fakes import CLASSES


@pytest.fixture
def venue_file(tmp_path):
    path = tmp_path / "venue.toml"
    path.write_text('[kiosk]\nid = "test-kiosk"\n[stations]\nenabled = ["calm", "broken"]\n', encoding="utf-8")
    return path


@pytest.fixture
def config(tmp_path, venue_file):
    cfg = load_config(venue_file, classes=CLASSES)
    return dataclasses.replace(cfg, data_dir=tmp_path / "data", idle_timeout_s=20.0, idle_warning_s=5.0)
