"""Every language the kiosk offers by default has every visitor string (code and content files), and
`kiosk check-config` names the strings a configured language lacks."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.i18n import language_name
from kiosk.translations import missing_translations, visitor_messages

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = load_config(None).languages


def test_the_kiosk_offers_five_languages_and_easy_french():
    assert set(LANGUAGES) == {"fr", "en", "ar", "pt", "es", "fr-falc"}
    assert [language_name(lang) for lang in LANGUAGES] == [
        "Français", "English", "العربية", "Português", "Español", "Français facile"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_visitor_string_is_missing(lang):
    missing = missing_translations(lang)
    assert not missing, f"{lang} lacks {len(missing)}: " + "; ".join(f"{w} {t!r}" for w, t in missing[:20])


def test_the_reference_covers_the_code_and_content():
    assert len(visitor_messages()) > 350


def test_a_partial_language_is_reported(tmp_path):
    locale = tmp_path / "locale"
    for lang, body in (("en", 'msgid "Retour"\nmsgstr "Back"\n\nmsgid "Merci\u202f!"\nmsgstr "Thanks!"\n'),
                       ("de", 'msgid "Retour"\nmsgstr "Zurück"\n')):
        (locale / lang / "LC_MESSAGES").mkdir(parents=True)
        (locale / lang / "LC_MESSAGES" / "kiosk.po").write_text(body, encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "wall.toml").write_text('[[question]]\ntext = { fr = "Vos trajets ?", de = "Ihre Wege?" }\n'
                                       '[[other]]\ntext = { fr = "Un vélo" }\n', encoding="utf-8")
    assert missing_translations("de", locale, content) == [("kiosk.po", "Merci\u202f!"), ("wall.toml", "Un vélo")]
    assert missing_translations("fr-falc", locale, content) == []      # a variant of French lacks nothing


def test_check_config_names_the_missing_strings(tmp_path):
    # A language folder with one catalog only: check-config lists what it lacks, the kiosk still starts.
    lang_dir = ROOT / "media" / "locale" / "xx-test" / "LC_MESSAGES"
    venue = tmp_path / "venue.toml"
    venue.write_text('[kiosk]\nlanguages = ["fr", "xx-test"]\n', encoding="utf-8")
    lang_dir.mkdir(parents=True)
    try:
        (lang_dir / "kiosk.po").write_text('msgid "Retour"\nmsgstr "Xetour"\n', encoding="utf-8")
        out = subprocess.run([sys.executable, "-m", "kiosk", "check-config", str(venue)], capture_output=True,
                             text=True, cwd=ROOT, timeout=120)
    finally:
        (lang_dir / "kiosk.po").unlink()
        lang_dir.rmdir()
        lang_dir.parent.rmdir()
    assert out.returncode == 0, out.stdout + out.stderr
    assert "'xx-test' lacks" in out.stdout
    assert "xx-test survey.po: 'Vous et les autres'" in out.stdout
    assert "xx-test kiosk.po: 'Retour'" not in out.stdout                # the one it has
