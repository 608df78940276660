"""A venue can start nursery and primary school groups in easy French ([kiosk] children_language); older
groups and visitors keep the kiosk's first language, and a wrong value is a config problem."""
from __future__ import annotations

import dataclasses

import pytest

from kiosk.config import ConfigError, load_config
from tests.groups.test_lifecycle import boot, start_from_mediator


@pytest.mark.parametrize("level, expected", [("elementaire", "fr-falc"), ("college", "fr")])
def test_children_groups_start_in_the_venues_language(config, level, expected):
    app = boot(dataclasses.replace(config, children_language="fr-falc"))
    try:
        start_from_mediator(app, level=level)
        assert app.ctx.i18n.lang == expected
    finally:
        app.shutdown()


def test_the_children_language_must_be_one_of_the_kiosks(tmp_path):
    venue = tmp_path / "venue.toml"
    venue.write_text('[kiosk]\nlanguages = ["fr", "en"]\nchildren_language = "fr-falc"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="kiosk.children_language"):
        load_config(venue)
