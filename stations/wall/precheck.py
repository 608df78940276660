"""Automatic pre-check of what a visitor writes on the wall: insults, e-mail addresses, phone numbers,
postal addresses and social-network handles. It only *flags* for the mediator — nothing is dropped,
and nothing is shown to anyone before a mediator approves it anyway. No pygame.

Insults are matched on a normalised form of both the text and the word lists:
accents removed (NFKD), case folded, leetspeak digits and symbols mapped to letters inside words
(c0nnard, $alope, @bruti), runs of three or more of a letter collapsed to one (fuuuck = fuck,
connnnard = conard, listed too), letters
spaced out one by one joined (c o n n a r d). Matches respect word boundaries, so « Connardville »
or « Scunthorpe » are not flagged.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kiosk.paths import CONTENT_DIR

LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
                      "@": "a", "$": "s", "€": "e", "!": "i", "|": "i", "+": "t"})
WORD_CHARS = r"a-z0-9@$€!|+"
TOKEN = re.compile(f"[{WORD_CHARS}]+")
REPEATS = re.compile(r"(.)\1{2,}")   # three or more: « fuuuck », « connnnard »; « conne » ≠ « cône » stays

EMAIL = re.compile(r"[\w.+-]+\s*(?:@|[\(\[]\s*(?:at|arobase)\s*[\)\]])\s*[\w-]+(?:\s*(?:\.|[\(\[]\s*(?:dot|point)\s*[\)\]])\s*[\w-]+)+",
                   re.IGNORECASE)
PHONE = re.compile(r"(?<!\d)(?:\+|00)?\d(?:[\s.\-/]?\d){7,}(?!\d)")
ADDRESS = re.compile(r"\b\d{1,4}\s*(?:bis|ter)?\s*,?\s*(?:rue|avenue|av|boulevard|bd|allée|allee|impasse|place|"
                     r"chemin|route|quai|square|cours|cité|cite|résidence|residence|street|road|st)\b\.?",
                     re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_.]{3,}")


@dataclass(frozen=True)
class Finding:
    flag: str          # insult | email | phone | address | handle
    match: str         # the word-list entry, or the text found


def strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """The comparable form: ' word word word ' (lower case, no accents, leet undone, repeats collapsed)."""
    tokens = TOKEN.findall(strip_accents(text).casefold())
    words = []
    for token in tokens:
        token = token.strip("!|+")               # « génial!! »: edge punctuation, not leetspeak
        if any(ch.isalpha() for ch in token):   # leave plain numbers alone ("2026" is not "zoz6")
            token = token.translate(LEET)
        token = REPEATS.sub(r"\1", re.sub(r"[^a-z0-9]", "", token))
        if token:
            words.append(token)
    words = _join_spelled_out(words)
    return " " + " ".join(words) + " "


def _join_spelled_out(words: list[str]) -> list[str]:
    """« c o n n a r d » -> « conard »: runs of three or more one-letter words become one word."""
    out: list[str] = []
    run: list[str] = []
    for word in words + [""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) >= 3:
            out.append(REPEATS.sub(r"\1", "".join(run)))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return out


def read_word_list(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


class PreCheck:
    def __init__(self, words: list[str]):
        self.entries = sorted({normalise(w).strip() for w in words if normalise(w).strip()})
        parts = []
        for entry in self.entries:
            suffix = "(?:s|e|es|x)?" if len(entry) >= 4 else ""
            parts.append(re.escape(entry) + suffix)
        pattern = r"(?<![a-z0-9])(" + "|".join(parts) + r")(?![a-z0-9])" if parts else r"(?!x)x"
        self._insults = re.compile(pattern)

    @classmethod
    def from_files(cls, paths: list[Path]) -> "PreCheck":
        words: list[str] = []
        for path in paths:
            words.extend(read_word_list(path))
        return cls(words)

    def findings(self, text: str) -> list[Finding]:
        found: list[Finding] = []
        for m in self._insults.finditer(normalise(text)):
            found.append(Finding("insult", m.group(1)))
        found += [Finding("email", m.group(0)) for m in EMAIL.finditer(text)]
        raw = EMAIL.sub(" ", text)
        found += [Finding("phone", m.group(0)) for m in PHONE.finditer(raw)]
        found += [Finding("address", m.group(0)) for m in ADDRESS.finditer(raw)]
        found += [Finding("handle", m.group(0)) for m in HANDLE.finditer(raw)]
        return found

    def flags(self, text: str) -> list[str]:
        return sorted({f.flag for f in self.findings(text)})


@lru_cache(maxsize=4)
def default_precheck(files: tuple[str, ...] = ("insults-fr.txt", "insults-en.txt")) -> PreCheck:
    return PreCheck.from_files([p if p.is_absolute() else CONTENT_DIR / p for p in map(Path, files)])
