from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kiosk.demo_data import simulate_month

END = datetime(2026, 11, 25, 16, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory):
    """Ten days of simulated venue events, shared by the report and page tests (read-only)."""
    path = tmp_path_factory.mktemp("demo10")
    simulate_month(path, end=END, days=10, seed=11)
    return path


def write_config(path, data_dir, extra: str = "") -> str:
    cfg = path / "venue.toml"
    cfg.write_text(f'[kiosk]\nvenue = "Médiathèque test"\ndata_dir = "{data_dir}"\n{extra}', encoding="utf-8")
    return str(cfg)
