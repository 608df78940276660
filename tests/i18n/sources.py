"""Every French string a visitor may read, from where it is written: `_()` calls in the code, the
catalogs' msgids and the content files' French texts, and the website's: its catalog's msgids (French
source strings) and the text its templates write around them (shared by the i18n tests)."""
from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path
from typing import Any, Iterator

from babel.messages.pofile import read_po

from kiosk.i18n import LOCALE_DIR, parse_po
from kiosk.paths import CONTENT_DIR

ROOT = Path(__file__).resolve().parents[2]
CODE = [p for package in ("kiosk", "stations", "hardware") for p in sorted((ROOT / package).rglob("*.py"))]
CALLS = {"_": (0,), "N_": (0,), "gettext": (0,), "ngettext": (0, 1)}
LANGUAGE_KEYS = {"fr", "en", "ar", "pt", "es", "fr-falc", "de", "it"}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def code_strings() -> Iterator[tuple[str, str]]:
    """(where, message) for each literal French message of the code."""
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) in CALLS:
                for i in CALLS[_name(node.func)]:
                    if i < len(node.args) and isinstance(node.args[i], ast.Constant) and isinstance(node.args[i].value, str):
                        yield f"{path.relative_to(ROOT)}:{node.lineno}", node.args[i].value


def catalog_msgids() -> Iterator[tuple[str, str]]:
    for po in sorted(LOCALE_DIR.rglob("*.po")):
        for msgid in parse_po(po.read_text(encoding="utf-8")):
            yield str(po.relative_to(ROOT)), msgid


def content_texts(lang: str = "fr") -> Iterator[tuple[str, str]]:
    """(file:key, text) of every text of the content files in `lang`: a plain string is French."""
    def walk(value: Any, key: str) -> Iterator[tuple[str, str]]:
        if isinstance(value, dict):
            if "fr" in value and all(isinstance(v, str) for v in value.values()):
                if value.get(lang):
                    yield key, value[lang]
                return
            for k, v in value.items():
                yield from walk(v, f"{key}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from walk(v, f"{key}[{i}]")
        elif isinstance(value, str) and lang == "fr" and key.rsplit(".", 1)[-1] not in LANGUAGE_KEYS:
            yield key, value

    for path in sorted(CONTENT_DIR.rglob("*.toml")):
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        for key, text in walk(data, ""):
            yield f"{path.relative_to(ROOT)}:{key.lstrip('.')}", text


HUB = ROOT / "hub" / "site"


def website_msgids() -> Iterator[tuple[str, str]]:
    """The French source strings of the website's catalog (singular and plural), translated or not."""
    for po in sorted((HUB / "locale").rglob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
                    if msgid:
                        yield str(po.relative_to(ROOT)), msgid


def website_template_texts() -> Iterator[tuple[str, str]]:
    """Each line of text a template writes itself, its tags and variables read as a word ("x"), so
    that "{% translate 'Alerte' %} : {{ n }}" is checked as "x : x"."""
    for template in sorted((HUB / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", text, flags=re.S)
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "x", text, flags=re.S)
        for line in re.sub(r"<[^>]*>", "\n", text).splitlines():
            if line.strip():
                yield str(template.relative_to(ROOT)), line.strip()


def literal_strings(path: Path) -> list[tuple[str, str]]:
    """Every string constant of a module but its docstrings, f-strings' literal parts included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node)}
    return [(f"{path.name}:{node.lineno}", node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]
