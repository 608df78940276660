"""Which visitor strings a language lacks: `kiosk check-config` names them, the catalogue test fails on
them. The reference is every msgid of the English catalogs' visitor domains (a test keeps English
complete for the code) plus every French text of the content files. Mediator pages (statistics,
sensors) are read by the venue's staff: French and English only. A variant of French (fr-falc, easy
French) rewrites what needs it and leaves the rest to French, so it lacks nothing. No pygame."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Iterator

from kiosk.i18n import SOURCE_LANGUAGE, load_catalog, parse_po
from kiosk.paths import CONTENT_DIR, LOCALE_DIR
from kiosk.typography import french

REFERENCE_LANGUAGE = "en"
MEDIATOR_DOMAINS = frozenset({"statistics", "hardware"})


def visitor_messages(locale_dir: Path = LOCALE_DIR) -> dict[str, str]:
    """msgid -> domain of every visitor string of the code."""
    found: dict[str, str] = {}
    for po in sorted((locale_dir / REFERENCE_LANGUAGE / "LC_MESSAGES").glob("*.po")):
        if po.stem not in MEDIATOR_DOMAINS:
            found.update(dict.fromkeys(parse_po(po.read_text(encoding="utf-8")), po.stem))
    return found


def content_texts(content_dir: Path = CONTENT_DIR) -> Iterator[tuple[str, dict[str, str]]]:
    """(file, {lang: text}) for each visitor text of the content files ({fr = "…", en = "…"} tables)."""
    def walk(value: Any) -> Iterator[dict[str, str]]:
        if isinstance(value, dict):
            if "fr" in value and all(isinstance(v, str) for v in value.values()):
                yield value
                return
            for v in value.values():
                yield from walk(v)
        elif isinstance(value, list):
            for v in value:
                yield from walk(v)

    for path in sorted(content_dir.rglob("*.toml")):
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError):
            continue          # check-config reports the file itself
        for text in walk(data):
            yield path.name, text


def missing_translations(lang: str, locale_dir: Path = LOCALE_DIR,
                         content_dir: Path = CONTENT_DIR) -> list[tuple[str, str]]:
    """(where, French text) of each visitor string `lang` would show in French."""
    if lang.split("-")[0] == SOURCE_LANGUAGE:
        return []
    catalog = load_catalog(lang, locale_dir)
    missing = [(f"{domain}.po", msgid) for msgid, domain in visitor_messages(locale_dir).items()
               if not catalog.get(msgid)]
    seen: set[str] = set()
    for file, text in content_texts(content_dir):
        source = french(text["fr"])
        if not text.get(lang) and not catalog.get(source) and source not in seen:
            seen.add(source)
            missing.append((file, source))
    return missing
