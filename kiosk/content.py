"""Content files (config/content/*.toml): reading, per-language text, and problems that name the file,
the key and what is wrong — the same treatment as the kiosk's own configuration. No pygame."""
from __future__ import annotations

import difflib
from functools import lru_cache
import re
import tomllib
from pathlib import Path
from typing import Any, Mapping

from eventlog.kinds import SLUG
from kiosk.problems import ConfigProblem
from kiosk.paths import CONTENT_DIR, ICON_DIR
from kiosk.i18n import SOURCE_LANGUAGE, load_catalog
from kiosk.typography import french

Text = dict[str, str]   # language code -> text; "fr" always present


class ContentError(Exception):
    """A content file a station cannot start with; carries the problems for the error screen/log."""

    def __init__(self, problems: list[ConfigProblem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def content_path(name: str) -> Path:
    """A content file name from the station config: relative to config/content/, or absolute."""
    path = Path(name).expanduser()
    return path if path.is_absolute() else CONTENT_DIR / path


def read_content(name: str) -> tuple[str, dict[str, Any] | None, list[ConfigProblem]]:
    """(file as shown in messages, parsed TOML or None, problems)."""
    path = content_path(name)
    file = str(path)
    try:
        with open(path, "rb") as fh:
            return file, tomllib.load(fh), []
    except FileNotFoundError:
        return file, None, [ConfigProblem(file, "(file)", "no such file", "a content file in config/content/")]
    except OSError as exc:
        return file, None, [ConfigProblem(file, "(file)", f"cannot read it ({exc.strerror})", "a readable TOML file")]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return file, None, [ConfigProblem(file, "(syntax)", str(exc), "valid TOML")]


class Checker:
    """Collects problems while reading one content file, with typed getters that never raise."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[ConfigProblem] = []

    def problem(self, key: str, found: str, expected: str) -> None:
        self.problems.append(ConfigProblem(self.file, key, found, expected))

    def text(self, table: Mapping[str, Any], name: str, key: str, *, required: bool = True) -> Text | None:
        """A visitor-facing text: a plain string (French) or a table {fr = "...", en = "..."}."""
        value = table.get(name)
        path = f"{key}.{name}"
        if value is None:
            if required:
                self.problem(path, "missing", 'a text, e.g. {fr = "…", en = "…"}')
            return None
        if isinstance(value, str):
            value = {"fr": value}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.problem(path, repr(value), 'a text, e.g. {fr = "…", en = "…"}')
            return None
        if not value.get("fr", "").strip():
            self.problem(path + ".fr", "missing or empty", "the French text (the source language)")
            return None
        return dict(value)

    def template(self, table: Mapping[str, Any], name: str, key: str, fields: tuple[str, ...]) -> Text | None:
        """An optional text with {placeholders}: only `fields` may appear, in every language."""
        text = self.text(table, name, key, required=False)
        if text is None:
            return None
        for lang, value in text.items():
            try:
                value.format(**{f: "x" for f in fields})
            except (KeyError, IndexError, ValueError) as exc:
                self.problem(f"{key}.{name}.{lang}", f"bad placeholder ({exc})", "only " + ", ".join("{" + f + "}" for f in fields))
                return None
        return text

    def string(self, table: Mapping[str, Any], name: str, key: str, *, required: bool = True,
               default: str | None = None) -> str | None:
        value = table.get(name)
        if value is None:
            if required:
                self.problem(f"{key}.{name}", "missing", "text")
            return default
        if not isinstance(value, str):
            self.problem(f"{key}.{name}", f"{type(value).__name__} {value!r}", "text")
            return default
        return value

    def unique_id(self, table: Mapping[str, Any], key: str, seen: set[str], what: str) -> str | None:
        """The entry's `id`, reported when missing or already used by another entry of `seen`."""
        ident = self.string(table, "id", key)
        if ident is not None and not re.fullmatch(SLUG, ident, re.ASCII):
            # ids travel in events to the hub, which accepts only this shape (eventlog.kinds)
            self.problem(f"{key}.id", repr(ident), "letters without accents, digits, _ . : - (no spaces), "
                         "at most 64 characters")
        if ident in seen:
            self.problem(f"{key}.id", f"{ident!r} used twice", f"a different id for each {what}")
        seen.add(ident or "")
        return ident

    def boolean(self, table: Mapping[str, Any], name: str, key: str, default: bool) -> bool:
        value = table.get(name, default)
        if not isinstance(value, bool):
            self.problem(f"{key}.{name}", repr(value), "true or false")
            return default
        return value

    def icon(self, table: Mapping[str, Any], name: str, key: str, *, required: bool = True) -> str | None:
        value = self.string(table, name, key, required=required)
        if value is not None and not (ICON_DIR / f"{value}.svg").exists():
            self.problem(f"{key}.{name}", f"icon {value!r} not found in media/icons", "the name of an SVG file in media/icons (without .svg)")
            return None
        return value

    def table_list(self, data: Mapping[str, Any], name: str, key: str, *, required: bool = True,
                   toml_name: str | None = None, at_most: tuple[int, str] | None = None) -> list[dict]:
        """The [[name]] tables of `data`; toml_name is how they are written (e.g. question.choice).
        `at_most` = (count, why): more tables than the screen can show is a problem saying why."""
        value = data.get(name)
        header = f"[[{toml_name or name}]]"
        if value is None:
            if required:
                self.problem(key, "missing", f"at least one {header} table")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(key, repr(value)[:60], f"a list of {header} tables")
            return []
        if at_most is not None and len(value) > at_most[0]:
            self.problem(key, f"{len(value)} {header} tables", f"at most {at_most[0]} ({at_most[1]})")
        return value

    def unknown_keys(self, table: Mapping[str, Any], key: str, known: set[str]) -> None:
        for name in table:
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem(f"{key}.{name}", "unknown key" + hint, "one of: " + ", ".join(sorted(known)))


def localise(text: Text | None, lang: str) -> str:
    """The text in `lang`: written in the content file ({fr = "…", pt = "…"}), else the language's
    catalogs (a language folder carries the translations of the content files too, by their French text),
    else French, the source language. French gets French typography (’, narrow no-break spaces before
    ; : ! ? and inside « »), whoever typed the file."""
    if not text:
        return ""
    source = french(text.get("fr", ""))
    value = text.get(lang) or (content_catalog(lang).get(source) if lang != SOURCE_LANGUAGE else None)
    if value:
        return french(value) if lang.startswith("fr") else value
    return source


@lru_cache(maxsize=None)
def content_catalog(lang: str) -> dict[str, str]:
    return load_catalog(lang)
