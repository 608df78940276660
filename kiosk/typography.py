"""French typography: the apostrophe ’, a narrow no-break space before ; : ! ? % and inside « », CO₂ with
a real subscript. Source strings are written that way; content files a venue edits by hand are set
right when read (`french`), and `problems` names what a French string gets wrong (the typography test
reads every French string of the code, the catalogs and the content files with it). No pygame."""
from __future__ import annotations

import re

NNBSP = "\u202f"    # narrow no-break space (U+202F), drawn as a no-break space by a font that lacks it
NBSP = "\u00a0"
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿŒœ"
_APOSTROPHE = re.compile(rf"(?<=[{_LETTER}])'(?=[{_LETTER}0-9{{])")
_BEFORE_HIGH = re.compile(r"[ \u00a0]+([;:!?»])")
_AFTER_OPENING = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_PERCENT = re.compile(r"(?<=[0-9}])[ \u00a0]+%")
_CO2 = re.compile(r"\bCO2\b")


def french(text: str) -> str:
    """The text with French typography (idempotent)."""
    text = _APOSTROPHE.sub("’", text)
    text = _BEFORE_HIGH.sub(NNBSP + r"\1", text)
    text = _AFTER_OPENING.sub("«" + NNBSP, text)
    text = _BEFORE_PERCENT.sub(NNBSP + "%", text)
    return _CO2.sub("CO₂", text)


def problems(text: str) -> list[str]:
    """What a French string gets wrong, one short phrase each (empty: nothing)."""
    found = []
    if _APOSTROPHE.search(text):
        found.append("straight apostrophe ' (write ’)")
    if re.search(r" [;:!?»]", text) or "« " in text or re.search(r"[0-9}] %", text):
        found.append("breakable space before ; : ! ? » % or after « (write a narrow no-break space U+202F)")
    if _CO2.search(text):
        found.append("CO2 (write CO₂)")
    return found
