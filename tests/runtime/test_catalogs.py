"""Every visitor-facing string written in French in the code has its translation in every language's
catalogs: a string left out shows up in French on an English screen, and no other test would notice."""
from __future__ import annotations

import ast
from pathlib import Path

from kiosk.i18n import LOCALE_DIR, parse_po

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for package in ("kiosk", "stations", "hardware") for p in sorted((ROOT / package).rglob("*.py"))]


def _name(func: ast.expr) -> str | None:
    """`_` in `_("…")` as in `self._("…")` or `ctx.i18n.gettext("…")`."""
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _literal_messages() -> list[tuple[str, int, str]]:
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and _name(node.func) in ("_", "N_", "gettext")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.append((str(path.relative_to(ROOT)), node.lineno, node.args[0].value))
    return found


def test_the_scan_finds_the_code_strings():
    messages = {m for _, _, m in _literal_messages()}
    assert len(messages) > 250 and "Choisissez une activité" in messages


def test_every_code_string_is_translated_in_english():
    """English is complete for the code, mediator pages included: it is the reference the other
    languages are measured against (kiosk.translations, tests/i18n/test_completeness.py)."""
    catalog: dict[str, str] = {}
    for po in sorted((LOCALE_DIR / "en" / "LC_MESSAGES").glob("*.po")):
        catalog.update(parse_po(po.read_text(encoding="utf-8")))
    missing = [f"{where}:{line} {message!r}" for where, line, message in _literal_messages() if not catalog.get(message)]
    assert not missing, f"{len(missing)} strings without an English translation:\n" + "\n".join(missing[:30])
