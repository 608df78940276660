"""The website in English: every French source string has its English, and the compiled catalog the
site runs on (django.mo, committed) says the same as the one people edit (django.po)."""
from __future__ import annotations

import gettext
import re
from pathlib import Path

import hub.site

SITE = Path(hub.site.__file__).parent
PO = SITE / "locale/en/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def _po_entries() -> dict[str, list[str]]:
    """msgid -> its msgstr values (one, or one per plural form), fuzzy entries left out."""
    entries: dict[str, list[str]] = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        if "#, fuzzy" in block:
            continue
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            entries[fields["msgid"].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")] = [
                v for k, v in fields.items() if k.startswith("msgstr")]
    return entries


def test_every_entry_has_its_english():
    missing = [msgid for msgid, values in _po_entries().items() if not all(values)]
    assert not missing, missing


def test_every_template_string_is_in_the_catalog():
    msgids = set(_po_entries())
    found = set()
    for template in (SITE / "templates").rglob("*.html"):
        found |= set(re.findall(r'\{% translate "([^"]*)" %\}', template.read_text(encoding="utf-8")))
    assert found and not found - msgids, sorted(found - msgids)


def test_the_compiled_catalog_matches_the_po():
    with open(MO, "rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    for msgid, values in _po_entries().items():
        if len(values) == 1:
            assert catalog.gettext(msgid) == values[0].encode().decode("unicode_escape").encode("latin-1").decode(
                "utf-8"), msgid
