"""Headless screenshots: QR codes decode (zxing-cpp) to exactly the configured URL; every station
survives the smoke drive (enter, frames, touches everywhere, reset, exit)."""
import dataclasses
import datetime as dt

import numpy as np
import pygame
import pytest

from eventlog.shortcode import short_code
from kiosk.input import InputEvent
from kiosk.testing import default_config
from stations.agenda import Station as AgendaStation
from stations.survey import Station as SurveyStation
from stations.wall import Station as WallStation
from tests.participation.conftest import Driver, decode_qr

PUBLIC_URL = "https://expo.example.org/qsec"


def _kiosk(tmp_path):
    return dataclasses.replace(default_config(data_dir=tmp_path), public_url=PUBLIC_URL)


def test_survey_qr_decodes_to_the_contribution_url(make_ctx, tmp_path):
    ctx = make_ctx("survey", SurveyStation, kiosk=_kiosk(tmp_path))
    st = SurveyStation(ctx)
    drv = Driver(st)
    drv.tap("choice:tram")
    drv.tap("next")
    while st.phase == "question":
        drv.tap("skip")
    assert st.phase == "thanks"
    drv.frame()
    expected = f"{PUBLIC_URL}/c/{short_code(st.completion_uuid)}"
    assert decode_qr(drv.surface) == [expected]
    assert decode_qr(drv.surface, st.view.qr_rect.inflate(40, 40)) == [expected]


def test_wall_qr_decodes_to_the_contribution_url(make_ctx, tmp_path):
    ctx = make_ctx("wall", WallStation, kiosk=_kiosk(tmp_path))
    st = WallStation(ctx)
    drv = Driver(st)
    drv.tap("add")
    drv.tap("question:city")
    st.handle_event(InputEvent("text", text="La ville bouge avec nous"))
    drv.tap("send")
    drv.frame()
    assert decode_qr(drv.surface) == [f"{PUBLIC_URL}/c/{short_code(st.message_uuid)}"]


def test_agenda_qr_decodes_to_the_event_url(make_ctx, tmp_path):
    ctx = make_ctx("agenda", AgendaStation, kiosk=_kiosk(tmp_path))
    st = AgendaStation(ctx, clock=lambda: dt.datetime(2026, 11, 25, 16, 0, tzinfo=dt.timezone.utc))
    drv = Driver(st)
    drv.frame()
    assert decode_qr(drv.surface, st.view.qr_rects["atelier-foule"].inflate(30, 30)) == ["https://qsec2.fr/agenda/atelier-foule-93"]
    drv.tap("event:debat-grand-paris")
    assert decode_qr(drv.surface) == [f"{PUBLIC_URL}/agenda/debat-grand-paris"]


@pytest.mark.parametrize("cls", [SurveyStation, WallStation, AgendaStation], ids=lambda c: c.id)
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_smoke_every_station(make_ctx, tmp_path, cls, orientation):
    kiosk = dataclasses.replace(default_config(data_dir=tmp_path), orientation=orientation)
    ctx = make_ctx(cls.id, cls, kiosk=kiosk)
    st = cls(ctx)
    st.reset()
    st.enter()
    surface = pygame.Surface(ctx.canvas_size)
    rng = np.random.default_rng(42)
    w, h = ctx.canvas_size
    for frame in range(120):
        if frame % 3 == 0:
            pos = (float(rng.uniform(0, w)), float(rng.uniform(0, h)))
            st.handle_event(InputEvent("down", pos))
            st.handle_event(InputEvent("move", (pos[0] + 20, pos[1] + 10)))
            st.handle_event(InputEvent("up", (pos[0] + 20, pos[1] + 10)))
        st.update(1 / 60)
        st.draw(surface)
    st.reset()
    st.draw(surface)
    st.exit()
    for lang in ("fr", "en"):
        ctx.i18n.set_language(lang)
        st.draw(surface)
    assert cls.title and cls.teaser and cls.icon and cls.config_defaults["content"].endswith(".toml")
