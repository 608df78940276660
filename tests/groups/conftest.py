from __future__ import annotations

import dataclasses

import pytest

from kiosk.config import load_config
from tests.groups.fakes import CLASSES


@pytest.fixture
def config(tmp_path):
    venue = tmp_path / "venue.toml"
    venue.write_text('[kiosk]\nid = "test-kiosk"\npublic_url = "https://qsec.example.org"\n'
                     '[stations]\nenabled = ["crowd", "traffic", "survey"]\n', encoding="utf-8")
    cfg = load_config(venue, classes=CLASSES)
    return dataclasses.replace(cfg, data_dir=tmp_path / "data", idle_timeout_s=20.0, idle_warning_s=5.0,
                               group_idle_timeout_s=600.0)
