"""The website on the demo season (hub/site/demo_season.py) in process: Django's test client for the
pages and the back office, the whole ASGI app (tests/hub/conftest.py) where kiosks upload."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.hub.conftest import Hub, event  # noqa: F401  (re-exported for the site's tests)


@pytest.fixture
def season(transactional_db, settings, tmp_path):
    """The demo season's content and accounts; {username: password}."""
    from hub.ingest import forget_cached_totals
    from hub.site.demo_season import make_season
    from hub.site.queries import forget_cache

    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]   # fast; tests only
    forget_cached_totals()
    forget_cache()
    return make_season(dt.date.today())


@pytest.fixture
def site_hub(season, tmp_path, settings):
    """The season plus the ASGI app with the two test kiosks placed at two venues."""
    from hub.site.models import Kiosk, Venue

    hub = Hub(tmp_path, settings, rate_per_s=0.0)
    Kiosk.objects.filter(name="kiosk-test").update(place=Venue.objects.get(slug="mediatheque-bobigny"))
    Kiosk.objects.filter(name="kiosk-other").update(place=Venue.objects.get(slug="mediatheque-vitry"))
    hub.logins = season
    yield hub
    hub.close()


def login(client, username: str, password: str) -> None:
    assert client.login(username=username, password=password)
