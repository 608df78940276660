"""Spoken descriptions: every visitor screen says what it shows, in every configured language, and
espeak-ng speaks it off the frame loop."""
from __future__ import annotations

import pytest

from kiosk.access.speech import Speaker, espeak_available, voice_for
from kiosk.screens.attract import AttractScreen
from kiosk.screens.closed import ClosedScreen
from kiosk.screens.home import HomeScreen

STATIONS = ["crowd", "traffic", "survey", "wall", "agenda", "air"]


def descriptions(v) -> dict[str, str]:
    """Each visitor screen's words, the stations' after a few frames of running."""
    app = v.app
    out = {"attract": AttractScreen(app.ctx).describe(), "home": HomeScreen(app.ctx).describe(),
           "closed": ClosedScreen(app.ctx).describe()}
    for sid in STATIONS:
        app.nav.open_station(sid)
        v.frames(3)
        out[sid] = app.nav.screen.describe()
    return out


def test_every_screen_describes_itself_in_every_configured_language(visitor):
    v = visitor()
    by_lang = {}
    for lang in v.app.config.languages:
        v.app.ctx.i18n.set_language(lang)
        by_lang[lang] = descriptions(v)
        for screen, text in by_lang[lang].items():
            assert len(text.split()) >= 4, (lang, screen, text)
    french = by_lang[v.app.config.languages[0]]
    for lang, texts in by_lang.items():
        if lang != v.app.config.languages[0]:
            same = [s for s in texts if texts[s] == french[s]]
            assert not same, f"{lang}: these screens still speak French: {same}"


def test_the_listen_button_says_the_screen_then_the_keys(visitor):
    v = visitor()
    v.tap((960, 540))
    v.tap(v.app.chrome.listen.rect.center)
    assert v.app.access.listening
    said = v.app.access.speaker.last_text if v.app.access.speaker else ""
    assert said.startswith("Choisissez une activité") and "Foules" in said and "Tab" in said


def test_a_listening_visitor_hears_each_new_screen_and_each_focus(visitor):
    v = visitor()
    v.key("return")                                  # a key: this visitor listens
    assert v.app.access.speaker.last_text.startswith("Choisissez une activité")
    v.key("tab")
    assert v.app.access.speaker.last_text == "Foules"
    v.key("return", frames=4)
    assert v.app.access.speaker.last_text.startswith("Foules.")


def test_voices_for_languages_and_variants():
    assert voice_for("fr") == "fr" and voice_for("en") == "en-gb" and voice_for("fr-falc") == "fr"
    assert voice_for("fr", {"fr": "fr-be"}) == "fr-be"


@pytest.mark.skipif(not espeak_available(), reason="espeak-ng (Debian package) is not installed: `.ci/run` installs it")
def test_espeak_renders_once_off_the_loop_and_the_cache_serves_again(tmp_path):
    played = []
    speaker = Speaker(tmp_path, play=played.append, load=lambda path: path.stat().st_size)
    speaker.say("Le bouchon recule à 15 kilomètres heure.", "fr")
    assert speaker.wait_idle()
    speaker.poll()
    assert played and played[0] > 10_000               # a WAV of about two seconds of speech
    files = list(tmp_path.glob("*.wav"))
    assert len(files) == 1
    before = files[0].stat().st_mtime_ns
    speaker.say("Le bouchon recule à 15 kilomètres heure.", "fr")
    assert speaker.wait_idle()
    speaker.poll()
    assert len(played) == 2 and files[0].stat().st_mtime_ns == before   # from the cache
    speaker.close()


@pytest.mark.skipif(not espeak_available(), reason="espeak-ng (Debian package) is not installed: `.ci/run` installs it")
def test_only_the_newest_request_is_played(tmp_path):
    played = []
    speaker = Speaker(tmp_path, play=played.append)
    for k in range(5):
        speaker.say(f"Bouton {k}", "fr")
    assert speaker.wait_idle()
    speaker.poll()
    assert len(played) == 1 and played[0] == speaker.cache_path("Bouton 4", "fr")
    speaker.close()
