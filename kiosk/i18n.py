"""gettext catalogs from media/locale, switched live.

Source strings (msgids) are the French text, so French needs no catalog and a missing translation
falls back to French, never to a key. Each language directory holds one `.po` file per domain
(`kiosk.po`, `crowd.po`, ...): all of them are merged, so a station ships its own catalog and adding
a language is adding files. `.po` is read directly: no compile step on the kiosk.
"""
from __future__ import annotations

import ast
import gettext
from pathlib import Path

from babel import Locale, UnknownLocaleError

from kiosk.paths import LOCALE_DIR

SOURCE_LANGUAGE = "fr"
EASY_FRENCH = "fr-falc"   # « Facile à lire et à comprendre »: short sentences, common words

# Languages Babel cannot name in their own words: variants of a language kept as folders of their own.
_OWN_NAMES = {EASY_FRENCH: "Français facile"}


def language_name(lang: str) -> str:
    """The language named in its own words and script (« العربية », « Português »), as a menu shows it."""
    if lang in _OWN_NAMES:
        return _OWN_NAMES[lang]
    try:
        name = Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_")) or lang
    except (ValueError, UnknownLocaleError):
        return lang
    return name[:1].upper() + name[1:]


def is_right_to_left(lang: str) -> bool:
    try:
        return Locale.parse(lang.split("-")[0]).character_order == "right-to-left"
    except (ValueError, UnknownLocaleError):
        return False


def babel_locale(lang: str) -> str:
    """The Babel locale that formats numbers and dates for `lang` (fr-falc formats as French)."""
    return lang.split("-")[0]


def N_(message: str) -> str:
    """Marks a French source string kept in a constant and translated later (the catalog test finds it)."""
    return message


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr for the translated, non-fuzzy entries of a .po file."""
    entries: dict[str, str] = {}
    entry: dict[str, list[str]] = {}
    field = ""
    fuzzy_next = False
    fuzzy = False

    def flush() -> None:
        key, value = "".join(entry.get("msgid", [])), "".join(entry.get("msgstr", []))
        if key and value and not fuzzy:
            entries[key] = value
        entry.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy_next = True
        elif line.startswith("msgid "):
            flush()
            fuzzy, fuzzy_next = fuzzy_next, False
            field = "msgid"
            entry[field] = [ast.literal_eval(line[6:])]
        elif line.startswith("msgstr "):
            field = "msgstr"
            entry[field] = [ast.literal_eval(line[7:])]
        elif line.startswith('"') and field:
            entry[field].append(ast.literal_eval(line))
    flush()
    return entries


class _Catalog(gettext.NullTranslations):
    def __init__(self, entries: dict[str, str]):
        super().__init__()
        self._entries = entries

    def gettext(self, message: str) -> str:
        return self._entries.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def load_catalog(lang: str, locale_dir: Path = LOCALE_DIR) -> dict[str, str]:
    entries: dict[str, str] = {}
    folder = locale_dir / lang / "LC_MESSAGES"
    for po in sorted(folder.glob("*.po")):
        entries.update(parse_po(po.read_text(encoding="utf-8")))
    return entries


def available_languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    found = {p.name for p in locale_dir.iterdir() if (p / "LC_MESSAGES").is_dir()} if locale_dir.is_dir() else set()
    return sorted(found | {SOURCE_LANGUAGE})


class Translator:
    """The live language of the kiosk. `gettext` is cheap: call it at draw time."""

    def __init__(self, languages: list[str], default: str = SOURCE_LANGUAGE, locale_dir: Path = LOCALE_DIR):
        self.languages = list(languages)
        self._catalogs = {lang: _Catalog(load_catalog(lang, locale_dir)) for lang in self.languages}
        self.lang = default

    def set_language(self, lang: str) -> None:
        if lang in self._catalogs:
            self.lang = lang

    @property
    def rtl(self) -> bool:
        """The live language reads right to left (layouts mirror)."""
        return is_right_to_left(self.lang)

    def gettext(self, message: str) -> str:
        catalog = self._catalogs.get(self.lang)
        return catalog.gettext(message) if catalog else message

    _ = gettext

    def translate_to(self, lang: str, message: str) -> str:
        """The message in another language than the current one (the attract loop shows both)."""
        catalog = self._catalogs.get(lang)
        return catalog.gettext(message) if catalog else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        catalog = self._catalogs.get(self.lang)
        return catalog.ngettext(singular, plural, n) if catalog else (singular if n == 1 else plural)
