"""Automatic pre-check of what a visitor writes on the wall: insults, e-mail addresses, phone numbers,
postal addresses and social-network handles. It only *flags* for the mediator — nothing is dropped,
and nothing is shown to anyone before a mediator approves it anyway. No pygame.

Insults are matched on a normalised form of both the text and the word lists:
accents removed (NFKD), case folded, leetspeak digits and symbols mapped to letters inside words
(c0nnard, $alope, @bruti), runs of three or more of a letter collapsed to one (fuuuck = fuck,
connnnard = conard, listed too), letters
spaced out one by one joined (c o n n a r d), a star standing for any one letter (f*ck, c*nnard; at
most half the letters). Matches respect word boundaries, so « Connardville » or « Scunthorpe » are
not flagged. Hyphens are kept: a list entry of three letters or fewer (con, pd, tg) is not matched
inside a hyphenated word (« le con-cours », « con-duire »), longer ones are (« sale-connard »), and a
multi-word entry matches with spaces or hyphens (« fils-de-pute »).

Personal data: e-mail addresses also spelled out (« jean dot dupont at gmail dot com », « jean point
dupont arobase free point fr », when they end with a common domain ending); phone numbers in French
(10 digits from 0, however grouped) or international (+ or 00, then 8 to 13 digits) form, so a run
of other numbers (« RER B 2026 10 15 20 ») is not taken for one.
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
WORD_CHARS = r"a-z0-9@$€!|+*"
COMPOUND = re.compile(f"[{WORD_CHARS}]+(?:-[{WORD_CHARS}]+)*")   # hyphenated words stay together
REPEATS = re.compile(r"([^*])\1{2,}")   # three or more: « fuuuck », « connnnard »; « conne » ≠ « cône » stays
STAR = "*"                                # a letter hidden by the writer: « f*ck »

TLD = r"(?:com|fr|org|net|eu|info|io|be|ch|ca|uk|de|es|it|edu|gouv|co|me|tv|re)"
EMAIL = re.compile(
    r"[\w.+-]+\s*(?:@|[\(\[]\s*(?:at|arobase)\s*[\)\]])\s*[\w-]+(?:\s*(?:\.|[\(\[]\s*(?:dot|point)\s*[\)\]])\s*[\w-]+)+"
    # spelled out without brackets: the domain must end like one (« ... at this point now » is not an address)
    rf"|[\w+-]+(?:(?:\.|\s+(?:dot|point)\s+)[\w+-]+)*\s+(?:at|arobase)\s+[\w-]+(?:(?:\.|\s+(?:dot|point)\s+)[\w-]+)*"
    rf"(?:\.|\s+(?:dot|point)\s+){TLD}\b",
    re.IGNORECASE)
SEP = r"[\s.\-/]?"
PHONE = re.compile(
    rf"(?<![\d+])(?:0[1-9](?:{SEP}\d){{8}}"                                   # 06 12 34 56 78, 0612345678, 06 1234 5678
    rf"|(?:\+|00)\s?\d{{1,3}}\s?(?:\(0\)\s?)?\d(?:{SEP}\d){{7,12}})(?!\d)")   # +33 6 12 34 56 78, +33 (0)6 ..., 0044 20 ...
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
    """The comparable form: ' word word-word word ' (lower case, no accents, leet undone, repeats
    collapsed, hyphens inside words kept, '*' kept as a hidden letter)."""
    words: list[str] = []
    for compound in COMPOUND.findall(strip_accents(text).casefold()):
        parts = [p for p in map(_normalise_token, compound.split("-")) if p]
        if len(parts) > 1 and all(_is_letter(p) for p in parts):
            words.extend(parts)                  # « c-o-n-n-a-r-d »: spelled out, joined below
        elif parts:
            words.append("-".join(parts))
    words = _join_spelled_out(words)
    return " " + " ".join(words) + " "


def _normalise_token(token: str) -> str:
    token = token.strip("!|+")                   # « génial!! »: edge punctuation, not leetspeak
    if any(ch.isalpha() for ch in token):       # leave plain numbers alone ("2026" is not "zoz6")
        token = token.translate(LEET)
    return REPEATS.sub(r"\1", re.sub(r"[^a-z0-9*]", "", token))


def _is_letter(word: str) -> bool:
    return len(word) == 1 and (word.isalpha() or word == STAR)


def _join_spelled_out(words: list[str]) -> list[str]:
    """« c o n n a r d » -> « conard »: runs of three or more one-letter words become one word."""
    out: list[str] = []
    run: list[str] = []
    for word in words + [""]:
        if _is_letter(word):
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
            letters = "".join(f"[{re.escape(ch)}*]" if ch.isalpha() else "[ -]" if ch in " -" else re.escape(ch)
                              for ch in entry)
            suffix = "(?:s|e|es|x)?" if len(entry) >= 4 else ""
            # a short single word (con, pd) must stand alone: not a piece of a hyphenated word
            edge = "-" if len(entry) <= 3 and " " not in entry and "-" not in entry else ""
            parts.append(rf"(?<![a-z0-9*{edge}])({letters}{suffix})(?![a-z0-9*{edge}])")
        self._insults = re.compile("|".join(parts) if parts else r"(?!x)x")

    @classmethod
    def from_files(cls, paths: list[Path]) -> "PreCheck":
        words: list[str] = []
        for path in paths:
            words.extend(read_word_list(path))
        return cls(words)

    def findings(self, text: str) -> list[Finding]:
        found: list[Finding] = []
        for m in self._insults.finditer(normalise(text)):
            word = m.group(m.lastindex)
            if word.count(STAR) * 2 > len(word):      # « **** »: too little left to tell what it was
                continue
            found.append(Finding("insult", self.entries[m.lastindex - 1]))    # one group per entry
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
